"""`ritual export markdown`."""

from __future__ import annotations

import typer

from ..errors import UsageError
from ..options import ConfigOption


def markdown(ctx: typer.Context, config: ConfigOption = None) -> None:
    """(not built yet)"""
    raise UsageError("`ritual export markdown` is not built yet")
