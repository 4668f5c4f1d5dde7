"""`ritual skip`."""

from __future__ import annotations

import typer

from ..errors import UsageError
from ..options import ConfigOption


def skip(ctx: typer.Context, config: ConfigOption = None) -> None:
    """(not built yet)"""
    raise UsageError("`ritual skip` is not built yet")
