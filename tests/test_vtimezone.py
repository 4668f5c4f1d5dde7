"""The VTIMEZONEs ritual writes must give every calendar the zone's real offsets.

Each check reads our bytes back with a parser that did not write them and
compares with `zoneinfo`: dateutil's VTIMEZONE reader (what icalendar and
recurring-ical-events use for a TZID they do not know by name), vobject (what
Radicale and other CalDAV servers expand with) and ical.js (Thunderbird's
parser, through tests/icaljs.py).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
import zoneinfo
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from icaljs import expand_with_icaljs
from ritualcli.core.vtimezone import ZoneReport, build_vtimezone

SPAN = (dt.date(2026, 1, 1), dt.date(2036, 12, 31))
# Zones with DST, without it, southern, half-hour DST, midnight changes (Chile),
# rules that are not "nth Sunday", and Morocco's Ramadan.
ZONES = (
    "America/New_York",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Europe/London",
    "America/Sao_Paulo",
    "America/Santiago",
    "Australia/Lord_Howe",
    "Asia/Tehran",
    "Africa/Casablanca",
    "Pacific/Auckland",
    "Europe/Moscow",
)
# Zones whose rules changed inside this older span: the fallback must hold.
CHANGED_SPAN = (dt.date(2010, 1, 1), dt.date(2030, 12, 31))
CHANGED_ZONES = ("America/Sao_Paulo", "Europe/Moscow")
CASES = [(zone, SPAN) for zone in ZONES] + [(zone, CHANGED_SPAN) for zone in CHANGED_ZONES]

# Saturday and Sunday at 19:00 bracket the changes, which happen on Sunday
# night or Saturday midnight; 600 weeks of them cover the span.
EVENT_TIME = dt.time(19, 0)
WEEKS = 600
WEEKEND = ("SA", "SU")
# Where Saturdays add nothing, Sundays alone save time: ical.js needs about
# half a millisecond an instance.
SUNDAYS = ("SU",)
_WEEKDAY = {"SA": 5, "SU": 6}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# icalendar caches a VTIMEZONE it does not know by name under its TZID for the
# whole process, first file wins; each calendar needs a name of its own.
CUSTOM_TZID = "Custom/Zone-{}"


def _case_id(case: tuple[str, tuple[dt.date, dt.date]]) -> str:
    return f"{case[0]}-{case[1][0].year}"


def _calendar(
    tzname: str,
    span: tuple[dt.date, dt.date],
    tzid: str | None = None,
    days: tuple[str, ...] = WEEKEND,
) -> bytes:
    """A VCALENDAR with our VTIMEZONE and a weekly event at 19:00 local time.

    With `tzid`, the zone is renamed so that no parser can look the name up in
    its own database and must read the VTIMEZONE we wrote.
    """
    vtimezone, _ = build_vtimezone(tzname, *span)
    name = tzid.format(uuid.uuid4().hex) if tzid else tzname
    vtimezone["TZID"] = name
    first = dt.datetime.combine(_expected_days(span, days)[0], EVENT_TIME)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ritual//tests//EN",
        vtimezone.to_ical().decode().strip(),
        "BEGIN:VEVENT",
        f"UID:weekly-{tzname}@ritual.test",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART;TZID={name}:{first:%Y%m%dT%H%M%S}",
        "DURATION:PT1H",
        f"RRULE:FREQ=WEEKLY;BYDAY={','.join(days)};COUNT={WEEKS * len(days)}",
        "SUMMARY:Weekly check-in",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def _expected_days(span: tuple[dt.date, dt.date], days: tuple[str, ...]) -> list[dt.date]:
    monday = span[0] - dt.timedelta(days=span[0].weekday())
    found = [
        monday + dt.timedelta(weeks=week, days=_WEEKDAY[day]) for week in range(WEEKS + 1) for day in days
    ]
    return [day for day in found if day >= span[0]][: WEEKS * len(days)]


def _expected_starts(
    tzname: str, span: tuple[dt.date, dt.date], days: tuple[str, ...] = WEEKEND
) -> list[dt.datetime]:
    """What `zoneinfo` says each instance is: 19:00 local, that day's offset."""
    zone = ZoneInfo(tzname)
    return [dt.datetime.combine(day, EVENT_TIME, tzinfo=zone) for day in _expected_days(span, days)]


def _offsets(starts: list[dt.datetime]) -> list[tuple[str, dt.timedelta | None]]:
    return [(f"{start:%Y-%m-%dT%H:%M}", start.utcoffset()) for start in starts]


def _expand_python(ics: bytes, span: tuple[dt.date, dt.date]) -> list[dt.datetime]:
    calendar = icalendar.Calendar.from_ical(ics)
    events = recurring_ical_events.of(calendar).between(span[0], span[1] + dt.timedelta(days=3650))
    return sorted(event["DTSTART"].dt for event in events)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
@pytest.mark.parametrize("tzid", [None, CUSTOM_TZID], ids=["zone-name", "custom-tzid"])
def test_recurring_ical_events_reads_zoneinfo_offsets(
    case: tuple[str, tuple[dt.date, dt.date]], tzid: str | None
) -> None:
    # Under its real name icalendar maps the TZID to zoneinfo, which only
    # proves the file parses, so Sundays will do; under a custom name
    # dateutil reads our rules, and Saturdays bracket each change.
    tzname, span = case
    days = WEEKEND if tzid else SUNDAYS
    got = _expand_python(_calendar(tzname, span, tzid, days), span)
    assert _offsets(got) == _offsets(_expected_starts(tzname, span, days))


@pytest.fixture(scope="module")
def icaljs_starts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """ical.js's reading of every case, keyed by case id.

    Thunderbird's parser takes about half a second per calendar here, so the
    cases run side by side, once per module.
    """
    folder = tmp_path_factory.mktemp("icaljs")
    paths = {}
    for case in CASES:
        paths[_case_id(case)] = path = folder / f"{_case_id(case).replace('/', '_')}.ics"
        path.write_bytes(_calendar(*case, days=SUNDAYS))

    def expand(path: Path) -> list[dict[str, Any]]:
        return expand_with_icaljs(path, dt.date(2000, 1, 1), dt.date(2100, 1, 1))

    # Any skip or failure (no node, no ical.js) is raised here, before threads.
    expand(paths[_case_id(CASES[0])])
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        results = pool.map(expand, paths.values())
        return dict(zip(paths, results, strict=True))


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_icaljs_reads_zoneinfo_offsets(
    case: tuple[str, tuple[dt.date, dt.date]], icaljs_starts: dict[str, list[dict[str, Any]]]
) -> None:
    occurrences = icaljs_starts[_case_id(case)]
    expected = [start.isoformat() for start in _expected_starts(*case, days=SUNDAYS)]
    assert [occurrence["start"] for occurrence in occurrences] == expected
    # ical.js also computes each end on the zone's clock: an hour later.
    assert all(
        dt.datetime.fromisoformat(o["end"]) - dt.datetime.fromisoformat(o["start"]) == dt.timedelta(hours=1)
        for o in occurrences
    )


def _observances(vtimezone: icalendar.Timezone) -> list[icalendar.Component]:
    """The observances as a parser sees them, read back from our bytes."""
    parsed = icalendar.Timezone.from_ical(vtimezone.to_ical())
    return [c for c in parsed.subcomponents if c.name in ("STANDARD", "DAYLIGHT")]


@pytest.mark.parametrize("tzname", ["America/New_York", "Europe/Berlin", "Australia/Sydney"])
def test_dst_zones_are_two_open_yearly_rules_not_date_lists(tzname: str) -> None:
    vtimezone, report = build_vtimezone(tzname, *SPAN)
    assert b"RDATE" not in vtimezone.to_ical()
    observances = _observances(vtimezone)
    assert sorted(o.name for o in observances) == ["DAYLIGHT", "STANDARD"]
    for observance in observances:
        rule = observance["RRULE"]
        assert rule["FREQ"] == ["YEARLY"]
        # Open-ended, so the calendar stays right after the planned span.
        assert "UNTIL" not in rule
        assert "TZID" not in observance["DTSTART"].params
    assert report == ZoneReport(warnings=())


def test_new_york_reads_like_the_usa_rule() -> None:
    vtimezone, _ = build_vtimezone("America/New_York", *SPAN)
    rules = {o["TZNAME"]: o["RRULE"] for o in _observances(vtimezone)}
    assert rules["EDT"]["BYMONTH"] == [3]
    assert rules["EDT"]["BYDAY"] == ["2SU"]
    assert rules["EST"]["BYMONTH"] == [11]
    assert rules["EST"]["BYDAY"] == ["1SU"]
    # DTSTART is the wall clock before the change: 02:00 EST, 02:00 EDT.
    assert {o["DTSTART"].dt.time() for o in _observances(vtimezone)} == {dt.time(2, 0)}


def test_chile_rule_is_a_sunday_on_or_after_the_second() -> None:
    vtimezone, _ = build_vtimezone("America/Santiago", *SPAN)
    for observance in _observances(vtimezone):
        assert observance["RRULE"]["BYDAY"] == ["SU"]
        assert observance["RRULE"]["BYMONTHDAY"] == [2, 3, 4, 5, 6, 7, 8]
        # Chile changes at midnight: the wall clock reads 00:00 before it.
        assert observance["DTSTART"].dt.time() == dt.time(0, 0)


@pytest.mark.parametrize("tzname", ["Asia/Kolkata", "UTC", "Asia/Tehran", "America/Sao_Paulo"])
def test_zone_without_dst_is_one_standard_observance(tzname: str) -> None:
    vtimezone, report = build_vtimezone(tzname, *SPAN)
    [observance] = _observances(vtimezone)
    assert observance.name == "STANDARD"
    assert observance["TZOFFSETFROM"].td == observance["TZOFFSETTO"].td
    assert "RRULE" not in observance
    assert "RDATE" not in observance
    assert report.warnings == ()


@pytest.mark.parametrize("tzname", CHANGED_ZONES)
def test_rule_changes_in_the_span_are_bounded_and_reported(tzname: str) -> None:
    vtimezone, report = build_vtimezone(tzname, *CHANGED_SPAN)
    bounded = [o for o in _observances(vtimezone) if "UNTIL" in o.get("RRULE", {})]
    assert bounded
    for observance in bounded:
        [until] = observance["RRULE"]["UNTIL"]
        assert until.utcoffset() == dt.timedelta(0)  # RFC 5545: UTC in VTIMEZONE
    assert any("changes its clock rules" in warning for warning in report.warnings)


def test_ramadan_changes_are_written_one_by_one_and_reported() -> None:
    vtimezone, report = build_vtimezone("Africa/Casablanca", *SPAN)
    assert len(_observances(vtimezone)) > 20
    assert any("follow no yearly rule" in warning for warning in report.warnings)


def test_dublin_negative_dst_still_calls_summer_daylight() -> None:
    vtimezone, _ = build_vtimezone("Europe/Dublin", *SPAN)
    kinds = {o["TZNAME"]: o.name for o in _observances(vtimezone)}
    assert kinds == {"IST": "DAYLIGHT", "GMT": "STANDARD"}


def test_span_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        build_vtimezone("Europe/Berlin", dt.date(2030, 1, 1), dt.date(2029, 1, 1))


HYPOTHESIS_ZONES = (
    *ZONES,
    "UTC",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Kyiv",
    "Europe/Istanbul",
    "Asia/Jerusalem",
    "Asia/Gaza",
    "Africa/Cairo",
    "America/Asuncion",
    "America/Havana",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/St_Johns",
    "America/Nuuk",
    "America/Mexico_City",
    "Pacific/Chatham",
    "Pacific/Apia",
    "Australia/Adelaide",
    "Antarctica/Troll",
)


@settings(max_examples=30, deadline=None)
@given(
    tzname=st.sampled_from(HYPOTHESIS_ZONES),
    first_year=st.integers(min_value=2000, max_value=2040),
    years=st.integers(min_value=0, max_value=12),
    wall_time=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
)
def test_offsets_match_zoneinfo_every_day(
    tzname: str, first_year: int, years: int, wall_time: dt.time
) -> None:
    # One wall-clock time on every day of the span: any rule a day or an
    # hour off shows up. dateutil reads the VTIMEZONE (icalendar's own
    # `to_tz` with the name lookup turned off).
    start, end = dt.date(first_year, 1, 1), dt.date(first_year + years, 12, 31)
    vtimezone, _ = build_vtimezone(tzname, start, end)
    parsed = icalendar.Timezone.from_ical(vtimezone.to_ical())
    ours = parsed.to_tz(lookup_tzid=False)
    zone = ZoneInfo(tzname)
    wrong: list[Any] = []
    day = start
    while day <= end:
        local = dt.datetime.combine(day, wall_time)
        expected = zone.utcoffset(local)
        # Times in a gap or an overlap have no single right answer; RFC
        # 5545's choice there is the export's business, not the VTIMEZONE's.
        if expected == zone.utcoffset(local.replace(fold=1)):
            got = local.replace(tzinfo=ours).utcoffset()
            if got != expected:
                wrong.append((local, got, expected))
        day += dt.timedelta(days=1)
    assert wrong == []


# --------------------------------------------------------------------------- vobject (CalDAV servers)

# Zones on GMT for part of the year, which vobject took for UTC when their
# observances began shortly before the first event, and a few others.
GMT_ZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Atlantic/Canary",
    "Atlantic/Faroe",
    "Africa/Casablanca",
    "Africa/El_Aaiun",
    "Antarctica/Troll",
    "Atlantic/Azores",
    "America/Scoresbysund",
    "Africa/Abidjan",
    "UTC",
)


def _vobject_starts(tzname: str, span: tuple[dt.date, dt.date]) -> list[dt.datetime]:
    """Sunday 19:00 instances as vobject computes them, after a round trip through
    vobject's own serializer: what a vobject-based server stores and expands.

    vobject keeps the first VTIMEZONE it reads for a TZID for the rest of the
    process; each calendar gets a TZID of its own, or the first span read for a
    zone would stand for every later one.
    """
    text = _calendar(tzname, span, CUSTOM_TZID, days=SUNDAYS).decode()
    stored = vobject.readOne(vobject.readOne(text).serialize())
    return [start.astimezone(dt.UTC) for start in stored.vevent.getrruleset(addRDate=True)]


def _assert_vobject_reads(tzname: str, span: tuple[dt.date, dt.date]) -> None:
    expected = [start.astimezone(dt.UTC) for start in _expected_starts(tzname, span, SUNDAYS)]
    got = _vobject_starts(tzname, span)
    wrong = [(want, have) for want, have in zip(expected, got, strict=True) if want != have]
    assert wrong == [], f"{tzname}: {len(wrong)} of {len(expected)} instances off, first {wrong[:1]}"


@pytest.mark.parametrize("tzname", GMT_ZONES)
def test_vobject_reads_gmt_zones_right(tzname: str) -> None:
    _assert_vobject_reads(tzname, SPAN)


def test_vobject_reads_a_zone_whose_description_begins_on_utcs_offset() -> None:
    # This span's VTIMEZONE begins in Casablanca's Ramadan (+00): from 1970 it
    # holds +01, then changes to +00 where the zone's real description begins.
    span = (dt.date(2027, 3, 10), dt.date(2037, 12, 31))
    vtimezone, _ = build_vtimezone("Africa/Casablanca", *span)
    first, second = sorted(_observances(vtimezone), key=lambda o: o["DTSTART"].dt)[:2]
    assert first["TZOFFSETTO"].td == dt.timedelta(hours=1) and first["DTSTART"].dt.year == 1970
    assert second["TZOFFSETTO"].td == dt.timedelta(0) and second["DTSTART"].dt.year == 2026
    _assert_vobject_reads("Africa/Casablanca", span)


@settings(max_examples=25, deadline=None)
@given(
    tzname=st.sampled_from(sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})),
    first_year=st.integers(min_value=2000, max_value=2040),
)
def test_vobject_reads_any_zone_right(tzname: str, first_year: int) -> None:
    # All ~600 zones pass (checked once by hand: 14 s); a sample keeps CI quick.
    _assert_vobject_reads(tzname, (dt.date(first_year, 1, 1), dt.date(first_year + 10, 12, 31)))


@pytest.mark.parametrize("tzname", ["America/New_York", "Europe/London", "Australia/Lord_Howe"])
def test_yearly_rules_start_in_1970_as_google_writes_them(tzname: str) -> None:
    vtimezone, _ = build_vtimezone(tzname, *SPAN)
    starts = sorted(o["DTSTART"].dt for o in _observances(vtimezone))
    assert [start.year for start in starts] == [1970, 1970]
    for observance in _observances(vtimezone):
        start, rule = observance["DTSTART"].dt, observance["RRULE"]
        # DTSTART is the rule's own 1970 onset, so no parser sees an extra change.
        weekday = _WEEKDAYS[start.weekday()]
        assert rule["BYMONTH"] == [start.month]
        assert str(rule["BYDAY"][0]).endswith(weekday)


def test_a_zone_without_rules_holds_its_offset_from_1970() -> None:
    vtimezone, _ = build_vtimezone("Asia/Kolkata", *SPAN)
    [observance] = _observances(vtimezone)
    assert observance["DTSTART"].dt == dt.datetime(1970, 1, 1)
    assert observance["TZOFFSETTO"].td == dt.timedelta(hours=5, minutes=30)
