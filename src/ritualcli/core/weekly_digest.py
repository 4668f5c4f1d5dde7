"""The cron job's unit of work: one Markdown file per ISO week.

A week's file holds the agendas of every occurrence in that ISO week (Monday to
Sunday), whichever day the job runs, so a Wednesday run and a Monday run agree on
what the file says.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from . import schedule
from .history import History
from .preferences import Preferences
from .schedule import Occurrence


class WeekFile(NamedTuple):
    name: str  # "2026-W49.md"
    monday: dt.date
    occurrences: tuple[Occurrence, ...]


def iso_week_name(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weeks_ahead(prefs: Preferences, today: dt.date, days: int = 7) -> list[WeekFile]:
    """The ISO weeks touched by [today, today+days) that hold an occurrence in that window."""
    window = schedule.occurrences(prefs, today, today + dt.timedelta(days=days))
    mondays = sorted({o.date - dt.timedelta(days=o.date.weekday()) for o in window})
    out = []
    for monday in mondays:
        occs = schedule.occurrences(prefs, monday, monday + dt.timedelta(days=7))
        out.append(WeekFile(f"{iso_week_name(monday)}.md", monday, tuple(occs)))
    return out


def render_week(
    prefs: Preferences, week: WeekFile, *, user_dir: Path | None, history: History, shared: bool = False
) -> str:
    """The week's agendas, check-in and date night together, in date order.

    ``shared``: for a mail (`weekly --stdout` under cron), which passes through other
    machines: the agendas leave out what ratings trigger and the couple's own topics.
    """
    from . import agenda
    from .text import escape

    names = " & ".join(escape(n) for n in prefs.couple.partners)
    sunday = week.monday + dt.timedelta(days=6)
    parts = [f"# Week {iso_week_name(week.monday)} for {names} ({week.monday} to {sunday})", ""]
    for occ in week.occurrences:
        parts += [
            "---",
            "",
            agenda.render(prefs, occ, user_dir=user_dir, history=history, shared=shared).rstrip("\n"),
            "",
        ]
    return "\n".join(parts).rstrip("\n") + "\n"
