"""What `ritual start` walks a couple through: the agenda's sections, what each asks, what to record.

The core decides, the command draws: ``plan`` takes the agenda exactly as
`ritual agenda` renders it, splits it into sections (``sections``), and places
each question `ritual done` would ask (``history.draft.questions``) in the
section that holds it. A question no section holds (a couple's own template
may leave the ratings out) is asked at the end, so a guided check-in records
what `ritual done` would, whatever the template says. The note is always asked
at the end.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from .history import History
from .history.draft import Questions, questions
from .library import Prompt
from .preferences import Preferences
from .sections import ASKS, COMMITMENTS, FOLLOW_THROUGH, RATINGS, TOPICS, Looks, Section, split


class Walk(NamedTuple):
    ritual: str  # checkin | date-night | repair
    title: str  # the agenda's own title
    minutes: int  # how long the whole ritual is planned to take
    sections: tuple[Section, ...]
    wrap_up: tuple[str, ...]  # questions (sections.ASKS) no section holds: asked at the end
    questions: Questions | None  # who is asked what; None: nothing is recorded (a repair)
    deck: tuple[Prompt, ...] = ()  # what "another one" draws from, in order (a date night)

    @property
    def records(self) -> bool:
        return self.questions is not None


def plan(
    prefs: Preferences,
    markdown: str,
    *,
    ritual: str,
    minutes: int | None,
    history: History | None,
    day: dt.date | None,
    deck: tuple[Prompt, ...] = (),
) -> Walk:
    """The walk through ``markdown``, the agenda of ``ritual``.

    ``day``: the day it is recorded as held (None: nothing is recorded, and nothing
    asked); ``history``: the couple's, for the questions about that day;
    ``minutes``: the ritual's planned length (None: the sum of its time boxes).
    """
    asked = questions(prefs, history, ritual, day) if history is not None and day is not None else None
    looks = Looks(
        partners=tuple(prefs.couple.partners),
        open=tuple(o.text for o in asked.open) if asked else (),
        topics=tuple(x for t in asked.topics for x in (t.text, t.id)) if asked else (),
        cards=tuple(q.text for q in deck),
    )
    title, found = split(markdown, looks)
    wanted = _wanted(asked)
    placed: set[str] = set()
    sections = []
    for s in found:
        mine = tuple(a for a in s.asks if a in wanted and a not in placed)
        placed.update(mine)
        sections.append(s._replace(asks=mine))
    total = minutes if minutes is not None else sum(s.minutes or 0 for s in sections)
    dealer = next((s for s in sections if s.cards), None)
    if dealer is not None:  # the agenda's own questions first, then the rest of the deck
        known = {q.text: q for q in deck}
        listed = tuple(known.get(text) or Prompt(text, "light", ()) for text in dealer.cards)
        deck = listed + tuple(q for q in deck if q.text not in dealer.cards)
    wrap_up = tuple(a for a in ASKS if a in wanted and a not in placed)
    return Walk(ritual, title, total, tuple(sections), wrap_up, asked, deck)


def _wanted(asked: Questions | None) -> frozenset[str]:
    if asked is None:
        return frozenset()
    wanted = {COMMITMENTS}
    if asked.ratings:
        wanted.add(RATINGS)
    if asked.open:
        wanted.add(FOLLOW_THROUGH)
    if asked.topics:
        wanted.add(TOPICS)
    return frozenset(wanted)
