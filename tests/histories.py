"""What the follow-through tests share: the couple's first Sundays, their preferences, a
held check-in, and where the history is kept."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from conftest import COUPLE
from ritualcli.core import history, preferences, schedule
from ritualcli.core.history import CarryOver, Draft, Entry
from ritualcli.core.preferences import Preferences

D = dt.date
# COUPLE: check-ins on Sundays from 2026-11-23; these are the first few.
SUNDAYS = [D(2026, 11, 29) + dt.timedelta(weeks=i) for i in range(12)]


def prefs_with(extra: str = "") -> Preferences:
    return preferences.parse_bytes((COUPLE + textwrap.dedent(extra)).encode())


def held(day: dt.date, **kw: object) -> Draft:
    return Draft("checkin", day, **kw)  # type: ignore[arg-type]


def checkin(prefs: Preferences, day: dt.date) -> schedule.Occurrence:
    """The check-in planned on ``day``."""
    occ = schedule.occurrence_on(prefs, "checkin", day)
    assert occ is not None, day
    return occ


def year_file(data: Path, year: int = 2026) -> Path:
    return data / "history" / f"{year}.toml"


def journal_records(data: Path) -> list[Path]:
    """The undo journal's records, oldest first."""
    folder = data / "history" / ".undo"
    return sorted(folder.iterdir()) if folder.exists() else []


def entries(data: Path) -> tuple[Entry, ...]:
    return history.load(data).entries


def carried(prefs: Preferences, data: Path, occ: schedule.Occurrence) -> CarryOver:
    """What the agenda of ``occ`` carries over, from the history as it is on disk now."""
    return history.carry_over(prefs, history.load(data, occ.date), occ)


# Two check-ins held, with commitments, and low ratings from Alex at both.
FOLLOWED = """\
[[entry]]
ritual = "checkin"
date = 2026-11-29
ratings = { Alex = 3, Sam = 8 }
commitments = [
    { id = "c-1", owner = "Sam", text = "plan the *trip* <now>" },
    { id = "c-2", owner = "Alex", text = "walk after dinner" },
]

[[entry]]
ritual = "checkin"
date = 2026-12-06
ratings = { Alex = 2, Sam = 8 }
kept = ["c-2"]
"""
