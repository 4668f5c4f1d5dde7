"""Writing to the terminal: plain by default, rich only at a real terminal.

Cron mails whatever we print, scripts parse it, and NO_COLOR / TERM=dumb users
asked for no escapes: so rich (and its import cost) is used only when stdout is
an interactive terminal that can show it.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console


@functools.cache
def _unsafe() -> re.Pattern[str]:
    # Control characters (Unicode category Cc, but newline and tab) and bidi
    # overrides/isolates, which can make a name display as something else ("Trojan
    # Source"). Compiled on first need (~1 ms): most text never needs it.
    return re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Text safe to show in a terminal: control and bidi characters made visible."""
    # Every character the pattern matches is non-printable (Cc or Cf), so printable
    # text (newlines aside) has nothing to escape: the common case skips the regex.
    if text.isprintable() or text.replace("\n", "").isprintable():
        return text
    return _unsafe().sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
