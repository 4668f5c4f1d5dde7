"""Loading and validating the preferences file (schema v1)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import COUPLE, Invoke
from ritualcli.core import preferences
from ritualcli.core.errors import FileProblemsError, WorkError


def problems(text: str) -> list[str]:
    with pytest.raises(FileProblemsError) as info:
        preferences.parse_bytes(text.encode(), source=Path("/x/ritual.toml"))
    return [p.render("/x/ritual.toml") for p in info.value.problems]


MINIMAL = '[couple]\npartners = ["Alex", "Sam"]\ntimezone = "Europe/Berlin"\n'


def test_minimal_file_fills_every_default() -> None:
    p = preferences.parse_bytes(MINIMAL.encode())
    assert p.couple.partners == ("Alex", "Sam")
    assert p.checkin.time == dt.time(19, 0) and p.checkin.duration == 30 and p.checkin.day == "sunday"
    assert p.date_night.cadence == "monthly" and p.date_night.duration == 150
    assert p.dates.settings == ("home", "out", "outdoors")
    assert p.conversation.depth == "medium" and p.calendar.private is True


def test_duration_defaults_to_the_formats_length() -> None:
    p = preferences.parse_bytes((MINIMAL + '[checkin]\nformat = "state-of-the-union"\n').encode())
    assert p.checkin.duration == 60


def test_example_round_trips_through_toml() -> None:
    ex = preferences.example()
    again = preferences.parse_bytes(preferences.to_toml(ex).encode())
    assert preferences.to_document(again) == preferences.to_document(ex)
    assert ex.skip.ranges[0].note == "Vacation"


def test_all_problems_at_once_with_keys_lines_and_suggestions() -> None:
    text = """\
[couple]
partners = ["Alex"]
timezone = "Mars/Base"

[checkin]
time = "25:00"
dya = "monday"

[date_night]
week_of_month = 5
budget = -3

[skip]
ranges = [{ from = 2027-07-14, to = 2027-07-01 }]
"""
    found = problems(text)
    joined = "\n".join(found)
    assert len(found) == 7, joined
    assert "/x/ritual.toml:2: couple.partners: needs at least two names" in joined
    assert "/x/ritual.toml:3: couple.timezone: 'Mars/Base' is not an IANA time zone" in joined
    assert "/x/ritual.toml:6: checkin.time: '25:00' is not a time of day" in joined
    assert "/x/ritual.toml:7: checkin.dya: unknown key; did you mean checkin.day?" in joined
    assert "/x/ritual.toml:10: date_night.week_of_month: 5 is not a week of the month" in joined
    assert "date_night.budget: -3 is out of range" in joined
    assert "skip.ranges: item 1: ends (2027-07-01) before it starts (2027-07-14)" in joined


def test_syntax_error_names_line_and_column() -> None:
    (msg,) = problems('[couple]\npartners = ["Alex", "Sam"\ntimezone = "UTC"\n')
    assert msg.startswith("/x/ritual.toml:3:1: TOML syntax")


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ('partners = ["Alex", "alex"]', "appears twice"),
        ('partners = ["Alex", ""]', "a name is empty"),
        ('partners = "Alex and Sam"', "expected an array of names"),
        ('partners = ["Alex", "Sam"]\ntimezone = 5', "expected an IANA zone name"),
        ('partners = ["Alex", "Sam"]\nstart = "soon"', "is not a date"),
    ],
)
def test_bad_couple_values(snippet: str, expected: str) -> None:
    assert any(expected in m for m in problems(f"[couple]\n{snippet}\n"))


def test_dates_outside_the_planning_range_and_endless_skips_are_problems() -> None:
    found = "\n".join(
        problems(
            '[couple]\npartners = ["Alex", "Sam"]\ntimezone = "Europe/Berlin"\nstart = 9999-01-01\n'
            "[skip]\ndates = [1899-12-31]\n"
            "ranges = [{ from = 2027-01-01, to = 9000-12-31 }, { from = 2027-01-01, to = 2036-12-31 }]\n"
        )
    )
    assert "couple.start: 9999-01-01 is out of range: use a date from 1900 to 9000" in found
    assert "skip.dates: 1899-12-31 is out of range" in found
    assert (
        "skip.ranges: item 1: spans more than ten years; to stop a ritual, set its enabled = false" in found
    )
    assert "item 2" not in found  # ten years is allowed


def test_wrong_types_are_named() -> None:
    found = "\n".join(
        problems(MINIMAL + '[checkin]\nenabled = "yes"\nduration = 2.5\n[calendar]\nprivate = 1\n')
    )
    assert "checkin.enabled: expected true or false, got a string" in found
    assert "checkin.duration: expected a whole number, got a number" in found
    assert "calendar.private: expected true or false, got an integer" in found


def test_unknown_table_and_missing_partners() -> None:
    found = "\n".join(problems('[coupel]\npartners = ["A", "B"]\n'))
    assert "coupel: unknown key; did you mean couple?" in found
    assert "couple.partners: is required" in found


def test_unknown_checkin_format_suggests() -> None:
    found = "\n".join(problems(MINIMAL + '[checkin]\nformat = "weekley"\n'))
    assert "did you mean weekly? (available: quick, state-of-the-union, weekly)" in found


def test_wrong_schema_version() -> None:
    assert any("schema version 1, not 2" in m for m in problems("version = 2\n" + MINIMAL))


def test_bom_is_accepted_and_bad_utf8_is_a_problem() -> None:
    assert preferences.parse_bytes(b"\xef\xbb\xbf" + MINIMAL.encode()).couple.timezone == "Europe/Berlin"
    with pytest.raises(FileProblemsError) as info:
        preferences.parse_bytes(MINIMAL.encode() + b"# caf\xe9\n")
    assert info.value.problems[0].line == 4


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(WorkError, match="is a directory"):
        preferences.load(tmp_path)


def test_local_zone_default_is_a_real_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    assert preferences.local_zone_name() == "Asia/Kolkata"
    monkeypatch.setenv("TZ", "Nowhere/Land")
    assert preferences.check_zone(preferences.local_zone_name())


def test_each_bad_item_of_a_list_is_its_own_problem() -> None:
    found = problems(
        MINIMAL + "[skip]\ndates = [2027-01-01, 1800-01-01, 2027-02-03T10:00:00]\n"
        'ranges = [{ from = 2027-07-01, too = 2027-07-14 }, { from = 2027-08-01, to = "soon" }]\n'
    )
    assert found == [
        "/x/ritual.toml:5: skip.dates: 1800-01-01 is out of range: use a date from 1900 to 9000",
        "/x/ritual.toml:5: skip.dates: expected a date (YYYY-MM-DD), got a date-time",
        "/x/ritual.toml:6: skip.ranges: item 1: unknown key 'too'; did you mean to? (allowed: from, to, note)",
        "/x/ritual.toml:6: skip.ranges: item 2: 'soon' is not a date: use YYYY-MM-DD",
    ]


def test_partners_report_every_problem_of_the_list() -> None:
    found = problems('[couple]\npartners = ["Alex", "alex", "Sam\\tS", ""]\n')
    assert [m.split("couple.partners: ")[1] for m in found] == [
        "'alex' appears twice (as 'Alex'): names must be unique",
        "'Sam\\tS' contains a control character",
        "a name is empty",
    ]


def test_a_fifo_at_the_preferences_path_is_refused_without_waiting(cli: Invoke, tmp_path: Path) -> None:
    fifo = tmp_path / "ritual.toml"
    os.mkfifo(fifo)
    r = cli("plan", "--config", str(fifo), code=1)
    assert f"cannot read preferences file {fifo}: it is a named pipe (FIFO), not a regular file" in r.stderr
    assert "--config" in r.stderr  # the hint: the path is what is wrong


def test_bad_file_exit_2_all_problems_no_traceback(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    path = write_config('[couple]\npartners = ["A"]\n[checkin]\ntime = "25:00"\nfromat = "quick"\n')
    r = cli("plan", code=2)
    assert f"error: {path}: 3 problems" in r.stderr
    assert "did you mean checkin.format?" in r.stderr
    assert "Traceback" not in r.stderr


def test_syntax_error_line_column(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    path = write_config('[couple]\npartners = ["A", "B"\n')
    r = cli("config", "validate", code=2)
    assert f"{path}:3: TOML syntax: Unclosed array" in r.stderr
    write_config('[couple]\npartners = ["A", "B"]\ntimezone = Europe/Berlin\n')
    assert f"{path}:3:12: TOML syntax: Invalid value" in cli("config", "validate", code=2).stderr


def test_directory_as_config_is_exit_1(cli: Invoke, tmp_path: Path) -> None:
    r = cli("plan", "--config", str(tmp_path), code=1)
    assert "is a directory" in r.stderr


def test_unreadable_file_is_exit_1(
    cli: Invoke, write_config: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root in CI, where chmod 0 does not stop reads: fake the OS's answer.
    path = write_config(COUPLE)
    real = os.open

    def refuse(name: object, *args: object, **kwargs: object) -> int:
        if Path(str(name)) == path:
            raise PermissionError(13, "Permission denied")
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    r = cli("plan", code=1)
    assert f"cannot read preferences file {path}: permission denied" in r.stderr
