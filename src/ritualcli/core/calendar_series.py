"""Which series the calendar publishes: the preferences, measured against what it published before.

A ritual's events live in series (see ``calendar_state``). Each export settles
them so that the past stays put:

- No series yet: the first one, from the calendar's start (``couple.start``,
  else the day of the first export).
- The rule (cadence, day, week of the month, time, duration) is unchanged: the
  series goes on; anything else (skips, location, title, reminder, text) is an
  update of the same event (a higher SEQUENCE, decided in ``calendar_ics``).
- The rule changed and the series has an occurrence before today: it ends
  (UNTIL) where the change takes effect, today, and a new series with its own
  UID begins there, so last month's check-ins stay at last month's time.
- The rule changed but the series has no occurrence before today: nothing of
  it is in the past, so the series itself takes the new rule.
- The ritual is disabled: its series stay, to be published as cancelled.

UIDs: a new series's UID is a hash of the install's random id (kept in the
state), the ritual and the day it begins, so it reveals nothing about the
couple. A calendar state from ritual 0.1's first format keeps its UIDs
(derived from the partners' names then) so calendars that imported them keep
updating.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import NamedTuple

from . import schedule
from .calendar_state import CalendarState, Rule, Series, new_install_id
from .digest import sha256_hex
from .preferences import Preferences, Ritual

# The example couple has no state; a fixed id keeps its calendar the same bytes.
EXAMPLE_INSTALL = "0" * 32
# How far a first occurrence is looked for, in steps of a year: a skip range may be long.
SEARCH_STEP = dt.timedelta(days=366)
SEARCH_STEPS = 60


class Planned(NamedTuple):
    """A series as this export publishes it."""

    series: Series  # as remembered (its rule and UID settled): SEQUENCE and content of last time
    ritual: Ritual  # the ritual as this series repeats it
    begins: dt.date  # the first day it covers
    ends: dt.date | None  # the first day it no longer covers (the next series begins); None: open
    enabled: bool  # False: the ritual is disabled, the series cancelled


def install_id(prefs: Preferences, state: CalendarState) -> str:
    """The state's random id; a new one for a first export (a fixed one for the example couple)."""
    if state.install:
        return state.install
    return EXAMPLE_INSTALL if prefs.is_example else new_install_id()


def series_uid(install: str, kind: str, begins: dt.date | None) -> str:
    """A new series's UID: stable (kept in the state), and derived from nothing personal."""
    day = begins.isoformat() if begins else "first"
    return f"{sha256_hex(chr(31).join(['ritual-series-v1', install, kind, day]))[:32]}@ritual"


def legacy_uid(prefs: Preferences, kind: str, couple_id: str | None) -> str:
    """The UID of ritual's first state format: from its couple_id, else from the names."""
    names = sorted(n.casefold() for n in prefs.couple.partners)
    couple = couple_id or sha256_hex("\x1f".join(["ritual-couple-v1", *names]))[:24]
    return f"{sha256_hex(chr(31).join(['ritual-calendar-uid-v2', kind, couple]))[:32]}@ritual"


def calendar_start(prefs: Preferences, state: CalendarState, today: dt.date) -> dt.date:
    """Where the calendar's first series begin: couple.start, else the first export's day.

    Never before the schedule's own anchor: without couple.start nothing is
    planned before schedule.EPOCH, and a calendar anchored decades earlier would
    find no first occurrence at all.
    """
    return max(prefs.couple.start or state.anchor or today, schedule.series_anchor(prefs))


def settle(prefs: Preferences, state: CalendarState, install: str, today: dt.date) -> list[Planned]:
    """Every series to publish, by ritual (check-in first), oldest first."""
    start = calendar_start(prefs, state, today)
    out: list[Planned] = []
    for ritual in (prefs.checkin, prefs.date_night):
        recorded = [
            s._replace(
                uid=s.uid or legacy_uid(prefs, s.ritual, state.couple_id), rule=s.rule or Rule.of(ritual)
            )
            for s in state.series
            if s.ritual == ritual.kind
        ]
        if ritual.enabled:
            recorded = _follow(prefs, ritual, recorded, install, start, today)
        for series, after in _pairs(recorded):
            assert series.rule is not None
            ends = after.begins if after is not None else None
            out.append(
                Planned(series, series.rule.apply(ritual), series.begins or start, ends, ritual.enabled)
            )
    return out


def _follow(
    prefs: Preferences, ritual: Ritual, recorded: list[Series], install: str, start: dt.date, today: dt.date
) -> list[Series]:
    """The series once the ritual's current rule is followed (see the module's docstring)."""
    rule = Rule.of(ritual)
    if not recorded:
        return [Series(ritual.kind, series_uid(install, ritual.kind, None), None, rule)]
    last = recorded[-1]
    if last.rule == rule:
        return recorded
    assert last.rule is not None
    begins = last.begins or start
    if schedule.rule_occurrences(prefs, last.rule.apply(ritual), begins, today):
        return [*recorded, Series(ritual.kind, series_uid(install, ritual.kind, today), today, rule)]
    return [*recorded[:-1], last._replace(rule=rule)]


def _pairs(items: list[Series]) -> Iterator[tuple[Series, Series | None]]:
    return zip(items, [*items[1:], None] if items else [], strict=True)


# --------------------------------------------------------------------------- a series's dates


class Extent(NamedTuple):
    """The dates a series's master event states."""

    first: dt.datetime | None  # naive wall time of its first real occurrence; None: none is left
    until: dt.datetime | None  # aware UTC, once it has ended: the last second before the next began
    exdates: tuple[dt.datetime, ...]  # naive wall times of the skipped slots after its first


def extent(prefs: Preferences, planned: Planned) -> Extent:
    ritual, begins, ends = planned.ritual, planned.begins, planned.ends
    if ends is None:
        first = first_occurrence(prefs, ritual, begins)
        until = None
    else:
        found = schedule.rule_occurrences(prefs, ritual, begins, ends)
        first = found[0] if found else None
        # On the couple's clock, so every parser keeps each instance of the last day,
        # however it reads a clock change.
        midnight = schedule.to_aware(dt.datetime.combine(ends, dt.time()), prefs.zone)
        until = midnight.astimezone(dt.UTC) - dt.timedelta(seconds=1)
    if first is None:
        return Extent(None, None, ())
    return Extent(
        dt.datetime.combine(first.date, ritual.time), until, _exdates(prefs, ritual, first.date, ends)
    )


def first_occurrence(prefs: Preferences, ritual: Ritual, frm: dt.date) -> schedule.Occurrence | None:
    """The first real (not skipped) occurrence of ``ritual``'s rule on or after ``frm``."""
    for step in range(SEARCH_STEPS):
        lo = frm + step * SEARCH_STEP
        found = schedule.rule_occurrences(prefs, ritual, lo, lo + SEARCH_STEP)
        if found:
            return found[0]
    return None


def first_slot(prefs: Preferences, planned: Planned) -> dt.datetime:
    """Where a series with no occurrence left would have begun (skipped or not)."""
    ritual = planned.ritual
    slots = schedule.rule_occurrences(
        prefs, ritual, planned.begins, planned.begins + SEARCH_STEP, include_skipped=True
    )
    return dt.datetime.combine(slots[0].date if slots else planned.begins, ritual.time)


def occurs(prefs: Preferences, planned: Planned, wall: dt.datetime) -> bool:
    """Is ``wall`` (a naive local start) still a real occurrence of the series?"""
    day, ritual = wall.date(), planned.ritual
    if wall.time() != ritual.time or day < planned.begins or (planned.ends and day >= planned.ends):
        return False
    return bool(schedule.rule_occurrences(prefs, ritual, day, day + dt.timedelta(days=1)))


def _exdates(
    prefs: Preferences, ritual: Ritual, first: dt.date, ends: dt.date | None
) -> tuple[dt.datetime, ...]:
    """Wall-clock starts of the skipped slots from ``first`` on: only slots the rule makes,
    as ical.js mishandles an EXDATE that matches nothing."""
    skip = prefs.skip
    last = max([*skip.dates, *(r.end for r in skip.ranges)], default=None)
    if last is None or last < first:
        return ()
    stop = last + dt.timedelta(days=1) if ends is None else min(last + dt.timedelta(days=1), ends)
    slots = schedule.rule_occurrences(prefs, ritual, first, stop, include_skipped=True)
    return tuple(dt.datetime.combine(o.date, ritual.time) for o in slots if skip.covers(o.date))
