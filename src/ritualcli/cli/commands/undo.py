"""`ritual undo`: take back the last change to the history."""

from __future__ import annotations

import typer

from .. import output
from ..options import ConfigOption
from . import session


def undo(ctx: typer.Context, config: ConfigOption = None) -> None:
    """Take back the last change that `done`, `skip`, `topic`, `commitments let-go` or `history edit` made.

    Each change keeps the previous version of the files it touched, in a journal of
    the last 20 changes (history/.undo beside your preferences, readable by you
    alone); run it again to go further back. A file changed by hand since is left
    as it is: undo says so and changes nothing.
    """
    from ...core import history
    from ...core.history import journal

    sess = session(ctx, config)
    sess.load_required("`ritual undo` works on your own history")
    rec, left = history.undo(sess.data_dir)
    output.out(f"Undid: {rec.what} (at {rec.at[:16].replace('T', ' ')}).")
    for f in rec.files:
        verb = "removed" if f.before is None else "restored"
        output.out(f"  {verb} {sess.data_dir / f.name}")
    more = (
        f"{left} earlier change{'s' if left != 1 else ''} can still be undone"
        if left
        else "nothing more to undo"
    )
    output.err(f"{more} (journal: {journal.folder(sess.data_dir)})")
