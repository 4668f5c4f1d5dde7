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
