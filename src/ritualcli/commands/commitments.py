"""`ritual commitments`."""

from __future__ import annotations

import typer

from ..errors import UsageError
from ..options import ConfigOption


def commitments(ctx: typer.Context, config: ConfigOption = None) -> None:
    """(not built yet)"""
    raise UsageError("`ritual commitments` is not built yet")
