"""`ritual export ics`: what calendar apps compute from the file is what `ritual plan` prints.

Each exported file is read three ways and compared with `ritual plan --format json`
over ten years (520 weeks, plan's limit): recurring-ical-events with the real
TZID (it then uses zoneinfo), recurring-ical-events with the TZID renamed to
"Custom/Couple" (so it can only use the file's own VTIMEZONE), and Mozilla's
ical.js, the parser inside Thunderbird, which always uses the file's VTIMEZONE.

Parsers disagree only about local times that a clock change skips or doubles, and
about instances that span a clock change; test_gap_and_overlap_times pins what
each one does there.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import stat
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import icalendar
import pytest
import recurring_ical_events

from calendars import (
    EPOCH,
    PLAIN_COUPLE,
    TODAY,
    Row,
    expand_js,
    expand_python,
    master,
    masters,
    plan_rows,
    rename_zone,
    unfold,
)
from icaljs import expand_with_icaljs
from ritualcli.core import calendar_ics, calendar_state, library

pytestmark = pytest.mark.usefixtures("pinned_clock")

# --------------------------------------------------------------------------- parity with plan

COUPLES = {
    # weekly check-in, last-Friday date night, a skip range across the March change
    "new-york": """
        [couple]
        partners = ["Alex", "Sam"]
        timezone = "America/New_York"
        start = 2026-11-23
        [checkin]
        day = "sunday"
        time = "19:00"
        [date_night]
        cadence = "monthly"
        day = "friday"
        week_of_month = -1
        time = "19:30"
        [skip]
        dates = [2026-12-25, 2027-01-03, 2031-11-02]
        ranges = [{ from = 2027-03-01, to = 2027-03-20, note = "Travel" }]
    """,
    # biweekly with no couple.start: the phase counts from plan's epoch, the
    # series from the first export
    "berlin": """
        [couple]
        partners = ["Anna", "Ben"]
        timezone = "Europe/Berlin"
        [checkin]
        cadence = "biweekly"
        day = "wednesday"
        time = "20:15"
        [date_night]
        cadence = "monthly"
        day = "saturday"
        week_of_month = 2
        time = "18:00"
        [skip]
        ranges = [{ from = 2027-10-20, to = 2027-11-05 }, { from = 2030-03-25, to = 2030-04-02 }]
    """,
    # southern hemisphere: DST ends in April, starts in October
    "sydney": """
        [couple]
        partners = ["Mia", "Noah"]
        timezone = "Australia/Sydney"
        start = 2026-11-23
        [checkin]
        day = "sunday"
        time = "18:30"
        [date_night]
        cadence = "monthly"
        day = "sunday"
        week_of_month = -1
        time = "12:00"
        duration = 180
        [skip]
        ranges = [{ from = 2027-03-28, to = 2027-04-10 }, { from = 2027-09-27, to = 2027-10-06 }]
    """,
    # no DST, a half-hour offset
    "kolkata": """
        [couple]
        partners = ["Asha", "Ravi"]
        timezone = "Asia/Kolkata"
        start = 2026-11-23
        [checkin]
        cadence = "biweekly"
        day = "monday"
        time = "21:00"
        [date_night]
        cadence = "monthly"
        day = "saturday"
        week_of_month = -1
        time = "19:00"
        [skip]
        ranges = [{ from = 2027-05-01, to = 2027-05-31 }]
    """,
    "london": """
        [couple]
        partners = ["Olivia", "Jack"]
        timezone = "Europe/London"
        start = 2026-11-23
        [checkin]
        day = "saturday"
        time = "09:00"
        [date_night]
        cadence = "biweekly"
        day = "friday"
        time = "19:00"
        [skip]
        ranges = [{ from = 2027-03-20, to = 2027-04-03 }]
    """,
    # DST abolished in 2019: one STANDARD observance
    "sao-paulo": """
        [couple]
        partners = ["Ana", "João"]
        timezone = "America/Sao_Paulo"
        start = 2026-11-23
        [checkin]
        cadence = "monthly"
        day = "sunday"
        week_of_month = -1
        time = "17:00"
        [date_night]
        cadence = "weekly"
        day = "thursday"
        time = "20:00"
        [skip]
        dates = [2027-02-11]
    """,
}


@pytest.mark.parametrize("couple", list(COUPLES))
def test_every_parser_computes_exactly_what_plan_prints_for_ten_years(
    couple: str, cli: Any, write_config: Any, export: Callable[..., bytes], tmp_path: Path
) -> None:
    text = "version = 1\n" + textwrap.dedent(COUPLES[couple])
    write_config(text)
    zone = re.search(r'timezone = "([^"]+)"', text).group(1)  # type: ignore[union-attr]
    start = re.search(r"start = (\S+)", text)
    frm = start.group(1) if start else TODAY  # no couple.start: the series starts at the first export
    data = export()
    expected = plan_rows(cli, frm)
    assert len(expected) > 300

    assert expand_python(data, frm) == expected
    custom = rename_zone(data, zone)
    assert expand_python(custom, frm) == expected, "with only the file's VTIMEZONE to go on"
    path = tmp_path / "rituals.ics"
    assert expand_js(path, frm) == expected, "ical.js (Thunderbird)"

    # The skip ranges cross clock changes: one EXDATE per skipped occurrence, with TZID.
    exdates = [line for line in unfold(data) if line.startswith("EXDATE")]
    assert exdates and all(line.startswith(f"EXDATE;TZID={zone}:") for line in exdates)


def test_vtimezone_is_yearly_rules_and_dtstart_is_the_first_real_occurrence(
    write_config: Any, export: Callable[..., bytes]
) -> None:
    write_config("version = 1\n" + textwrap.dedent(COUPLES["new-york"]))
    lines = unfold(export())
    assert not any(line.startswith("RDATE") for line in lines)
    rules = [line for line in lines if line.startswith("RRULE:FREQ=YEARLY")]
    assert rules == ["RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3", "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11"]
    # couple.start is Monday 2026-11-23: the first Sunday after it, the last Friday of November
    assert "DTSTART;TZID=America/New_York:20261129T190000" in lines
    assert "DTSTART;TZID=America/New_York:20261127T193000" in lines
    assert "RRULE:FREQ=WEEKLY;BYDAY=SU" in lines
    assert "RRULE:FREQ=MONTHLY;BYDAY=-1FR" in lines
    assert "DURATION:PT30M" in lines and "DURATION:PT2H30M" in lines
    # EXDATEs only for skipped dates that have an occurrence: 2026-12-25 is the last
    # Friday of December; the March range holds two Sundays and no last Friday.
    exdates = sorted(line.split(":")[1] for line in lines if line.startswith("EXDATE"))
    assert "20261225T193000" in exdates  # last Friday of December 2026
    assert "20270103T190000" in exdates
    assert not any(d.startswith("2027030") and d.endswith("193000") for d in exdates)  # no Friday slot
    assert [d for d in exdates if d.startswith("202703")] == [
        "20270307T190000",
        "20270314T190000",
    ]


# --------------------------------------------------------------------------- clock changes

GAPS = """
    version = 1
    [couple]
    partners = ["Alex", "Sam"]
    timezone = "America/New_York"
    start = 2026-11-23
    [checkin]
    day = "sunday"
    time = "02:30"
    [date_night]
    cadence = "weekly"
    day = "sunday"
    time = "01:30"
    duration = 60
    [skip]
    dates = [2027-03-14, 2028-11-05]
"""


def _utc(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso).astimezone(dt.UTC)


def test_gap_and_overlap_times(cli: Any, write_config: Any, tmp_path: Path) -> None:
    """02:30 does not exist on spring-forward Sundays in New York; 01:30 happens twice in November.

    `ritual plan` follows RFC 5545: a missing time is read with the offset before
    the gap (02:30 -> 03:30 EDT), a doubled one is the first, and an instance lasts
    exactly its duration. Measured here, and pinned so a parser upgrade that
    changes it is noticed:
    - recurring-ical-events with zoneinfo (real TZID): starts as RFC 5545; ends
      on the wall clock (02:30 + 30 min = 03:00 EDT, before the start).
    - recurring-ical-events with the file's VTIMEZONE (custom TZID) and ical.js:
      a missing time takes the offset after the gap (02:30 EDT, an hour early);
      ends on the wall clock. For a doubled 01:30, icalendar takes the first
      and ical.js the second (EST).
    No file can make them agree, so `ritual export ics` warns (below).
    """
    write_config(GAPS)
    out = tmp_path / "gaps.ics"
    result = cli("export", "ics", "--out", str(out))
    assert "check-in at 02:30 does not exist on 2027-03-14" not in result.stderr  # skipped
    assert "check-in at 02:30 does not exist on 2028-03-12" in result.stderr
    assert "date night at 01:30 happens twice on 2027-11-07" in result.stderr
    data = out.read_bytes()
    expected = plan_rows(cli, "2026-11-23")
    dst_days = {"2027-03-14", "2027-11-07", "2028-03-12", "2028-11-05"}
    dst_days |= {f"{y}-03-{d:02}" for y in range(2029, 2037) for d in range(8, 15)}
    dst_days |= {f"{y}-11-{d:02}" for y in range(2029, 2037) for d in range(1, 8)}

    def split(rows: list[Row]) -> tuple[list[Row], list[Row]]:
        return [r for r in rows if r[1][:10] not in dst_days], [r for r in rows if r[1][:10] in dst_days]

    plain, strange = split(expected)
    # skipped on the gap day (check-in) and the overlap day (date night): EXDATE works there too
    assert not [r for r in expected if r[1][:10] == "2027-03-14" and r[0] == "checkin"]
    assert not [r for r in expected if r[1][:10] == "2028-11-05" and r[0] == "date-night"]
    assert len(strange) > 30

    readings = {
        "zoneinfo": expand_python(data, "2026-11-23"),
        "vtimezone": expand_python(rename_zone(data, "America/New_York"), "2026-11-23"),
        "ical.js": expand_js(out, "2026-11-23"),
    }
    for name, rows in readings.items():
        got_plain, got_strange = split(rows)
        assert got_plain == plain, name
        # The same occurrences on the same local dates…
        by_day = sorted(strange, key=lambda r: (r[1][:10], r[0]))
        got_by_day = sorted(got_strange, key=lambda r: (r[1][:10], r[0]))
        assert [(r[0], r[1][:10]) for r in got_by_day] == [(r[0], r[1][:10]) for r in by_day], name
        # …with starts at most an hour from RFC 5545's.
        for want, got in zip(by_day, got_by_day, strict=True):
            assert abs(_utc(got[1]) - _utc(want[1])) <= dt.timedelta(hours=1), (name, want, got)

    # recurring-ical-events with zoneinfo follows RFC 5545 for every start.
    assert [_utc(r[1]) for r in readings["zoneinfo"]] == [_utc(r[1]) for r in expected]
    gap = next(r for r in strange if r[1].startswith("2028-03-12T03:30"))
    assert gap == ("checkin", "2028-03-12T03:30:00-04:00", "2028-03-12T04:00:00-04:00")
    assert ("checkin", "2028-03-12T02:30:00-05:00", "2028-03-12T03:00:00-04:00") in readings["zoneinfo"]
    assert ("checkin", "2028-03-12T02:30:00-04:00", "2028-03-12T03:00:00-04:00") in readings["ical.js"]
    overlap = ("date-night", "2027-11-07T01:30:00-04:00", "2027-11-07T01:30:00-05:00")
    assert overlap in expected
    assert ("date-night", "2027-11-07T01:30:00-04:00", "2027-11-07T02:30:00-05:00") in readings["zoneinfo"]
    assert ("date-night", "2027-11-07T01:30:00-05:00", "2027-11-07T02:30:00-05:00") in readings["ical.js"]


def test_zone_rule_changes_in_the_span_are_reported(cli: Any, write_config: Any, tmp_path: Path) -> None:
    # Mexico City stopped changing clocks in 2022.
    write_config(
        """
        version = 1
        [couple]
        partners = ["Luz", "Tomás"]
        timezone = "America/Mexico_City"
        start = 2021-06-01
        """
    )
    out = tmp_path / "mx.ics"
    result = cli("export", "ics", "--out", str(out))
    assert "warning: America/Mexico_City changes its clock rules" in result.stderr
    assert expand_python(out.read_bytes(), "2021-06-01") == plan_rows(cli, "2021-06-01")


# --------------------------------------------------------------------------- structure

NASTY = """
    version = 1
    [couple]
    partners = ["Zoë, \\"Z\\"", "Søren; \\\\o/ 🌈"]
    timezone = "Europe/Berlin"
    start = 2026-11-23
    [checkin]
    location = "Café Ümlaut; back room, 2nd floor \\\\ left 😀 — über-long name to force folding ✨✨✨✨✨✨✨"
    [date_night]
    location = "Åre, 🏔️; \\\\"
    [calendar]
    name = "Zoë & Søren's rituals 💞💞💞💞💞💞💞💞💞💞💞💞💞💞💞💞💞💞💞💞💞💞💞 ünïcödé"
    private = false
"""


def check_lines(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b""), "a bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "a bare CR"
    for number, line in enumerate(data.split(b"\r\n")[:-1], start=1):
        assert len(line) <= 75, f"line {number} is {len(line)} octets"
        line.decode("utf-8")  # raises if a fold split a character
        assert line.strip(b" "), f"line {number} is empty or only the fold's space"
        if line.startswith(b" "):
            assert len(line) > 1


def test_lines_are_folded_crlf_and_never_split_a_character(
    write_config: Any, export: Callable[..., bytes]
) -> None:
    write_config(NASTY)
    data = export("--agendas", "3")
    check_lines(data)
    assert any(line.startswith(b" ") for line in data.split(b"\r\n")), "nothing was long enough to fold"
    # A fold inside a multi-octet character would have made a line invalid UTF-8
    # above; make sure the folder did meet one and broke early before it.
    physical = data.split(b"\r\n")
    assert any(
        len(line) < 75 and after.startswith(b" ") and after[1] >= 0xC0
        for line, after in itertools.pairwise(physical)
    )


def test_every_event_has_uid_dtstamp_sequence_and_the_calendar_names_itself(
    write_config: Any, export: Callable[..., bytes]
) -> None:
    write_config(NASTY)
    cal = icalendar.Calendar.from_ical(export("--agendas", "3"))
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["VERSION"]) == "2.0"
    assert "ritual" in str(cal["PRODID"])
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Berlin"
    events = cal.walk("VEVENT")
    assert len(events) == 5
    for e in events:
        assert re.fullmatch(r"[0-9a-f]{32}@ritual", str(e["UID"]))
        assert e["DTSTAMP"].dt == dt.datetime.fromtimestamp(int(EPOCH), dt.UTC)
        assert int(e["SEQUENCE"]) == 0
        assert e["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert [str(c) for c in e["CATEGORIES"].cats] == ["Rituals", str(e["SUMMARY"]).split(" · ")[0]]
        (alarm,) = e.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm["TRIGGER"].dt < dt.timedelta(0)
    assert len({str(e["UID"]) for e in events}) == 2


def test_no_alarm_when_reminder_is_zero_and_no_event_for_a_disabled_ritual(
    write_config: Any, export: Callable[..., bytes]
) -> None:
    write_config(
        """
        version = 1
        [couple]
        partners = ["Alex", "Sam"]
        timezone = "America/New_York"
        [checkin]
        reminder = 0
        [date_night]
        enabled = false
        """
    )
    data = export()
    assert data.count(b"BEGIN:VEVENT") == 1
    assert b"VALARM" not in data
    assert b"LOCATION" not in data


# --------------------------------------------------------------------------- privacy


def test_private_calendar_has_neutral_titles_and_no_agenda_content(
    cli: Any, write_config: Any, export: Callable[..., bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config("version = 1\n" + textwrap.dedent(COUPLES["new-york"]))
    # Three low ratings in a row: the support note fires in the couple's own agenda.
    for day, today in (
        ("2026-11-29", "2026-11-30"),
        ("2026-12-06", "2026-12-07"),
        ("2026-12-13", "2026-12-14"),
    ):
        extra = ["--commit", "Alex: call the plumber about the sink"] if day == "2026-11-29" else []
        cli(
            "done", "checkin", "--date", day, "--rating", "Alex=3", "--rating", "Sam=9",
            *extra, "--note", "a very secret note", env={"RITUAL_TODAY": today},
        )  # fmt: skip
    monkeypatch.setenv("RITUAL_TODAY", "2026-12-14")
    own = cli("agenda", "checkin", "--date", "2026-12-20").stdout
    assert "plumber" in own and "couples therapist" in own  # the couple's own agenda has both

    data = export()
    text = "\n".join(unfold(data))
    lib = library.load()
    for title in [p.title for p in lib.practices] + [i.title for i in lib.ideas]:
        assert title not in text
    for secret in ("plumber", "secret note", "Alex", "Sam"):
        assert secret not in text
    summaries = {line for line in unfold(data) if line.startswith("SUMMARY")}
    assert summaries == {"SUMMARY:Check-in", "SUMMARY:Date night"}

    # Full agendas carry commitments forward, as every agenda does, but never a
    # rating, a note, or the support note that low ratings trigger.
    write_config("version = 1\n" + textwrap.dedent(COUPLES["new-york"]) + "\n[calendar]\nprivate = false\n")
    text = "\n".join(unfold(export("--agendas", "6"))).replace("\\n", "\n").replace("\\,", ",")
    assert "call the plumber about the sink" in text
    for secret in ("secret note", "3 / 10", "9 / 10", "couples therapist", "gentle note"):
        assert secret not in text


def test_agendas_override_the_next_instances_in_place(
    cli: Any, write_config: Any, export: Callable[..., bytes], tmp_path: Path
) -> None:
    write_config("version = 1\n" + textwrap.dedent(COUPLES["new-york"]) + "\n[calendar]\nprivate = false\n")
    plain = export()
    data = export("--agendas", "3", name="agendas.ics")
    assert data.count(b"RECURRENCE-ID;TZID=America/New_York:") == 3
    plan = json.loads(cli("plan", "--format", "json", "--weeks", "520").stdout)
    nxt = plan[:3]
    assert [r["ritual"] for r in nxt] == ["date-night", "checkin", "checkin"]

    # Same occurrences, same times: the overrides replace instances, they add none.
    assert expand_python(data, "2026-11-23", 104) == expand_python(plain, "2026-11-23", 104)
    js = expand_js(tmp_path / "agendas.ics", "2026-11-23", 104)
    assert js == expand_js(tmp_path / "rituals.ics", "2026-11-23", 104)

    cal = icalendar.Calendar.from_ical(data)
    found = recurring_ical_events.of(cal).between(dt.date(2026, 11, 20), dt.date(2026, 12, 10))
    by_start = {e["DTSTART"].dt.isoformat(): e for e in found}
    for row in nxt:
        event = by_start[row["start"]]
        pick = row["focus"] or row["idea"]
        assert str(event["SUMMARY"]) == f"{row['summary']} · {pick['title']}"
        # The occurrence's own agenda, as plain text, then where a terminal prints it.
        description = str(event["DESCRIPTION"])
        title = "Check-in" if row["ritual"] == "checkin" else "Date night"
        assert description.startswith(f"{title}: {dt.date.fromisoformat(row['date']):%A %-d %B %Y}\n\n")
        assert description.endswith(f"ritual agenda {row['ritual']} --date {row['date']}")
        assert pick["title"] in description
    js_summaries = [
        o["summary"]
        for o in expand_with_icaljs(tmp_path / "agendas.ics", dt.date(2026, 11, 20), dt.date(2026, 12, 10))
    ]
    assert js_summaries[:3] == [str(by_start[r["start"]]["SUMMARY"]) for r in nxt]

    # Private: neutral titles even on the overridden instances; the agenda is in the description.
    write_config("version = 1\n" + textwrap.dedent(COUPLES["new-york"]))
    data = export("--agendas", "2", name="private.ics")
    cal = icalendar.Calendar.from_ical(data)
    overrides = {e["RECURRENCE-ID"].dt.isoformat(): e for e in cal.walk("VEVENT") if "RECURRENCE-ID" in e}
    # The third had its agenda in the last export: it is restated as the series says, not left behind.
    assert sorted(overrides) == sorted(r["start"] for r in nxt)
    assert [str(overrides[r["start"]]["SUMMARY"]) for r in nxt] == ["Date night", "Check-in", "Check-in"]
    assert str(overrides[nxt[1]["start"]]["DESCRIPTION"]).startswith("Check-in: Sunday 29 November 2026\n")
    third = overrides[nxt[2]["start"]]
    assert str(third["DESCRIPTION"]) == str(masters(data)[str(third["UID"])]["DESCRIPTION"])
    assert expand_python(data, "2026-11-23", 104) == expand_python(plain, "2026-11-23", 104)


# --------------------------------------------------------------------------- files


def test_the_example_couple_exports_without_writing_state(
    cli: Any, tmp_path: Path, isolated_home: Path
) -> None:
    config = isolated_home / ".config" / "ritual" / "ritual.toml"  # the default place, empty
    out = tmp_path / "example.ics"
    result = cli("export", "ics", "--out", str(out))
    assert "example couple" in result.stderr
    assert not config.parent.exists()
    assert master(out.read_bytes(), "Check-in")["dtstart"] == "2026-11-29T19:00:00-05:00"


def test_file_is_private_atomic_and_stdout_gives_the_same_bytes(
    cli: Any, write_config: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(PLAIN_COUPLE)
    monkeypatch.chdir(tmp_path)
    result = cli("export", "ics")
    path = tmp_path / "rituals.ics"
    assert result.stdout.startswith(f"wrote {path}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert "unchanged" in cli("export", "ics").stdout
    piped = cli("export", "ics", "--out", "-")
    assert piped.stdout_bytes == path.read_bytes()


def test_bad_flags_exit_2(cli: Any, write_config: Any, tmp_path: Path) -> None:
    write_config(PLAIN_COUPLE)
    assert "is a folder" in cli("export", "ics", "--out", str(tmp_path), code=2).stderr
    assert "--agendas 101" in cli("export", "ics", "--agendas", "101", code=2).stderr
    state = tmp_path / "cfg" / "calendar-state.toml"
    state.write_text("version = 1\n[checkin]\nsequence = 'x'\n")
    result = cli("export", "ics", "--out", str(tmp_path / "x.ics"), code=2)
    assert "calendar-state.toml" in result.stderr and "Traceback" not in result.stderr


def test_weekly_refreshes_the_calendar_under_its_lock(
    cli: Any, write_config: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(PLAIN_COUPLE)
    out = tmp_path / "agendas"
    first = cli("weekly", "--out", str(out), "--ics")
    assert f"wrote {out / 'rituals.ics'}" in first.stdout
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # a cron job has no SOURCE_DATE_EPOCH
    assert f"unchanged {out / 'rituals.ics'}" in cli("weekly", "--out", str(out), "--ics").stdout


def test_same_inputs_same_bytes_in_the_pure_core() -> None:
    from ritualcli.core import preferences

    text = "version = 1\n" + textwrap.dedent(COUPLES["berlin"])
    prefs = preferences.parse_bytes(text.encode())._replace(source=Path("ritual.toml"))
    args: dict[str, Any] = {"now": dt.datetime(2026, 9, 21, tzinfo=dt.UTC), "today": dt.date(2026, 11, 20)}
    state = calendar_state.CalendarState(install="5eed" * 8)
    one = calendar_ics.build(prefs, state, agendas=4, **args)
    two = calendar_ics.build(prefs, state, agendas=4, **args)
    assert one.data == two.data
    assert one.overrides == 4 and one.events == 2
    # Read back from its text, the state gives the same calendar again, SEQUENCE unchanged.
    again = calendar_ics.build(
        prefs, calendar_state.parse(calendar_state.to_toml(one.state), "s"), agendas=4, **args
    )
    assert again.data == one.data and again.state == one.state
