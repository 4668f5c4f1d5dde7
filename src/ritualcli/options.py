"""Option types shared by several commands, so each is declared once."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .errors import UsageError

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Preferences file to use (default: $RITUAL_CONFIG, else ritual.toml in the app config dir).",
        dir_okay=True,
        show_default=False,
    ),
]


class RitualKind(StrEnum):
    checkin = "checkin"
    date_night = "date-night"


def date_value(text: str | None, flag: str) -> dt.date | None:
    """Parse a YYYY-MM-DD flag value, or say which flag was wrong (exit 2)."""
    if text is None:
        return None
    from .preferences import parse_date  # not at start-up: the root app imports this module

    try:
        return parse_date(text)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None
