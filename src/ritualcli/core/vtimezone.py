"""VTIMEZONE components with yearly rules, built from the IANA zone database.

``icalendar`` can write a VTIMEZONE itself (``Timezone.from_tzinfo``), but it
lists every transition as RDATE values on one line. Mozilla's ical.js, the
parser inside Thunderbird, reads only the first value of each RDATE line, so a
New York event computes as EST all summer. Google and tzurl.org write one
observance per kind of clock change with a ``FREQ=YEARLY`` RRULE instead, which
every parser we know reads, and which keeps working after the last date we
planned. This module writes that form, and proves it against ``zoneinfo``
before handing it out.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    import icalendar

__all__ = ["ZoneReport", "build_vtimezone"]


class ZoneReport(NamedTuple):
    """What the caller may want to tell the user about the zone it asked for."""

    warnings: tuple[str, ...]


# The zone is read a year before `start` and a year after `end`: an event's
# first instance needs the observance that began before it, and a calendar
# looks at the weeks after the last planned date too.
_MARGIN = dt.timedelta(days=366)
# Rules are derived from at least this many years, even for a short span, so
# that "Sunday on or after the 2nd" is not mistaken for "first Sunday" just
# because the two agreed in the few years we happened to look at.
_MIN_DERIVATION_YEARS = 8
_DAY = 86_400
# Observances are written from this year on (see _from_1970).
_FIRST_YEAR = 1970
_UTC = dt.UTC

# Pattern code for "last such weekday of the month"; other codes are the first
# day K of the seven-day window [K, K+6] that holds the weekday.
_LAST = -1
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class _State(NamedTuple):
    offset: dt.timedelta
    daylight: bool
    name: str


class _Transition(NamedTuple):
    utc: dt.datetime  # aware, UTC
    before: _State
    after: _State

    @property
    def local(self) -> dt.datetime:
        """Wall time in the offset before the change, as RFC 5545 DTSTART wants."""
        return (self.utc + self.before.offset).replace(tzinfo=None)


class _Run:
    """Transitions in consecutive years that one yearly rule describes."""

    __slots__ = ("patterns", "transitions")

    def __init__(self, transitions: list[_Transition], patterns: set[int]) -> None:
        self.transitions = transitions
        self.patterns = patterns  # day patterns consistent with every transition so far

    @property
    def first(self) -> _Transition:
        return self.transitions[0]

    @property
    def last(self) -> _Transition:
        return self.transitions[-1]


class _Observance(NamedTuple):
    """One STANDARD or DAYLIGHT sub-component, before it becomes icalendar."""

    start: dt.datetime  # naive local wall time, in `offset_from`
    offset_from: dt.timedelta
    state: _State
    pattern: int | None = None  # None: a single onset, no RRULE
    until: dt.datetime | None = None  # aware UTC; None: open-ended

    def onsets(self, horizon: dt.datetime) -> list[dt.datetime]:
        """UTC onsets up to `horizon`, computed from the rule alone."""
        if self.pattern is None:
            return [(self.start - self.offset_from).replace(tzinfo=_UTC)]
        found: list[dt.datetime] = []
        year = self.start.year
        while True:
            day = _resolve(year, self.start.month, self.start.weekday(), self.pattern)
            onset = dt.datetime.combine(day, self.start.time()) - self.offset_from
            onset = onset.replace(tzinfo=_UTC)
            if onset > horizon or (self.until is not None and onset > self.until):
                return found
            found.append(onset)
            year += 1


def build_vtimezone(tzname: str, start: dt.date, end: dt.date) -> tuple[icalendar.Timezone, ZoneReport]:
    """Return a VTIMEZONE for `tzname` that is exact for every instant in [start, end].

    Observances are yearly RRULEs where the zone follows a yearly rule; the
    latest rule of each kind is open-ended so the file stays right after `end`.
    Where the rules change inside the span, older rules end with UNTIL and
    irregular changes (Morocco's Ramadan) become single-onset observances; the
    report says so.

    Raises `zoneinfo.ZoneInfoNotFoundError` for a name the zone database lacks,
    and `ValueError` if `end` is before `start`.
    """
    # Imported here, not at module level: `ritual plan` must start fast and
    # never needs icalendar (ruff TID253 enforces this).
    import icalendar

    if end < start:
        raise ValueError(f"span ends ({end}) before it starts ({start})")
    zone = ZoneInfo(tzname)
    window_start = _midnight_utc(start) - _MARGIN
    window_end = max(
        _midnight_utc(end) + _MARGIN,
        _midnight_utc(start) + dt.timedelta(days=366 * _MIN_DERIVATION_YEARS),
    )
    transitions = _transitions(zone, window_start, window_end)
    window_end = _settle_end(zone, transitions, window_end)
    warnings: list[str] = []

    observances = _observances(transitions, window_end)
    if not _reproduces(observances, transitions, window_start, window_end):
        # Never expected: the rules are built from these very transitions. If a
        # zone ever defeats the rule-finding, one onset per change is long but
        # still exact, which matters more than being short.
        observances = [_single(t) for t in transitions]
        warnings.append(
            f"{tzname}: no yearly rules reproduce the zone; every clock change is written on its own"
        )

    warnings.extend(_rule_changes(tzname, observances, start, end))
    warnings.extend(_beyond_window(zone, tzname, observances, window_end))

    observances = _from_1970(zone, observances, transitions, window_start)

    vtimezone = icalendar.Timezone()
    vtimezone.add("TZID", tzname)
    for observance in sorted(observances, key=lambda o: o.start):
        vtimezone.add_component(_to_component(observance))
    return vtimezone, ZoneReport(warnings=tuple(warnings))


def _from_1970(
    zone: ZoneInfo, observances: list[_Observance], transitions: list[_Transition], window_start: dt.datetime
) -> list[_Observance]:
    """The observances, with the years from 1970 to the window described too.

    Nothing is planned before the window, so those years need only show the
    zone's character: vobject (behind Radicale and other CalDAV servers) takes
    a VTIMEZONE for UTC when its offsets over 2000-2020 look like UTC's, and
    then moves every event to UTC. London described from 2025 on is GMT before
    that, so on such a server every summer event came an hour late.

    Where the zone follows yearly rules from the window's start, those rules
    start in 1970 instead, as Google and Thunderbird write them (no observance
    more, so no byte more). Otherwise one observance from 1970 holds the clocks'
    reading at the window's start; if that reading is UTC's offset while the
    zone reads otherwise later (Casablanca in Ramadan), it holds the zone's first
    other reading, and a change back at the window's start follows.
    """
    first_year = window_start + _MARGIN
    leading = [t for t in transitions if t.utc < first_year]
    ruled = {o.start: o for o in observances if o.pattern is not None}
    if window_start.year > _FIRST_YEAR and leading and all(t.local in ruled for t in leading):
        rewound = {t.local: _rewound(ruled[t.local]) for t in leading}
        return [rewound.get(o.start, o) for o in observances]
    real = _state(zone, window_start)
    held = real
    if real.offset == dt.timedelta(0):
        held = next((t.after for t in transitions if t.after.offset != dt.timedelta(0)), real)
    local_start = (window_start + held.offset).replace(tzinfo=None)
    begin = min(dt.datetime(_FIRST_YEAR, 1, 1), dt.datetime.combine(local_start.date(), dt.time()))
    extended = [_Observance(start=begin, offset_from=held.offset, state=held), *observances]
    if held != real:
        extended.append(_Observance(start=local_start, offset_from=held.offset, state=real))
    return extended


def _rewound(rule: _Observance) -> _Observance:
    """The same yearly rule, starting with its onset in 1970."""
    assert rule.pattern is not None
    day = _resolve(_FIRST_YEAR, rule.start.month, rule.start.weekday(), rule.pattern)
    return rule._replace(start=dt.datetime.combine(day, rule.start.time()))


def _midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=_UTC)


def _state(zone: ZoneInfo, instant: dt.datetime) -> _State:
    raw = _raw_state(zone, int(instant.timestamp()))
    return _to_state(raw, raw)


_RawState = tuple[dt.timedelta | None, dt.timedelta | None, str | None]


def _raw_state(zone: ZoneInfo, ts: int) -> _RawState:
    # The scan calls this a few thousand times; the bare tuple is the cheapest
    # thing to compare (about 2 µs a call).
    local = dt.datetime.fromtimestamp(ts, zone)
    return local.utcoffset(), local.dst(), local.tzname()


def _to_state(raw: _RawState, neighbour: _RawState) -> _State:
    """Name a period standard or daylight, given the period on its other side.

    Some zones use negative DST (Dublin's winter GMT, Morocco's Ramadan +00).
    Those periods are written as STANDARD and the periods next to them as
    DAYLIGHT, the way rearguard tzdata and Google's feeds present them, so
    that DAYLIGHT always means "clocks ahead", as parsers assume.
    """
    zero = dt.timedelta(0)
    # A ZoneInfo always answers for an aware datetime; `or` only narrows the
    # Optional for the type checker (a zero timedelta is falsy anyway).
    offset, dst, name = raw[0] or zero, raw[1] or zero, raw[2] or ""
    daylight = dst > zero or (dst == zero and (neighbour[1] or zero) < zero)
    return _State(offset, daylight, name)


def _transitions(zone: ZoneInfo, window_start: dt.datetime, window_end: dt.datetime) -> list[_Transition]:
    """Every change of offset, DST flag or abbreviation inside the window.

    Stepping a day at a time and bisecting to the second is exact as long as
    no zone changes twice within a day, and takes a few milliseconds a decade;
    zoneinfo has no public API for its transition table.
    """

    found = []
    lo = int(window_start.timestamp())
    lo_state = _raw_state(zone, lo)
    limit = int(window_end.timestamp())
    while lo < limit:
        hi = min(lo + _DAY, limit)
        hi_state = _raw_state(zone, hi)
        if hi_state != lo_state:
            # Invariant: state(a) == lo_state, state(b) == hi_state.
            a, b = lo, hi
            while b - a > 1:
                mid = (a + b) // 2
                if _raw_state(zone, mid) == lo_state:
                    a = mid
                else:
                    b = mid
            found.append(
                _Transition(
                    dt.datetime.fromtimestamp(b, _UTC),
                    _to_state(lo_state, hi_state),
                    _to_state(hi_state, lo_state),
                )
            )
        lo, lo_state = hi, hi_state
    return found


def _settle_end(zone: ZoneInfo, transitions: list[_Transition], window_end: dt.datetime) -> dt.datetime:
    """Let a window that ends in the zone's unusual season run on to the change back.

    Otherwise a zone written as one-off changes (Casablanca, whose window may
    end in Ramadan) would leave parsers on that season's offset forever.
    "Usual" is the offset the clocks showed longest within the window.
    """
    if not transitions:
        return window_end
    held: dict[dt.timedelta, dt.timedelta] = {}
    for t, following in zip(transitions, [*transitions[1:], None], strict=True):
        until = following.utc if following is not None else window_end
        held[t.after.offset] = held.get(t.after.offset, dt.timedelta(0)) + (until - t.utc)
    if transitions[-1].after.offset == max(held, key=lambda offset: held[offset]):
        return window_end
    later = _transitions(zone, window_end, window_end + dt.timedelta(days=366))
    if later:
        transitions.append(later[0])
        return later[0].utc
    return window_end


def _patterns(day: dt.date) -> set[int]:
    """Day patterns that put a change on `day`: window starts K, and/or "last"."""
    # February's windows must fit in 28 days or leap years would shift them.
    shortest = 28 if day.month == 2 else calendar.monthrange(day.year, day.month)[1]
    found = {k for k in range(max(1, day.day - 6), day.day + 1) if k + 6 <= shortest}
    if day.day + 7 > calendar.monthrange(day.year, day.month)[1]:
        found.add(_LAST)
    return found


def _resolve(year: int, month: int, weekday: int, pattern: int) -> dt.date:
    """The day a yearly pattern picks in `year` (inverse of `_patterns`)."""
    if pattern == _LAST:
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, pattern)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7)


def _preferred(patterns: set[int]) -> int:
    """The simplest pattern among equally good ones: nth weekday, last, window."""
    for k in (1, 8, 15, 22):
        if k in patterns:
            return k
    if _LAST in patterns:
        return _LAST
    return min(patterns)


def _observances(transitions: list[_Transition], window_end: dt.datetime) -> list[_Observance]:
    # Transitions that could share one RRULE: same kind, month, weekday, wall
    # time and offsets. Each such group is cut into runs of consecutive years.
    groups: dict[tuple[object, ...], list[_Run]] = {}
    for t in transitions:
        local = t.local
        key = (t.before.offset, t.after, local.month, local.weekday(), local.time())
        runs = groups.setdefault(key, [])
        patterns = _patterns(local.date())
        if runs and runs[-1].last.local.year == local.year - 1:
            shared = runs[-1].patterns & patterns
            if shared:
                runs[-1].transitions.append(t)
                runs[-1].patterns = shared
                continue
        runs.append(_Run([t], patterns))

    observances = []
    for runs in groups.values():
        for run in runs:
            if len(run.transitions) == 1:
                # One year is no rule: guessing one would repeat a one-off
                # change (a Ramadan) every year after the window.
                observances.append(_single(run.first))
                continue
            pattern = _preferred(run.patterns)
            until = None
            if _next_onset(run, pattern) <= window_end:
                # The rule stopped inside the window. The exact UNTIL is the
                # last onset, but dateutil (behind icalendar and
                # recurring-ical-events) compares it with the floating local
                # onset as if both were UTC, and so drops the last onset east
                # of Greenwich (Moscow 2010). A day later selects the same
                # onsets everywhere: the next one would be a year on.
                until = run.last.utc + dt.timedelta(days=1)
            observance = _Observance(
                start=run.first.local,
                offset_from=run.first.before.offset,
                state=run.first.after,
                pattern=pattern,
                until=until,
            )
            observances.append(observance)
    return observances


def _next_onset(run: _Run, pattern: int) -> dt.datetime:
    """Where the run's rule would have put its next change, in UTC."""
    local = run.last.local
    day = _resolve(local.year + 1, local.month, local.weekday(), pattern)
    onset = dt.datetime.combine(day, local.time()) - run.last.before.offset
    return onset.replace(tzinfo=_UTC)


def _single(t: _Transition) -> _Observance:
    return _Observance(start=t.local, offset_from=t.before.offset, state=t.after)


def _reproduces(
    observances: list[_Observance],
    transitions: list[_Transition],
    window_start: dt.datetime,
    window_end: dt.datetime,
) -> bool:
    """Do the rules, expanded on their own, give exactly the zone's changes?"""
    expected = {(t.utc, t.before.offset, t.after) for t in transitions}
    expanded = {
        (onset, o.offset_from, o.state)
        for o in observances
        for onset in o.onsets(window_end)
        if onset >= window_start
    }
    return expanded == expected


def _rule_changes(tzname: str, observances: list[_Observance], start: dt.date, end: dt.date) -> list[str]:
    """Say so when the zone's rules change inside the span the caller cares about."""
    # Where a yearly rule stops (UNTIL is a day after its last onset), and
    # where a change follows no rule at all.
    breaks = sorted(
        [(o.until - dt.timedelta(days=1) + o.offset_from).date() for o in observances if o.until is not None]
        + [o.start.date() for o in observances if o.pattern is None]
    )
    inside = [day for day in breaks if start <= day <= end]
    if not inside:
        return []
    one_offs = sum(1 for o in observances if o.pattern is None)
    return [
        f"{tzname} changes its clock rules between {start} and {end} (first on "
        f"{inside[0]}); its time zone is written as {len(observances)} observances, "
        f"{one_offs} of them one-off changes"
    ]


def _beyond_window(
    zone: ZoneInfo, tzname: str, observances: list[_Observance], window_end: dt.datetime
) -> list[str]:
    """Warn if the open-ended rules do not foresee the zone's next changes.

    Two more years of the zone are compared with what the file implies; they
    differ when the last changes were irregular (Morocco's Ramadan), so the file
    goes quiet while the zone does not.
    """
    horizon = window_end + dt.timedelta(days=2 * 366)
    real = {(t.utc, t.after) for t in _transitions(zone, window_end, horizon)}
    implied = {(onset, o.state) for o in observances for onset in o.onsets(horizon) if onset > window_end}
    if real == implied:
        return []
    return [
        f"{tzname}: clock changes after {window_end:%Y-%m-%d} follow no yearly rule, "
        "so calendars will show this zone's times right only until then"
    ]


def _to_component(
    observance: _Observance,
) -> icalendar.TimezoneStandard | icalendar.TimezoneDaylight:
    import icalendar

    component = icalendar.TimezoneDaylight() if observance.state.daylight else icalendar.TimezoneStandard()
    component.add("DTSTART", observance.start)
    component.add("TZOFFSETFROM", observance.offset_from)
    component.add("TZOFFSETTO", observance.state.offset)
    if observance.state.name:
        component.add("TZNAME", observance.state.name)
    if observance.pattern is not None:
        rule: dict[str, object] = {"FREQ": "YEARLY", "BYMONTH": observance.start.month}
        weekday = _WEEKDAYS[observance.start.weekday()]
        if observance.pattern == _LAST:
            rule["BYDAY"] = f"-1{weekday}"
        elif observance.pattern in (1, 8, 15, 22):
            rule["BYDAY"] = f"{(observance.pattern - 1) // 7 + 1}{weekday}"
        else:
            # "Sunday on or after the 2nd" (Chile): the one Sunday among 2..8.
            rule["BYDAY"] = weekday
            rule["BYMONTHDAY"] = list(range(observance.pattern, observance.pattern + 7))
        if observance.until is not None:
            # RFC 5545 §3.8.5.3: UNTIL in an observance is always UTC.
            rule["UNTIL"] = observance.until
        component.add("RRULE", rule)
    return component
