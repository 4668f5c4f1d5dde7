"""One module per command (or command group)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from ..session import Session


def session(ctx: typer.Context, config: Path | None) -> Session:
    """The command's own --config wins over the one given before the command name."""
    # Imported here: `ritual --help` loads every command module (for its summary),
    # and only a command that runs needs the preferences machinery.
    from ..session import open_session

    root = ctx.find_root().obj
    return open_session(config if config is not None else root)


def warn(warnings: Iterable[str]) -> None:
    """What the core warns about, one line each on stderr (never on stdout: scripts read it)."""
    from .. import output

    for warning in warnings:
        output.err(f"warning: {warning}")


def changed(migrated: Path | None, data_dir: Path) -> None:
    """After a change to the history: the one-time note of its new layout, and the way back."""
    from .. import output

    if migrated is not None:
        output.err(
            f"note: your history is now one file per year in {data_dir / 'history'}; "
            f"the old single file is kept as {migrated}"
        )
    output.err("`ritual undo` takes this back.")
