"""The sandbox agenda templates run in: no Python internals, Markdown autoescape, bounded work.

A template of your own is code, and ``ritual weekly`` runs it unattended while it
holds the lock. Jinja's sandbox keeps templates away from Python's internals; this
one also bounds what a template can make, so no single step can take minutes or
gigabytes (the wall-clock and output limits are ``templating.render``'s):

- ``range()`` gives at most ``MAX_RANGE`` numbers; ``lipsum()`` at most a few paragraphs.
- No operator, filter or method makes a string or list longer than ``MAX_SIZE``, or
  an integer wider than ``MAX_INT_BITS``; sizes are checked before the work
  where the work would be large (``"x" * n``, ``9 ** n``, ``replace``, ``join``).
- Widths and precisions in ``%`` and ``format()`` are at most ``MAX_WIDTH``.
- Nothing a template says runs at compile time: Jinja's optimizer, which folds
  constant expressions such as ``9 ** 99999999`` while compiling, is off.

And autoescape for Markdown (see ``mdsafe``): the compiled code marks the
template's own string literals, macro output and ``{% set %}`` blocks as safe
``Md``, ``~`` escapes the plain parts it joins to safe ones, and everything printed
that is not ``Md`` is escaped.

This module is jinja2's adapter: it imports jinja2 at module level, so it is itself
imported only inside ``templating``'s functions (never on ``ritual plan``'s path).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from jinja2 import TemplateSyntaxError, nodes, pass_eval_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment, SandboxedFormatter, modifies_known_mutable

from .filecheck import LONG_NUMBER, long_number_line
from .mdsafe import Md, finalize

MAX_RANGE = 10_000  # numbers in one range(): no agenda counts further
MAX_SIZE = 1_000_000  # characters in a string, items in a list: the size of the whole output
MAX_WIDTH = 1_000  # a field width or precision in % or format(), a padding width
MAX_INT_BITS = 4_096  # about 1,200 digits
LIPSUM_PARAGRAPHS = 10
LIPSUM_WORDS = 100


def _refuse(what: str) -> SecurityError:
    return SecurityError(what)


def _size(value: object, budget: int = MAX_SIZE) -> int:
    """Roughly how many characters ``str(value)`` makes; stops counting past ``budget``."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, bool) or value is None:
        return 5
    if isinstance(value, int):
        return value.bit_length() // 3 + 1
    if isinstance(value, list | tuple | set | frozenset | dict):
        total = 2
        items: Iterable[Any] = value.items() if isinstance(value, dict) else value
        for item in items:
            total += _size(item, budget - total) + 2
            if total > budget:
                break
        return total
    return 20  # a number or an object of ours: its repr is short


def _check_size(value: object, what: str) -> None:
    if _size(value) > MAX_SIZE:
        raise _refuse(f"{what} would be longer than {MAX_SIZE:,} characters or items")


def _check_width(width: object, what: str) -> None:
    if isinstance(width, int) and not -MAX_WIDTH <= width <= MAX_WIDTH:
        raise _refuse(f"{what} {width} is wider than {MAX_WIDTH}")


_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?")
_DIGITS = re.compile(r"\d+")


def _check_percent(template: str) -> None:
    """Every width and precision in a ``%`` format string is at most MAX_WIDTH."""
    for m in _PERCENT.finditer(template):
        for part in m.groups():
            if part == "*":
                raise _refuse("a '*' width in % formatting is not allowed")
            if part and int(part) > MAX_WIDTH:
                raise _refuse(f"a % format width or precision of {part} is wider than {MAX_WIDTH}")


def _check_spec(spec: str) -> None:
    for digits in _DIGITS.findall(spec):
        if len(digits) > 6 or int(digits) > MAX_WIDTH:
            raise _refuse(f"a format() width or precision of {digits} is wider than {MAX_WIDTH}")


def _checked_binop(op: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be far too big, before doing it."""
    if op == "**":
        big = isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0
        if big and left.bit_length() * right > MAX_INT_BITS:
            raise _refuse(f"{left} ** {right} is a number too large")
    elif op == "*":
        if isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise _refuse("a product too large")
        else:
            count, seq = (right, left) if isinstance(right, int) else (left, right)
            if isinstance(count, int) and count > 1 and _size(seq, MAX_SIZE // count + 1) * count > MAX_SIZE:
                raise _refuse(f"repeating something {count} times")
    elif op == "+":
        sequences = isinstance(left, str | bytes | list | tuple) and isinstance(
            right, str | bytes | list | tuple
        )
        if sequences and _size(left) + _size(right) > MAX_SIZE:
            raise _refuse(f"joining these would be longer than {MAX_SIZE:,} characters or items")
    elif op == "%" and isinstance(left, str | bytes):
        _check_percent(left if isinstance(left, str) else left.decode("latin-1"))
        _check_size(right, "the values formatted")


# --------------------------------------------------------------------------- what a template calls


def _bounded_range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise _refuse(f"range() of {len(rng):,} numbers is more than {MAX_RANGE:,}")
    return rng


def _bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    from jinja2.utils import generate_lorem_ipsum

    if not (0 <= n <= LIPSUM_PARAGRAPHS and 0 < min <= max <= LIPSUM_WORDS):
        raise _refuse(f"lipsum() makes at most {LIPSUM_PARAGRAPHS} paragraphs of {LIPSUM_WORDS} words")
    return generate_lorem_ipsum(n, html, min, max)


def _predicted_replace(text: str, old: str, new: str, count: int = -1) -> int:
    hits = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * (len(new) - len(old))


# str and bytes methods whose result can be far larger than the string: checked first.
def _check_method(method: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if modifies_known_mutable(owner, name):
        # As jinja's immutable sandbox, checked when called rather than on every
        # attribute read (a quarter of a render's time): ns.append(ns) would double
        # a list each time round a loop.
        raise _refuse(f"{name}() changes a {type(owner).__name__}; templates cannot")
    if not isinstance(owner, str | bytes):
        return
    if name in ("center", "ljust", "rjust", "zfill"):
        for arg in (*args, *kwargs.values()):
            _check_width(arg, f"{name}() width")
    elif name == "expandtabs":
        size = (args or tuple(kwargs.values()) or (8,))[0]
        tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
        if isinstance(size, int) and tabs * size > MAX_SIZE:
            raise _refuse("expandtabs() would be too long")
    elif name == "replace" and len(args) >= 2 and isinstance(owner, str):
        if _predicted_replace(owner, *args[:3]) > MAX_SIZE:
            raise _refuse(f"replace() would make more than {MAX_SIZE:,} characters")
    elif name == "join" and args:
        items = list(args[0]) if not isinstance(args[0], list | tuple) else args[0]
        if len(owner) * len(items) + _size(items) > MAX_SIZE:
            raise _refuse(f"join() would make more than {MAX_SIZE:,} characters")
    elif name in ("translate", "maketrans"):
        raise _refuse(f"{name}() is not available in templates")


def _md_join(value: Iterable[Any], separator: str = "", attribute: str | int | None = None) -> Md:
    """The ``join`` filter: safe parts stay, the others are escaped, and so is the result."""
    items = list(value)
    if attribute is not None:
        items = [item[attribute] for item in items]  # as jinja's join(attribute=…)
    if len(separator) * len(items) + _size(items) > MAX_SIZE:
        raise _refuse(f"join would make more than {MAX_SIZE:,} characters")
    return Md.of(separator).join(items)


def _md_format(value: Any, *args: Any, **kwargs: Any) -> Any:
    """The ``format`` filter (``"%s, %s"|format(a, b)``), with the % limits."""
    if args and kwargs:
        raise TypeError("can't handle positional and keyword arguments at the same time")
    text = value if isinstance(value, str) else str(value)
    _checked_binop("%", text, kwargs or args)
    return text % (kwargs or args)


def _md_replace(value: Any, old: str, new: str, count: int | None = None) -> Any:
    text = value if isinstance(value, str) else str(value)
    if _predicted_replace(text, str(old), str(new), -1 if count is None else count) > MAX_SIZE:
        raise _refuse(f"replace would make more than {MAX_SIZE:,} characters")
    return text.replace(old, new, -1 if count is None else count)


# Filters that take a width or a count (its name, and the most it may be): checked first.
_WIDTH_ARGS = {
    "center": ("width", MAX_WIDTH),
    "indent": ("width", MAX_WIDTH),  # a number of spaces, or the indent itself
    "batch": ("linecount", MAX_SIZE),
    "slice": ("slices", MAX_SIZE),
}
# Filters that turn their whole value into text: its size is checked first.
_TEXT_OF_VALUE = frozenset({"string", "pprint", "tojson", "wordwrap", "urlize", "forceescape", "escape", "e"})


def _guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` with its size checks: widths and the value first, then the result's length."""
    # jinja passes a context, an eval context or the environment first to a filter marked so.
    first = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
    width = _WIDTH_ARGS.get(name)

    @functools.wraps(func)  # keeps that mark
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if width is not None:
            keyword, limit = width
            given = args[first + 1] if len(args) > first + 1 else kwargs.get(keyword)
            amount = len(given) if isinstance(given, str) else given
            if isinstance(amount, int) and amount > limit:
                raise _refuse(f"|{name}({amount:,}) is more than {limit:,}")
        if name in _TEXT_OF_VALUE and len(args) > first:
            _check_size(args[first], f"the text of |{name}")
        result = func(*args, **kwargs)
        if isinstance(result, str | bytes | list | tuple) and len(result) > MAX_SIZE:
            raise _refuse(f"|{name} made more than {MAX_SIZE:,} characters or items")
        return result

    return guarded


# --------------------------------------------------------------------------- compiling


class MarkdownCodeGenerator(CodeGenerator):
    """Compiles templates for Markdown autoescape (see the module docstring)."""

    def visit_Const(self, node: nodes.Const, frame: Frame) -> None:
        value = node.as_const(frame.eval_ctx)
        if isinstance(value, str):  # a literal the template's author wrote: their own words
            self.write(f"environment.md_literal({value!r})")
        else:
            super().visit_Const(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.md_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def buffer(self, frame: Frame) -> None:
        # A macro's, a call block's or a {% set %} block's output is kept until it
        # ends: bounded like the agenda itself.
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.md_buffer()")

    def return_buffer_contents(self, frame: Frame, force_unescaped: bool = False) -> None:
        # A macro's or a call block's output is rendered template output: already safe.
        self.writeline(f"return environment.md_block(concat({frame.buffer}))")

    def visit_AssignBlock(self, node: nodes.AssignBlock, frame: Frame) -> None:
        # jinja's own, except that the captured block is safe output (when no filter
        # changed it afterwards: a filter's result is escaped when printed).
        self.push_assign_tracking()
        block_frame = frame.inner()
        block_frame.require_output_check = False
        block_frame.symbols.analyze_node(node)
        self.enter_frame(block_frame)
        self.buffer(block_frame)
        self.blockvisit(node.body, block_frame)
        self.newline(node)
        self.visit(node.target, frame)
        if node.filter is not None:
            self.write(" = ")
            self.visit_Filter(node.filter, block_frame)
        else:
            self.write(f" = environment.md_block(concat({block_frame.buffer}))")
        self.pop_assign_tracking(frame)
        self.leave_frame(block_frame)


class _Buffer(list[str]):
    """The output of a macro or block while it runs, at most MAX_SIZE characters."""

    __slots__ = ("size",)

    def __init__(self) -> None:
        super().__init__()
        self.size = 0

    def _grow(self, by: int) -> None:
        self.size += by
        if self.size > MAX_SIZE:
            raise _refuse(f"a macro or block would make more than {MAX_SIZE:,} characters")

    def append(self, chunk: str) -> None:
        self._grow(len(chunk))
        super().append(chunk)

    def extend(self, chunks: Iterable[str]) -> None:
        chunks = tuple(chunks)
        self._grow(sum(map(len, chunks)))
        super().extend(chunks)


class _Formatter(SandboxedFormatter):
    """``format()`` in a template: the width limits, and escaping when the format is ``Md``."""

    def __init__(self, env: Any, escaping: bool) -> None:
        super().__init__(env)
        self.escaping = escaping

    def format_field(self, value: Any, format_spec: str) -> Any:
        _check_spec(format_spec)
        _check_size(value, "a formatted value")
        if not self.escaping:
            return format(value, format_spec)
        if isinstance(value, Md) and not format_spec:
            return value
        return Md.of(format(value, format_spec))


class LimitedSandbox(SandboxedEnvironment):
    """Jinja's sandbox with ritual's limits and Markdown autoescape."""

    code_generator_class = MarkdownCodeGenerator
    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def __init__(self, *, own_records: Iterable[type] = (), **options: Any) -> None:
        # The optimizer would compute constant expressions (9 ** 99999999) at compile
        # time, outside every check below: off. Rendering differs only in speed.
        super().__init__(optimized=False, autoescape=False, finalize=_finalize, **options)
        self.own_records = frozenset(own_records)
        self.globals["range"] = _bounded_range
        self.globals["lipsum"] = _bounded_lipsum
        self.filters = {name: _guard_filter(name, f) for name, f in self.filters.items()}
        self.filters.update(
            md=Md.of,
            join=_guard_filter("join", _md_join),
            format=_guard_filter("format", _md_format),
            replace=_guard_filter("replace", _md_replace),
        )

    def compile(
        self,
        source: str | nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        """jinja's compile; any failure is a TemplateSyntaxError naming the file."""
        try:
            return super().compile(source, name, filename, raw=raw, defer_init=defer_init)  # type: ignore[call-overload]
        except TemplateSyntaxError:
            raise
        except Exception as exc:  # nesting too deep, a number too long, …
            text = source if isinstance(source, str) else ""
            line = (long_number_line(text) if isinstance(exc, ValueError) else None) or 0  # 0: not known
            raise TemplateSyntaxError(
                f"cannot be compiled: {describe_failure(exc)}", line, name, filename
            ) from None

    # --- Markdown autoescape, called by the compiled code

    md_literal = Md

    def md_concat(self, parts: tuple[Any, ...]) -> str:
        if _size(parts) > MAX_SIZE:
            raise _refuse(f"~ would make more than {MAX_SIZE:,} characters")
        if any(isinstance(p, Md) for p in parts):
            return Md().join(parts)
        return "".join(map(str, parts))

    md_buffer = staticmethod(lambda: _Buffer())

    def md_block(self, text: str) -> Md:
        return Md(text)

    # --- ritual's own records: their text is the library's, not a user's

    def getattr(self, obj: Any, attribute: str) -> Any:
        value = super().getattr(obj, attribute)
        return _trusted(value) if type(obj) in self.own_records else value

    def getitem(self, obj: Any, argument: Any) -> Any:
        value = super().getitem(obj, argument)
        return _trusted(value) if type(obj) in self.own_records else value

    # --- the limits

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _checked_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_method(__obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, str | bytes | list | tuple) and len(result) > MAX_SIZE:
            raise _refuse(f"a call made more than {MAX_SIZE:,} characters or items")
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``"…".format(…)`` and ``format_map``: jinja's sandboxing, with the width
        limits, and escaping of the fields when the format string is ``Md``."""
        if getattr(value, "__name__", None) not in ("format", "format_map"):
            return None
        owner = getattr(value, "__self__", None)
        if not isinstance(owner, str):
            return None
        formatter = _Formatter(self, escaping=isinstance(owner, Md))
        is_map = value.__name__ == "format_map"

        def formatted(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                text = formatter.vformat(owner, (), args[0])
            else:
                text = formatter.vformat(owner, args, kwargs)
            return Md(text) if formatter.escaping else text

        return formatted


def describe_failure(exc: BaseException) -> str:
    """What went wrong in a template, in a few words."""
    if isinstance(exc, RecursionError):
        return "nested or recursive too deeply (RecursionError)"
    if isinstance(exc, MemoryError):
        return "ran out of memory (MemoryError)"
    if isinstance(exc, ValueError) and "digits" in str(exc):
        return LONG_NUMBER
    return f"{type(exc).__name__}: {exc}"


@pass_eval_context
def _finalize(eval_ctx: EvalContext, value: object) -> object:
    # Taking the eval context keeps jinja from finalizing constants at compile time.
    kind = type(value)
    if kind is Md or kind is int:  # the most printed; already bounded where they were made
        return value
    if _size(value) > MAX_SIZE:
        raise _refuse(f"a value printed would be longer than {MAX_SIZE:,} characters")
    return finalize(value)


def _trusted(value: Any) -> Any:
    if type(value) is str:
        return Md(value)
    if type(value) is tuple and value and all(type(v) is str for v in value):
        return tuple(Md(v) for v in value)
    return value
