"""Option types shared by several commands, so each is declared once."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..core.errors import UsageError

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


RitualArg = Annotated[
    RitualKind,
    typer.Argument(
        metavar="checkin|date-night", help="Which ritual: checkin or date-night.", show_default=False
    ),
]
# Recording again now adds to an entry; --replace stays a while so scripts keep working.
ReplaceOption = Annotated[
    bool, typer.Option("--replace", hidden=True, help="No longer needed: recording again adds to the entry.")
]


def replace_is_gone() -> None:
    """Say once, on stderr, what --replace has become (the command goes on: it adds)."""
    from . import output

    output.err(
        "warning: --replace is no longer needed and will go: recording an occurrence again adds to it "
        "(the ratings you give replace those partners' ratings; everything else is kept). "
        "To replace a whole entry: `ritual history edit`; to take back the last change: `ritual undo`."
    )


class ListFormat(StrEnum):
    text = "text"
    json = "json"


ListFormatOption = Annotated[
    ListFormat, typer.Option("--format", "-f", help="text to read, json for scripts.")
]


FromOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        help="First day, YYYY-MM-DD (default: today, in your time zone).",
        show_default=False,
    ),
]

MAX_WEEKS = 520  # ten years: as far as plans and exports reach


def check_weeks(weeks: int) -> int:
    """--weeks must be 1..MAX_WEEKS (exit 2 otherwise)."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise UsageError(f"--weeks {weeks}: give a number of weeks from 1 to {MAX_WEEKS}")
    return weeks


def date_value(text: str | None, flag: str) -> dt.date | None:
    """Parse a YYYY-MM-DD flag value, or say which flag was wrong (exit 2)."""
    if text is None:
        return None
    from ..core.preferences import parse_date  # not at start-up: the root app imports this module

    try:
        return parse_date(text)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None
