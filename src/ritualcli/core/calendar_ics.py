"""The calendar as bytes: one recurring VEVENT per ritual, built from the preferences.

This is the pure core of `ritual export ics`: it takes the preferences, what the
previous export said (``CalendarState``), "now" and "today", and returns the
VCALENDAR bytes and the state to remember. It neither prints nor writes files
(``calendar_file`` does that).

How each ritual becomes an event, and why:

- RRULE is ``schedule.rrule_text``, the very text ``ritual plan`` expands, so
  the calendar and the plan cannot drift apart.
- DTSTART is the first real occurrence (not skipped) on or after the series
  start: ``couple.start``, else the day of the couple's first export, which the
  state file remembers, so DTSTART does not move every time the file is
  re-exported. It is the couple's local wall time with ``TZID``.
- DURATION, not DTEND. RFC 5545 reads ``PT30M`` as exact time (§3.3.6) and
  applies it to every instance (§3.8.5.3): an instance lasts exactly its
  duration even across a clock change, as in ``ritual plan``. (Some parsers
  still add it on the wall clock; see tests/test_calendar.py.)
- One EXDATE line per skipped date, as a date-time with the same TZID, and
  only for a date that has an occurrence: ical.js mishandles an EXDATE that
  matches nothing, and khal a ``VALUE=DATE`` one.
- UID: a SHA-256 of the partners' names and the ritual, so the same couple's
  check-in has the same UID on every export and a re-import updates it.
- SEQUENCE grows by one when the schedule (zone, DTSTART, RRULE, DURATION,
  EXDATEs) changes between two exports. DTSTAMP is ``SOURCE_DATE_EPOCH`` when
  set; otherwise the moment the event's content last changed, kept in the
  state, so an unchanged re-export gives the same bytes (cron rewrites nothing).
- Private calendars (the default) carry neutral titles and a description that
  only says which command prints the agenda. ``private = false`` adds who, how
  long and where. ``--agendas N`` overrides the next N instances (same UID,
  RECURRENCE-ID) with that occurrence's own agenda; with ``private = true`` their
  titles stay neutral. Those agendas carry the open commitments forward (as
  every agenda does) but never a rating, a note, or the support note that low
  ratings trigger.

icalendar is imported inside the functions (ruff TID253): ``ritual plan``
imports ``schedule`` but must never pay for icalendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import __version__
from . import schedule
from .digest import sha256_hex
from .errors import FileProblemsError, Problem
from .preferences import Preferences, Ritual, ritual_noun

if TYPE_CHECKING:
    import icalendar

PRODID = f"-//ritual//ritualcli {__version__}//EN"
STATE_VERSION = 1
# The calendar's zone is described for this many years after the later of today
# and the first event (to the end of that year, so the bytes change at most
# once a year for this reason). Its rules are open-ended, so later years still
# read right unless the zone's rules change.
SPAN_YEARS = 10
MAX_AGENDAS = 100
_CATEGORY = "Rituals"
# How far `first_occurrence` looks, in steps of a year: a skip range may be long.
_SEARCH_STEP = dt.timedelta(days=366)
_SEARCH_STEPS = 60


# --------------------------------------------------------------------------- state


class RitualState(NamedTuple):
    """What the last export said about one ritual."""

    sequence: int
    schedule: str  # fingerprint of zone, DTSTART, RRULE, DURATION, EXDATEs
    content: str  # fingerprint of everything the event says except DTSTAMP
    stamp: dt.datetime  # aware UTC: when `content` last changed


class CalendarState(NamedTuple):
    """Kept beside the preferences (calendar-state.toml) between exports."""

    anchor: dt.date | None = None  # the day of the first export
    rituals: Mapping[str, RitualState] = MappingProxyType({})  # read-only: shared by every default
    # Derived from the names at the first export and kept, so that correcting a
    # name's spelling later does not change every UID (and duplicate the events).
    couple_id: str | None = None


MAX_SEQUENCE = 2**31 - 1  # RFC 5545's integer; icalendar refuses a larger SEQUENCE


def parse_state(text: str, source: str) -> CalendarState:
    """Read calendar-state.toml; a damaged file is a file problem (exit 2), not a traceback."""
    from .filecheck import parse_toml

    hint = (
        "fix it, or delete it to start over: the next export then starts SEQUENCE at 0 "
        "and the series at today's date"
    )
    doc = parse_toml(text, source, "calendar state", hint=hint)  # a number too long, nesting too deep…
    problems: list[Problem] = []
    if doc.get("version") != STATE_VERSION:
        problems.append(Problem("version", f"expected {STATE_VERSION}, got {doc.get('version')!r}"))
    anchor = doc.get("anchor")
    if anchor is not None and (isinstance(anchor, dt.datetime) or not isinstance(anchor, dt.date)):
        problems.append(Problem("anchor", "expected a date (YYYY-MM-DD)"))
        anchor = None
    elif anchor is not None:
        from .preferences import check_date_range

        try:
            check_date_range(anchor)
        except ValueError as exc:
            problems.append(Problem("anchor", str(exc)))
            anchor = None
    couple_id = doc.get("couple_id")
    if couple_id is not None and (not isinstance(couple_id, str) or not couple_id.isalnum()):
        problems.append(Problem("couple_id", "expected the letters and digits ritual wrote"))
        couple_id = None
    rituals: dict[str, RitualState] = {}
    for kind in ("checkin", "date-night"):
        table = doc.get(kind)
        if table is None:
            continue
        try:
            rituals[kind] = _ritual_state(table)
        except (TypeError, ValueError) as exc:
            problems.append(Problem(kind, str(exc)))
    if problems:
        raise FileProblemsError(source, problems, hint=hint)
    return CalendarState(anchor, rituals, couple_id)


def _ritual_state(table: object) -> RitualState:
    if not isinstance(table, dict):
        raise TypeError("expected a table")
    seq, sched, content, stamp = (table.get(k) for k in ("sequence", "schedule", "content", "stamp"))
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= MAX_SEQUENCE:
        raise ValueError(f"sequence: expected a whole number from 0 to {MAX_SEQUENCE}")
    if not isinstance(sched, str) or not isinstance(content, str):
        raise ValueError("schedule and content: expected strings")
    if not isinstance(stamp, dt.datetime) or stamp.utcoffset() is None:
        raise ValueError("stamp: expected a date-time with an offset")
    try:
        utc = stamp.astimezone(dt.UTC)
    except OverflowError:  # 0001-01-01T00:00:00+14:00 is before the first representable instant
        raise ValueError("stamp: out of range") from None
    return RitualState(seq, sched, content, utc)


def state_toml(state: CalendarState) -> str:
    """calendar-state.toml's text: stable, so an unchanged state rewrites nothing."""
    import tomli_w

    doc: dict[str, Any] = {"version": STATE_VERSION}
    if state.anchor is not None:
        doc["anchor"] = state.anchor
    if state.couple_id is not None:
        doc["couple_id"] = state.couple_id
    for kind in sorted(state.rituals):
        r = state.rituals[kind]
        doc[kind] = {"sequence": r.sequence, "schedule": r.schedule, "content": r.content, "stamp": r.stamp}
    head = (
        "# Written by `ritual export ics`: what your calendar said last time, so that a\n"
        "# re-export keeps each event's start and raises SEQUENCE when a schedule changes.\n"
    )
    return head + tomli_w.dumps(doc)


# --------------------------------------------------------------------------- events


class Override(NamedTuple):
    """One instance re-stated with its own agenda (RECURRENCE-ID = its original start)."""

    start: dt.datetime  # naive local wall time, as the RRULE produces it
    summary: str
    description: str


class EventSpec(NamedTuple):
    """Everything one ritual's VEVENT says, before it becomes icalendar objects."""

    kind: str
    uid: str
    timezone: str
    start: dt.datetime  # naive local wall time of the first occurrence
    duration: dt.timedelta
    rrule: str
    exdates: tuple[dt.datetime, ...]  # naive local wall times
    summary: str
    description: str
    location: str
    categories: tuple[str, ...]
    reminder: int  # minutes before; 0: no alarm
    overrides: tuple[Override, ...] = ()

    def schedule_key(self) -> str:
        what = (self.timezone, self.start, self.duration, self.rrule, self.exdates)
        return sha256_hex(repr(what))

    def content_key(self, sequence: int) -> str:
        return sha256_hex(repr((self, sequence)))


class Export(NamedTuple):
    data: bytes
    state: CalendarState
    start: dt.date  # the first event's date: where the calendar begins
    end: dt.date  # the end of the span its VTIMEZONE is checked for
    events: int
    overrides: int
    warnings: tuple[str, ...]  # about the zone's rules


def couple_id(prefs: Preferences) -> str:
    """Derived from the partners' names (any order, any case); kept in the state once exported."""
    names = sorted(n.casefold() for n in prefs.couple.partners)
    return sha256_hex("\x1f".join(["ritual-couple-v1", *names]))[:24]


def uid(prefs: Preferences, kind: str, state: CalendarState | None = None) -> str:
    """Stable for the same couple and ritual, even after a name is corrected."""
    couple = (state.couple_id if state else None) or couple_id(prefs)
    digest = sha256_hex("\x1f".join(["ritual-calendar-uid-v2", kind, couple]))
    return f"{digest[:32]}@ritual"


def series_start(prefs: Preferences, state: CalendarState, today: dt.date) -> dt.date:
    """Where the calendar's series begin: couple.start, else the first export's day.

    Never before the schedule's own anchor: without couple.start nothing is
    planned before schedule.EPOCH, and an export anchored decades earlier would
    find no first occurrence at all.
    """
    return max(prefs.couple.start or state.anchor or today, schedule.series_anchor(prefs))


def first_occurrence(prefs: Preferences, kind: str, frm: dt.date) -> schedule.Occurrence | None:
    """The first real (not skipped) occurrence on or after ``frm``."""
    for step in range(_SEARCH_STEPS):
        lo = frm + step * _SEARCH_STEP
        found = schedule.occurrences(prefs, lo, lo + _SEARCH_STEP, [kind])
        if found:
            return found[0]
    return None


def _exdates(prefs: Preferences, ritual: Ritual, first: dt.date) -> tuple[dt.datetime, ...]:
    """Wall-clock starts of the skipped slots from ``first`` on (only slots the rule makes)."""
    skip = prefs.skip
    last = max([*skip.dates, *(r.end for r in skip.ranges)], default=None)
    if last is None or last < first:
        return ()
    slots = schedule.occurrences(
        prefs, first, last + dt.timedelta(days=1), [ritual.kind], include_skipped=True
    )
    return tuple(dt.datetime.combine(o.date, ritual.time) for o in slots if skip.covers(o.date))


def _pointer(kind: str, day: dt.date | None) -> str:
    if day is None:
        return (
            f"Your agenda for this {ritual_noun(kind)}: run `ritual agenda {kind} --date YYYY-MM-DD` "
            "with this event's date."
        )
    return f"Your agenda for this {ritual_noun(kind)}: `ritual agenda {kind} --date {day.isoformat()}`."


def _about(prefs: Preferences, ritual: Ritual) -> str:
    """The master's description when the calendar is not private: who, how, where."""
    names = " & ".join(prefs.couple.partners)
    lines = [f"{ritual.title} for {names}, {ritual.duration} minutes, {ritual.cadence}."]
    if ritual.kind == "checkin":
        lines.append(f"Format: {ritual.format}.")
    else:
        budget = "free ideas only" if prefs.dates.budget == 0 else f"at most {prefs.dates.budget}"
        lines.append(f"Budget: {budget}.")
    if ritual.location:
        lines.append(f"Where: {ritual.location}.")
    return "\n".join(lines)


def _override(
    prefs: Preferences, occ: schedule.Occurrence, user_dir: Path | None, data_dir: Path | None
) -> Override:
    from . import agenda, selection

    ritual = prefs.ritual(occ.ritual)
    summary = ritual.title
    if not prefs.calendar.private:
        pick = selection.focus(prefs, occ) if occ.ritual == "checkin" else selection.idea(prefs, occ)
        if pick is not None:
            summary = f"{ritual.title} · {pick.title}"
    # shared: calendars are synced and seen by others, so the support note that
    # ratings drive stays out; commitments carry over as in every agenda.
    text = agenda.render(prefs, occ, user_dir=user_dir, data_dir=data_dir, shared=True)
    description = _pointer(occ.ritual, occ.date) + "\n\n" + text.strip("\n")
    return Override(dt.datetime.combine(occ.date, ritual.time), summary, description)


def _next_occurrences(prefs: Preferences, today: dt.date, n: int) -> list[schedule.Occurrence]:
    if n <= 0:
        return []
    found: list[schedule.Occurrence] = []
    lo = today
    for _ in range(_SEARCH_STEPS):
        found += schedule.occurrences(prefs, lo, lo + _SEARCH_STEP)
        if len(found) >= n:
            break
        lo += _SEARCH_STEP
    return found[:n]


def event_specs(
    prefs: Preferences,
    state: CalendarState,
    *,
    today: dt.date,
    agendas: int = 0,
    user_dir: Path | None = None,
    data_dir: Path | None = None,
) -> list[EventSpec]:
    """One spec per enabled ritual that has an occurrence, in the order checkin, date-night."""
    begin = series_start(prefs, state, today)
    upcoming = _next_occurrences(prefs, today, agendas)
    specs = []
    for ritual in prefs.rituals:
        first = first_occurrence(prefs, ritual.kind, begin)
        if first is None:
            continue
        overrides = tuple(
            _override(prefs, occ, user_dir, data_dir)
            for occ in upcoming
            if occ.ritual == ritual.kind and occ.date >= first.date
        )
        specs.append(
            EventSpec(
                kind=ritual.kind,
                uid=uid(prefs, ritual.kind, state),
                timezone=prefs.couple.timezone,
                start=dt.datetime.combine(first.date, ritual.time),
                duration=dt.timedelta(minutes=ritual.duration),
                rrule=schedule.rrule_text(ritual),
                exdates=_exdates(prefs, ritual, first.date),
                summary=ritual.title,
                description=(
                    _pointer(ritual.kind, None)
                    if prefs.calendar.private
                    else _about(prefs, ritual) + "\n\n" + _pointer(ritual.kind, None)
                ),
                location=ritual.location,
                categories=(_CATEGORY, ritual.title),
                reminder=ritual.reminder,
                overrides=overrides,
            )
        )
    return specs


# --------------------------------------------------------------------------- the file


def build(
    prefs: Preferences,
    state: CalendarState,
    *,
    now: dt.datetime,
    today: dt.date,
    agendas: int = 0,
    user_dir: Path | None = None,
    data_dir: Path | None = None,
    fixed_stamp: bool = False,
) -> Export:
    """The calendar file's bytes and the state to keep for the next export.

    ``now`` is aware; with ``fixed_stamp`` (SOURCE_DATE_EPOCH) it is every
    DTSTAMP, otherwise only that of events whose content changed.
    """
    import icalendar

    from .vtimezone import build_vtimezone

    now = now.astimezone(dt.UTC).replace(microsecond=0)
    specs = event_specs(prefs, state, today=today, agendas=agendas, user_dir=user_dir, data_dir=data_dir)
    rituals = dict(state.rituals)
    versions: list[tuple[EventSpec, int, dt.datetime]] = []
    for spec in specs:
        old = state.rituals.get(spec.kind)
        key = spec.schedule_key()
        # Never past RFC 5545's largest integer (a hand-edited state may start there).
        sequence = 0 if old is None else min(old.sequence + (old.schedule != key), MAX_SEQUENCE)
        content = spec.content_key(sequence)
        stamp = old.stamp if old is not None and old.content == content else now
        rituals[spec.kind] = RitualState(sequence, key, content, stamp)
        versions.append((spec, sequence, now if fixed_stamp else stamp))

    begin = min((s.start.date() for s in specs), default=series_start(prefs, state, today))
    end = dt.date(max(begin, today).year + SPAN_YEARS, 12, 31)

    cal = icalendar.Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", PRODID)
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("NAME", prefs.calendar.name)
    cal.add("X-WR-CALNAME", prefs.calendar.name)
    cal.add("X-WR-TIMEZONE", prefs.couple.timezone)
    warnings: tuple[str, ...] = ()
    if specs:
        vtimezone, report = build_vtimezone(prefs.couple.timezone, begin, end)
        cal.add_component(vtimezone)
        warnings = tuple(report.warnings)
    count = 0
    for spec, sequence, stamp in versions:
        cal.add_component(_vevent(spec, prefs, sequence, stamp, None))
        for override in spec.overrides:
            cal.add_component(_vevent(spec, prefs, sequence, stamp, override))
            count += 1

    # The example couple has no state: its series begins at its couple.start.
    new_state = (
        state
        if prefs.is_example
        else CalendarState(state.anchor or today, rituals, state.couple_id or couple_id(prefs))
    )
    return Export(cal.to_ical(), new_state, begin, end, len(specs), count, warnings)


def _vevent(
    spec: EventSpec, prefs: Preferences, sequence: int, stamp: dt.datetime, override: Override | None
) -> icalendar.Event:
    import icalendar

    zone = prefs.zone

    def local(wall: dt.datetime) -> dt.datetime:
        # The wall time as the rule makes it, with TZID; fold=0 is RFC 5545's
        # reading of an ambiguous time. A time in a spring-forward gap is kept
        # as written: every parser must resolve it the way it resolves DTSTART.
        return wall.replace(tzinfo=zone, fold=0)

    event = icalendar.Event()
    event.add("UID", spec.uid)
    event.add("DTSTAMP", stamp)
    event.add("SEQUENCE", sequence)
    if override is None:
        event.add("DTSTART", local(spec.start))
        event.add("DURATION", spec.duration)
        event.add("RRULE", icalendar.vRecur.from_ical(spec.rrule))
        for wall in spec.exdates:
            # One per line: some parsers read only the first value of a list.
            event.add("EXDATE", local(wall))
        summary, description = spec.summary, spec.description
    else:
        event.add("RECURRENCE-ID", local(override.start))
        event.add("DTSTART", local(override.start))
        event.add("DURATION", spec.duration)
        summary, description = override.summary, override.description
    event.add("SUMMARY", summary)
    event.add("DESCRIPTION", description)
    if spec.location:
        event.add("LOCATION", spec.location)
    event.add("CATEGORIES", list(spec.categories))
    event.add("TRANSP", "OPAQUE")
    if spec.reminder:
        alarm = icalendar.Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", spec.summary)
        alarm.add("TRIGGER", dt.timedelta(minutes=-spec.reminder))
        event.add_component(alarm)
    return event
