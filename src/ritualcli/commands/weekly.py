"""`ritual weekly`."""

from __future__ import annotations

import typer

from ..errors import UsageError
from ..options import ConfigOption


def weekly(ctx: typer.Context, config: ConfigOption = None) -> None:
    """(not built yet)"""
    raise UsageError("`ritual weekly` is not built yet")
