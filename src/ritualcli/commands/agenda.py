"""`ritual agenda`."""

from __future__ import annotations

import typer

from ..errors import UsageError
from ..options import ConfigOption


def agenda(ctx: typer.Context, config: ConfigOption = None) -> None:
    """(not built yet)"""
    raise UsageError("`ritual agenda` is not built yet")
