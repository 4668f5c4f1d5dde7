"""`ritual commitments`: what each of you promised, what is still open; letting one go."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import output
from ..flags import flags
from ..options import ConfigOption, ListFormat, ListFormatOption
from . import changed, session

if TYPE_CHECKING:
    from ...core.history import CommitmentState

app = typer.Typer(
    help="What each of you promised: open ones (with --all, kept and let go too); `let-go ID` closes one.",
    invoke_without_command=True,
)


@app.callback()
def commitments(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", "-a", help="Also list the ones kept or let go.")] = False,
    fmt: ListFormatOption = ListFormat.text,
    config: ConfigOption = None,
) -> None:
    """List open commitments from your check-ins (with --all, kept and let-go ones too)."""
    if ctx.invoked_subcommand is not None:
        return
    import json

    from ...core import clock, history

    sess = session(ctx, config)
    prefs = sess.load()
    today = clock.today(prefs.zone)
    # Open ones need only this year and the index; the whole list needs every year.
    hist = sess.history(prefs, None if all_ else today)
    states = history.commitment_states(hist, today)
    shown = [s for s in states if all_ or s.state == "open"]
    if fmt is ListFormat.json:
        output.out(json.dumps([_row(s) for s in shown], ensure_ascii=False, indent=2))
        return
    still = [s for s in shown if s.state == "open"]
    if not still:
        output.out("No open commitments.")
    else:
        output.out(f"Open ({len(still)}):")
        for s in still:
            carried = (
                f"carried to {s.carried} check-in{'' if s.carried == 1 else 's'}" if s.carried else "new"
            )
            partly = f"; partly done on {s.partly}" if s.partly else ""
            output.out(f"  {s.id}  {s.owner}: {s.text}  (made {s.made}; {carried}{partly})")
    if all_:
        kept = [s for s in shown if s.state == "kept"]
        gone = [s for s in shown if s.state == "let-go"]
        output.out(f"Kept ({len(kept)}):" if kept else "None kept yet.")
        for s in kept:
            output.out(f"  {s.id}  {s.owner}: {s.text}  (made {s.made}; kept {s.on})")
        if gone:
            output.out(f"Let go ({len(gone)}):")
        for s in gone:
            why = f": {s.why}" if s.why else ""
            output.out(f"  {s.id}  {s.owner}: {s.text}  (made {s.made}; let go {s.on}{why})")
    if still:
        output.err(
            f"at your next check-in: ritual done checkin --kept {still[0].id} (or --partly, --let-go); "
            f"any time: ritual commitments let-go {still[0].id}"
        )
    elif not states:
        names = prefs.couple.partners
        output.err(f'make one after a check-in: ritual done checkin --commit "{names[0]}: …"')


def _row(s: CommitmentState) -> dict[str, Any]:
    from ...core.history import SHARED

    return {
        "id": s.id,
        "owner": s.owner,
        "shared": s.owner == SHARED,
        "text": s.text,
        "made": s.made.isoformat(),
        "made_at": s.made_at,
        "status": s.state,
        "partly": s.partly.isoformat() if s.partly else None,
        "kept_on": s.kept_on.isoformat() if s.kept_on else None,
        "let_go_on": s.on.isoformat() if s.on and s.state == "let-go" else None,
        "why": s.why or None,
        "carried": s.carried,
    }


@app.command("let-go")
@flags(id="ID", why="--why")
def let_go(
    ctx: typer.Context,
    cid: Annotated[str, typer.Argument(metavar="ID", help="The commitment's id (see `ritual commitments`).")],
    why: Annotated[
        str | None,
        typer.Option(
            "--why", help="Why, if you want to say (kept in your history files).", show_default=False
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Let an open commitment go, with no blame: it closes and is carried no more."""
    from ...core import clock, history
    from ...core.history import draft

    sess = session(ctx, config)
    prefs = sess.load_required("`ritual commitments let-go` records into your own history")
    reason = draft.checked_text(why or "", "why")
    item, migrated = history.let_go(sess.data_dir, cid.strip(), reason, clock.today(prefs.zone))
    output.out(f"Let go of {item.id} ({item.owner}: {item.text}), with no blame. It is carried no more.")
    changed(migrated, sess.data_dir)
