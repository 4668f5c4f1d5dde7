"""One module per command (or command group)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..session import Session, open_session


def session(ctx: typer.Context, config: Path | None) -> Session:
    """The command's own --config wins over the one given before the command name."""
    root = ctx.find_root().obj
    return open_session(config if config is not None else root)
