"""An agenda's Markdown, split into the sections `ritual start` walks through one at a time.

Split from the rendered agenda itself, not from the data behind it: so the
sections are exactly what `ritual agenda` prints, a couple's own templates
included, and a template needs no markers. Each ``## `` heading starts a section
(its time box from a trailing "(N min)" or "(about N min)"); the text before the
first one is the agenda's opening ("Before you start"; the ``# `` title is the
agenda's own); a horizontal rule
(``---``) starts an untitled section (the note on safety). What the guide does
in a section it reads from the text, and a section it recognises nothing in is
still shown, as it is:

- turns: numbered lines "NAME speaks; NAME listens…" (or "answers; … listens");
- ratings: list lines "NAME: __ / 10" (the blanks are left out: the guide asks);
- commitments: list lines "NAME:" with nothing after (left out too);
- follow-through: an open commitment's text (as ``looks.open`` gives them);
- topics: a queued topic's text or id;
- the date-night deck: the first section listing a prompt of the deck, or a
  numbered question; those list items are left out (the guide deals them one at
  a time, first the ones listed, then the rest of the deck).

A line that is only a `ritual done …` command is left out, with the sentence
that leads into it ("Afterwards, record it:"): the guide records for you.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

from .text import escape

RATINGS = "ratings"
FOLLOW_THROUGH = "follow-through"
TOPICS = "topics"
COMMITMENTS = "commitments"
# In the order `ritual done` asks them.
ASKS = (RATINGS, FOLLOW_THROUGH, TOPICS, COMMITMENTS)
# The title of the text before the first section heading.
OPENING = "Before you start"

_HEADING = re.compile(r"^(#{1,2})\s+(.*?)\s*#*\s*$")
_BOX = re.compile(r"\s*\((?:about\s+)?(\d{1,3})\s*min\)\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_TURN = re.compile(r"^\s*\d+[.)]\s+(?P<speaker>.+?)\s+(?:speaks|answers)[;,]\s+(?P<listener>.+?)\s+listens\b")
_RATING = re.compile(r"^\s*[-*+]\s+(?P<name>.+?):\s*(?:\\?_){2,}\s*/\s*10\s*$")
_BLANK_FOR = re.compile(r"^\s*[-*+]\s+(?P<name>.+?):\s*$")
_RECORD_LINE = re.compile(r"^\s*`ritual done\b[^`]*`\s*$")
_LEAD_IN = re.compile(r"(?:^|(?<=[.!?]) )[^.!?]*:\s*$")
_TITLE_NOTE = re.compile(r"^\*(?P<title>[^*]+?)\.?\*")
_UNESCAPE = re.compile(r"\\(.)")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s")


class Turn(NamedTuple):
    speaker: str
    listener: str


class Section(NamedTuple):
    title: str  # the heading, without its time box ("" for an untitled note)
    minutes: int | None  # its time box, if it has one
    body: str  # Markdown, less what the guide asks or deals itself
    turns: tuple[Turn, ...] = ()  # who speaks, turn by turn
    asks: tuple[str, ...] = ()  # ASKS found here, in ASKS order
    cards: tuple[str, ...] = ()  # the questions it lists, as plain text, when it deals them (a date night)

    @property
    def deals(self) -> bool:
        return bool(self.cards)


class Looks(NamedTuple):
    """What to recognise, as plain text (it is escaped here as the templates escape it)."""

    partners: tuple[str, ...]
    open: tuple[str, ...] = ()  # the text of each open commitment the couple is asked about
    topics: tuple[str, ...] = ()  # the text and id of each queued topic
    cards: tuple[str, ...] = ()  # the date-night deck, in order (none: nothing is dealt)


def split(markdown: str, looks: Looks) -> tuple[str, tuple[Section, ...]]:
    """The agenda's title, and its sections in order."""
    title = ""
    chunks: list[tuple[str, list[str]]] = [("", [])]  # (heading, lines)
    fenced = False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(line)
        if heading and heading.group(1) == "#" and not title and len(chunks) == 1:
            title = heading.group(2)
        elif heading and heading.group(1) == "##":
            chunks.append((heading.group(2), []))
        elif not fenced and _RULE.match(line) and (not chunks[-1][1] or not chunks[-1][1][-1].strip()):
            chunks.append(("", []))
        else:
            chunks[-1][1].append(line)
    # A date night deals its questions one at a time, in the first section that lists some.
    dealer = next((i for i, (_, lines) in enumerate(chunks) if looks.cards and _questions(lines, looks)), -1)
    sections = []
    for i, (head, lines) in enumerate(chunks):
        section = _section(head or (OPENING if i == 0 else ""), lines, looks, deals=i == dealer)
        if section.body or section.asks or (i > 0 and head):
            sections.append(section)
    return title, tuple(sections)


def _questions(lines: list[str], looks: Looks) -> list[str]:
    """The list items of ``lines`` a date night deals: a card of its deck, or a numbered question."""
    cards = {escape(c) for c in looks.cards}
    return [
        item
        for line in lines
        if (item := _list_item(line)) and (item in cards or (_NUMBERED.match(line) and item.endswith("?")))
    ]


def _section(heading: str, lines: list[str], looks: Looks, *, deals: bool) -> Section:
    box = _BOX.search(heading)
    minutes = int(box.group(1)) if box else None
    heading = heading[: box.start()] if box else heading
    names = {escape(p): p for p in looks.partners}
    text = "\n".join(lines)
    asks = []
    if any(_RATING.match(line) for line in lines):
        asks.append(RATINGS)
    if any(escape(t) in text for t in looks.open if t.strip()):
        asks.append(FOLLOW_THROUGH)
    if any(escape(t) in text for t in looks.topics if t.strip()):
        asks.append(TOPICS)
    if any((m := _BLANK_FOR.match(line)) and m.group("name") in names for line in lines):
        asks.append(COMMITMENTS)
    dealt = _questions(lines, looks) if deals else []
    turns = []
    kept: list[str] = []
    for line in lines:
        if _RATING.match(line) or ((m := _BLANK_FOR.match(line)) and m.group("name") in names):
            continue
        if dealt and _list_item(line) in dealt:
            continue
        if _RECORD_LINE.match(line):
            if kept:
                kept[-1] = _LEAD_IN.sub("", kept[-1]).rstrip()
            continue
        if turn := _TURN.match(line):
            turns.append(Turn(_name(turn.group("speaker"), names), _name(turn.group("listener"), names)))
        kept.append(line)
    first = next((line.strip() for line in kept if line.strip()), "")
    if not heading and (note := _TITLE_NOTE.match(first)):
        heading = note.group("title")
    cards = tuple(html.unescape(_UNESCAPE.sub(r"\1", item)) for item in dealt)
    return Section(heading.strip(), minutes, _tidy(kept), tuple(turns), tuple(asks), cards)


def _list_item(line: str) -> str:
    """The text of a list item ("1. text", "- text"), or "" for another line."""
    m = re.match(r"^\s*(?:\d+[.)]|[-*+])\s+(.*?)\s*$", line)
    return m.group(1) if m else ""


def _name(shown: str, names: dict[str, str]) -> str:
    """A partner's name as the preferences spell it (a name no partner has: unescaped)."""
    return names.get(shown) or _UNESCAPE.sub(r"\1", shown)


def _tidy(lines: list[str]) -> str:
    """Trimmed, with no more than one blank line in a row."""
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line.rstrip())
    return "\n".join(out).strip("\n")
