"""Making user text (names, notes, locations) safe to show: in a terminal and in Markdown.

In a terminal, control characters and bidirectional overrides are made visible (``clean``).
In Markdown, a partner's name or a note must never inject Markdown structure or raw HTML into
an agenda: inline markup characters are backslash-escaped, '<' '>' '&' become
entities, line breaks are folded, and a leading list/heading marker is escaped.
"""

from __future__ import annotations

import functools
import re


@functools.cache
def _unsafe() -> re.Pattern[str]:
    # Control characters (Unicode category Cc, but newline and tab) and bidi
    # overrides/isolates, which can make a name display as something else ("Trojan
    # Source"). Compiled on first need (~1 ms): most text never needs it.
    return re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Text safe to show in a terminal: control and bidi characters made visible."""
    # Every character the pattern matches is non-printable (Cc or Cf), so printable
    # text (newlines aside) has nothing to escape: the common case skips the regex.
    if text.isprintable() or text.replace("\n", "").isprintable():
        return text
    return _unsafe().sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_INLINE = re.compile(r"([\\`*_\[\]|~])")
_LEADING = re.compile(r"^(\s*)([-+#=])")
_ORDERED = re.compile(r"^(\s*\d+)([.)])")  # "1. x" is a list item: escape the dot, not the digit


def escape(text: str) -> str:
    text = clean(text).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    text = _LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
