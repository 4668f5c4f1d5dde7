"""The first month: a gentle start on the foundation path, and depth that climbs.

- The couple *began* on ``couple.start``; without it, on the first check-in
  recorded with ``ritual done``; with neither, the next check-in from today is the
  first (so a couple who writes the file by hand still starts gently; recording
  that check-in fixes the date).
- Their first check-ins from then walk the foundation path in order
  (practices.toml ``path`` 1, 2, 3, 4: ground rules, appreciation, listening and
  reflecting back, validation). A skipped day does not count: the path waits.
  The rotation begins after the path, so no practice of kind conflict or repair
  comes before it, and no prompt tagged ``conflict`` is offered during it.
- Depth climbs: the deepest prompts offered are light at the first two
  check-ins, medium at the next two, then ``conversation.depth`` (never deeper
  than it). A date night offers what the next check-in would; without
  check-ins, the climb goes by weeks since the couple began.

Pure functions of the preferences and the date the couple began, so ``ritual
plan`` and every agenda agree. No jinja2 here.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING

from . import clock, library, schedule
from .preferences import DEPTHS, Preferences

if TYPE_CHECKING:
    from .history import History

# The deepest level offered at the 1st, 2nd, 3rd and 4th check-in; after them, the setting.
CLIMB = ("light", "light", "medium", "medium")
# Topics no prompt of the first month touches.
FIRST_MONTH_OFF = frozenset({"conflict"})
_YEAR = dt.timedelta(days=366)
_SEARCH_YEARS = 12  # skip ranges last ten years at most


def began(prefs: Preferences, history: History | None) -> dt.date:
    """When the couple began: couple.start, else the first recorded check-in, else today.

    ``history`` is needed only when ``couple.start`` is unset (pass None otherwise,
    and ``ritual plan`` reads no history file). Loaded from a day on, it knows the
    first check-in of the years it did not read from the index (``History.start``),
    so every command names the same focus for a date however much history it read.
    """
    if prefs.couple.start is not None:
        return prefs.couple.start
    if history is not None:
        if history.start.first_held is not None:
            return history.start.first_held
        held = [e.date for e in history.entries if e.ritual == "checkin" and e.held]
        if held:
            return min(held)
    return clock.today(prefs.zone)


def path_length() -> int:
    return len(library.load().path)


@functools.lru_cache(maxsize=64)
def first_checkins(prefs: Preferences, start: dt.date) -> tuple[dt.date, ...]:
    """The dates of the first check-ins on or after ``start`` (the path's, then the climb's).

    As many as the longer of the path and the climb; fewer only when check-ins are
    off, or skipped for longer than ritual looks ahead.
    """
    if not prefs.checkin.enabled:
        return ()
    wanted = max(path_length(), len(CLIMB))
    found: list[dt.date] = []
    lo = start
    for _ in range(_SEARCH_YEARS):
        found += schedule.planned_dates(prefs, prefs.checkin, lo, lo + _YEAR)
        if len(found) >= wanted:
            break
        lo += _YEAR
    return tuple(found[:wanted])


def checkins_before(prefs: Preferences, start: dt.date, day: dt.date) -> int:
    """How many of the couple's first check-ins come before ``day`` (capped at their number)."""
    return sum(d < day for d in first_checkins(prefs, start))


def path_step(prefs: Preferences, start: dt.date, day: dt.date) -> int:
    """1, 2, …: the check-in on ``day`` walks that step of the foundation path; 0: the rotation."""
    steps = path_length()
    dates = first_checkins(prefs, start)[:steps]
    done = sum(d < day for d in dates)
    if done >= steps:
        return 0
    return done + 1


def rotation_slot(prefs: Preferences, start: dt.date) -> int:
    """The slot number of the first check-in of the rotation (the one after the path)."""
    dates = first_checkins(prefs, start)[: path_length()]
    anchor = schedule.series_anchor(prefs)
    if not dates:
        return schedule.slot_index(prefs.checkin, anchor, max(start, anchor))
    return schedule.slot_index(prefs.checkin, anchor, dates[-1]) + 1


def level(prefs: Preferences, start: dt.date, day: dt.date) -> int:
    """The deepest prompt level (an index into DEPTHS) offered on ``day``: the climb, under the setting."""
    ceiling = DEPTHS.index(prefs.conversation.depth)
    # Without check-ins, the climb goes by weeks.
    done = checkins_before(prefs, start, day) if prefs.checkin.enabled else max(0, (day - start).days // 7)
    if done >= len(CLIMB):
        return ceiling
    return min(ceiling, DEPTHS.index(CLIMB[done]))


def off_limits(prefs: Preferences, start: dt.date, day: dt.date) -> frozenset[str]:
    """The topics no prompt on ``day`` may touch: the couple's own, and conflict in the first month."""
    own = frozenset(prefs.conversation.off_limits)
    return own | FIRST_MONTH_OFF if path_step(prefs, start, day) else own
