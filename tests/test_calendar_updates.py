"""Calendars that stay right after the first import: updates, cancellations, the past.

A re-exported file must update what calendars already hold: SEQUENCE rises on
every change a person would see and never otherwise; a disabled ritual and an
instance that no longer happens are published as cancelled, so a re-import
takes them back; a schedule change keeps past occurrences where they were.
Each is checked by reading the files with recurring-ical-events and ical.js and
comparing with `ritual plan --format json`, which follows the same history.
"""

from __future__ import annotations

import datetime as dt
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import icalendar
import pytest

from calendars import (
    PLAIN_COUPLE,
    TODAY,
    expand_js,
    expand_python,
    master,
    masters,
    plan_rows,
    rename_zone,
    unfold,
)
from probes import imported
from ritualcli.core.digest import sha256_hex

pytestmark = pytest.mark.usefixtures("pinned_clock")

Export = Callable[..., bytes]


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def by_title(data: bytes, title: str) -> list[icalendar.Event]:
    """The masters titled ``title``, oldest series first."""
    return sorted(
        (e for e in masters(data).values() if str(e["SUMMARY"]) == title), key=lambda e: e["DTSTART"].dt
    )


# --------------------------------------------------------------------------- SEQUENCE

SEEN = PLAIN_COUPLE + "[calendar]\nprivate = false\n"


def _checkin(data: bytes) -> icalendar.Event:
    (event,) = by_title(data, "Check-in")
    return event


def _prop(name: str) -> Callable[[bytes], str]:
    return lambda data: _checkin(data).get(name, icalendar.vText("")).to_ical().decode()


def _alarm(data: bytes) -> str:
    return str(_checkin(data).walk("VALARM")[0]["TRIGGER"].dt)


def _override_titles(data: bytes) -> str:
    return repr(sorted(str(e["SUMMARY"]) for e in events(data) if "RECURRENCE-ID" in e))


CHANGES = {
    # name: (the new preferences, what a calendar shows differently, whether the date night changes too)
    "time": (SEEN.replace('time = "19:00"', 'time = "20:00"'), _prop("DTSTART"), False),
    "day": (SEEN.replace('time = "19:00"', 'time = "19:00"\nday = "monday"'), _prop("DTSTART"), False),
    "duration": (SEEN.replace('time = "19:00"', 'time = "19:00"\nduration = 45'), _prop("DURATION"), False),
    "skips": (SEEN + "[skip]\ndates = [2026-12-06]\n", _prop("EXDATE"), False),
    "location": (
        SEEN.replace('time = "19:00"', 'time = "19:00"\nlocation = "Kitchen"'),
        _prop("LOCATION"),
        False,
    ),
    "reminder": (SEEN.replace('time = "19:00"', 'time = "19:00"\nreminder = 10'), _alarm, False),
    "description": (
        SEEN.replace('time = "19:00"', 'time = "19:00"\nformat = "quick"\nduration = 30'),
        _prop("DESCRIPTION"),
        False,
    ),
    "title": (PLAIN_COUPLE, _override_titles, True),  # private: neutral titles on the agendas
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_change_a_person_would_see_raises_sequence_and_nothing_else_does(
    change: str, write_config: Any, export: Export, monkeypatch: pytest.MonkeyPatch
) -> None:
    new, shown, both = CHANGES[change]
    write_config(SEEN)
    before = export("--agendas", "1")
    assert export("--agendas", "1") == before, "nothing changed, same bytes"
    write_config(new)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    after = export("--agendas", "1")
    assert shown(after) != shown(before)
    assert (master(before, "Check-in")["sequence"], master(after, "Check-in")["sequence"]) == ("0", "1")
    assert master(after, "Check-in")["uid"] == master(before, "Check-in")["uid"]
    assert master(after, "Date night")["sequence"] == ("1" if both else "0")
    assert _checkin(after)["LAST-MODIFIED"].dt > _checkin(before)["LAST-MODIFIED"].dt
    if not both:  # what did not change keeps its SEQUENCE and stamps, even without SOURCE_DATE_EPOCH
        assert master(after, "Date night") == master(before, "Date night")
    assert export("--agendas", "1") == after, "and again nothing changed"


def test_an_unchanged_calendar_is_the_same_bytes_weeks_later(
    write_config: Any, export: Export, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(PLAIN_COUPLE)
    first = export()
    monkeypatch.setenv("RITUAL_TODAY", "2026-12-30")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # as under cron
    assert export() == first


# --------------------------------------------------------------------------- cancellations


def test_a_disabled_ritual_is_cancelled_in_every_parser_until_enabled_again(
    cli: Any, write_config: Any, export: Export, tmp_path: Path
) -> None:
    write_config(PLAIN_COUPLE)
    first = export("--agendas", "3")
    night = master(first, "Date night")
    write_config(PLAIN_COUPLE + "[date_night]\nenabled = false\n")
    data = export("--agendas", "3")
    (cancelled,) = by_title(data, "Date night")
    assert str(cancelled["UID"]) == night["uid"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 1
    assert not cancelled.walk("VALARM")
    # Its instance that had an agenda is taken back too, and the agendas move to check-ins.
    taken_back = [e for e in events(data) if "RECURRENCE-ID" in e and str(e["UID"]) == night["uid"]]
    assert taken_back and all(str(e["STATUS"]) == "CANCELLED" for e in taken_back)
    assert "Phones away" in "".join(unfold(first)) and "Phones away" not in "".join(unfold(data))
    expected = plan_rows(cli, "2026-11-23", 104)
    assert {r[0] for r in expected} == {"checkin"}
    assert expand_python(data, "2026-11-23", 104) == expected
    assert expand_js(tmp_path / "rituals.ics", "2026-11-23", 104) == expected
    assert export("--agendas", "3") == data, "cancelled for as long as the state remembers it"

    write_config(PLAIN_COUPLE)
    again = export("--agendas", "3")
    assert master(again, "Date night") | {"sequence": "", "dtstamp": ""} == night | {
        "sequence": "",
        "dtstamp": "",
    }
    assert master(again, "Date night")["sequence"] == "2"
    assert expand_python(again, "2026-11-23", 104) == plan_rows(cli, "2026-11-23", 104)


def test_a_skipped_date_takes_back_the_instance_published_for_it(
    cli: Any, write_config: Any, export: Export, tmp_path: Path
) -> None:
    write_config(PLAIN_COUPLE)
    export("--agendas", "3")
    write_config(PLAIN_COUPLE + "[skip]\ndates = [2026-12-06]\n")  # the second check-in, which had its agenda
    data = export("--agendas", "3")
    lines = unfold(data)
    assert "EXDATE;TZID=America/New_York:20261206T190000" in lines
    (gone,) = [
        e
        for e in events(data)
        if "RECURRENCE-ID" in e and e["RECURRENCE-ID"].dt.date() == dt.date(2026, 12, 6)
    ]
    assert str(gone["STATUS"]) == "CANCELLED" and "DESCRIPTION" not in gone
    expected = plan_rows(cli, "2026-11-23", 104)
    assert not [r for r in expected if r[1].startswith("2026-12-06")]
    assert expand_python(data, "2026-11-23", 104) == expected
    assert expand_js(tmp_path / "rituals.ics", "2026-11-23", 104) == expected


def test_agendas_no_longer_asked_for_are_restated_without_them_while_ahead(
    cli: Any, write_config: Any, export: Export, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = write_config(PLAIN_COUPLE)
    with_agendas = export("--agendas", "3")
    assert "Appreciations" in "".join(unfold(with_agendas))
    plain = export()
    text = "".join(unfold(plain))
    assert "Appreciations" not in text and "Phones away" not in text
    restated = [e for e in events(plain) if "RECURRENCE-ID" in e]
    assert len(restated) == 3
    for event in restated:
        assert str(event["DESCRIPTION"]) == str(masters(plain)[str(event["UID"])]["DESCRIPTION"])
    assert expand_python(plain, "2026-11-23", 104) == plan_rows(cli, "2026-11-23", 104)
    said = cli("export", "ics", "--out", str(tmp_path / "rituals.ics")).stdout
    assert said.startswith("unchanged") and "(2 recurring events, from 2026-11-29)" in said
    # Once their dates have passed there is nothing left to take back: they are forgotten.
    monkeypatch.setenv("RITUAL_TODAY", "2026-12-20")
    later = export()
    assert not [e for e in events(later) if "RECURRENCE-ID" in e]
    assert "instances = []" in (config.parent / "calendar-state.toml").read_text()


# --------------------------------------------------------------------------- the past stays put

LONDON = """\
version = 1
[couple]
partners = ["Olivia", "Jack"]
timezone = "Europe/London"
start = 2026-09-01
[checkin]
day = "sunday"
time = "19:00"
[date_night]
cadence = "monthly"
day = "friday"
week_of_month = 1
[skip]
dates = [2026-10-25, 2026-12-06]
"""


@pytest.mark.parametrize(
    ("change", "checkin"),
    [
        ("time", 'day = "sunday"\ntime = "20:00"'),
        ("day and cadence", 'day = "wednesday"\ncadence = "biweekly"\ntime = "19:00"'),
    ],
)
def test_a_schedule_change_keeps_past_occurrences_in_every_parser_and_in_plan(
    change: str,
    checkin: str,
    cli: Any,
    write_config: Any,
    export: Export,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    write_config(LONDON)
    monkeypatch.setenv("RITUAL_TODAY", "2026-09-01")
    first = export("--agendas", "1")
    old = master(first, "Check-in")
    monkeypatch.setenv("RITUAL_TODAY", TODAY)  # 2026-11-20: September's check-ins are past
    write_config(LONDON.replace('day = "sunday"\ntime = "19:00"', checkin))
    data = export("--agendas", "1")

    ended, current = by_title(data, "Check-in")
    assert str(ended["UID"]) == old["uid"] and int(ended["SEQUENCE"]) == 1
    assert ended["DTSTART"].dt.isoformat() == old["dtstart"]
    until = re.search(r"UNTIL=(\w+)", next(line for line in unfold(data) if "UNTIL=" in line)).group(1)  # type: ignore[union-attr]
    assert until == "20261119T235959Z"  # the last second before the change, London's midnight, in UTC
    assert str(current["UID"]) != old["uid"] and int(current["SEQUENCE"]) == 0
    assert current["DTSTART"].dt.date() >= dt.date(2026, 11, 20)
    unchanged = ("uid", "dtstart", "status")
    assert [master(data, "Date night")[k] for k in unchanged] == [
        master(first, "Date night")[k] for k in unchanged
    ]

    expected = plan_rows(cli, "2026-09-01", 52)
    past = [r for r in expected if r[0] == "checkin" and r[1] < "2026-11-20"]
    assert len(past) == 10 and all(r[1][11:16] == "19:00" and _weekday(r) == "Sunday" for r in past)
    assert not [r for r in past if r[1].startswith("2026-10-25")]  # skipped: its EXDATE stays
    assert expand_python(data, "2026-09-01", 52) == expected
    assert expand_python(rename_zone(data, "Europe/London"), "2026-09-01", 52) == expected
    assert expand_js(tmp_path / "rituals.ics", "2026-09-01", 52) == expected
    assert export("--agendas", "1") == data, "the same day again: nothing changes"
    # The rest of ritual keeps the old dates too: last month's check-in was held.
    cli("done", "checkin", "--date", "2026-10-18", "--rating", "Olivia=8")
    assert "19:00" in cli("agenda", "checkin", "--date", "2026-11-15").stdout
    # A second change before the new series has begun changes that series in place.
    write_config(
        LONDON.replace(
            'day = "sunday"\ntime = "19:00"', checkin.replace("19:00", "21:00").replace("20:00", "21:00")
        )
    )
    again = export("--agendas", "1")
    ended_again, current_again = by_title(again, "Check-in")
    assert str(current_again["UID"]) == str(current["UID"]) and int(current_again["SEQUENCE"]) == 1
    assert ended_again.to_ical() == ended.to_ical()
    assert expand_python(again, "2026-09-01", 52) == plan_rows(cli, "2026-09-01", 52)


def _weekday(row: tuple[str, str, str]) -> str:
    return dt.datetime.fromisoformat(row[1]).strftime("%A")


def test_a_change_before_the_first_occurrence_keeps_the_series_and_raises_sequence(
    write_config: Any, export: Export, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(PLAIN_COUPLE)
    first = export()
    assert stat.S_IMODE((config.parent / "calendar-state.toml").stat().st_mode) == 0o600
    write_config(PLAIN_COUPLE.replace('time = "19:00"', 'time = "20:00"'))
    second = export()
    before, after = master(first, "Check-in"), master(second, "Check-in")
    assert after["uid"] == before["uid"] and len(by_title(second, "Check-in")) == 1
    assert (before["sequence"], after["sequence"]) == ("0", "1")
    assert after["dtstart"] == "2026-11-29T20:00:00-05:00"


# --------------------------------------------------------------------------- UIDs


def _names_hash(partners: list[str], kind: str) -> str:
    """The UID ritual 0.1 derived from the names alone (issue 17: a fingerprint of the couple)."""
    couple = sha256_hex("\x1f".join(["ritual-couple-v1", *sorted(n.casefold() for n in partners)]))[:24]
    return f"{sha256_hex(chr(31).join(['ritual-calendar-uid-v2', kind, couple]))[:32]}@ritual"


def test_uids_come_from_a_random_install_id_and_say_nothing_about_the_couple(
    write_config: Any, export: Export, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(PLAIN_COUPLE)
    first = export()
    state = (config.parent / "calendar-state.toml").read_text()
    install = re.search(r'^install = "([0-9a-f]+)"$', state, re.M)
    assert install and len(install.group(1)) == 32
    uids = {master(first, t)["uid"] for t in ("Check-in", "Date night")}
    assert uids.isdisjoint({_names_hash(["Alex", "Sam"], k) for k in ("checkin", "date-night")})
    assert not any(install.group(1) in uid for uid in uids)
    # Stable: a name corrected later must update the events, not duplicate them.
    write_config(PLAIN_COUPLE.replace('"Sam"', '"Samantha"'))
    assert {master(export(), t)["uid"] for t in ("Check-in", "Date night")} == uids
    # Another install of the same couple (or the state deleted): other UIDs.
    (config.parent / "calendar-state.toml").unlink()
    write_config(PLAIN_COUPLE)
    assert {master(export(), t)["uid"] for t in ("Check-in", "Date night")}.isdisjoint(uids)


@pytest.mark.parametrize("couple_id", ["0123456789abcdef01234567", None])
def test_a_first_format_state_keeps_its_uids(
    couple_id: str | None, write_config: Any, export: Export, cli: Any
) -> None:
    config = write_config(PLAIN_COUPLE)
    line = f'couple_id = "{couple_id}"\n' if couple_id else ""
    (config.parent / "calendar-state.toml").write_text(
        f"version = 1\nanchor = 2026-11-01\n{line}"
        '[checkin]\nsequence = 3\nschedule = "a"\ncontent = "b"\nstamp = 2026-11-01T08:00:00Z\n'
    )
    data = export()
    if couple_id:
        expected = f"{sha256_hex(chr(31).join(['ritual-calendar-uid-v2', 'checkin', couple_id]))[:32]}@ritual"
    else:
        expected = _names_hash(["Alex", "Sam"], "checkin")
    assert master(data, "Check-in")["uid"] == expected
    assert master(data, "Check-in")["sequence"] == "4"  # the events say more now: one update
    assert master(data, "Date night")["sequence"] == "0"
    state = (config.parent / "calendar-state.toml").read_text()
    assert "version = 2" in state and f'uid = "{expected}"' in state
    assert export() == data
    assert master(export(), "Check-in")["sequence"] == "4"


# --------------------------------------------------------------------------- the state file

SERIES = """\
version = 2
install = "00112233445566778899aabbccddeeff"
anchor = 2026-11-01

[[series]]
ritual = "checkin"
uid = "abc@ritual"
rule = { cadence = "weekly", day = "sunday", week_of_month = 1, time = "19:00", duration = 30 }
sequence = 2
content = ""
stamp = 2026-11-01T08:00:00Z
instances = []
"""


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (SERIES.replace("sequence = 2", "sequence = 99999999999999999999999"), ":9: series[1].sequence: is out of range"),
        (SERIES.replace("stamp = 2026-11-01T08:00:00Z", "stamp = 0001-01-01T00:00:00+14:00"), ":11: series[1].stamp: 0001-01-01 is out of range"),
        (SERIES.replace("anchor = 2026-11-01", "anchor = 9999-12-31"), ":3: anchor: 9999-12-31 is out of range"),
        (SERIES.replace("anchor = 2026-11-01", "anchor = 0001-01-01"), ":3: anchor: 0001-01-01 is out of range"),
        (SERIES.replace('time = "19:00"', 'time = "25:00"'), ':8: series[1].rule.time: expected "HH:MM"'),
        (SERIES.replace('install = "00112233445566778899aabbccddeeff"', 'install = "Alex & Sam"'), ":2: install: expected"),
        (SERIES.replace("instances = []", "instances = [2026-11-29]"), ":12: series[1].instances: expected local date-times"),
        (SERIES + '\n[[series]]\nritual = "checkin"\n', ":14: series[2].uid: is missing"),
        ("version = 1\n[checkin]\nsequence = 99999999999999999999999\nstamp = 2026-11-01T08:00:00Z\n", ":3: checkin.sequence: is out of range"),
        ('version = 1\n[checkin]\nsequence = 1\nstamp = 0001-01-01T00:00:00+14:00\n', ":4: checkin.stamp: 0001-01-01 is out of range"),
        ("version = 1\nanchor = 9990-06-01\n", ":2: anchor: 9990-06-01 is out of range"),
        ("version = 3\n", ":1: version: expected 2"),
        ("version = 2\nsequence = [\n", ":3:"),
    ],
    ids=[
        "huge sequence", "stamp before year 1", "anchor too late", "anchor too early", "bad time",
        "bad install", "instance without time", "series missing keys", "v1 huge sequence", "v1 stamp",
        "v1 anchor", "version", "syntax",
    ],
)  # fmt: skip
def test_a_damaged_state_is_a_file_problem_naming_key_and_line(
    text: str, where: str, cli: Any, write_config: Any, tmp_path: Path
) -> None:
    config = write_config(PLAIN_COUPLE)
    state = config.parent / "calendar-state.toml"
    state.write_text(text, encoding="utf-8")
    for command in (("export", "ics", "--out", str(tmp_path / "x.ics")), ("plan",)):
        result = cli(*command, code=2)
        assert f"{state}{where}" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert "delete it to start over" in result.stderr


def test_a_state_from_the_future_or_a_folder_is_refused_without_a_traceback(
    cli: Any, write_config: Any, tmp_path: Path
) -> None:
    config = write_config(PLAIN_COUPLE)
    (config.parent / "calendar-state.toml").mkdir()
    result = cli("export", "ics", "--out", str(tmp_path / "x.ics"), code=1)
    assert "is a directory" in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- where series begin


def test_without_couple_start_the_series_begins_at_the_first_export_and_stays(
    write_config: Any, export: Export, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config("version = 1\n[couple]\npartners = ['Alex', 'Sam']\ntimezone = 'America/New_York'\n")
    first = export()
    assert master(first, "Check-in")["dtstart"] == "2026-11-22T19:00:00-05:00"
    monkeypatch.setenv("RITUAL_TODAY", "2027-02-01")
    later = export()
    assert master(later, "Check-in")["dtstart"] == "2026-11-22T19:00:00-05:00"
    assert later == first


def test_an_export_first_made_long_ago_still_has_its_events(
    write_config: Any, export: Export, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without couple.start nothing is planned before schedule.EPOCH: an anchor far
    earlier (a pinned RITUAL_TODAY) must not leave the calendar empty for good."""
    write_config("version = 1\n[couple]\npartners = ['Alex', 'Sam']\ntimezone = 'America/New_York'\n")
    monkeypatch.setenv("RITUAL_TODAY", "1900-01-01")
    first = export()
    monkeypatch.setenv("RITUAL_TODAY", TODAY)
    later = export()
    for data in (first, later):
        assert master(data, "Check-in")["dtstart"] == "2000-01-09T19:00:00-05:00"  # the first Sunday
        assert "Date night" in data.decode()


def test_plan_follows_the_series_without_loading_icalendar(
    write_config: Any, export: Export, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The history plan reads is plain TOML: `ritual plan` stays as lean as before."""
    config = write_config(LONDON)
    monkeypatch.setenv("RITUAL_TODAY", "2026-09-01")
    export()
    monkeypatch.setenv("RITUAL_TODAY", TODAY)
    write_config(LONDON.replace('time = "19:00"', 'time = "20:00"'))
    export()
    assert (config.parent / "calendar-state.toml").read_text().count("[[series]]") == 3
    modules = imported(tmp_path, "plan", "--config", str(config), "--from", "2026-09-01")
    assert "ritualcli.core.calendar_state" in modules  # it did read the series
    assert not {"icalendar", "ritualcli.core.calendar_ics", "_hashlib"} & modules
