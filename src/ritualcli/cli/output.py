"""Writing to the terminal: plain by default, rich only at a real terminal.

Cron mails whatever we print, scripts parse it, and NO_COLOR / TERM=dumb users
asked for no escapes: so rich (and its import cost) is used only when stdout is
an interactive terminal that can show it.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, TextIO

from ..core.text import clean as clean  # re-exported: commands print user text through output

if TYPE_CHECKING:
    from rich.console import Console


def is_terminal(stream: TextIO | None = None) -> bool:
    stream = stream or sys.stdout
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(
        stderr=stderr,
        no_color="NO_COLOR" in os.environ,
        highlight=False,
        soft_wrap=False,
    )


def out(text: str = "") -> None:
    sys.stdout.write(clean(text) + "\n")


def err(text: str) -> None:
    """A line on stderr: notes, warnings, errors. Never coloured: it may be mailed."""
    sys.stderr.write(clean(text) + "\n")
