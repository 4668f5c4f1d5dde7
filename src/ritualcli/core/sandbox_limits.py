"""How much an agenda template may make: the limits the sandbox (``sandbox``) applies.

A template of your own is code, and ``ritual weekly`` runs it unattended while it
holds the lock. So no single step of a template can take minutes or gigabytes (the
wall-clock and output limits are ``templating.render``'s):

- ``range()`` gives at most ``MAX_RANGE`` numbers; ``lipsum()`` at most a few paragraphs.
- No operator, filter or method makes a string or list longer than ``MAX_SIZE``, or
  an integer wider than ``MAX_INT_BITS``; sizes are checked before the work
  where the work would be large (``"x" * n``, ``9 ** n``, ``replace``, ``join``).
- Widths and precisions in ``%`` and ``format()`` are at most ``MAX_WIDTH``.

Each check raises jinja's ``SecurityError``, which ``templating`` reports as the
template's file and line. Like ``sandbox``, this imports jinja2 at module level and is
imported only inside ``templating``'s functions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.sandbox import modifies_known_mutable

MAX_RANGE = 10_000  # numbers in one range(): no agenda counts further
MAX_SIZE = 1_000_000  # characters in a string, items in a list: the size of the whole output
MAX_WIDTH = 1_000  # a field width or precision in % or format(), a padding width
MAX_INT_BITS = 4_096  # about 1,200 digits
LIPSUM_PARAGRAPHS = 10
LIPSUM_WORDS = 100


def refuse(what: str) -> SecurityError:
    return SecurityError(what)


def size(value: object, budget: int = MAX_SIZE) -> int:
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
            total += size(item, budget - total) + 2
            if total > budget:
                break
        return total
    return 20  # a number or an object of ours: its repr is short


def check_size(value: object, what: str) -> None:
    if size(value) > MAX_SIZE:
        raise refuse(f"{what} would be longer than {MAX_SIZE:,} characters or items")


def check_width(width: object, what: str) -> None:
    if isinstance(width, int) and not -MAX_WIDTH <= width <= MAX_WIDTH:
        raise refuse(f"{what} {width} is wider than {MAX_WIDTH}")


_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?")
_DIGITS = re.compile(r"\d+")


def check_percent(template: str) -> None:
    """Every width and precision in a ``%`` format string is at most MAX_WIDTH."""
    for m in _PERCENT.finditer(template):
        for part in m.groups():
            if part == "*":
                raise refuse("a '*' width in % formatting is not allowed")
            if part and int(part) > MAX_WIDTH:
                raise refuse(f"a % format width or precision of {part} is wider than {MAX_WIDTH}")


def check_spec(spec: str) -> None:
    for digits in _DIGITS.findall(spec):
        if len(digits) > 6 or int(digits) > MAX_WIDTH:
            raise refuse(f"a format() width or precision of {digits} is wider than {MAX_WIDTH}")


def checked_binop(op: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be far too big, before doing it."""
    if op == "**":
        big = isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0
        if big and left.bit_length() * right > MAX_INT_BITS:
            raise refuse(f"{left} ** {right} is a number too large")
    elif op == "*":
        if isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise refuse("a product too large")
        else:
            count, seq = (right, left) if isinstance(right, int) else (left, right)
            if isinstance(count, int) and count > 1 and size(seq, MAX_SIZE // count + 1) * count > MAX_SIZE:
                raise refuse(f"repeating something {count} times")
    elif op == "+":
        sequences = isinstance(left, str | bytes | list | tuple) and isinstance(
            right, str | bytes | list | tuple
        )
        if sequences and size(left) + size(right) > MAX_SIZE:
            raise refuse(f"joining these would be longer than {MAX_SIZE:,} characters or items")
    elif op == "%" and isinstance(left, str | bytes):
        check_percent(left if isinstance(left, str) else left.decode("latin-1"))
        check_size(right, "the values formatted")


# --------------------------------------------------------------------------- what a template calls


def bounded_range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise refuse(f"range() of {len(rng):,} numbers is more than {MAX_RANGE:,}")
    return rng


def bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    from jinja2.utils import generate_lorem_ipsum

    if not (0 <= n <= LIPSUM_PARAGRAPHS and 0 < min <= max <= LIPSUM_WORDS):
        raise refuse(f"lipsum() makes at most {LIPSUM_PARAGRAPHS} paragraphs of {LIPSUM_WORDS} words")
    return generate_lorem_ipsum(n, html, min, max)


def predicted_replace(text: str, old: str, new: str, count: int = -1) -> int:
    hits = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * (len(new) - len(old))


# str and bytes methods whose result can be far larger than the string: checked first.
def check_method(method: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if modifies_known_mutable(owner, name):
        # As jinja's immutable sandbox, checked when called rather than on every
        # attribute read (a quarter of a render's time): ns.append(ns) would double
        # a list each time round a loop.
        raise refuse(f"{name}() changes a {type(owner).__name__}; templates cannot")
    if not isinstance(owner, str | bytes):
        return
    if name in ("center", "ljust", "rjust", "zfill"):
        for arg in (*args, *kwargs.values()):
            check_width(arg, f"{name}() width")
    elif name == "expandtabs":
        tab = (args or tuple(kwargs.values()) or (8,))[0]
        tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
        if isinstance(tab, int) and tabs * tab > MAX_SIZE:
            raise refuse("expandtabs() would be too long")
    elif name == "replace" and len(args) >= 2 and isinstance(owner, str):
        if predicted_replace(owner, *args[:3]) > MAX_SIZE:
            raise refuse(f"replace() would make more than {MAX_SIZE:,} characters")
    elif name == "join" and args:
        items = list(args[0]) if not isinstance(args[0], list | tuple) else args[0]
        if len(owner) * len(items) + size(items) > MAX_SIZE:
            raise refuse(f"join() would make more than {MAX_SIZE:,} characters")
    elif name in ("translate", "maketrans"):
        raise refuse(f"{name}() is not available in templates")


# Filters that take a width or a count (its name, and the most it may be): checked first.
_WIDTH_ARGS = {
    "center": ("width", MAX_WIDTH),
    "indent": ("width", MAX_WIDTH),  # a number of spaces, or the indent itself
    "batch": ("linecount", MAX_SIZE),
    "slice": ("slices", MAX_SIZE),
}
# Filters that turn their whole value into text: its size is checked first.
_TEXT_OF_VALUE = frozenset({"string", "pprint", "tojson", "wordwrap", "urlize", "forceescape", "escape", "e"})


def guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
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
                raise refuse(f"|{name}({amount:,}) is more than {limit:,}")
        if name in _TEXT_OF_VALUE and len(args) > first:
            check_size(args[first], f"the text of |{name}")
        result = func(*args, **kwargs)
        if isinstance(result, str | bytes | list | tuple) and len(result) > MAX_SIZE:
            raise refuse(f"|{name} made more than {MAX_SIZE:,} characters or items")
        return result

    return guarded
