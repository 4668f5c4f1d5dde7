"""The undo journal: the previous version of every history file a change rewrote.

Every change to the history (`done`, `skip`, `topic`, `commitments let-go`,
`history edit`) writes, in the same atomic batch as the files themselves, one
record to ``history/.undo/``: what the change was, and each file it touched as
it was before (or that it did not exist), with a digest of what it wrote.
``ritual undo`` puts the newest record's files back and deletes the record; it
refuses when a file has changed since (a hand edit), rather than lose that edit.
The last ``KEEP`` changes are kept (0600 files in a 0700 folder), as taskwarrior
keeps its undo data: small, local, never sent anywhere.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any, NamedTuple

from .. import filecheck, fsio
from ..digest import sha256_hex
from ..errors import RitualError, UsageError, WorkError
from .store import MAX_FILE_BYTES

FOLDER = ".undo"
KEEP = 20
MAX_RECORD_BYTES = 64_000_000  # a record holds the previous text of each file a change touched
_RECORD = re.compile(r"(\d{8})\.json")
# The only files a record may name, relative to the folder beside the preferences:
# a damaged or planted record can never make undo write anywhere else.
_ALLOWED = re.compile(r"history\.toml(\.bak)?|history/(\d{4}|topics)\.toml")


class Touched(NamedTuple):
    name: str  # relative to the data folder, e.g. "history/2026.toml"
    before: str | None  # its text before the change; None: it did not exist
    after: str | None  # the digest of what the change left; None: it removed the file


class Record(NamedTuple):
    path: Path
    what: str  # "recorded Sam's rating for the check-in of Sun 2026-11-29"
    at: str  # when, local time, minutes
    files: tuple[Touched, ...]


def folder(data_dir: Path) -> Path:
    return data_dir / "history" / FOLDER


def record(data_dir: Path, what: str, files: dict[Path, tuple[str | None, str | None]]) -> tuple[Path, bytes]:
    """The next journal record (its path and bytes), for the caller's batch to write.

    ``files``: each path touched, with its text before and after (None: absent).
    """
    doc = {
        "what": what,
        "at": dt.datetime.now().astimezone().isoformat(timespec="minutes"),
        "files": [
            {
                "name": path.relative_to(data_dir).as_posix(),
                "before": before,
                "after": None if after is None else sha256_hex(after),
            }
            for path, (before, after) in files.items()
        ],
    }
    numbers = [int(p.stem) for p in _records(data_dir)]
    path = folder(data_dir) / f"{max(numbers, default=0) + 1:08d}.json"
    return path, json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def trim(data_dir: Path) -> None:
    """Keep the newest KEEP records."""
    for old in _records(data_dir)[:-KEEP]:
        with contextlib.suppress(OSError):
            old.unlink()


def _records(data_dir: Path) -> list[Path]:
    try:
        names = os.listdir(folder(data_dir))
    except OSError:
        return []
    return sorted(folder(data_dir) / n for n in names if _RECORD.fullmatch(n))


def newest(data_dir: Path) -> Record | None:
    found = _records(data_dir)
    return _read(found[-1]) if found else None


def count(data_dir: Path) -> int:
    return len(_records(data_dir))


def _read(path: Path) -> Record:
    try:
        doc: Any = json.loads(filecheck.read_bytes(path, "undo record", MAX_RECORD_BYTES))
        files = tuple(Touched(str(f["name"]), f["before"], f["after"]) for f in doc["files"])
        if not all(_ALLOWED.fullmatch(f.name) for f in files):
            raise ValueError("a file outside the history")
        return Record(path, str(doc["what"]), str(doc["at"]), files)
    except (RitualError, ValueError, KeyError, TypeError) as exc:
        raise WorkError(
            f"cannot read the undo record {path}: {exc}",
            hint="delete it to undo the change before it (or fix the history with `ritual history edit`)",
        ) from None


def undo(data_dir: Path) -> Record:
    """Put the newest change's files back as they were; its record goes. Call under the lock."""
    rec = newest(data_dir)
    if rec is None:
        raise UsageError(
            "nothing to undo: no change to the history is in the journal", hint=f"it is {folder(data_dir)}"
        )
    for f in rec.files:
        path = data_dir / f.name
        # The bytes, not the text: a file edited by hand into something that is not
        # UTF-8 has changed as surely as any other.
        now = filecheck.read_bytes(path, "history file", MAX_FILE_BYTES) if os.path.lexists(path) else None
        if (now is None) != (f.after is None) or (now is not None and sha256_hex(now) != f.after):
            raise UsageError(
                f"{path} has changed since {rec.what} ({rec.at}); undo would lose that change",
                hint="`ritual history edit` to put it right by hand, or delete "
                f"{rec.path} to undo the change before it",
            )
    with fsio.Batch() as batch:
        for f in rec.files:
            if f.before is not None:
                batch.write(data_dir / f.name, f.before.encode("utf-8"))
    for f in rec.files:
        if f.before is None:
            with contextlib.suppress(FileNotFoundError):
                (data_dir / f.name).unlink()
    rec.path.unlink()
    return rec
