"""When the rituals happen: occurrences from RRULEs in the couple's time zone.

The RRULE text here is what the calendar export writes. Occurrences are the
dates that rule produces, found by date arithmetic (weekly and biweekly: steps
from the series' first slot; monthly: the Nth or last weekday of each month):
about 6 ms less on every start than importing dateutil and parsing the rule.
Tests hold the arithmetic to dateutil's expansion of the very same RRULE text,
and the exported calendar to `ritual plan` through recurring-ical-events and
Mozilla's ical.js, so `ritual plan` and every calendar agree.

Past dates follow the rule they had: when the calendar export has ended a
series because the ritual's day, time, cadence or duration changed
(``calendar_state``), dates before the change keep the old rule, as the
calendar does. Only the ritual's last series follows the preferences as they
are now.

Clock changes follow RFC 5545 (and ``zoneinfo`` with ``fold=0``): an ambiguous
local time is its first occurrence; a local time that does not exist (a
spring-forward gap) is read with the offset before the gap, so 02:30 on the New
York spring-forward Sunday is 03:30 EDT. Every instance lasts exactly its
duration in real time, even across a clock change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from .preferences import Preferences, Ritual, ritual_noun

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

UTC = dt.UTC
# Series with no couple.start count their phase (biweekly) and rotation from here,
# so neither changes with the day the command runs. A Monday.
EPOCH = dt.date(2000, 1, 3)
_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Occurrence(NamedTuple):
    ritual: str  # "checkin" | "date-night"
    date: dt.date  # the local date it is planned for
    start: dt.datetime  # aware, in the couple's zone, the real wall clock
    end: dt.datetime
    slot: int  # 0-based count of this series' slots since its anchor, skipped ones included

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def series_anchor(prefs: Preferences) -> dt.date:
    return prefs.couple.start or EPOCH


def rrule_text(ritual: Ritual) -> str:
    """The RRULE value (without DTSTART) for a ritual, as written to the calendar."""
    day = _ICAL_DAYS[ritual.weekday]
    if ritual.cadence == "weekly":
        return f"FREQ=WEEKLY;BYDAY={day}"
    if ritual.cadence == "biweekly":
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day};WKST=MO"
    return f"FREQ=MONTHLY;BYDAY={ritual.week_of_month}{day}"


def _first_weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = _first_weekday_on_or_after(dt.date(year, month, 1), weekday)
    if n > 0:
        return first + dt.timedelta(weeks=n - 1)
    last = first + dt.timedelta(weeks=4)
    if last.month != month:
        last -= dt.timedelta(weeks=1)
    return last


def first_slot(ritual: Ritual, anchor: dt.date) -> dt.date:
    """The first date on or after ``anchor`` that the ritual's rule produces."""
    if ritual.cadence in ("weekly", "biweekly"):
        return _first_weekday_on_or_after(anchor, ritual.weekday)
    year, month = anchor.year, anchor.month
    while True:
        d = _nth_weekday(year, month, ritual.weekday, ritual.week_of_month)
        if d >= anchor:
            return d
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def slot_index(ritual: Ritual, anchor: dt.date, day: dt.date) -> int:
    """How many slots of the series come before ``day`` (a date the rule produces)."""
    first = first_slot(ritual, anchor)
    if ritual.cadence == "weekly":
        return (day - first).days // 7
    if ritual.cadence == "biweekly":
        return (day - first).days // 14
    return (day.year - first.year) * 12 + day.month - first.month


def to_aware(local: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """Wall-clock time -> the real instant, shown on the zone's real clock (RFC 5545)."""
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)


def _dates(ritual: Ritual, anchor: dt.date, frm: dt.date, until: dt.date) -> Iterator[dt.date]:
    """Dates the ritual's RRULE (``rrule_text``) produces in [frm, until), from its first slot on."""
    first = first_slot(ritual, anchor)
    start = max(frm, first)
    if ritual.cadence in ("weekly", "biweekly"):
        step = 7 if ritual.cadence == "weekly" else 14
        day = first + dt.timedelta(days=-(-(start - first).days // step) * step)  # keeps the phase
        while day < until:
            yield day
            day += dt.timedelta(days=step)
        return
    year, month = start.year, start.month
    while True:
        day = _nth_weekday(year, month, ritual.weekday, ritual.week_of_month)
        if day >= until:
            return
        if day >= start:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def segments(prefs: Preferences, ritual: Ritual) -> list[tuple[Ritual, dt.date | None, dt.date | None]]:
    """The rules ``ritual`` has followed: (rule, first day, first day after), None for open.

    From the series the calendar has published (``prefs.series``, read from
    calendar-state.toml with the preferences); the last one is ``ritual`` itself, the
    preferences as they are.
    """
    series = [s for s in prefs.series if s.ritual == ritual.kind]
    if len(series) < 2:
        return [(ritual, None, None)]
    out: list[tuple[Ritual, dt.date | None, dt.date | None]] = []
    for one, after in zip(series, [*series[1:], None], strict=True):
        rule = ritual if after is None or one.rule is None else one.rule.apply(ritual)
        out.append((rule, one.begins, after.begins if after is not None else None))
    return out


def occurrences(
    prefs: Preferences,
    frm: dt.date,
    until: dt.date,
    kinds: Iterable[str] | None = None,
    *,
    include_skipped: bool = False,
) -> list[Occurrence]:
    """Every planned occurrence with a local date in [frm, until), sorted by start."""
    wanted = set(kinds) if kinds is not None else None
    out: list[Occurrence] = []
    for ritual in prefs.rituals:
        if wanted is not None and ritual.kind not in wanted:
            continue
        for rule, begins, ends in segments(prefs, ritual):
            lo = frm if begins is None else max(frm, begins)
            hi = until if ends is None else min(until, ends)
            out += rule_occurrences(prefs, rule, lo, hi, include_skipped=include_skipped)
    out.sort(key=lambda o: (o.start, o.ritual))
    return out


def rule_occurrences(
    prefs: Preferences, ritual: Ritual, frm: dt.date, until: dt.date, *, include_skipped: bool = False
) -> list[Occurrence]:
    """The occurrences ``ritual``'s own rule makes in [frm, until), whatever the history."""
    zone = prefs.zone
    anchor = series_anchor(prefs)
    length = dt.timedelta(minutes=ritual.duration)
    out = []
    for day in _dates(ritual, anchor, frm, until):
        if not include_skipped and prefs.skip.covers(day):
            continue
        start = to_aware(dt.datetime.combine(day, ritual.time), zone)
        end = (start.astimezone(UTC) + length).astimezone(zone)
        out.append(Occurrence(ritual.kind, day, start, end, slot_index(ritual, anchor, day)))
    return out


def next_occurrence(prefs: Preferences, kind: str, on_or_after: dt.date) -> Occurrence | None:
    """The first occurrence on or after a date, looking at most ~2 years ahead."""
    horizon = on_or_after + dt.timedelta(days=800)
    found = occurrences(prefs, on_or_after, horizon, [kind])
    return found[0] if found else None


def occurrence_on(prefs: Preferences, kind: str, day: dt.date) -> Occurrence | None:
    found = occurrences(prefs, day, day + dt.timedelta(days=1), [kind])
    return found[0] if found else None


def previous_occurrence(prefs: Preferences, kind: str, before: dt.date) -> Occurrence | None:
    """The last occurrence strictly before a date, looking back at most ~2 years."""
    found = occurrences(prefs, before - dt.timedelta(days=800), before, [kind])
    return found[-1] if found else None


# --------------------------------------------------------------------------- clock changes


def clock_issue(local: dt.datetime, zone: ZoneInfo) -> str | None:
    """'gap' if the wall time does not exist that day, 'overlap' if it happens twice."""
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return "overlap" if back == local else "gap"


class ClockWarning(NamedTuple):
    ritual: Ritual
    day: dt.date
    issue: str  # "gap" | "overlap"
    suggestion: dt.time | None

    def message(self, zone: str) -> str:
        hhmm = self.ritual.time.strftime("%H:%M")
        # Say when it will really be (RFC 5545: the offset before the gap; the first of two).
        from zoneinfo import ZoneInfo

        real = to_aware(dt.datetime.combine(self.day, self.ritual.time), ZoneInfo(zone))
        at = f"{real:%H:%M} {real.tzname()}"
        what = (
            f"does not exist on {self.day.isoformat()} (clocks spring forward in {zone}); "
            f"that day it will be at {at}"
            if self.issue == "gap"
            else f"happens twice on {self.day.isoformat()} (clocks fall back in {zone}); "
            f"the first one is used ({at})"
        )
        tip = f"; {self.suggestion.strftime('%H:%M')} is safe all year" if self.suggestion else ""
        return f"{ritual_noun(self.ritual.kind)} at {hhmm} {what}{tip}"


def planned_dates(prefs: Preferences, ritual: Ritual, frm: dt.date, until: dt.date) -> list[dt.date]:
    """The dates of ``occurrences`` for one ritual, without working out their times.

    Cheap enough (~35 us for a season) to ask once per agenda of a long export.
    """
    return [day for day, _ in planned_rules(prefs, ritual, frm, until)]


def planned_rules(
    prefs: Preferences, ritual: Ritual, frm: dt.date, until: dt.date
) -> list[tuple[dt.date, Ritual]]:
    """Planned dates in [frm, until), each with the rule it follows (its time, its duration)."""
    anchor = series_anchor(prefs)
    out = []
    for rule, begins, ends in segments(prefs, ritual):
        lo = frm if begins is None else max(frm, begins)
        hi = until if ends is None else min(until, ends)
        out += [(d, rule) for d in _dates(rule, anchor, lo, hi) if not prefs.skip.covers(d)]
    return out


def clock_change_warnings(prefs: Preferences, start: dt.date, days: int = 366) -> list[str]:
    """What to warn about: a ritual's time that a clock change skips or doubles in ``days`` from ``start``."""
    found = clock_warnings(prefs, start, start + dt.timedelta(days=days))
    return [w.message(prefs.couple.timezone) for w in found]


def clock_warnings(prefs: Preferences, frm: dt.date, until: dt.date) -> list[ClockWarning]:
    """For each ritual, the first planned date whose time falls in a gap or overlap."""
    zone = prefs.zone
    out: list[ClockWarning] = []
    for ritual in prefs.rituals:
        planned = planned_rules(prefs, ritual, frm, until)
        for day, rule in planned:
            issue = clock_issue(dt.datetime.combine(day, rule.time), zone)
            if issue:
                days = [d for d, r in planned if r.time == rule.time]
                out.append(ClockWarning(rule, day, issue, _safe_time(rule.time, days, zone)))
                break
    return out


def _safe_time(wanted: dt.time, days: list[dt.date], zone: ZoneInfo) -> dt.time | None:
    """The nearest half-hour time that is neither skipped nor doubled on any of ``days``."""
    base = wanted.hour * 60 + wanted.minute
    for step in range(1, 48):
        for sign in (1, -1):
            minutes = (base + sign * step * 30) % (24 * 60)
            candidate = dt.time(minutes // 60, minutes % 60)
            if all(clock_issue(dt.datetime.combine(d, candidate), zone) is None for d in days):
                return candidate
    return None
