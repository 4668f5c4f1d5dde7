"""The calendar's events: one builder, one set of components per UID.

``build`` takes the preferences, what the calendar published before
(``CalendarState``), "now" and "today", and returns an ``Export``: per series
(one UID) a ``Resource`` holding its master event, the instances stated on
their own and the VTIMEZONE they use. ``ritual export ics`` writes them all as
one VCALENDAR with METHOD:PUBLISH (``Export.data``); a CalDAV client puts each
``Resource.ical()`` at its own URL, without METHOD (RFC 4791 §4.1). It neither
prints nor writes files (``calendar_file`` does that).

How a series becomes events, and why:

- RRULE is ``schedule.rrule_text``, the very text ``ritual plan`` expands, and
  DTSTART the first real (not skipped) occurrence in the series, at the couple's
  wall time with TZID. A series that ended (``calendar_series``) has UNTIL: the
  last second before the day the next series begins, in UTC, so every parser
  keeps each instance of its last day, however it reads a clock change.
- DURATION, not DTEND. RFC 5545 reads ``PT30M`` as exact time (§3.3.6) and
  applies it to every instance (§3.8.5.3): an instance lasts exactly its
  duration even across a clock change, as in ``ritual plan``. Every parser we
  test reads it (recurring-ical-events, ical.js, vobject, Radicale), so no DTEND.
- One EXDATE line per skipped date, as a date-time with the same TZID, and only
  for a date that has an occurrence: ical.js mishandles an EXDATE that matches
  nothing, and khal a ``VALUE=DATE`` one.
- STATUS:CONFIRMED; a disabled ritual's series are STATUS:CANCELLED, and an
  instance published before that no longer happens (skipped, or gone with a
  schedule change) is restated as a cancelled instance, so an import or a sync
  takes it back. One published with an agenda that is no longer given one is
  restated plainly while it is ahead.
- SEQUENCE rises by one whenever anything a person would see changes (time,
  day, duration, skips, location, title, reminder, text, status); DTSTAMP and
  LAST-MODIFIED are when that last happened (kept in the state), so an
  unchanged re-export is the same bytes. ``SOURCE_DATE_EPOCH`` fixes DTSTAMP.
- Private calendars (the default) carry neutral titles, CLASS:PRIVATE and a
  description that says what the ritual is. ``--agendas N`` restates the next N
  instances with their own agenda, as plain text; those carry open commitments
  forward but never a rating, a note, or the support note that ratings trigger.

icalendar is imported inside the functions (ruff TID253): ``ritual plan``
imports ``schedule`` but must never pay for icalendar.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .. import __version__
from . import calendar_series, calendar_text, schedule
from .calendar_series import Planned
from .calendar_state import MAX_SEQUENCE, CalendarState, Series
from .digest import sha256_hex
from .preferences import Preferences, Ritual, ritual_title

if TYPE_CHECKING:
    import icalendar

    from .history import History

PRODID = f"-//ritual//ritualcli {__version__}//EN"
# The calendar's zone is described for this many years after the later of today
# and the first event (to the end of that year, so the bytes change at most
# once a year for this reason). Its rules are open-ended, so later years still
# read right unless the zone's rules change.
SPAN_YEARS = 10
_CATEGORY = "Rituals"


class Instance(NamedTuple):
    """One instance stated on its own (RECURRENCE-ID = its original start)."""

    start: dt.datetime  # naive local wall time, as the RRULE made it
    summary: str
    description: str
    agenda: bool = False  # its own agenda (else: restated as the series says, or cancelled)
    cancelled: bool = False


class EventSpec(NamedTuple):
    """Everything one series's events say, before they become icalendar objects."""

    kind: str
    uid: str
    start: dt.datetime  # naive local wall time of the first occurrence
    duration: dt.timedelta
    rrule: str | None  # None: no occurrence is left, the event is only cancelled
    until: dt.datetime | None  # aware UTC
    exdates: tuple[dt.datetime, ...]  # naive local wall times
    summary: str
    description: str
    location: str
    reminder: int  # minutes before; 0: no alarm
    private: bool
    cancelled: bool
    instances: tuple[Instance, ...] = ()

    def fingerprint(self) -> str:
        """Of everything a person could see: SEQUENCE rises when it changes."""
        return sha256_hex(repr(self))


class Resource(NamedTuple):
    """One UID's components: a calendar object resource (RFC 4791 §4.1)."""

    uid: str
    events: tuple[icalendar.Event, ...]  # the master first, then its instances
    vtimezone: icalendar.Timezone
    cancelled: bool = False  # the whole series (a disabled ritual, or no occurrence left)

    def ical(self) -> bytes:
        """This UID's events and their VTIMEZONE as a VCALENDAR without METHOD, for CalDAV."""
        cal = _calendar_head()
        cal.add_component(self.vtimezone)
        for event in self.events:
            cal.add_component(event)
        data: bytes = cal.to_ical()
        return data


class Export(NamedTuple):
    data: bytes  # the whole calendar, METHOD:PUBLISH
    state: CalendarState
    resources: tuple[Resource, ...]
    start: dt.date  # the first event's date: where the calendar begins
    end: dt.date  # the end of the span its VTIMEZONE is checked for
    events: int  # series published, cancelled ones aside
    cancelled: int  # series published as cancelled
    overrides: int  # instances with their own agenda
    warnings: tuple[str, ...]  # about the zone's rules


def build(
    prefs: Preferences,
    state: CalendarState,
    *,
    now: dt.datetime,
    today: dt.date,
    agendas: int = 0,
    user_dir: Path | None = None,
    history: History | None = None,
    fixed_stamp: bool = False,
) -> Export:
    """The calendar's events, the whole file's bytes and the state to keep for next time.

    ``now`` is aware; with ``fixed_stamp`` (SOURCE_DATE_EPOCH) it is every
    DTSTAMP, otherwise each series's DTSTAMP is when its content last changed.
    """
    import icalendar

    from .vtimezone import build_vtimezone

    now = now.astimezone(dt.UTC).replace(microsecond=0)
    install = calendar_series.install_id(prefs, state)
    settled = calendar_series.settle(prefs, state, install, today)
    # The schedule as this export leaves it: a change made today already splits a series,
    # and the agendas of the next occurrences (their focus, their follow-through) follow it.
    prefs = prefs._replace(series=tuple(p.series for p in settled))
    upcoming = _next_occurrences(prefs, today, agendas)
    kept: list[Series] = []
    versions: list[tuple[EventSpec, int, dt.datetime]] = []
    for planned in settled:
        spec = _spec(prefs, planned, upcoming, today, user_dir, history)
        old = planned.series
        if spec is None:  # never published and nothing to publish
            kept.append(old)
            continue
        key = spec.fingerprint()
        if old.content and old.content != key:
            sequence, stamp = min(old.sequence + 1, MAX_SEQUENCE), now
        elif old.content:
            sequence, stamp = old.sequence, old.stamp
        else:
            sequence, stamp = old.sequence, now
        instances = tuple(i.start for i in spec.instances)
        kept.append(old._replace(sequence=sequence, content=key, stamp=stamp, instances=instances))
        versions.append((spec, sequence, stamp))

    calendar_begins = calendar_series.calendar_start(prefs, state, today)
    begin = min((spec.start.date() for spec, _, _ in versions), default=calendar_begins)
    end = dt.date(max(begin, today).year + SPAN_YEARS, 12, 31)
    resources: tuple[Resource, ...] = ()
    warnings: tuple[str, ...] = ()
    if versions:
        vtimezone, report = build_vtimezone(prefs.couple.timezone, begin, end)
        warnings = report.warnings
        resources = tuple(
            Resource(
                spec.uid,
                _events(spec, prefs, seq, stamp, now if fixed_stamp else stamp),
                vtimezone,
                spec.cancelled,
            )
            for spec, seq, stamp in versions
        )

    cal = _calendar_head()
    cal.add("METHOD", "PUBLISH")
    # TEXT (RFC 7986; X-WR-CALNAME by convention): a ',' ';' or '\\' escaped, as in SUMMARY.
    cal.add("NAME", icalendar.vText(prefs.calendar.name))
    cal.add("X-WR-CALNAME", icalendar.vText(prefs.calendar.name))
    cal.add("X-WR-TIMEZONE", prefs.couple.timezone)
    if resources:
        cal.add_component(resources[0].vtimezone)
    for resource in resources:
        for event in resource.events:
            cal.add_component(event)

    # The example couple has no state: its calendar begins at its couple.start.
    new_state = state if prefs.is_example else CalendarState(install, state.anchor or today, tuple(kept))
    cancelled = sum(spec.cancelled for spec, _, _ in versions)
    overrides = sum(i.agenda for spec, _, _ in versions for i in spec.instances)
    return Export(
        cal.to_ical(),
        new_state,
        resources,
        begin,
        end,
        len(versions) - cancelled,
        cancelled,
        overrides,
        warnings,
    )


# --------------------------------------------------------------------------- what a series says


def _spec(
    prefs: Preferences,
    planned: Planned,
    upcoming: list[schedule.Occurrence],
    today: dt.date,
    user_dir: Path | None,
    history: History | None,
) -> EventSpec | None:
    ritual, ends = planned.ritual, planned.ends
    cancelled = not planned.enabled
    dates = calendar_series.extent(prefs, planned)
    if dates.first is None:
        if not planned.series.content:
            return None
        # Published before, no occurrence left (every one skipped since): take it back.
        cancelled, rrule, start = True, None, calendar_series.first_slot(prefs, planned)
    else:
        rrule, start = schedule.rrule_text(ritual), dates.first
    summary = ritual_title(ritual.kind)
    description = (
        calendar_text.neutral(ritual.kind) if prefs.calendar.private else calendar_text.about(prefs, ritual)
    )
    produced = {}
    if not cancelled and dates.first is not None:
        for occ in upcoming:
            if (
                occ.ritual == ritual.kind
                and dates.first.date() <= occ.date
                and (ends is None or occ.date < ends)
            ):
                instance = _with_agenda(prefs, ritual, occ, user_dir, history)
                produced[instance.start] = instance
    instances = dict(produced)
    for wall in planned.series.instances:
        if wall in produced:
            continue
        if cancelled or not calendar_series.occurs(prefs, planned, wall):
            instances[wall] = Instance(wall, summary, "", cancelled=True)
        elif wall.date() >= today:  # ahead, without its agenda now: say what the series says
            instances[wall] = Instance(wall, summary, description)
        # else: in the past and still as it was; forgotten, and calendars keep their copy
    return EventSpec(
        kind=ritual.kind,
        uid=planned.series.uid,
        start=start,
        duration=dt.timedelta(minutes=ritual.duration),
        rrule=rrule,
        until=dates.until if rrule else None,
        exdates=dates.exdates,
        summary=summary,
        description=description,
        location=ritual.location,
        reminder=ritual.reminder,
        private=prefs.calendar.private,
        cancelled=cancelled,
        instances=tuple(instances[k] for k in sorted(instances)),
    )


def _with_agenda(
    prefs: Preferences,
    ritual: Ritual,
    occ: schedule.Occurrence,
    user_dir: Path | None,
    history: History | None,
) -> Instance:
    from . import agenda, date_ideas, firstmonth, selection
    from .history import History

    summary = ritual_title(ritual.kind)
    if not prefs.calendar.private:
        if occ.ritual == "checkin":
            pick = selection.focus(prefs, occ, firstmonth.began(prefs, history))
        else:
            pick = date_ideas.idea(prefs, occ)
        if pick is not None:
            summary = f"{summary} · {pick.title}"
    # shared: calendars are synced and seen by others, so the support note that
    # ratings drive stays out; commitments carry over as in every agenda.
    text = agenda.render(prefs, occ, user_dir=user_dir, history=history or History(), shared=True)
    description = calendar_text.plain(text) + "\n\n" + calendar_text.pointer(occ.ritual, occ.date)
    return Instance(dt.datetime.combine(occ.date, ritual.time), summary, description, agenda=True)


def _next_occurrences(prefs: Preferences, today: dt.date, n: int) -> list[schedule.Occurrence]:
    if n <= 0:
        return []
    found: list[schedule.Occurrence] = []
    lo = today
    for _ in range(calendar_series.SEARCH_STEPS):
        found += schedule.occurrences(prefs, lo, lo + calendar_series.SEARCH_STEP)
        if len(found) >= n:
            break
        lo += calendar_series.SEARCH_STEP
    return found[:n]


# --------------------------------------------------------------------------- icalendar


def _calendar_head() -> icalendar.Calendar:
    import icalendar

    cal = icalendar.Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", PRODID)
    cal.add("CALSCALE", "GREGORIAN")
    return cal


def _events(
    spec: EventSpec, prefs: Preferences, sequence: int, stamp: dt.datetime, dtstamp: dt.datetime
) -> tuple[icalendar.Event, ...]:
    master = _event(spec, prefs, sequence, stamp, dtstamp, None)
    return (master, *(_event(spec, prefs, sequence, stamp, dtstamp, i) for i in spec.instances))


def _event(
    spec: EventSpec,
    prefs: Preferences,
    sequence: int,
    stamp: dt.datetime,
    dtstamp: dt.datetime,
    instance: Instance | None,
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
    event.add("DTSTAMP", dtstamp)
    event.add("LAST-MODIFIED", stamp)
    event.add("SEQUENCE", sequence)
    cancelled = spec.cancelled
    if instance is None:
        event.add("DTSTART", local(spec.start))
        event.add("DURATION", spec.duration)
        if spec.rrule is not None:
            rule = spec.rrule + (f";UNTIL={spec.until:%Y%m%dT%H%M%SZ}" if spec.until else "")
            event.add("RRULE", icalendar.vRecur.from_ical(rule))
        for wall in spec.exdates:
            # One per line: some parsers read only the first value of a list.
            event.add("EXDATE", local(wall))
        summary, description = spec.summary, spec.description
    else:
        event.add("RECURRENCE-ID", local(instance.start))
        event.add("DTSTART", local(instance.start))
        event.add("DURATION", spec.duration)
        summary, description = instance.summary, instance.description
        cancelled = cancelled or instance.cancelled
    event.add("SUMMARY", summary)
    if description:
        event.add("DESCRIPTION", description)
    if spec.location:
        event.add("LOCATION", spec.location)
    event.add("CATEGORIES", [_CATEGORY, spec.summary])
    if spec.private:
        # Never CLASS:PUBLIC: without CLASS a calendar keeps its own sharing settings.
        event.add("CLASS", "PRIVATE")
    event.add("STATUS", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("TRANSP", "TRANSPARENT" if cancelled else "OPAQUE")
    if spec.reminder and not cancelled:
        alarm = icalendar.Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", spec.summary)
        alarm.add("TRIGGER", dt.timedelta(minutes=-spec.reminder))
        event.add_component(alarm)
    return event
