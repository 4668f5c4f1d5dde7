"""`ritual plan`: what is coming."""

# No `from __future__ import annotations` here: Typer would evaluate this command's
# string annotations on each run, ~0.5 ms (measured on typer.main.get_command), and
# `ritual plan` is the command whose start-up counts most. Type-only names are quoted.

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

import typer

from .. import output
from ..options import ConfigOption, FromOption, check_weeks, days_shown
from . import session, warn

if TYPE_CHECKING:
    from ...core.preferences import Preferences
    from ...core.schedule import Occurrence


class PlanFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def plan(
    ctx: typer.Context,
    weeks: Annotated[int, typer.Option("--weeks", "-w", help="How many weeks ahead to show (1-520).")] = 4,
    from_: FromOption = None,
    fmt: Annotated[
        PlanFormat,
        typer.Option(
            "--format",
            "-f",
            help="table: a table at a terminal, plain columns when piped; json: for scripts; markdown: a table to paste.",
        ),
    ] = PlanFormat.table,
    config: ConfigOption = None,
) -> None:
    """Show the coming check-ins and date nights: dates, times, focus practice, date idea."""
    from ...core import firstmonth, schedule

    check_weeks(weeks)
    sess = session(ctx, config)
    prefs = sess.load()
    start, until = days_shown(prefs, from_, weeks)
    occs = schedule.occurrences(prefs, start, until)
    warn(schedule.clock_change_warnings(prefs, start))
    # The history matters only to a couple without couple.start (when they began):
    # from the first day shown, the years before summed up by the index.
    began = firstmonth.began(prefs, None if prefs.couple.start else sess.history(prefs, start))
    rows = [(o, row(prefs, o, began)) for o in occs]
    if fmt is PlanFormat.json:
        import json

        output.out(json.dumps([r for _, r in rows], ensure_ascii=False, indent=2))
    elif fmt is PlanFormat.markdown:
        output.out(markdown(prefs, rows, start, until))
    elif output.is_terminal():
        rich_table(prefs, rows, start, until)
    else:
        output.out(text(rows) if rows else nothing_planned(prefs, start, until))


def row(prefs: "Preferences", occ: "Occurrence", began: dt.date) -> dict[str, Any]:
    """One occurrence as plain data: the JSON contract of `ritual plan`."""
    from ...core import date_ideas, selection
    from ...core.preferences import ritual_title

    ritual = prefs.ritual(occ.ritual)
    focus = selection.focus(prefs, occ, began) if occ.ritual == "checkin" else None
    idea = date_ideas.idea(prefs, occ) if occ.ritual == "date-night" else None
    return {
        "ritual": occ.ritual,
        "date": occ.date.isoformat(),
        "start": occ.start.isoformat(),
        "end": occ.end.isoformat(),
        "timezone": prefs.couple.timezone,
        "minutes": occ.minutes,
        "summary": ritual_title(occ.ritual),
        "format": ritual.format if occ.ritual == "checkin" else None,
        "location": ritual.location or None,
        "focus": {"id": focus.id, "title": focus.title} if focus else None,
        "idea": {"id": idea.id, "title": idea.title} if idea else None,
    }


Rows: TypeAlias = "list[tuple[Occurrence, dict[str, Any]]]"


def _when(o: "Occurrence") -> tuple[str, str]:
    return o.start.strftime("%a %Y-%m-%d"), f"{o.start:%H:%M}–{o.end:%H:%M} {o.start.tzname()}"


def _about(r: dict[str, Any]) -> str:
    if r["focus"]:
        return f"focus: {r['focus']['title']}"
    if r["idea"]:
        return f"idea: {r['idea']['title']}"
    return ""


def text(rows: Rows) -> str:
    """Plain columns for pipes and cron mail: one occurrence a line, no escapes."""
    lines = []
    for o, r in rows:
        day, hours = _when(o)
        lines.append(f"{day}  {hours:<17}  {r['summary']:<10}  {_about(r)}".rstrip())
    return "\n".join(lines)


def nothing_planned(prefs: "Preferences", start: dt.date, until: dt.date) -> str:
    """The empty plan, with why when the preferences say it (as `agenda --date` does)."""
    last = until - dt.timedelta(days=1)
    said = f"nothing planned from {start} to {last}"
    began = prefs.couple.start
    if began is not None and last < began:
        return f"{said}: your rituals begin on {began} (couple.start)"
    if not (prefs.checkin.enabled or prefs.date_night.enabled):
        return f"{said}: the check-in and the date night are both off (enabled = false)"
    return said


def markdown(prefs: "Preferences", rows: Rows, start: dt.date, until: dt.date) -> str:
    from ...core.text import escape

    names = " & ".join(escape(n) for n in prefs.couple.partners)
    last = until - dt.timedelta(days=1)
    lines = [
        f"# Rituals for {names}: {start} to {last}",
        "",
        "| Date | Time | Ritual | About |",
        "|---|---|---|---|",
    ]
    for o, r in rows:
        day, hours = _when(o)
        lines.append(f"| {day} | {hours} | {r['summary']} | {escape(_about(r))} |")
    if not rows:
        lines.append("| | | nothing planned | |")
    return "\n".join(lines)


def rich_table(prefs: "Preferences", rows: Rows, start: dt.date, until: dt.date) -> None:
    from rich.table import Table

    # Every text from the file or the library goes through output.markup: rich would
    # obey "[link=…]" in a name (and fail on "Alex[/]").
    names = " & ".join(prefs.couple.partners)
    title = f"Rituals for {output.markup(names)} · {output.markup(prefs.couple.timezone)}"
    table = Table(title=title, title_justify="left")
    for col in ("Date", "Time", "Ritual", "Focus / idea"):
        table.add_column(col)
    for o, r in rows:
        day, hours = _when(o)
        style = "cyan" if r["ritual"] == "checkin" else "magenta"
        table.add_row(day, hours, f"[{style}]{output.markup(r['summary'])}[/]", output.markup(_about(r)))
    con = output.console()
    if rows:
        con.print(table)
    else:
        con.print(nothing_planned(prefs, start, until))
