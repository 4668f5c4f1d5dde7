"""Golden agendas: what a fixed couple reads on fixed dates, every kind and format.

The files in tests/golden/ are the agendas as a couple sees them; a change to a
template, the library or the selection shows up here as a diff a reviewer can
read. After a change you mean, rewrite them and commit them with it:

    RITUAL_REGEN_GOLDEN=1 python -m pytest tests/test_golden.py

Rendered through the core (no subprocess), with the history below, so the
follow-through sections have something to say.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from ritualcli.core import agenda, history, preferences, schedule, weekly_digest
from ritualcli.core.preferences import Preferences

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("RITUAL_REGEN_GOLDEN") == "1"

COUPLE = """\
version = 1

[couple]
partners = ["Alex", "Sam"]
timezone = "Europe/London"
start = 2026-11-23

[checkin]
format = "{format}"

[date_night]
interests = ["cooking", "music"]
avoid = ["crowds"]

[conversation]
depth = "deep"
off_limits = ["in-laws"]
"""

# What the couple recorded: the first two check-ins, then a gap (so the later
# agendas also show check-ins not recorded), then the week before the later ones.
HISTORY = """\
version = 1

[[entry]]
ritual = "checkin"
date = 2026-11-29
ratings = { Alex = 7, Sam = 6 }
commitments = [
    { id = "c-1", owner = "Alex", text = "cook on Wednesday" },
    { id = "c-2", owner = "Sam", text = "ask before making weekend plans" },
]

[[entry]]
ritual = "checkin"
date = 2026-12-06
ratings = { Alex = 8, Sam = 7 }
kept = ["c-1"]
commitments = [{ id = "c-3", owner = "Alex", text = "a walk together on Saturday" }]

[[entry]]
ritual = "checkin"
date = 2027-01-10
ratings = { Alex = 7, Sam = 5 }
kept = ["c-3"]
commitments = [{ id = "c-4", owner = "Sam", text = "put the phone away at dinner" }]
"""


def prefs(fmt: str = "weekly") -> Preferences:
    return preferences.parse_bytes(COUPLE.format(format=fmt).encode())


def checkin(fmt: str, day: dt.date) -> str:
    p = prefs(fmt)
    occ = schedule.occurrence_on(p, "checkin", day)
    assert occ is not None, day
    return agenda.render(p, occ, user_dir=None, history=history.parse(HISTORY))


def date_night(day: dt.date) -> str:
    p = prefs()
    occ = schedule.occurrence_on(p, "date-night", day)
    assert occ is not None, day
    return agenda.render(p, occ, user_dir=None, history=history.parse(HISTORY))


def week_file(monday: dt.date) -> str:
    p = prefs()
    occs = tuple(schedule.occurrences(p, monday, monday + dt.timedelta(days=7)))
    week = weekly_digest.WeekFile(f"{weekly_digest.iso_week_name(monday)}.md", monday, occs)
    return weekly_digest.render_week(p, week, user_dir=None, history=history.parse(HISTORY))


class Case(NamedTuple):
    name: str
    render: Callable[[], str]


CASES = [
    # The couple's very first check-in, and their third (still the first month).
    Case("checkin-weekly-first", lambda: checkin("weekly", dt.date(2026, 11, 29))),
    Case("checkin-weekly-third", lambda: checkin("weekly", dt.date(2026, 12, 13))),
    # The second, whose focus is thanks: it opens the check-in, before the ratings.
    Case("checkin-weekly-second", lambda: checkin("weekly", dt.date(2026, 12, 6))),
    # A quick first check-in: its one question is the ground rules.
    Case("checkin-quick-first", lambda: checkin("quick", dt.date(2026, 11, 29))),
    # Well after the first month, in each format.
    Case("checkin-weekly-later", lambda: checkin("weekly", dt.date(2027, 1, 17))),
    Case("checkin-state-of-the-union", lambda: checkin("state-of-the-union", dt.date(2027, 1, 17))),
    Case("checkin-quick", lambda: checkin("quick", dt.date(2027, 1, 17))),
    # A Friday 19:30 date night on New Year's Day, in winter, and one in summer.
    Case("date-night-winter", lambda: date_night(dt.date(2027, 1, 1))),
    Case("date-night-summer", lambda: date_night(dt.date(2027, 6, 4))),
    Case("repair", lambda: agenda.render_repair(prefs(), user_dir=None)),
    # `ritual weekly`'s file for the week of New Year: that date night and a check-in.
    Case("week-2026-W53", lambda: week_file(dt.date(2026, 12, 28))),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_agenda_matches_its_golden_file(case: Case) -> None:
    path = GOLDEN / f"{case.name}.md"
    got = case.render()
    if REGENERATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.name}: run RITUAL_REGEN_GOLDEN=1 python -m pytest {__file__}"
    want = path.read_text(encoding="utf-8")
    if got != want:
        diff = difflib.unified_diff(
            want.splitlines(keepends=True),
            got.splitlines(keepends=True),
            f"golden/{path.name}",
            "rendered now",
        )
        pytest.fail(
            f"{path.name} differs from the agenda rendered now; if the change is meant, "
            f"rewrite it with RITUAL_REGEN_GOLDEN=1 python -m pytest tests/test_golden.py\n" + "".join(diff),
            pytrace=False,
        )


def test_every_golden_file_belongs_to_a_case() -> None:
    names = {f"{c.name}.md" for c in CASES}
    assert {p.name for p in GOLDEN.glob("*.md")} <= names
