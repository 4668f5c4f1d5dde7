"""What a calendar event says in words: plain text made for a calendar's detail pane.

Calendar apps show DESCRIPTION as it is, without Markdown: ``# Check-in``,
``**focus**``, ``\\_\\_ / 10`` and lines cut at 80 columns would all show. So an
agenda becomes plain text (``plain``): headings are plain lines, emphasis and
escapes are gone, each paragraph is one line (the app wraps it), lists stay as
``- `` and ``1. `` lines. The neutral description of a private calendar says what
the ritual is, in a sentence a partner who never opens a terminal can use, and
names the command second.
"""

from __future__ import annotations

import datetime as dt
import re

from .preferences import Preferences, Ritual, ritual_noun

# What each ritual is, for someone who only ever sees the calendar.
_WHAT = {
    "checkin": (
        "Check-in: time set aside to talk together, calmly and in turns, about how things are "
        "going: what went well, what was hard, and what each of you needs next."
    ),
    "date-night": (
        "Date night: time kept free for each other, to do something you both enjoy and to talk "
        "a little more deeply than on other days, phones away."
    ),
}


def neutral(kind: str) -> str:
    """A private calendar's description: what the ritual is, then where its agenda is."""
    return f"{_WHAT[kind]}\n\n{pointer(kind, None)}"


def about(prefs: Preferences, ritual: Ritual) -> str:
    """A calendar that is not private says more: who, how long, how often, where."""
    names = " & ".join(prefs.couple.partners)
    lines = [_WHAT[ritual.kind], "", f"For {names}: {ritual.duration} minutes, {ritual.cadence}."]
    if ritual.kind == "checkin":
        lines.append(f"Format: {ritual.format}.")
    else:
        budget = "free ideas only" if prefs.dates.budget == 0 else f"at most {prefs.dates.budget}"
        lines.append(f"Budget: {budget}.")
    if ritual.location:
        lines.append(f"Where: {ritual.location}.")
    return "\n".join(lines) + "\n\n" + pointer(ritual.kind, None)


def pointer(kind: str, day: dt.date | None) -> str:
    """Where the agenda is, for whoever has ritual installed."""
    if day is None:
        return f"The agenda of each {ritual_noun(kind)}: run ritual agenda {kind} --date YYYY-MM-DD with its date."
    return f"This agenda in a terminal: ritual agenda {kind} --date {day.isoformat()}"


# --------------------------------------------------------------------------- Markdown to plain text

_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,9})[.)]\s+(.*)$")
_QUOTE = re.compile(r"^\s*>\s?(.*)$")
# Inline, left to right, so that an escaped marker is never taken for a marker:
_INLINE = re.compile(
    r"(?=[`\\<\[&*_])"  # a quick test first: most characters start nothing
    r"(?:(?P<code>`+)(?P<code_text>.+?)(?P=code)"  # `code`
    r"|\\(?P<escaped>[!-/:-@\[-`{-~])"  # \_  \*  \#  …
    r"|<(?P<url>(?:https?|mailto):[^>\s]+)>"  # <https://…>
    r"|\[(?P<label>[^\]]*)\]\((?P<href>[^)\s]*)\)"  # [text](url)
    r"|&(?P<entity>amp|lt|gt|quot|#39);"
    r"|(?P<strong>\*\*|__)"
    r"|(?P<star>\*)"
    r"|_(?<![0-9A-Za-z]_)(?=\S)|_(?<=\S_)(?![0-9A-Za-z]))"  # _emphasis_ (not snake_case)
)
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "#39": "'"}
_MARKERS = ("`", "\\", "<", "[", "&", "*", "_")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _inline(text: str) -> str:
    if not any(marker in text for marker in _MARKERS):  # most paragraphs: ~5x faster
        return text

    def one(m: re.Match[str]) -> str:
        if m.group("code"):
            return m.group("code_text").strip()
        if m.group("escaped"):
            return m.group("escaped")
        if m.group("url"):
            return m.group("url")
        if m.group("href") is not None:
            label, href = m.group("label"), m.group("href")
            return f"{label} ({href})" if href and href != label else label
        if m.group("entity"):
            return _ENTITIES[m.group("entity")]
        return ""  # an emphasis marker

    return _INLINE.sub(one, text)


def plain(markdown: str) -> str:
    """Markdown as plain text for a calendar's detail pane (see the module's docstring)."""
    out: list[str] = []  # finished lines; "" between blocks
    current: list[str] = []  # the lines of the paragraph or list item being gathered
    prefix = ""

    def flush() -> None:
        nonlocal current, prefix
        if current:
            out.append(prefix + _inline(" ".join(current)))
        current, prefix = [], ""

    def blank() -> None:
        flush()
        if out and out[-1] != "":
            out.append("")

    if not markdown.replace("\n", "").isprintable():
        markdown = _CONTROL.sub("", markdown)
    for raw in markdown.splitlines():
        line = raw.rstrip()
        text = line.lstrip()
        # The first character says which patterns could match: most lines are prose.
        head = text[:1]
        if not text or (head in "-*_" and _RULE.match(line)):
            blank()
            continue
        if head == ">":
            line = _QUOTE.match(line).group(1)  # type: ignore[union-attr]  # '>' always matches
            text = line.strip()
            head = text[:1]
        if head == "#" and (heading := _HEADING.match(line)):
            blank()
            out.append(_inline(heading.group(1)))
            out.append("")
        elif head in "-*+" and (bullet := _BULLET.match(line)):
            flush()
            prefix, current = "- ", [bullet.group(1).strip()]
        elif head.isdigit() and (numbered := _NUMBERED.match(line)):
            flush()
            prefix, current = f"{numbered.group(1)}. ", [numbered.group(2).strip()]
        elif text:
            current.append(text)
    flush()
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)
