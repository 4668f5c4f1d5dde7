"""The history's records: entries, commitments, let-gos, topics, and the whole history.

Values only: ``yearfile`` and ``topics`` read and write them, ``ledger`` folds them
into what follow-through needs, ``recording`` turns a ``Draft`` into a ``Change``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from ..preferences import name_key

# The owner of a commitment the couple made together ("We: plan the holidays"): in
# the file, and in every listing ("c-2026-11-29-3  both: plan the holidays").
SHARED = "both"


def next_id(prefix: str, used: Iterable[str]) -> str:
    """``prefix`` and the number after the highest of ``used`` with that prefix:
    ``c-2026-11-29-3`` after ``c-2026-11-29-2``. An id edited by hand into something
    else (``c-2026-11-29-²``) is not a number and counts for nothing."""
    numbers = [
        int(rest)
        for i in used
        if i.startswith(prefix) and (rest := i[len(prefix) :]).isdecimal() and len(rest) < 10
    ]
    return f"{prefix}{max(numbers, default=0) + 1}"


class Commitment(NamedTuple):
    id: str
    owner: str  # a partner, or SHARED
    text: str

    @property
    def shared(self) -> bool:
        return self.owner == SHARED


class Topic(NamedTuple):
    """Something one of you wants to talk about at a check-in (``ritual topic add``)."""

    id: str
    text: str
    by: str  # who raised it; "" when not said
    added: dt.date


class Entry(NamedTuple):
    """One occurrence, held or skipped, as the history file says it."""

    ritual: str  # "checkin" | "date-night"
    date: dt.date
    status: str = "held"  # "held" | "skipped"
    ratings: tuple[tuple[str, int], ...] = ()  # (partner, 1..10), in the order given
    commitments: tuple[Commitment, ...] = ()
    kept: tuple[str, ...] = ()  # ids of earlier commitments kept by now
    note: str = ""  # private: only ever in the history files
    reason: str = ""  # why it was skipped, if they want to say
    unplanned: bool = False  # held on a day the schedule had nothing
    partly: tuple[str, ...] = ()  # ids of earlier commitments partly done: they stay open
    discussed: tuple[Topic, ...] = ()  # queued topics talked about here

    @property
    def held(self) -> bool:
        return self.status == "held"

    def rating(self, partner: str) -> int | None:
        key = name_key(partner)
        return next((r for n, r in self.ratings if name_key(n) == key), None)

    @property
    def key(self) -> tuple[dt.date, str]:
        return (self.date, self.ritual)


class LetGo(NamedTuple):
    """A commitment closed without being kept: no blame, it just stops being carried."""

    id: str
    date: dt.date
    why: str = ""


class Open(NamedTuple):
    """A commitment not kept or let go yet, as it stands at some day."""

    id: str
    owner: str
    text: str
    made: dt.date
    made_at: str  # the ritual it was made at
    carried: int = 0  # held check-ins it has been brought to, still open
    partly: dt.date | None = None  # when it was last said to be partly done


class Closed(NamedTuple):
    """A commitment kept or let go."""

    id: str
    owner: str
    text: str
    made: dt.date
    made_at: str
    how: str  # "kept" | "let-go"
    on: dt.date
    carried: int  # held check-ins it was brought to before it closed
    why: str = ""  # for a let-go, if they said


class Rated(NamedTuple):
    date: dt.date  # a held check-in
    ratings: tuple[tuple[str, int], ...]


class Ledger(NamedTuple):
    """Follow-through as it stands at some day: all the history up to it, folded.

    Small whatever the years: the open commitments, what closed since the last held
    check-in, and the ratings of the last few rated check-ins. ``ledger`` makes it;
    the index keeps one for the end of each year, so old years need not be read.
    """

    open: tuple[Open, ...] = ()  # in the order made
    closed: tuple[Closed, ...] = ()  # closed since the last held check-in (that one included)
    last_recorded: dt.date | None = None  # the last check-in recorded, held or skipped
    last_held: dt.date | None = None  # the last check-in held
    rated: tuple[Rated, ...] = ()  # the last RATED_KEPT held check-ins with ratings, oldest first
    first_held: dt.date | None = None  # the first check-in ever held: when the couple began


class History(NamedTuple):
    """The couple's history as one value: a command loads it once and passes it on.

    Loaded from a day on (``since``), it holds every entry and let-go from that day's
    year on, and ``start``: what the years before add up to (open commitments,
    recent ratings), read from the index instead of from every old file.
    """

    folder: Path | None = None  # None: no history (yet), or the example couple
    since: dt.date | None = None  # None: everything is in ``entries``
    start: Ledger = Ledger()  # follow-through as it stood just before ``entries``
    entries: tuple[Entry, ...] = ()  # oldest first (check-in before date night on a day)
    let_go: tuple[LetGo, ...] = ()  # oldest first
    topics: tuple[Topic, ...] = ()  # the queue: not discussed or dropped yet

    def find(self, ritual: str, date: dt.date) -> Entry | None:
        for e in self.entries:
            if e.ritual == ritual and e.date == date:
                return e
        return None


class Draft(NamedTuple):
    """What `ritual done` / `ritual skip` (and `ritual start`) want recorded.

    A value the command layer fills from flags or questions; ``recording.record``
    adds it to the occurrence's entry (ids are given there).
    """

    ritual: str
    date: dt.date
    status: str = "held"
    ratings: tuple[tuple[str, int], ...] = ()
    commitments: tuple[tuple[str, str], ...] = ()  # (owner or SHARED, text)
    kept: tuple[str, ...] = ()
    note: str = ""
    reason: str = ""
    unplanned: bool = False
    partly: tuple[str, ...] = ()
    let_go: tuple[str, ...] = ()  # commitment ids let go at this occurrence
    discussed: tuple[str, ...] = ()  # topic ids talked about
    by: str | None = None  # recorded by one partner only (`--as`): these are their answers


class Change(NamedTuple):
    """What one recording changed, for the command to say (and `ritual undo` to name)."""

    entry: Entry  # the occurrence's entry as it stands now
    new: bool  # True: a new entry; False: added to one already recorded
    ratings: tuple[tuple[str, int | None, int], ...] = ()  # (partner, before, now) for each given
    commitments: tuple[Commitment, ...] = ()  # added
    kept: tuple[Commitment, ...] = ()
    partly: tuple[Commitment, ...] = ()
    let_go: tuple[Commitment, ...] = ()
    discussed: tuple[Topic, ...] = ()
    note: bool = False  # a note was added
    reason: bool = False
    migrated: Path | None = None  # the old single-file history, now split by year and kept here
    journal: Path | None = None  # where `ritual undo` finds the previous version

    @property
    def nothing(self) -> bool:
        """Recorded again with nothing new to add."""
        return not (
            self.new
            or self.ratings
            or self.commitments
            or self.kept
            or self.partly
            or self.let_go
            or self.discussed
            or self.note
            or self.reason
        )
