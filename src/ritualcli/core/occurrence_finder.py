"""Finding the occurrence of a ritual by date, or saying why there is none.

Every command that takes a date for one occurrence (``agenda``, ``done``, ``skip``)
asks ``find``: it returns the ``Occurrence``, or an ``Absence`` that explains the
day in the couple's own settings (the ritual is turned off, the day is a
``[skip]`` date or inside a range with its note, it is before ``couple.start``,
or the ritual is on another day) and names the nearest planned dates either side.
"""

import datetime as dt
from enum import StrEnum
from typing import NamedTuple

from . import schedule
from .preferences import Preferences, Ritual, SkipRange, ritual_noun
from .schedule import Occurrence


class Look(StrEnum):
    """Where to look from the day given."""

    ON = "on"  # that day only
    ON_OR_BEFORE = "on-or-before"  # that day, else the latest before it
    ON_OR_AFTER = "on-or-after"  # that day, else the next after it


class Why(StrEnum):
    DISABLED = "disabled"  # the ritual is turned off
    SKIPPED = "skipped"  # a [skip] date or range covers the day
    BEFORE_START = "before-start"  # the day is before couple.start
    OTHER_DAY = "other-day"  # the rule puts the ritual on other days
    NONE_NEAR = "none-near"  # nothing within reach of the day, in the direction looked


class Absence(NamedTuple):
    """No occurrence: why, in words that name the settings, and the nearest planned dates."""

    kind: str
    day: dt.date
    why: Why
    message: str
    hint: str | None = None  # a change to the preferences that would plan it, when there is one
    before: dt.date | None = None  # the nearest planned date before ``day``
    after: dt.date | None = None  # …and after it


def find(prefs: Preferences, kind: str, day: dt.date, look: Look = Look.ON) -> Occurrence | Absence:
    """The occurrence of ``kind`` on ``day`` (or, per ``look``, the nearest one), or why none."""
    ritual = prefs.ritual(kind)
    noun = ritual_noun(kind)
    if not ritual.enabled:
        table = _table(ritual)
        return Absence(
            kind,
            day,
            Why.DISABLED,
            f"no {noun} is planned: {noun}s are turned off ({table}.enabled = false)",
            hint=f"set enabled = true under [{table}] in your preferences",
        )
    found = schedule.occurrence_on(prefs, kind, day)
    if found is None and look is Look.ON_OR_BEFORE:
        found = schedule.previous_occurrence(prefs, kind, day)
    elif found is None and look is Look.ON_OR_AFTER:
        found = schedule.next_occurrence(prefs, kind, day)
    if found is not None:
        return found
    if look is Look.ON_OR_BEFORE:
        return Absence(kind, day, Why.NONE_NEAR, f"no {noun} is planned on or before {day}")
    if look is Look.ON_OR_AFTER:
        return Absence(kind, day, Why.NONE_NEAR, f"no {noun} is planned in the two years from {day}")
    return _absence(prefs, ritual, day)


def _absence(prefs: Preferences, ritual: Ritual, day: dt.date) -> Absence:
    noun = ritual_noun(ritual.kind)
    on = f"{day:%a %Y-%m-%d}"
    slot = schedule.occurrences(prefs, day, day + dt.timedelta(days=1), [ritual.kind], include_skipped=True)
    start = prefs.couple.start
    hint = None
    if slot:
        why, text = Why.SKIPPED, f"the {noun} of {on} is skipped ({_skip_words(prefs.skip.covers(day))})"
        hint = "take the day out of [skip] in your preferences to plan it again"
    elif start is not None and day < start:
        why, text = Why.BEFORE_START, f"no {noun} on {on}: nothing is planned before couple.start ({start})"
    else:
        why, text = Why.OTHER_DAY, f"no {noun} is planned on {on}: {noun}s are {_rhythm(ritual)}"
    before = schedule.previous_occurrence(prefs, ritual.kind, day)
    after = schedule.next_occurrence(prefs, ritual.kind, day)
    near = [f"{o.date:%a %Y-%m-%d}" for o in (before, after) if o is not None]
    text += f"; the nearest planned: {' and '.join(near)}" if near else "; none is planned within two years"
    return Absence(
        ritual.kind,
        day,
        why,
        text,
        hint=hint,
        before=before.date if before else None,
        after=after.date if after else None,
    )


def _skip_words(skip: SkipRange | dt.date | None) -> str:
    if isinstance(skip, SkipRange):
        span = f"{skip.start} to {skip.end}"
        return f'skip.ranges: "{skip.note}", {span}' if skip.note else f"skip.ranges: {span}"
    return "skip.dates"


_NTH = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


def _rhythm(ritual: Ritual) -> str:
    """When the rule puts the ritual, in words: "on Sundays", "on the first Friday of the month"."""
    day = ritual.day.capitalize()
    if ritual.cadence == "weekly":
        return f"on {day}s"
    if ritual.cadence == "biweekly":
        return f"every other {day}"
    return f"on the {_NTH[ritual.week_of_month]} {day} of the month"


def _table(ritual: Ritual) -> str:
    """The ritual's table in the preferences file: [checkin], [date_night]."""
    return ritual.kind.replace("-", "_")
