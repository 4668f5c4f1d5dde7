"""`ritual practices`."""

from __future__ import annotations

import typer

from ..errors import UsageError
from ..options import ConfigOption


def practices(ctx: typer.Context, config: ConfigOption = None) -> None:
    """(not built yet)"""
    raise UsageError("`ritual practices` is not built yet")
