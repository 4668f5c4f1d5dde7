"""When the rituals happen: the schedule, checked against dates computed independently
(the calendar module; dateutil's expansion of the RRULE text the calendar export writes,
for any cadence, weekday, anchor and window), clock changes, skips, and the one
explanation every command gives for a day with nothing planned."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import random
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import COUPLE, Invoke
from histories import D, prefs_with
from ritualcli.core import preferences, schedule
from ritualcli.core.occurrence_finder import Absence, Look, Why, find
from ritualcli.core.preferences import Preferences
from ritualcli.core.schedule import Occurrence

UTC = dt.UTC


def prefs(
    zone: str = "America/New_York", start: str | None = "2026-01-01", **tables: dict
) -> preferences.Preferences:
    doc: dict = {"couple": {"partners": ["Alex", "Sam"], "timezone": zone}}
    if start:
        doc["couple"]["start"] = dt.date.fromisoformat(start)
    doc.update(tables)
    return preferences.from_mapping(doc)


ZONES = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata"]


@pytest.mark.parametrize("zone", ZONES)
def test_weekly_checkin_keeps_local_time_across_every_dst_change(zone: str) -> None:
    p = prefs(zone, checkin={"day": "sunday", "time": "19:00"}, date_night={"enabled": False})
    occ = schedule.occurrences(p, dt.date(2026, 1, 1), dt.date(2031, 1, 1))
    tz = ZoneInfo(zone)
    assert len(occ) == 261  # Sundays from 2026-01-04 to 2030-12-29
    offsets = set()
    for o in occ:
        assert o.start.weekday() == 6
        assert (o.start.hour, o.start.minute) == (19, 0)
        # the offset is the zone's real offset that evening, not a fixed one
        assert o.start.utcoffset() == dt.datetime.combine(o.date, dt.time(19), tz).utcoffset()
        assert o.end - o.start == dt.timedelta(minutes=30)
        offsets.add(o.start.utcoffset())
    assert len(offsets) == (1 if zone == "Asia/Kolkata" else 2)


@pytest.mark.parametrize("zone", ZONES)
def test_monthly_last_weekday(zone: str) -> None:
    p = prefs(
        zone,
        checkin={"enabled": False},
        date_night={"cadence": "monthly", "day": "sunday", "week_of_month": -1, "time": "18:00"},
    )
    occ = schedule.occurrences(p, dt.date(2026, 1, 1), dt.date(2028, 1, 1))
    expected = []
    for year in (2026, 2027):
        for month in range(1, 13):
            weeks = calendar.monthcalendar(year, month)
            last_sunday = max(w[6] for w in weeks)
            expected.append(dt.date(year, month, last_sunday))
    assert [o.date for o in occ] == expected
    assert all((o.start.hour, o.start.minute) == (18, 0) for o in occ)


def test_monthly_nth_weekday() -> None:
    p = prefs(checkin={"enabled": False}, date_night={"day": "friday", "week_of_month": 3})
    occ = schedule.occurrences(p, dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    for o in occ:
        assert o.date.weekday() == 4
        assert 15 <= o.date.day <= 21  # the third Friday is always the 15th..21st
    assert len(occ) == 12


@pytest.mark.parametrize("zone", ZONES)
def test_biweekly_phase_counts_from_start_not_from_today(zone: str) -> None:
    p = prefs(
        zone,
        start="2026-03-02",
        checkin={"cadence": "biweekly", "day": "wednesday"},
        date_night={"enabled": False},
    )
    first = dt.date(2026, 3, 4)  # the first Wednesday on or after start
    # Asking from several different days must give the same phase.
    for frm in (dt.date(2026, 3, 1), dt.date(2026, 3, 12), dt.date(2026, 7, 9), dt.date(2029, 2, 1)):
        occ = schedule.occurrences(p, frm, frm + dt.timedelta(days=120))
        assert occ, frm
        for o in occ:
            assert (o.date - first).days % 14 == 0
            assert o.date >= frm
        assert (occ[0].date - frm).days < 14


def test_biweekly_without_start_is_stable_across_days() -> None:
    p = prefs(start=None, checkin={"cadence": "biweekly"}, date_night={"enabled": False})
    a = schedule.occurrences(p, dt.date(2026, 5, 1), dt.date(2026, 9, 1))
    b = schedule.occurrences(p, dt.date(2026, 5, 9), dt.date(2026, 9, 1))
    assert {o.date for o in b} <= {o.date for o in a}
    assert all((y.date - x.date).days == 14 for x, y in itertools.pairwise(a))


def test_nothing_before_start() -> None:
    p = prefs(start="2026-11-23")
    occ = schedule.occurrences(p, dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert occ and min(o.date for o in occ) >= dt.date(2026, 11, 23)


def test_skip_dates_and_ranges_across_dst() -> None:
    p = prefs(
        "Europe/Berlin",
        skip={
            "dates": [dt.date(2026, 12, 27)],
            # crosses the 2027-03-28 spring-forward
            "ranges": [{"from": dt.date(2027, 3, 20), "to": dt.date(2027, 4, 5), "note": "Trip"}],
        },
        date_night={"enabled": False},
    )
    occ = schedule.occurrences(p, dt.date(2026, 12, 1), dt.date(2027, 5, 1))
    days = {o.date for o in occ}
    assert dt.date(2026, 12, 27) not in days
    assert not {dt.date(2027, 3, 21), dt.date(2027, 3, 28), dt.date(2027, 4, 4)} & days
    assert dt.date(2027, 4, 11) in days and dt.date(2027, 3, 14) in days
    assert all(o.start.hour == 19 for o in occ)
    # slot numbers count skipped slots too, so rotation depends on the date alone
    by_date = {o.date: o.slot for o in occ}
    assert by_date[dt.date(2027, 4, 11)] - by_date[dt.date(2027, 3, 14)] == 4


def test_rrule_text() -> None:
    p = prefs(
        checkin={"cadence": "biweekly", "day": "monday"}, date_night={"week_of_month": -1, "day": "sunday"}
    )
    assert schedule.rrule_text(p.checkin) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;WKST=MO"
    assert schedule.rrule_text(p.date_night) == "FREQ=MONTHLY;BYDAY=-1SU"


@settings(max_examples=300, deadline=None)
@given(
    cadence=st.sampled_from(preferences.CADENCES),
    day=st.sampled_from(preferences.WEEKDAYS),
    week=st.sampled_from([1, 2, 3, 4, -1]),
    anchor=st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)),
    offset=st.integers(-400, 3000),
    span=st.integers(0, 900),
)
def test_dates_are_what_dateutil_expands_from_the_rrule_text(
    cadence: str, day: str, week: int, anchor: dt.date, offset: int, span: int
) -> None:
    from dateutil.rrule import rrulestr

    p = prefs(
        start=anchor.isoformat(),
        checkin={"cadence": cadence, "day": day, "week_of_month": week},
        date_night={"enabled": False},
    )
    ritual = p.checkin
    frm = anchor + dt.timedelta(days=offset)
    until = frm + dt.timedelta(days=span)
    ours = [o.date for o in schedule.occurrences(p, frm, until, ["checkin"])]
    # As the calendar says it: DTSTART is the series' first slot, the RRULE does the rest.
    dtstart = dt.datetime.combine(schedule.first_slot(ritual, anchor), dt.time())
    rule = rrulestr(schedule.rrule_text(ritual), dtstart=dtstart)
    theirs = [
        m.date()
        for m in rule.between(
            dt.datetime.combine(frm, dt.time()), dt.datetime.combine(until, dt.time()), inc=True
        )
        if m.date() < until
    ]
    assert ours == theirs


SKIPS = "[skip]\ndates = [2027-01-03]\nranges = [{ from = 2027-07-01, to = 2027-08-20 }]\n"


@pytest.mark.parametrize(
    "checkin",
    [
        "",
        '[checkin]\ncadence = "biweekly"\nday = "wednesday"\n',
        '[checkin]\ncadence = "monthly"\nweek_of_month = -1\nday = "saturday"\n',
        '[checkin]\ncadence = "monthly"\nweek_of_month = 2\n',
    ],
)
def test_planned_dates_are_the_occurrences_own(checkin: str) -> None:
    prefs = preferences.parse_bytes((COUPLE + checkin + SKIPS).encode())

    def long_way(frm: dt.date, until: dt.date) -> tuple[dt.date, ...]:
        return tuple(o.date for o in schedule.occurrences(prefs, frm, until, ["checkin"]))

    start = dt.date(2026, 10, 1)
    # an export's windows, a week apart and sliding forward, then jumps either way
    windows = [(start + dt.timedelta(weeks=i), start + dt.timedelta(weeks=i, days=131)) for i in range(120)]
    rng = random.Random(7)
    for _ in range(60):
        frm = start + dt.timedelta(days=rng.randrange(0, 1500))
        windows.append((frm, frm + dt.timedelta(days=rng.randrange(0, 400))))
    for frm, until in windows:
        assert tuple(schedule.planned_dates(prefs, prefs.checkin, frm, until)) == long_way(frm, until), (
            frm,
            until,
        )
    # other preferences (an edited file) give their own dates
    other = preferences.parse_bytes((COUPLE + '[checkin]\nday = "monday"\n').encode())
    frm, until = dt.date(2027, 3, 1), dt.date(2027, 4, 1)
    assert tuple(schedule.planned_dates(prefs, prefs.checkin, frm, until)) == long_way(frm, until)
    assert tuple(schedule.planned_dates(other, other.checkin, frm, until)) == tuple(
        o.date for o in schedule.occurrences(other, frm, until, ["checkin"])
    )
    assert all(d.weekday() == 0 for d in tuple(schedule.planned_dates(other, other.checkin, frm, until)))


# --------------------------------------------------------------------------- clock changes


def test_nonexistent_time_uses_offset_before_gap() -> None:
    # 02:30 does not exist on 2027-03-14 in New York: RFC 5545 reads it with EST -> 03:30 EDT.
    p = prefs(checkin={"time": "02:30", "duration": 60}, date_night={"enabled": False})
    (o,) = schedule.occurrences(p, dt.date(2027, 3, 14), dt.date(2027, 3, 15))
    assert o.start.astimezone(UTC) == dt.datetime(2027, 3, 14, 7, 30, tzinfo=UTC)
    assert o.start.isoformat() == "2027-03-14T03:30:00-04:00"
    assert o.end - o.start == dt.timedelta(minutes=60)


def test_ambiguous_time_is_the_first_and_lasts_its_duration() -> None:
    # 01:30 happens twice on 2027-11-07 in New York: the first (EDT) is used.
    p = prefs(checkin={"time": "01:30", "duration": 60}, date_night={"enabled": False})
    (o,) = schedule.occurrences(p, dt.date(2027, 11, 7), dt.date(2027, 11, 8))
    assert o.start.isoformat() == "2027-11-07T01:30:00-04:00"
    # exactly 60 real minutes later: 01:30 again, now EST
    assert o.end.isoformat() == "2027-11-07T01:30:00-05:00"
    assert o.end.astimezone(UTC) - o.start.astimezone(UTC) == dt.timedelta(hours=1)


def test_clock_warnings_name_first_date_and_a_safe_time() -> None:
    p = prefs(checkin={"time": "02:30"}, date_night={"enabled": False})
    (w,) = schedule.clock_warnings(p, dt.date(2026, 11, 1), dt.date(2027, 11, 1))
    assert (w.day, w.issue) == (dt.date(2027, 3, 14), "gap")
    assert w.suggestion is not None
    tz = ZoneInfo("America/New_York")
    for day in (dt.date(2027, 3, 14), dt.date(2027, 11, 7)):
        assert schedule.clock_issue(dt.datetime.combine(day, w.suggestion), tz) is None
    assert "2027-03-14" in w.message("America/New_York")


def test_chile_midnight_gap() -> None:
    # Chile springs forward at 24:00 Saturday: 00:30 on that Sunday does not exist.
    p = prefs("America/Santiago", checkin={"time": "00:30"}, date_night={"enabled": False})
    (w,) = schedule.clock_warnings(p, dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    assert w.issue == "gap" and w.day == dt.date(2026, 9, 6)


def test_safe_times_warn_nothing() -> None:
    for zone in ZONES:
        assert schedule.clock_warnings(prefs(zone), dt.date(2026, 1, 1), dt.date(2036, 1, 1)) == []


# --------------------------------------------------------------------------- a day with nothing planned
# COUPLE: check-ins on Sundays from 2026-11-23 (first: 2026-11-29); date nights on the
# first Friday of each month (2026-12-04, 2027-01-01, 2027-02-05 …).


def absence(prefs: Preferences, kind: str, day: dt.date, look: Look = Look.ON) -> Absence:
    found = find(prefs, kind, day, look)
    assert isinstance(found, Absence), found
    return found


def test_a_planned_day_is_its_occurrence() -> None:
    found = find(prefs_with(), "checkin", D(2026, 12, 6))
    assert isinstance(found, Occurrence)
    assert (found.ritual, found.date, f"{found.start:%H:%M}") == ("checkin", D(2026, 12, 6), "19:00")


def test_another_weekday_says_when_the_ritual_is_and_the_nearest_dates() -> None:
    a = absence(prefs_with(), "checkin", D(2026, 12, 1))
    assert a.why is Why.OTHER_DAY and (a.before, a.after) == (D(2026, 11, 29), D(2026, 12, 6))
    assert a.message == (
        "no check-in is planned on Tue 2026-12-01: check-ins are on Sundays; "
        "the nearest planned: Sun 2026-11-29 and Sun 2026-12-06"
    )


@pytest.mark.parametrize(
    ("extra", "kind", "day", "rhythm"),
    [
        ('[checkin]\ncadence = "biweekly"\n', "checkin", D(2026, 12, 6), "check-ins are every other Sunday"),
        ("", "date-night", D(2026, 12, 11), "date nights are on the first Friday of the month"),
        (
            "[date_night]\nweek_of_month = -1\n",
            "date-night",
            D(2026, 12, 4),
            "date nights are on the last Friday of the month",
        ),
    ],
)
def test_the_rule_is_said_in_words(extra: str, kind: str, day: dt.date, rhythm: str) -> None:
    a = absence(prefs_with(extra), kind, day)
    assert a.why is Why.OTHER_DAY and f": {rhythm}; the nearest planned: " in a.message


def test_a_skip_range_gives_its_note_and_span_and_the_nearest_dates_around_it() -> None:
    prefs = prefs_with('[skip]\nranges = [{ from = 2026-12-20, to = 2027-01-02, note = "Holidays" }]\n')
    a = absence(prefs, "checkin", D(2026, 12, 27))
    assert a.why is Why.SKIPPED and (a.before, a.after) == (D(2026, 12, 13), D(2027, 1, 3))
    assert a.message == (
        'the check-in of Sun 2026-12-27 is skipped (skip.ranges: "Holidays", 2026-12-20 to 2027-01-02); '
        "the nearest planned: Sun 2026-12-13 and Sun 2027-01-03"
    )
    assert a.hint is not None and "[skip]" in a.hint


def test_a_skip_date_and_a_range_without_a_note() -> None:
    prefs = prefs_with("[skip]\ndates = [2026-12-06]\nranges = [{ from = 2027-01-01, to = 2027-01-31 }]\n")
    assert "is skipped (skip.dates)" in absence(prefs, "checkin", D(2026, 12, 6)).message
    assert (
        "is skipped (skip.ranges: 2027-01-01 to 2027-01-31)"
        in absence(prefs, "checkin", D(2027, 1, 10)).message
    )
    # A skipped day that was never a check-in day is explained by the rule, not the skip.
    assert absence(prefs, "checkin", D(2027, 1, 12)).why is Why.OTHER_DAY


def test_before_the_start_names_couple_start() -> None:
    a = absence(prefs_with(), "checkin", D(2026, 11, 22))
    assert a.why is Why.BEFORE_START and (a.before, a.after) == (None, D(2026, 11, 29))
    assert a.message == (
        "no check-in on Sun 2026-11-22: nothing is planned before couple.start (2026-11-23); "
        "the nearest planned: Sun 2026-11-29"
    )


def test_a_ritual_turned_off_names_its_setting_whatever_the_day() -> None:
    prefs = prefs_with("[date_night]\nenabled = false\n")
    for look in Look:
        a = absence(prefs, "date-night", D(2026, 12, 4), look)
        assert a.why is Why.DISABLED
        assert (
            a.message == "no date night is planned: date nights are turned off (date_night.enabled = false)"
        )
        assert a.hint is not None and "[date_night]" in a.hint


def test_nothing_within_two_years_says_so() -> None:
    prefs = prefs_with("[skip]\nranges = [{ from = 2026-11-23, to = 2031-11-23 }]\n")
    a = absence(prefs, "checkin", D(2028, 12, 3))
    assert (a.before, a.after) == (None, None)
    assert a.message.endswith("; none is planned within two years")


def test_looking_before_or_after_finds_the_nearest_occurrence() -> None:
    prefs = prefs_with()
    before = find(prefs, "checkin", D(2026, 12, 2), Look.ON_OR_BEFORE)
    after = find(prefs, "checkin", D(2026, 12, 2), Look.ON_OR_AFTER)
    assert isinstance(before, Occurrence) and before.date == D(2026, 11, 29)
    assert isinstance(after, Occurrence) and after.date == D(2026, 12, 6)
    a = absence(prefs, "checkin", D(2026, 11, 24), Look.ON_OR_BEFORE)
    assert a.why is Why.NONE_NEAR and a.message == "no check-in is planned on or before 2026-11-24"


@pytest.mark.parametrize(
    ("day", "explained"),
    [
        ("2026-12-01", "no check-in is planned on Tue 2026-12-01: check-ins are on Sundays"),
        ("2026-12-27", 'the check-in of Sun 2026-12-27 is skipped (skip.ranges: "Holidays"'),
        ("2026-11-22", "nothing is planned before couple.start (2026-11-23)"),
    ],
)
def test_agenda_done_and_skip_explain_a_day_alike(
    cli: Invoke, write_config: Callable[..., Path], day: str, explained: str
) -> None:
    write_config(COUPLE + '[skip]\nranges = [{ from = 2026-12-20, to = 2027-01-02, note = "Holidays" }]\n')
    env = {"RITUAL_TODAY": "2027-01-20"}
    for args in (["agenda", "checkin"], ["done", "checkin"], ["skip", "checkin"]):
        err = cli(*args, "--date", day, code=2, env=env).stderr
        assert explained in err and "the nearest planned: Sun " in err, args
        assert ("--unplanned" in err) == (args[0] == "done"), args  # only done can record it anyway
