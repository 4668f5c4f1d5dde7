"""Regressions found reading the code as a whole (the w3 code review).

Each test is a promise that broke where two features met: kept here until the tests
are regrouped by feature.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Invoke

WriteConfig = Callable[..., Path]

NO_START = """\
version = 1
[couple]
partners = ["Alex", "Sam"]
timezone = "Europe/London"
"""


def _focus(cli: Invoke, day: str) -> str:
    for line in cli("agenda", "checkin", "--date", day).stdout.splitlines():
        if line.startswith("Today's focus:"):
            return line.removeprefix("Today's focus: ").strip("* ")
    raise AssertionError(f"no focus line in the agenda of {day}")


def test_plan_and_agenda_name_the_same_focus_when_the_history_spans_years(
    cli: Invoke, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without couple.start the couple began at their first check-in. An agenda reads
    only its own year (the index sums up the rest): it must still know that day."""
    write_config(NO_START)
    for day in ("2025-01-05", "2025-01-12", "2026-01-04"):  # Sundays: the default check-in day
        monkeypatch.setenv("RITUAL_TODAY", day)
        cli("done", "checkin", "--rating", "Alex=7")
    monkeypatch.setenv("RITUAL_TODAY", "2026-02-01")
    planned = json.loads(cli("plan", "--weeks", "3", "--format", "json").stdout)
    checkins = [r for r in planned if r["ritual"] == "checkin"]
    assert len(checkins) == 3
    for row in checkins:
        assert _focus(cli, row["date"]) == row["focus"]["title"]


COUPLE = """\
version = 1
[couple]
partners = ["Alex", "Sam"]
timezone = "Europe/London"
start = 2026-11-01
"""


@pytest.mark.parametrize("value", ["²", "1" * 5000])
def test_a_rating_that_int_cannot_read_is_a_usage_error(
    cli: Invoke, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """str.isdigit says yes to "²", and to 5,000 digits; int() then raises."""
    write_config(COUPLE)
    monkeypatch.setenv("RITUAL_TODAY", "2026-12-06")
    result = cli("done", "checkin", "--rating", f"Alex={value}", code=2)
    assert "is not a rating" in result.stderr
    assert len(result.stderr) < 300  # the value is quoted short, not in full


def test_an_id_edited_by_hand_into_no_number_does_not_stop_the_next_one(
    cli: Invoke, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(COUPLE)
    monkeypatch.setenv("RITUAL_TODAY", "2026-12-06")
    cli("done", "checkin", "--commit", "Alex: walk", "--commit", "Sam: cook")
    cli("topic", "add", "money")
    year = config.parent / "history" / "2026.toml"
    year.write_text(year.read_text().replace("c-2026-12-06-1", "c-2026-12-06-²"))
    queue = config.parent / "history" / "topics.toml"
    queue.write_text(queue.read_text().replace("t-2026-12-06-1", "t-2026-12-06-¹"))
    assert "c-2026-12-06-3" in cli("done", "checkin", "--commit", "Sam: bake").stdout
    assert "t-2026-12-06-1" in cli("topic", "add", "holidays").stdout


def test_undo_refuses_a_file_edited_by_hand_into_bytes_that_are_not_text(
    cli: Invoke, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(COUPLE)
    monkeypatch.setenv("RITUAL_TODAY", "2026-12-06")
    cli("done", "checkin", "--rating", "Alex=7")
    year = config.parent / "history" / "2026.toml"
    year.write_bytes(year.read_bytes() + b"\xff\n")
    result = cli("undo", code=2)
    assert "has changed since" in result.stderr
    assert year.read_bytes().endswith(b"\xff\n")  # the hand edit is kept


def test_plan_names_the_last_day_it_looked_at_as_export_markdown_does(
    cli: Invoke, write_config: WriteConfig
) -> None:
    write_config(COUPLE + "[checkin]\nenabled = false\n")  # date nights: the first Friday of a month
    said = cli("plan", "--from", "2026-12-07", "--weeks", "1").stdout.strip()
    assert said == "nothing planned from 2026-12-07 to 2026-12-13"


def test_a_history_date_far_out_of_range_is_a_file_problem_not_a_traceback(
    cli: Invoke, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The year files are read as their names say (0001.toml is the year 1), and their
    dates are held to the range ritual plans within, as the preferences' are: year 1
    overflowed `stats --all`'s window."""
    config = write_config(NO_START)
    monkeypatch.setenv("RITUAL_TODAY", "2026-12-06")
    cli("done", "checkin", "--rating", "Alex=7")
    old = config.parent / "history" / "0001.toml"
    old.write_text('version = 2\n\n[[entry]]\nritual = "checkin"\ndate = 0001-01-07\n')
    for command in (["stats", "--all"], ["history"], ["plan"]):
        result = cli(*command, code=2)
        assert f"{old}:5: entry[1].date: 0001-01-07 is out of range" in result.stderr, command
