"""`ritual plan`: the rituals ahead as lines, JSON or Markdown, with warnings about clock changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import COUPLE, Invoke


def test_plan_on_example_couple_says_so(cli: Invoke) -> None:
    r = cli("plan", "--from", "2026-11-23", "--weeks", "2")
    assert "built-in example couple" in r.stderr and "ritual init" in r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Sun 2026-11-29  19:00–19:30 EST") and "Check-in" in lines[0]
    assert any("Fri 2026-12-04  19:30–22:00 EST" in line and "Date night" in line for line in lines)
    assert "\x1b[" not in r.stdout  # plain when piped


def test_plan_json_contract(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    write_config(COUPLE)
    rows = json.loads(cli("plan", "--from", "2027-03-01", "--weeks", "3", "--format", "json").stdout)
    assert [r["ritual"] for r in rows] == ["date-night", "checkin", "checkin", "checkin"]
    first_checkin = rows[1]
    assert first_checkin["start"] == "2027-03-07T19:00:00-05:00"
    assert first_checkin["end"] == "2027-03-07T19:30:00-05:00"
    assert rows[2]["start"] == "2027-03-14T19:00:00-04:00"  # after the spring-forward
    for r in rows:
        assert {"ritual", "start", "end", "summary", "focus", "idea"} <= r.keys()
        assert r["summary"] in ("Check-in", "Date night")


def test_plan_markdown(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    write_config(COUPLE.replace('"Alex"', '"Al*ex"'))
    text = cli("plan", "--from", "2026-11-23", "--format", "markdown").stdout
    assert text.startswith("# Rituals for Al\\*ex & Sam")
    assert "| Sun 2026-11-29 | 19:00–19:30 EST | Check-in |" in text


def test_plan_warns_about_clock_changes(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    write_config(COUPLE + '[checkin]\ntime = "02:30"\n')
    r = cli("plan", "--from", "2026-11-23")
    assert "check-in at 02:30 does not exist on 2027-03-14" in r.stderr
    assert "is safe all year" in r.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan", "--weeks", "0"], "--weeks 0"),
        (["plan", "--from", "2027-02-30"], "--from: '2027-02-30' is not a date"),
        (["plan", "--format", "xml"], "'xml' is not one of"),
    ],
)
def test_plan_bad_flags_exit_2(cli: Invoke, args: list[str], message: str) -> None:
    r = cli(*args, code=2)
    assert message in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
