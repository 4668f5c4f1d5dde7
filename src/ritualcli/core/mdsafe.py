"""Autoescape for Markdown: text that is safe to print as is, and everything else escaped.

Jinja's own autoescape protects HTML. An agenda is Markdown, where a name such as
"# Sam" or "[x](https://…)" would add a heading or a live link. So the agenda
templates work the way autoescape does, with Markdown rules:

- ``Md`` marks text that is already safe: ritual's own words (the library, the
  templates' text and literals) and user text once escaped. It is a ``str``.
- Anything else a template prints is escaped (``text.escape``) on its way out,
  even when a template forgets the ``md`` filter.
- Combining ``Md`` with plain text escapes the plain part (``+``, ``%``, ``join``,
  ``format``), as ``markupsafe.Markup`` does for HTML, so the result is safe too.
  Every other ``str`` method returns a plain ``str``, which is escaped again when
  printed: never raw (at worst escaped twice, e.g. ``(name|md)[1:]``).

``Md`` lives inside a render only: values outside templates stay plain ``str``.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable
from typing import Any, SupportsIndex

from .text import escape


class Md(str):
    """Markdown that is safe to print as is (see the module docstring)."""

    __slots__ = ()

    @classmethod
    def of(cls, value: object) -> Md:
        """``value`` as safe Markdown: kept if it already is, escaped otherwise."""
        if isinstance(value, Md):
            return value
        return _escaped(value if type(value) is str else str(value))

    def __add__(self, other: str) -> Md:
        if isinstance(other, str):
            return Md(str.__add__(self, Md.of(other)))
        return NotImplemented

    def __radd__(self, other: str) -> Md:
        # Python tries this before str.__add__, since Md is a subclass of str.
        if isinstance(other, str):
            return Md(str.__add__(Md.of(other), self))
        return NotImplemented

    def __mul__(self, count: SupportsIndex) -> Md:
        return Md(str.__mul__(self, count))

    __rmul__ = __mul__

    def __mod__(self, args: Any) -> Md:
        if isinstance(args, tuple):
            return Md(str.__mod__(self, tuple(_Escaped(a) for a in args)))
        return Md(str.__mod__(self, _Escaped(args)))

    def join(self, items: Iterable[object]) -> Md:
        return Md(str.join(self, [Md.of(item) for item in items]))

    def format(self, *args: object, **kwargs: object) -> Md:
        return Md(EscapingFormatter().vformat(self, args, kwargs))


@functools.lru_cache(maxsize=4096)
def _escaped(text: str) -> Md:
    """``escape``, remembered: an export prints the same names, location and carried
    commitments in every agenda (~10 escapes each, 3 regex passes apiece)."""
    return Md(escape(text))


class _Escaped:
    """An argument of ``Md % args``: escaped as text, itself as a number.

    ``%s`` and ``%r`` go through ``__str__`` / ``__repr__``; ``%d``, ``%x`` and ``%f``
    through ``__index__`` / ``__float__``; ``%(key)s`` through ``__getitem__``.
    """

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __getitem__(self, key: object) -> _Escaped:
        return _Escaped(self.value[key])  # type: ignore[index]

    def __str__(self) -> str:
        return Md.of(self.value)

    def __repr__(self) -> str:
        return Md.of(repr(self.value))

    def __int__(self) -> int:
        return int(self.value)  # type: ignore[call-overload,no-any-return]

    def __index__(self) -> int:
        return int(self.value)  # type: ignore[call-overload,no-any-return]

    def __float__(self) -> float:
        return float(self.value)  # type: ignore[arg-type]


class EscapingFormatter(string.Formatter):
    """``str.format`` whose fields are escaped unless already ``Md``."""

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, Md) and not format_spec:
            return value
        return Md.of(format(value, format_spec))


def finalize(value: object) -> object:
    """What a template prints for ``{{ value }}``: ``Md`` and numbers as they are,
    anything else escaped."""
    if type(value) is Md or isinstance(value, int | float):
        return value
    return Md.of(value)
