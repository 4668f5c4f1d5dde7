"""Single keys from the terminal, without Enter, and word of a resize.

In cbreak mode the terminal hands over each key as it is pressed and still turns
Ctrl-C into SIGINT (a KeyboardInterrupt here), so interrupting works as anywhere
else. ``lines`` gives the terminal back its usual line mode for questions
(``cli.ask``: typed answers, hidden ratings). A resize (SIGWINCH) wakes the
wait through a pipe, so the screen is redrawn at once.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import termios
import tty
from collections.abc import Iterator
from types import FrameType
from typing import Any

RESIZE = "resize"
# The escape sequences of the keys the guide uses beyond plain characters.
SEQUENCES = {
    "\x1b[A": "up",
    "\x1b[B": "down",
    "\x1b[5~": "pgup",
    "\x1b[6~": "pgdn",
    "\x1bOA": "up",
    "\x1bOB": "down",
}


class Keys:
    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._saved: list[Any] | None = None
        self._wake_r, self._wake_w = os.pipe()
        self._old_winch: Any = None

    def __enter__(self) -> Keys:
        self._saved = termios.tcgetattr(self.fd)
        tty.setcbreak(self.fd)
        self._old_winch = signal.signal(signal.SIGWINCH, self._resized)
        return self

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGWINCH, self._old_winch or signal.SIG_DFL)
        self._restore()
        os.close(self._wake_r)
        os.close(self._wake_w)

    def _restore(self) -> None:
        if self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def _resized(self, signum: int, frame: FrameType | None) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"!")

    @contextlib.contextmanager
    def lines(self) -> Iterator[None]:
        """The terminal's line mode (echo, Enter), for questions; cbreak again after."""
        self._restore()
        try:
            yield
        finally:
            tty.setcbreak(self.fd)

    def read(self, timeout: float | None) -> list[str]:
        """The keys pressed (RESIZE for a resize), or [] when ``timeout`` passed first.

        EOFError when the terminal is gone.
        """
        ready, _, _ = select.select([self.fd, self._wake_r], [], [], timeout)
        keys: list[str] = []
        if self._wake_r in ready:
            os.read(self._wake_r, 64)
            keys.append(RESIZE)
        if self.fd in ready:
            data = os.read(self.fd, 256)
            if not data:
                raise EOFError
            keys += split(data.decode("utf-8", "replace"))
        return keys


def split(text: str) -> list[str]:
    """Keys from what the terminal sent at once: characters, and known escape sequences."""
    keys = []
    i = 0
    while i < len(text):
        found = next((seq for seq in SEQUENCES if text.startswith(seq, i)), None)
        if found:
            keys.append(SEQUENCES[found])
            i += len(found)
        elif text[i] == "\x1b":  # an escape sequence we do not use: skip it whole
            j = i + 1
            if j < len(text) and text[j] in "[O":
                j += 1
                while j < len(text) and not ("@" <= text[j] <= "~"):
                    j += 1
                j += 1
            keys.append("esc")
            i = j
        else:
            keys.append(text[i])
            i += 1
    return keys
