"""`ritual stats`."""

from __future__ import annotations

import typer

from ..errors import UsageError
from ..options import ConfigOption


def stats(ctx: typer.Context, config: ConfigOption = None) -> None:
    """(not built yet)"""
    raise UsageError("`ritual stats` is not built yet")
