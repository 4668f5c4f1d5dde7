"""`ritual stats`: your rhythm and how safe each of you has felt, over time."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import output
from ..options import ConfigOption, check_weeks
from . import session

if TYPE_CHECKING:
    from ...core.rhythm import Rhythm, Stats, Trend

NUMBERS_UP_TO = 16  # beyond this many check-ins the chart alone is easier to read


class StatsFormat(StrEnum):
    table = "table"
    json = "json"


def stats(
    ctx: typer.Context,
    weeks: Annotated[int, typer.Option("--weeks", "-w", help="How many weeks back to look (1-520).")] = 12,
    fmt: Annotated[
        StatsFormat,
        typer.Option("--format", "-f", help="table to read (a chart at a terminal), json for scripts."),
    ] = StatsFormat.table,
    config: ConfigOption = None,
) -> None:
    """Show your rhythm, each partner's safety ratings over time, and commitments kept."""
    import json

    from ...core import clock, paths, rhythm

    check_weeks(weeks)
    sess = session(ctx, config)
    prefs = sess.load()
    s = rhythm.summarize(prefs, sess.history(prefs), clock.today(prefs.zone), weeks)
    note = None
    if s.support is not None:  # only then is the template (and jinja2) needed
        from ...core.agenda import support_note

        note = support_note(s.support, user_dir=paths.user_templates_dir(sess.config))
    if fmt is StatsFormat.json:
        output.out(json.dumps(as_json(s, note), ensure_ascii=False, indent=2))
    elif output.is_terminal():
        _rich(s, note)
    else:
        output.out("\n".join(text(s, note)))


def _rhythm_line(r: Rhythm) -> str:
    line = f"{r.held} held · {r.skipped} skipped · {r.not_recorded} not recorded  (of {r.planned} planned)"
    if r.unplanned:
        line += f"  + {r.unplanned} unplanned"
    return line


def _trend_summary(t: Trend) -> str:
    if not t.points:
        return "no ratings yet"
    v = t.values
    return f"latest {v[-1]} · average {t.average} · lowest {min(v)} · highest {max(v)}"


def text(s: Stats, note: str | None) -> list[str]:
    """Plain lines: readable in cron mail, in a pipe, without colour."""
    from ...core import rhythm
    from ...core.preferences import ritual_title

    span = "since your start date" if s.since_start else f"{s.weeks} week{'' if s.weeks == 1 else 's'}"
    lines = [f"Your rhythm, {s.start} to {s.end} ({span})"]
    for r in s.rhythm:
        lines.append(f"  {ritual_title(r.ritual):<11} {_rhythm_line(r)}")
    lines.append("  A missed week is not a failure: what counts is coming back to it.")
    lines.append("")
    if not s.rated:
        lines.append("No safety ratings in this window yet. After a check-in:")
        lines.append("  ritual done checkin --rating NAME=N --rating NAME=N")
    else:
        n = len(s.rated)
        lines.append(f"How safe each of you felt to be open (1-10), at {n} check-in{'' if n == 1 else 's'}:")
        width = max(len(t.partner) for t in s.trends)
        for t in s.trends:
            cols = rhythm.columns(s, t)
            line = f"  {t.partner:<{width}}  {rhythm.spark(cols)}  {_trend_summary(t)}"
            lines.append(line)
            if n <= NUMBERS_UP_TO:
                lines.append(f"  {'':<{width}}  " + " ".join("-" if v is None else str(v) for v in cols))
        lines.append(f"  from {s.rated[0]} to {s.rated[-1]}; ▁ is 1, █ is 10, · no rating")
        if s.average_gap is not None:
            lines.append(
                f"  Average gap between your ratings: {s.average_gap} points "
                f"(at {s.gap_checkins} check-in{'' if s.gap_checkins == 1 else 's'} where everyone rated)"
            )
    lines.append("")
    lines.append(f"Commitments made: {s.made} · kept: {s.kept} · still open: {s.made - s.kept}")
    if note:
        lines += ["", note]
    return lines


def as_json(s: Stats, note: str | None) -> dict[str, Any]:
    return {
        "from": s.start.isoformat(),
        "to": s.end.isoformat(),
        "weeks": s.weeks,
        "rhythm": {
            r.ritual: {
                "planned": r.planned,
                "held": r.held,
                "skipped": r.skipped,
                "not_recorded": r.not_recorded,
                "unplanned": r.unplanned,
            }
            for r in s.rhythm
        },
        "ratings": {
            t.partner: {
                "points": [{"date": d.isoformat(), "rating": v} for d, v in t.points],
                "average": t.average,
            }
            for t in s.trends
        },
        "average_gap": s.average_gap,
        "commitments": {"made": s.made, "kept": s.kept, "open": s.made - s.kept},
        "support": note,
    }


def _rich(s: Stats, note: str | None) -> None:
    from rich.table import Table

    from ...core import rhythm
    from ...core.preferences import ritual_title

    con = output.console()
    table = Table(title=f"Your rhythm, {s.start} to {s.end}", title_justify="left")
    for col in ("Ritual", "Held", "Skipped", "Not recorded", "Planned"):
        table.add_column(col, justify="left" if col == "Ritual" else "right")
    for r in s.rhythm:
        table.add_row(
            ritual_title(r.ritual), str(r.held), str(r.skipped), str(r.not_recorded), str(r.planned)
        )
    con.print(table)
    con.print("A missed week is not a failure: what counts is coming back to it.\n")
    if s.rated:
        ratings = Table(title="How safe each of you felt to be open (1-10)", title_justify="left")
        for col in ("Partner", "Trend", "Latest", "Average", "Range"):
            ratings.add_column(col)
        for t in s.trends:
            v = t.values
            ratings.add_row(
                output.markup(t.partner),
                f"[cyan]{rhythm.spark(rhythm.columns(s, t))}[/]",
                str(v[-1]) if v else "-",
                str(t.average) if v else "-",
                f"{min(v)}-{max(v)}" if v else "-",
            )
        con.print(ratings)
        if s.average_gap is not None:
            con.print(f"Average gap between your ratings: {s.average_gap} points")
    else:
        con.print("No safety ratings in this window yet: `ritual done checkin --rating NAME=N`.")
    con.print(f"Commitments made: {s.made} · kept: {s.kept} · still open: {s.made - s.kept}")
    if note:
        con.print()
        con.print(note, markup=False)
