"""Golden files: what a fixed couple reads on fixed dates, every kind and format of agenda,
and `ritual stats`.

The files in tests/golden/ are the agendas as a couple sees them; a change to a
template, the library or the selection shows up here as a diff a reviewer can
read. After a change you mean, rewrite them and commit them with it:

    RITUAL_REGEN_GOLDEN=1 python -m pytest tests/test_golden.py

Agendas are rendered through the core (no subprocess), with the history below, so the
follow-through sections have something to say; the stats through the command, as a
script reads them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from typer.testing import CliRunner

from ritualcli.cli.app import app
from ritualcli.core import agenda, history, preferences, schedule, weekly_digest
from ritualcli.core.history import Commitment, Entry, History, Topic
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
{date_night}

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


# After a hard week: at the check-in of 2027-01-10 Alex rated 2 and Sam 9, and Sam has
# queued a topic since.
HARD_WEEK = HISTORY.replace("ratings = { Alex = 7, Sam = 5 }", "ratings = { Alex = 2, Sam = 9 }")
QUEUED = (Topic("t-2027-01-12-1", "where we spend the summer holidays", "Sam", dt.date(2027, 1, 12)),)

# Commitments every way a check-in can find them (kept, partly done, let go, open for a
# month, and a check-in never recorded), and Sam's ratings low three times in a row: the
# state of the union of 2027-01-03 follows all of it up.
FOLLOW_THROUGH = """\
[[entry]]
ritual = "checkin"
date = 2026-11-29
ratings = { Alex = 7, Sam = 6 }
commitments = [
    { id = "c-1", owner = "Alex", text = "cook on Wednesday" },
    { id = "c-2", owner = "Sam", text = "call the landlord about the boiler" },
    { id = "c-3", owner = "both", text = "plan a weekend away" },
]

[[entry]]
ritual = "checkin"
date = 2026-12-06
ratings = { Alex = 8, Sam = 4 }
commitments = [{ id = "c-4", owner = "Alex", text = "a walk together on Saturday" }]

[[entry]]
ritual = "checkin"
date = 2026-12-13
ratings = { Alex = 7, Sam = 3 }
partly = ["c-3"]
commitments = [{ id = "c-5", owner = "Sam", text = "put the phone away at dinner" }]

[[entry]]
ritual = "checkin"
date = 2026-12-20
ratings = { Alex = 8, Sam = 4 }
kept = ["c-1"]

[[let_go]]
id = "c-4"
date = 2026-12-22
why = "the weather turned"
"""


def prefs(fmt: str = "weekly", date_night: str = "") -> Preferences:
    return preferences.parse_bytes(COUPLE.format(format=fmt, date_night=date_night).encode())


def checkin(fmt: str, day: dt.date, hist: History | None = None) -> str:
    p = prefs(fmt)
    occ = schedule.occurrence_on(p, "checkin", day)
    assert occ is not None, day
    return agenda.render(p, occ, user_dir=None, history=hist or history.parse(HISTORY))


def date_night(day: dt.date, settings: str = "") -> str:
    p = prefs(date_night=settings)
    occ = schedule.occurrence_on(p, "date-night", day)
    assert occ is not None, day
    return agenda.render(p, occ, user_dir=None, history=history.parse(HISTORY))


def stats(today: str) -> str:
    """`ritual stats` piped, as a script reads it: the last twelve weeks to ``today``."""
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "ritual.toml"
        config.write_text(COUPLE.format(format="weekly", date_night=""), encoding="utf-8")
        config.chmod(0o600)
        for year in (2026, 2027):
            (Path(folder) / "history").mkdir(exist_ok=True)
            (Path(folder) / "history" / f"{year}.toml").write_text(history.render(year, rhythm_of(year)))
        env = {"RITUAL_CONFIG": str(config), "RITUAL_TODAY": today}
        result = CliRunner().invoke(app, ["stats"], env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def rhythm_of(year: int) -> list[Entry]:
    """Twelve weeks of check-ins from 2026-11-29 (one skipped, one never recorded), Sam's
    ratings sinking at the end; date nights on the first Friday, one skipped."""
    alex, sam = [8, 7, 8, 9, 8, 7, 0, 8, 7, 8, 8, 7], [7, 7, 6, 8, 7, 6, 0, 6, 5, 4, 4, 3]
    out = []
    for week in range(12):
        day = dt.date(2026, 11, 29) + dt.timedelta(weeks=week)
        if week == 4:
            out.append(Entry("checkin", day, "skipped", reason="away for Christmas"))
        elif week != 6:  # 2027-01-10: never recorded
            made = (
                (Commitment(f"c-{week}", "Alex" if week % 2 else "Sam", f"promise {week}"),)
                if week < 3
                else ()
            )
            kept = (f"c-{week - 1}",) if 1 <= week <= 2 else ()
            out.append(
                Entry(
                    "checkin",
                    day,
                    ratings=(("Alex", alex[week]), ("Sam", sam[week])),
                    commitments=made,
                    kept=kept,
                )
            )
    for day, status in (
        (dt.date(2026, 12, 4), "held"),
        (dt.date(2027, 1, 1), "skipped"),
        (dt.date(2027, 2, 5), "held"),
    ):
        out.append(Entry("date-night", day, status))
    return sorted((e for e in out if e.date.year == year), key=lambda e: e.date)


def week_file(monday: dt.date) -> str:
    p = prefs()
    occs = tuple(schedule.occurrences(p, monday, monday + dt.timedelta(days=7)))
    week = weekly_digest.WeekFile(f"{weekly_digest.iso_week_name(monday)}.md", monday, occs)
    return weekly_digest.render_week(p, week, user_dir=None, history=history.parse(HISTORY))


class Case(NamedTuple):
    name: str
    render: Callable[[], str]
    suffix: str = ".md"

    @property
    def path(self) -> Path:
        return GOLDEN / f"{self.name}{self.suffix}"


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
    # After Alex's 2 beside Sam's 9: the agenda opens gently; Sam's topic waits in it.
    Case(
        "checkin-weekly-opening-and-topic",
        lambda: checkin("weekly", dt.date(2027, 1, 17), history.parse(HARD_WEEK)._replace(topics=QUEUED)),
    ),
    # Kept, partly done, let go, open for weeks, not recorded; support after three low ratings.
    Case(
        "checkin-state-of-the-union-follow-through",
        lambda: checkin("state-of-the-union", dt.date(2027, 1, 3), history.parse(FOLLOW_THROUGH)),
    ),
    # Free, and never at home: few ideas fit, and the agenda says what to loosen.
    Case(
        "date-night-few-ideas",
        lambda: date_night(dt.date(2027, 2, 5), 'budget = 0\nsettings = ["out", "outdoors"]\n'),
    ),
    # Free, and only out of the house: none fits; the couple choose, told what to loosen.
    Case(
        "date-night-no-idea-fits",
        lambda: date_night(dt.date(2027, 2, 5), 'budget = 0\nsettings = ["out"]\n'),
    ),
    Case("stats", lambda: stats("2027-02-20"), ".txt"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_matches_its_golden_file(case: Case) -> None:
    path = case.path
    got = case.render()
    if REGENERATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
        pytest.skip(f"rewrote golden/{path.name}: nothing compared")
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
            f"{path.name} differs from what is rendered now; if the change is meant, "
            f"rewrite it with RITUAL_REGEN_GOLDEN=1 python -m pytest tests/test_golden.py\n" + "".join(diff),
            pytrace=False,
        )


def test_every_golden_file_belongs_to_a_case() -> None:
    assert {p.name for p in GOLDEN.iterdir()} <= {c.path.name for c in CASES}
