"""`ritual skip`: an occurrence that did not happen, recorded without blame."""

import datetime as dt
from typing import Annotated

import typer

from .. import output
from ..flags import flags
from ..options import ConfigOption, ReplaceOption, RitualArg, date_value, replace_is_gone
from . import changed, session


@flags(date="--date", reason="--reason")
def skip(
    ctx: typer.Context,
    ritual: RitualArg,
    date: Annotated[
        str, typer.Option("--date", "-d", help="Which occurrence, YYYY-MM-DD.", show_default=False)
    ],
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason", help="Why, if you want to say (kept in your history files only).", show_default=False
        ),
    ] = None,
    replace: ReplaceOption = False,
    config: ConfigOption = None,
) -> None:
    """Record a planned check-in or date night as skipped. Life happens; it is not a failure.

    Skipping one already recorded as skipped adds the reason; `ritual undo` takes it back.
    """
    from ...core import clock, history, schedule
    from ...core.history import draft
    from ...core.preferences import ritual_noun

    if replace:
        replace_is_gone()
    sess = session(ctx, config)
    prefs = sess.load_required("`ritual skip` records into your own history")
    kind = ritual.value
    given = date_value(date, "--date")
    today = clock.today(prefs.zone)
    day, _ = draft.occurrence_day(prefs, kind, given, today=today, unplanned=False, future_ok=True)
    change = history.record(
        sess.data_dir,
        history.Draft(
            ritual=kind, date=day, status="skipped", reason=draft.checked_text(reason or "", "reason")
        ),
    )
    what = f"the {ritual_noun(kind)} of {day:%a %Y-%m-%d}"
    if change.nothing:
        output.out(f"Nothing new to add: {what} is already recorded as skipped.")
        return
    output.out(f"Recorded {what} as skipped." if change.new else f"Added the reason to {what}.")
    nxt = schedule.next_occurrence(prefs, kind, day + dt.timedelta(days=1))
    if nxt is not None and change.new:
        output.out(f"The next one is {nxt.date:%a %Y-%m-%d}; open commitments carry over to it.")
    if day > today and change.new:
        # The history records it; the schedule is the preferences'. Say so, or a couple
        # expects the day gone from the plan and both phones.
        output.err(
            f"note: {day} still shows in `ritual plan`, its agenda and your calendar, which follow "
            f"your preferences; to take it off them, add {day} to [skip] dates (`ritual config edit`)"
        )
    changed(change.migrated, sess.data_dir)
