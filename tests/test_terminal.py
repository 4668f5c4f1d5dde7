"""At a real terminal: a rich table, a formatted agenda; NO_COLOR drops the colours; TERM=dumb gets plain text.

CliRunner is never a terminal, so these run `ritual plan` under a pseudo-terminal.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

RITUAL = Path(sys.executable).with_name("ritual")
# an SGR foreground colour (30-38, 90-97), not bold (1) or italic (3)
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])[;m]")


def at_terminal(home: Path, *args: str, **env: str) -> str:
    leader, follower = pty.openpty()
    base = {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "COLUMNS": "100",
    }
    proc = subprocess.Popen(
        [str(RITUAL), *(args or ("plan", "--from", "2026-11-23"))],
        stdin=follower, stdout=follower, stderr=follower, env=base | env, close_fds=True,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_terminal_gets_a_coloured_table(tmp_path: Path) -> None:
    shown = at_terminal(tmp_path)
    assert "Rituals for Alex & Sam" in shown
    assert COLOUR.search(shown)
    assert "━" in shown or "─" in shown or "┃" in shown  # a drawn table


def test_no_color_keeps_the_table_without_colour(tmp_path: Path) -> None:
    shown = at_terminal(tmp_path, NO_COLOR="1")
    assert "Rituals for Alex & Sam" in shown
    assert not COLOUR.search(shown)


def test_dumb_terminal_gets_plain_lines(tmp_path: Path) -> None:
    shown = at_terminal(tmp_path, TERM="dumb")
    assert "\x1b[" not in shown
    assert "Sun 2026-11-29  19:00–19:30 EST    Check-in" in shown


def test_an_agenda_at_a_terminal_is_formatted_not_markdown(tmp_path: Path) -> None:
    shown = at_terminal(tmp_path, "agenda", "checkin", "--date", "2026-11-29", NO_COLOR="1")
    assert "Appreciations" in shown and "Alex" in shown
    assert "\\_" not in shown and "## " not in shown and "**" not in shown
    # Asked for the Markdown itself (--out -), a terminal gets it as it is.
    raw = at_terminal(tmp_path, "agenda", "checkin", "--date", "2026-11-29", "--out", "-")
    assert "## Appreciations" in raw and "\\_\\_ / 10" in raw
