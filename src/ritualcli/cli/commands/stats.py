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
    all_: Annotated[bool, typer.Option("--all", "-a", help="Everything since your first record.")] = False,
    fmt: Annotated[
        StatsFormat,
        typer.Option("--format", "-f", help="table to read (a chart at a terminal), json for scripts."),
    ] = StatsFormat.table,
    config: ConfigOption = None,
) -> None:
    """Show your rhythm, each partner's safety ratings and the gap between them, and commitments.

    When ratings have been low for a while it suggests support, in the order that
    keeps everyone safe, with the note on safety. Only ever on your terminal.
    """
    import json

    from ...core import clock, paths, rhythm

    check_weeks(weeks)
    sess = session(ctx, config)
    prefs = sess.load()
    today = clock.today(prefs.zone)
    # The window's years only (the index sums up the rest); --all reads every year.
    hist = sess.history(prefs, None if all_ else rhythm.window_start(today, weeks))
    s = rhythm.summarize(prefs, hist, today, None if all_ else weeks)
    note = None
    if s.support is not None:  # only then is the template (and jinja2) needed
        from ...core.agenda import safety_note, support_note
        from ...core.calendar_text import plain

        user_dir = paths.user_templates_dir(sess.config)
        note = support_note(s.support, user_dir=user_dir, prefs=prefs)
        note += "\n\n" + plain(safety_note(prefs, user_dir=user_dir)).replace("---", "").strip()
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


def _gap_summary(s: Stats) -> str:
    """The gaps, latest first: one number hides a single far-apart check-in."""
    counted = [(d, g) for d, g in zip(s.rated, s.gaps, strict=True) if g is not None]
    latest_day, latest = counted[-1]
    wide = [d for d, g in counted if g >= s.wide_gap]
    out = f"latest {latest} ({latest_day}) · average {s.average_gap} · widest {max(g for _, g in counted)}"
    if wide:
        out += f" · {s.wide_gap} or more at {len(wide)} check-in{'' if len(wide) == 1 else 's'}"
    return out


def _commitments_line(s: Stats) -> str:
    let_go = f" · let go: {s.let_go}" if s.let_go else ""
    return f"Commitments made: {s.made} · kept: {s.kept}{let_go} · still open: {s.made - s.kept - s.let_go}"


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
        if s.average_gap is not None and n <= NUMBERS_UP_TO:
            gaps = " ".join("-" if g is None else str(g) for g in s.gaps)
            lines.append(f"  {'gap':<{width}}  {gaps}")
        lines.append(f"  from {s.rated[0]} to {s.rated[-1]}; ▁ is 1, █ is 10, · no rating")
        if s.average_gap is not None:
            lines.append(
                f"  Gap between your ratings: {_gap_summary(s)} "
                f"(at {s.gap_checkins} check-in{'' if s.gap_checkins == 1 else 's'} where everyone rated)"
            )
    lines.append("")
    lines.append(_commitments_line(s))
    if note:
        lines += ["", note]
    return lines


def as_json(s: Stats, note: str | None) -> dict[str, Any]:
    return {
        "from": s.start.isoformat(),
        "to": s.end.isoformat(),
        "weeks": s.weeks,  # the window asked for; "from" is later when it began before you did
        "since_start": s.since_start,
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
        "gaps": [
            {"date": d.isoformat(), "gap": g} for d, g in zip(s.rated, s.gaps, strict=True) if g is not None
        ],
        "average_gap": s.average_gap,
        "commitments": {
            "made": s.made,
            "kept": s.kept,
            "let_go": s.let_go,
            "open": s.made - s.kept - s.let_go,
        },
        "support": note,
    }


def _gap_spark(s: Stats) -> str:
    """The gaps as blocks: ▁ for none, █ for 9 points (1 + gap on the ratings' scale)."""
    from ...core import rhythm

    return rhythm.spark([None if g is None else g + 1 for g in s.gaps])


def _gap_cells(s: Stats) -> list[str]:
    counted = [g for g in s.gaps if g is not None]
    return [str(counted[-1]), str(s.average_gap), f"{min(counted)}-{max(counted)}"]


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
        if s.average_gap is not None:
            ratings.add_row(
                "gap",
                f"[cyan]{_gap_spark(s)}[/]",
                *(str(v) for v in _gap_cells(s)),
            )
        con.print(ratings)
        if s.average_gap is not None:
            con.print(f"Gap between your ratings: {_gap_summary(s)}")
    else:
        con.print("No safety ratings in this window yet: `ritual done checkin --rating NAME=N`.")
    con.print(_commitments_line(s))
    if note:
        con.print()
        # Cleaned as all text at a terminal: a template of the couple's own words it.
        con.print(output.clean(note), markup=False)
