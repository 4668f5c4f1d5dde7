"""`ritual skip`: an occurrence that did not happen, recorded without blame."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from .. import output
from ..options import ConfigOption, date_value
from . import session
from .done import ReplaceOption, RitualArg, check_text, label, resolve_date


def skip(
    ctx: typer.Context,
    ritual: RitualArg,
    date: Annotated[
        str, typer.Option("--date", "-d", help="Which occurrence, YYYY-MM-DD.", show_default=False)
    ],
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason", help="Why, if you want to say (kept in history.toml only).", show_default=False
        ),
    ] = None,
    replace: ReplaceOption = False,
    config: ConfigOption = None,
) -> None:
    """Record a planned check-in or date night as skipped. Life happens; it is not a failure."""
    from ...core import history, schedule

    sess = session(ctx, config)
    prefs = sess.load_required("`ritual skip` records into your own history")
    kind = ritual.value
    day = date_value(date, "--date")
    assert day is not None
    day, _ = resolve_date(prefs, kind, day, unplanned=False, future_ok=True)
    entry = history.record(
        sess.data_dir,
        history.Draft(ritual=kind, date=day, status="skipped", reason=check_text(reason or "", "--reason")),
        replace_existing=replace,
    )
    verb = "Updated" if replace else "Recorded"
    output.out(f"{verb} the {label(kind)} of {entry.date:%a %Y-%m-%d} as skipped.")
    nxt = schedule.next_occurrence(prefs, kind, day + dt.timedelta(days=1))
    if nxt is not None:
        output.out(f"The next one is {nxt.date:%a %Y-%m-%d}; open commitments carry over to it.")
