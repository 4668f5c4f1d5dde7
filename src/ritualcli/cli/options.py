"""Option types shared by several commands, so each is declared once."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..core.errors import UsageError

if TYPE_CHECKING:
    from ..core.preferences import Preferences

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
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing unless something fails.")]

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


def days_shown(prefs: Preferences, from_: str | None, weeks: int) -> tuple[dt.date, dt.date]:
    """--from and --weeks as the days [start, until) a command covers: from today in
    the couple's zone, unless --from says otherwise."""
    from ..core import clock

    start = date_value(from_, "--from") or clock.today(prefs.zone)
    return start, start + dt.timedelta(weeks=weeks)


def date_value(text: str | None, flag: str) -> dt.date | None:
    """Parse a YYYY-MM-DD flag value, or say which flag was wrong (exit 2)."""
    if text is None:
        return None
    from ..core.preferences import parse_date  # not at start-up: the root app imports this module

    try:
        return parse_date(text)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def check_arguments(args: Sequence[str]) -> None:
    """Refuse an argument that is not text (exit 2, naming the option).

    Bytes that are not UTF-8 (``--commit $'Sam: call \\xff sister'``) reach Python as
    lone surrogates, which fail much later, when printed or written to a file. Found
    here once, for every command and option, rather than as a UnicodeEncodeError.
    """
    for i, arg in enumerate(args):
        if arg.isascii():
            continue
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            pass
        else:
            continue
        try:
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "backslashreplace").decode("ascii")
        if arg.startswith("-") and "=" in arg:
            what = arg.split("=", 1)[0]
        elif arg.startswith("-"):
            what = "an option's name"
        elif i and args[i - 1].startswith("-") and args[i - 1] != "-":
            what = args[i - 1].split("=", 1)[0]
        else:
            what = "an argument"
        raise UsageError(
            f"{what}: '{shown}' is not valid text (it holds bytes that are not UTF-8)",
            hint="type it again in a UTF-8 terminal, or leave those characters out",
        )


def _files_in(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.rglob("*") if p.is_file()]
    except OSError:
        return []


class OutGuard:
    """The one check of every ``--out`` file (agenda, export ics, export markdown, weekly).

    ``--out`` never replaces one of ritual's own files (``paths.own_files``: the
    preferences, the calendar and sync states, their .bak and .rejected, the lock) nor
    a file in ritual's own folders (``paths.own_folders``: the history, the templates), by name, through a symbolic link or as a hard
    link; and it writes only over a regular file: a device, a FIFO or a socket would
    be replaced by a regular file (or hang). Exit 2, naming the file.
    """

    def __init__(self, config: Path, flag: str = "--out") -> None:
        from ..core import paths

        self.flag = flag
        self._own = {self._resolved(p): p for p in paths.own_files(config)}
        self._folders_of_ours = tuple(self._resolved(f) for f in paths.own_folders(config))
        # Another name for one of ours (a hard link) is found by its inode: the own files,
        # and every file in the own folders (a few dozen: years, topics, undo, templates).
        ours = [*self._own.values(), *(f for folder in self._folders_of_ours for f in _files_in(folder))]
        self._same = {}
        for path in ours:
            try:
                info = os.stat(path)
            except OSError:
                continue
            self._same[(info.st_dev, info.st_ino)] = path
        self._folders: dict[Path, Path] = {}  # resolved once per folder: an export writes hundreds

    @staticmethod
    def _resolved(path: Path) -> Path:
        return path.parent.resolve() / path.name

    def check(self, target: Path) -> Path:
        """``target``, if ``--out`` may write it (a folder is the caller's business)."""
        try:
            info = os.stat(target)
        except OSError:
            info = None
        if info is not None and not stat.S_ISDIR(info.st_mode):
            if not stat.S_ISREG(info.st_mode):
                from ..core.filecheck import kind

                raise UsageError(
                    f"{self.flag} {target}: is {kind(info.st_mode)}, not a file ritual may write",
                    hint="give the name of a regular file, or - for standard output",
                )
            own = self._same.get((info.st_dev, info.st_ino))
            if own is not None:  # the same file by another name: a link, or `..`
                raise self._refuse(target, own)
        folder = self._folders.get(target.parent)
        if folder is None:
            folder = self._folders[target.parent] = target.parent.resolve()
        resolved = folder / target.name
        if resolved in self._own:
            raise self._refuse(target, self._own[resolved])
        for ours in self._folders_of_ours:
            if resolved.is_relative_to(ours):
                raise self._refuse(target, f"in ritual's own folder {ours}")
        return target

    def _refuse(self, target: Path, own: Path | str) -> UsageError:
        what = own if isinstance(own, str) else f"ritual's own {own.name}"
        return UsageError(
            f"{self.flag} {target}: that is {what}, which {self.flag} never replaces",
            hint="give another file or folder",
        )
