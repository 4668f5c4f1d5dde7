"""Folding the history, in date order, into a ``Ledger``: follow-through at a given day.

Every question follow-through asks (what is still open, how many check-ins has it
been carried to, what was kept or let go since the last check-in, how did the last
check-ins feel) is answered by one pass over the records, oldest first. The same
pass checks what no single record can: that a kept, partly or let-go id names a
commitment still open before that day, and that no id is used twice.

Words used below:

- a commitment is *open* until an entry marks it kept or a ``[[let_go]]`` lets it
  go; *partly* done leaves it open, noted;
- it is *carried* to each held check-in it is brought to while open: the one right
  after it was made counts 1. Skipped and unrecorded check-ins carry nothing (a
  missed week is not a failure, and not a count against anyone).

On one day, a check-in comes before a date night, and let-gos come last.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from .. import filecheck
from .records import Closed, Commitment, Entry, Ledger, LetGo, Open, Rated

# The ratings a ledger keeps: enough for the longest low streak [support] allows (52).
RATED_KEPT = 52
_ORDER = {"checkin": 0, "date-night": 1}
_LET_GO = 2


class Event(NamedTuple):
    """One record to fold, with where it is written (for a problem's line)."""

    date: dt.date
    order: int
    at: str  # "entry[3]", "let_go[1]"
    record: Entry | LetGo
    checker: filecheck.Checker | None  # None: already checked (folding a loaded history)


def events(
    entries: Iterable[tuple[str, Entry]],
    let_go: Iterable[tuple[str, LetGo]],
    checker: filecheck.Checker | None = None,
) -> list[Event]:
    out = [Event(e.date, _ORDER[e.ritual], at, e, checker) for at, e in entries]
    out += [Event(g.date, _LET_GO, at, g, checker) for at, g in let_go]
    return out


def ordered(evs: Iterable[Event]) -> list[Event]:
    return sorted(evs, key=lambda ev: (ev.date, ev.order))


class Fold:
    """A ledger being built, one record at a time (records must come in date order)."""

    def __init__(self, start: Ledger) -> None:
        self._held = 0  # held check-ins folded so far; an open one was carried to held - base
        self._open: dict[str, tuple[Open, int]] = {o.id: (o, -o.carried) for o in start.open}
        self._closed: list[Closed] = list(start.closed)
        self.last_recorded = start.last_recorded
        self.last_held = start.last_held
        self.first_held = start.first_held
        self._rated: list[Rated] = list(start.rated)
        self._ids: set[str] = set(self._open) | {c.id for c in self._closed}
        self.log: dict[str, Closed] = {}  # every commitment closed during this fold
        self.made: list[tuple[Entry, Commitment]] = []  # every commitment made during this fold
        self.later: dict[str, dt.date] = {}  # ids made further on in the files being read

    # ------------------------------------------------------------------ applying

    def add(self, ev: Event) -> None:
        if isinstance(ev.record, LetGo):
            self._let_go(ev.record, ev)
        else:
            self._entry(ev.record, ev)

    def _entry(self, e: Entry, ev: Event) -> None:
        if e.ritual == "checkin":
            self.last_recorded = e.date
            if e.held:
                self._held += 1
                self.last_held = e.date
                self.first_held = self.first_held or e.date
                self._closed = []  # thanked at this check-in: they drop off after it
                if e.ratings:
                    self._rated = [*self._rated[-(RATED_KEPT - 1) :], Rated(e.date, e.ratings)]
        both = set(e.kept) & set(e.partly)
        for cid in e.kept:
            if cid in both:
                _problem(ev, "kept", f"{cid!r} is both kept and partly done here; say one", cid)
            elif self._usable(cid, e.date, ev, "kept", before=True):
                self._close(cid, "kept", e.date)
        for cid in e.partly:
            if cid not in both and self._usable(cid, e.date, ev, "partly", before=True):
                item, base = self._open[cid]
                self._open[cid] = (item._replace(partly=e.date), base)
        for c in e.commitments:
            if c.id in self._ids:
                _problem(ev, "commitments", f"id {c.id!r} is used twice; ids must be unique", c.id)
                continue
            self._ids.add(c.id)
            self._open[c.id] = (Open(c.id, c.owner, c.text, e.date, e.ritual), self._held)
            self.made.append((e, c))

    def _let_go(self, g: LetGo, ev: Event) -> None:
        if self._usable(g.id, g.date, ev, "id", before=False):
            self._close(g.id, "let-go", g.date, g.why)

    def _usable(self, cid: str, day: dt.date, ev: Event, key: str, *, before: bool) -> bool:
        """Is ``cid`` open on ``day`` (made before it, or with ``before=False`` on it too)?"""
        found = self._open.get(cid)
        if found is not None and (found[0].made < day or (not before and found[0].made == day)):
            return True
        if found is not None:
            problem = f"{cid!r} was made on {found[0].made}, not before {day}"
        elif (closed := self._closed_as(cid)) is not None:
            how = "marked kept" if closed.how == "kept" else "let go"
            problem = f"{cid!r} was already {how} on {closed.on}"
        elif cid in self.later:
            problem = f"{cid!r} was made on {self.later[cid]}, not before {day}"
        else:
            problem = f"{cid!r} is not the id of any commitment open before {day}"
        _problem(ev, key, problem, cid)
        return False

    def _closed_as(self, cid: str) -> Closed | None:
        if cid in self.log:
            return self.log[cid]
        return next((c for c in self._closed if c.id == cid), None)

    def _close(self, cid: str, how: str, day: dt.date, why: str = "") -> None:
        item, base = self._open.pop(cid)
        closed = Closed(
            item.id, item.owner, item.text, item.made, item.made_at, how, day, self._held - base, why
        )
        self._closed.append(closed)
        self.log[cid] = closed

    # ------------------------------------------------------------------ reading

    def open_items(self) -> tuple[Open, ...]:
        return tuple(item._replace(carried=self._held - base) for item, base in self._open.values())

    def ledger(self) -> Ledger:
        return Ledger(
            open=self.open_items(),
            closed=tuple(self._closed),
            last_recorded=self.last_recorded,
            last_held=self.last_held,
            rated=tuple(self._rated),
            first_held=self.first_held,
        )


def _problem(ev: Event, key: str, message: str, find: str) -> None:
    if ev.checker is not None:
        ev.checker.add(f"{ev.at}.{key}", message, find=find)


def fold_until(start: Ledger, evs: Iterable[Event], day: dt.date) -> Fold:
    """What stands at the start of ``day``: records before it, and let-gos on it.

    A commitment let go on the day of a check-in is not brought to it.
    """
    fold = Fold(start)
    for ev in until(evs, day):
        fold.add(ev)
    return fold


def until(evs: Iterable[Event], day: dt.date) -> Iterator[Event]:
    for ev in evs:
        if ev.date < day or (ev.date == day and ev.order == _LET_GO):
            yield ev
        elif ev.date > day:
            return
