"""The one error type of ritual, and the exit codes it maps to.

The core raises these; only ``cli.RitualGroup`` turns them into a message and an
exit code, so no command repeats that logic.
"""

from __future__ import annotations

import errno
from typing import NamedTuple

EXIT_FAILURE = 1  # a failure while working: disk, permissions, a lock held too long
EXIT_USAGE = 2  # bad usage or a bad preferences / history / template file


class RitualError(Exception):
    """A problem the user can act on. Never shown with a traceback."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def lines(self, one_line: bool = False) -> list[str]:
        """The message, and the hint on its own line (or the same line, for cron mail)."""
        if one_line and self.hint:
            return [f"error: {self.message} (hint: {self.hint})"]
        out = [f"error: {self.message}"]
        if self.hint:
            out.append(f"hint: {self.hint}")
        return out


class WorkError(RitualError):
    """Disk, permission, lock: something failed while doing the work (exit 1)."""

    exit_code = EXIT_FAILURE


class UsageError(RitualError):
    """A bad flag value or an impossible request (exit 2)."""

    exit_code = EXIT_USAGE


class Remedy(NamedTuple):
    """Another input that would do what was asked: its name, and what it does."""

    field: str  # e.g. "replace_existing"
    does: str  # e.g. "to rewrite that entry"


class InputError(UsageError):
    """A value given to the core is wrong, or asks for what needs another input (exit 2).

    The message names the record or setting as the domain does ("commitment
    c-2026-11-29-3: no commitment has that id"), never a command-line flag. ``field``
    is the input the value came from, as the core calls it ("kept", "date"), and
    ``given`` the value as typed, so that a command layer can say which of its flags
    it was ("--kept c-2026-11-29-3: no commitment has that id"); ``remedy`` names an
    input that would do what was asked, which it can offer as its flag.
    """

    def __init__(
        self,
        problem: str,
        *,
        about: str = "",
        field: str | None = None,
        given: str | None = None,
        remedy: Remedy | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(f"{about}: {problem}" if about else problem, hint=hint)
        self.problem = problem
        self.field = field
        self.given = given
        self.remedy = remedy


def describe(exc: OSError) -> str:
    """An OS error in a few plain words: "no space left on the device"."""
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    if exc.errno == errno.EISDIR:
        return "it is a directory"
    return exc.strerror or str(exc)


class Problem(NamedTuple):
    """One thing wrong in a file: where, and what."""

    key: str  # dotted key ("checkin.time"), or "" for the whole file
    message: str
    line: int | None = None
    column: int | None = None

    def render(self, source: str) -> str:
        where = source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" {shorten(self.key)}:" if self.key else ""
        return f"{where}:{key} {self.message}"


def shorten(text: str, most: int = 60) -> str:
    """``text``, cut to ``most`` characters with an ellipsis: a 500 KB key name in a
    hostile file must not become a 500 KB line of an error message."""
    return text if len(text) <= most else text[: most - 1] + "…"


# A file with thousands of problems is the wrong file: the first screenful says so.
SHOWN_PROBLEMS = 50


class FileProblemsError(RitualError):
    """A preferences, history or template file with one or more problems (exit 2)."""

    exit_code = EXIT_USAGE

    def __init__(self, source: str, problems: list[Problem], *, hint: str | None = None) -> None:
        self.source = source
        self.problems = problems
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{source}: {count} {noun}", hint=hint)

    def lines(self, one_line: bool = False) -> list[str]:
        out = [f"error: {self.message}"]
        out += [f"  {p.render(self.source)}" for p in self.problems[:SHOWN_PROBLEMS]]
        if len(self.problems) > SHOWN_PROBLEMS:
            out.append(f"  … and {len(self.problems) - SHOWN_PROBLEMS} more")
        if self.hint:
            out.append(f"hint: {self.hint}")
        return out
