"""Writing to the terminal: plain by default, rich only at a real terminal.

Cron mails whatever we print, scripts parse it, and NO_COLOR / TERM=dumb users
asked for no escapes: so rich (and its import cost) is used only when stdout is
an interactive terminal that can show it.
"""

from __future__ import annotations

import errno
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
    stdout().write(clean(text) + "\n")


def out_bytes(data: bytes) -> None:
    """Bytes as they are (a calendar), on standard output."""
    stream = stdout()
    stream.flush()
    stream.buffer.write(data)
    stream.buffer.flush()


def stdout() -> TextIO:
    """Standard output; an OSError (reported by ``app.main``) if it was closed (``>&-``)."""
    if sys.stdout is None:
        raise OSError(errno.EBADF, "standard output is closed")
    return sys.stdout


def err(text: str) -> None:
    """A line on stderr: notes, warnings, errors. Never coloured: it may be mailed."""
    if sys.stderr is not None:  # closed (2>&-): nowhere to say it
        sys.stderr.write(clean(text) + "\n")


def markup(text: str) -> str:
    """User text for a rich renderable: control characters made visible (``clean``)
    and rich's markup escaped, so "[link=…]Alex[/link]" is shown, not obeyed, and
    "Alex[/]" is not an error."""
    from rich.markup import escape  # only where rich is used: at a terminal

    return escape(clean(text))
