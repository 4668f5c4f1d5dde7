"""`ritual skip`: an occurrence that did not happen, recorded without blame."""

import datetime as dt
from typing import Annotated

import typer

from .. import output
from ..flags import flags
from ..options import ConfigOption, ReplaceOption, RitualArg, date_value
from . import session


@flags(date="--date", reason="--reason", replace_existing="--replace")
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
    from ...core import clock, history, schedule
    from ...core.history import draft
    from ...core.preferences import ritual_noun

    sess = session(ctx, config)
    prefs = sess.load_required("`ritual skip` records into your own history")
    kind = ritual.value
    given = date_value(date, "--date")
    today = clock.today(prefs.zone)
    day, _ = draft.occurrence_day(prefs, kind, given, today=today, unplanned=False, future_ok=True)
    entry = history.record(
        sess.data_dir,
        history.Draft(
            ritual=kind, date=day, status="skipped", reason=draft.checked_text(reason or "", "reason")
        ),
        replace_existing=replace,
    )
    verb = "Updated" if replace else "Recorded"
    output.out(f"{verb} the {ritual_noun(kind)} of {entry.date:%a %Y-%m-%d} as skipped.")
    nxt = schedule.next_occurrence(prefs, kind, day + dt.timedelta(days=1))
    if nxt is not None:
        output.out(f"The next one is {nxt.date:%a %Y-%m-%d}; open commitments carry over to it.")
