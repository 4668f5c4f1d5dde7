"""`ritual commitments`: what each of you promised, and what is still open."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import output
from ..options import ConfigOption
from . import session

if TYPE_CHECKING:
    from ...core.history import CommitmentState


class ListFormat(StrEnum):
    text = "text"
    json = "json"


def commitments(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", "-a", help="Also list the ones already kept.")] = False,
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text to read, json for scripts.")
    ] = ListFormat.text,
    config: ConfigOption = None,
) -> None:
    """List open commitments from your check-ins (with --all, kept ones too)."""
    import json

    from ...core import clock, history

    sess = session(ctx, config)
    prefs = sess.load()
    today = clock.today(prefs.zone)
    states = history.commitment_states(sess.history(prefs), today + dt.timedelta(days=1))
    shown = [s for s in states if all_ or s.kept_on is None]
    if fmt is ListFormat.json:
        output.out(json.dumps([_row(s) for s in shown], ensure_ascii=False, indent=2))
        return
    still = [s for s in shown if s.kept_on is None]
    kept = [s for s in shown if s.kept_on is not None]
    if not still:
        output.out("No open commitments.")
    else:
        output.out(f"Open ({len(still)}):")
        for s in still:
            carried = (
                f"carried to {s.carried} check-in{'' if s.carried == 1 else 's'}" if s.carried else "new"
            )
            output.out(f"  {s.id}  {s.owner}: {s.text}  (made {s.made}; {carried})")
    if all_:
        output.out(f"Kept ({len(kept)}):" if kept else "None kept yet.")
        for s in kept:
            output.out(f"  {s.id}  {s.owner}: {s.text}  (made {s.made}; kept {s.kept_on})")
    if still:
        output.err(f"mark one kept at your next check-in: ritual done checkin --kept {still[0].id}")
    elif not states:
        names = prefs.couple.partners
        output.err(f'make one after a check-in: ritual done checkin --commit "{names[0]}: …"')


def _row(s: CommitmentState) -> dict[str, Any]:
    return {
        "id": s.id,
        "owner": s.owner,
        "text": s.text,
        "made": s.made.isoformat(),
        "made_at": s.made_at,
        "status": "open" if s.kept_on is None else "kept",
        "kept_on": s.kept_on.isoformat() if s.kept_on else None,
        "carried": s.carried,
    }
