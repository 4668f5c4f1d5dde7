"""`ritual done`."""

from __future__ import annotations

import typer

from ..errors import UsageError
from ..options import ConfigOption


def done(ctx: typer.Context, config: ConfigOption = None) -> None:
    """(not built yet)"""
    raise UsageError("`ritual done` is not built yet")
