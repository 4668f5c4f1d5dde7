"""Private, atomic file writes and the lock that serialises writers.

Everything ritual writes is intimate (preferences, history, agendas), so every file
is created 0600 and every directory ritual creates 0700. A write goes to a
temporary file in the same directory, is flushed and fsynced, then renamed over the
old file: a crash or a full disk leaves the old file whole and no temp file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import WorkError

FILE_MODE = 0o600
DIR_MODE = 0o700


def _describe(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    if exc.errno == errno.EISDIR:
        return "it is a directory"
    return exc.strerror or str(exc)


def ensure_dir(path: Path) -> None:
    """Create ``path`` (and parents) as 0700 if missing; fail clearly otherwise."""
    if path.is_dir():
        return
    if path.exists():
        raise WorkError(f"cannot create directory {path}: a file is in the way")
    missing = []
    parent = path
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    try:
        # mkdir(parents=True) would give the parents default modes: make each one 0700.
        for folder in reversed(missing):
            folder.mkdir(mode=DIR_MODE, exist_ok=True)
    except FileExistsError:
        raise WorkError(f"cannot create directory {path}: a file is in the way") from None
    except OSError as exc:
        raise WorkError(f"cannot create directory {path}: {_describe(exc)}") from None


def sync_dir(directory: Path) -> None:
    """Make renames in ``directory`` durable (its entries on disk)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_bytes_atomic(path: Path, data: bytes, *, durable_rename: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically, readable by the owner alone.

    ``durable_rename=False`` leaves the folder's fsync to the caller, who writes
    many files into one folder and calls ``sync_dir`` once at the end (an
    export of hundreds of agendas spent a third of its time there). Each file's
    own content is fsynced either way, so a crash never leaves a torn file.
    """
    if path.is_dir():
        raise WorkError(f"cannot write {path}: it is a directory", hint="give a file name")
    ensure_dir(path.parent)
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        # mkstemp already creates 0600; chmod again in case of an odd umask-less fs.
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        if durable_rename:
            sync_dir(path.parent)
    except OSError as exc:
        raise WorkError(f"cannot write {path}: {_describe(exc)}") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_if_changed(path: Path, data: bytes, *, durable_rename: bool = True) -> bool:
    """Write only when the bytes differ, so reruns (cron) touch nothing. True if written."""
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_bytes_atomic(path, data, durable_rename=durable_rename)
    return True


def backup(path: Path) -> Path | None:
    """Keep the previous version as ``NAME.bak`` before a command rewrites it."""
    if not path.is_file():
        return None
    bak = path.with_name(path.name + ".bak")
    try:
        write_bytes_atomic(bak, path.read_bytes())
    except OSError as exc:
        raise WorkError(f"cannot back up {path}: {_describe(exc)}") from None
    return bak


def read_text(path: Path, what: str = "file") -> str:
    """Read a UTF-8 text file, turning OS errors into clear messages (exit 1)."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise WorkError(f"cannot read {what} {path}: it is a directory") from None
    except OSError as exc:
        raise WorkError(f"cannot read {what} {path}: {_describe(exc)}") from None
    return data.decode("utf-8")  # callers turn UnicodeDecodeError into a file problem


LOCK_WAIT_SECONDS = 30.0


@contextlib.contextmanager
def locked(directory: Path, wait: float | None = None) -> Iterator[None]:
    """Hold ``directory/.ritual.lock`` while writing shared state.

    Two cron runs, or ``ritual done`` during ``ritual weekly``, must not interleave
    their writes. The second waits a bounded time, then fails clearly.
    """
    import fcntl

    if wait is None:
        wait = float(os.environ.get("RITUAL_LOCK_WAIT", LOCK_WAIT_SECONDS))
    ensure_dir(directory)
    lock_path = directory / ".ritual.lock"
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    except OSError as exc:
        raise WorkError(f"cannot open lock {lock_path}: {_describe(exc)}") from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WorkError(
                        f"another ritual command is still writing in {directory}",
                        hint=f"waited {wait:g}s for {lock_path}; try again when it has finished",
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the flock
