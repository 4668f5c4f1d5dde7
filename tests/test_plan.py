"""`ritual plan`: the rituals ahead as lines, JSON or Markdown, with warnings about clock changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import COUPLE, Invoke, WriteConfig
from ritualcli.core import library


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


def test_plan_names_the_last_day_it_looked_at_as_export_markdown_does(
    cli: Invoke, write_config: WriteConfig
) -> None:
    write_config(COUPLE + "[checkin]\nenabled = false\n")  # date nights: the first Friday of a month
    said = cli("plan", "--from", "2026-12-07", "--weeks", "1").stdout.strip()
    assert said == "nothing planned from 2026-12-07 to 2026-12-13"


def test_an_empty_plan_says_why_when_the_preferences_do(cli: Invoke, write_config: WriteConfig) -> None:
    write_config(COUPLE)  # couple.start = 2026-11-23
    said = cli("plan", "--from", "2026-01-01", "--weeks", "2").stdout.strip()
    assert (
        said
        == "nothing planned from 2026-01-01 to 2026-01-14: your rituals begin on 2026-11-23 (couple.start)"
    )
    write_config(COUPLE + "[checkin]\nenabled = false\n[date_night]\nenabled = false\n")
    said = cli("plan").stdout.strip()
    assert said.endswith(": the check-in and the date night are both off (enabled = false)"), said


def plan_and_agenda_agree(cli: Invoke, weeks: int) -> list[dict[str, Any]]:
    """Each ritual `plan` lists in the next ``weeks``, with the focus or idea its agenda has."""
    rows: list[dict[str, Any]] = json.loads(cli("plan", "--format", "json", "--weeks", str(weeks)).stdout)
    for r in rows:
        md = cli("agenda", r["ritual"], "--date", r["date"]).stdout
        if r["ritual"] == "checkin":
            title = r["focus"]["title"]
            assert f"## Today's practice: {title} (" in md or f"*{title}*" in md, r["date"]
        else:
            assert r["idea"] and f"## Tonight: {r['idea']['title']}\n" in md, r["date"]
    return rows


@pytest.mark.usefixtures("pinned_today")
def test_plan_shows_the_focus_and_idea_the_agenda_has(cli: Invoke, write_config: WriteConfig) -> None:
    write_config(COUPLE + '[date_night]\ncadence = "biweekly"\ninterests = ["music"]\n')
    rows = plan_and_agenda_agree(cli, 7)  # into the new year
    assert {r["ritual"] for r in rows} == {"checkin", "date-night"} and rows[-1]["date"] > "2027"


@pytest.fixture
def begun_without_a_start(cli: Invoke, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    """A couple with no couple.start, whose first check-in, on 29 November, is recorded."""
    write_config(COUPLE.replace("start = 2026-11-23\n", ""))
    monkeypatch.setenv("RITUAL_TODAY", "2026-11-30")
    cli("done", "checkin", "--date", "2026-11-29")


@pytest.mark.usefixtures("begun_without_a_start")
def test_without_a_start_the_first_recorded_checkin_begins_plan_and_agenda_alike(cli: Invoke) -> None:
    first = next(r for r in plan_and_agenda_agree(cli, 4) if r["ritual"] == "checkin")
    # Recorded on 29 November, so the first month goes on from there: 6 December is its second step.
    assert first["date"] == "2026-12-06" and first["focus"]["title"] == library.load().path[1].title


@pytest.mark.usefixtures("begun_without_a_start")
def test_without_a_start_plan_and_agenda_agree_in_the_next_year(cli: Invoke) -> None:
    """An agenda reads only its own year's history (the index sums up the years before):
    it must still know the day the couple began."""
    plan_and_agenda_agree(cli, 6)  # to 10 January 2027
