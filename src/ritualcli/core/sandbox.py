"""The sandbox agenda templates run in: no Python internals, Markdown autoescape, bounded work.

Jinja's sandbox keeps templates away from Python's internals; ``LimitedSandbox``
adds the limits of ``sandbox_limits`` (so a template of your own can take neither
minutes nor gigabytes) and one more: nothing a template says runs at compile time,
as Jinja's optimizer, which folds constant expressions such as ``9 ** 99999999``
while compiling, is off.

And autoescape for Markdown (see ``mdsafe``): the compiled code marks the
template's own string literals, macro output and ``{% set %}`` blocks as safe
``Md``, ``~`` escapes the plain parts it joins to safe ones, and everything printed
that is not ``Md`` is escaped.

This module is jinja2's adapter: it imports jinja2 at module level, so it is itself
imported only inside ``templating``'s functions (never on ``ritual plan``'s path).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import TemplateSyntaxError, nodes, pass_eval_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment, SandboxedFormatter

from .filecheck import LONG_NUMBER, long_number_line
from .mdsafe import Md, finalize
from .sandbox_limits import (
    MAX_SIZE,
    bounded_lipsum,
    bounded_range,
    check_method,
    check_size,
    check_spec,
    checked_binop,
    guard_filter,
    predicted_replace,
    refuse,
    size,
)

# --------------------------------------------------------------------------- filters that escape


def _md_join(value: Iterable[Any], separator: str = "", attribute: str | int | None = None) -> Md:
    """The ``join`` filter: safe parts stay, the others are escaped, and so is the result."""
    items = list(value)
    if attribute is not None:
        items = [item[attribute] for item in items]  # as jinja's join(attribute=…)
    if len(separator) * len(items) + size(items) > MAX_SIZE:
        raise refuse(f"join would make more than {MAX_SIZE:,} characters")
    return Md.of(separator).join(items)


def _md_format(value: Any, *args: Any, **kwargs: Any) -> Any:
    """The ``format`` filter (``"%s, %s"|format(a, b)``), with the % limits."""
    if args and kwargs:
        raise TypeError("can't handle positional and keyword arguments at the same time")
    text = value if isinstance(value, str) else str(value)
    checked_binop("%", text, kwargs or args)
    return text % (kwargs or args)


def _md_replace(value: Any, old: str, new: str, count: int | None = None) -> Any:
    text = value if isinstance(value, str) else str(value)
    if predicted_replace(text, str(old), str(new), -1 if count is None else count) > MAX_SIZE:
        raise refuse(f"replace would make more than {MAX_SIZE:,} characters")
    return text.replace(old, new, -1 if count is None else count)


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
            raise refuse(f"a macro or block would make more than {MAX_SIZE:,} characters")

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
        check_spec(format_spec)
        check_size(value, "a formatted value")
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
        self.globals["range"] = bounded_range
        self.globals["lipsum"] = bounded_lipsum
        self.filters = {name: guard_filter(name, f) for name, f in self.filters.items()}
        self.filters.update(
            md=Md.of,
            join=guard_filter("join", _md_join),
            format=guard_filter("format", _md_format),
            replace=guard_filter("replace", _md_replace),
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
        if size(parts) > MAX_SIZE:
            raise refuse(f"~ would make more than {MAX_SIZE:,} characters")
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
        checked_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        check_method(__obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, str | bytes | list | tuple) and len(result) > MAX_SIZE:
            raise refuse(f"a call made more than {MAX_SIZE:,} characters or items")
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
    if size(value) > MAX_SIZE:
        raise refuse(f"a value printed would be longer than {MAX_SIZE:,} characters")
    return finalize(value)


def _trusted(value: Any) -> Any:
    if type(value) is str:
        return Md(value)
    if type(value) is tuple and value and all(type(v) is str for v in value):
        return tuple(Md(v) for v in value)
    return value
