"""Escaping user text (names, notes, locations) for Markdown output.

A partner's name or a note must never inject Markdown structure or raw HTML into
an agenda: inline markup characters are backslash-escaped, '<' '>' '&' become
entities, line breaks are folded, and a leading list/heading marker is escaped.
"""

from __future__ import annotations

import re

from .output import clean

_INLINE = re.compile(r"([\\`*_\[\]|~])")
_LEADING = re.compile(r"^(\s*)([-+#=])")
_ORDERED = re.compile(r"^(\s*\d+)([.)])")  # "1. x" is a list item: escape the dot, not the digit


def escape(text: str) -> str:
    text = clean(text).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    text = _LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
