"""`ritual export ics`."""

from __future__ import annotations

import typer

from ..errors import UsageError
from ..options import ConfigOption


def ics(ctx: typer.Context, config: ConfigOption = None) -> None:
    """(not built yet)"""
    raise UsageError("`ritual export ics` is not built yet")
