"""Private, atomic file writes and the lock that serialises writers.

Everything ritual writes is intimate (preferences, history, agendas), so every file
is created 0600 and every directory ritual creates 0700. A write goes to a
temporary file in the same directory, is flushed and fsynced, then renamed over the
old file: a full disk or any other error leaves the old file whole and no temp file
behind; a crash leaves the old file or the new one, whole, never a torn one.

Many files at once (an export of hundreds of agendas) go through a ``Batch``: every
temp file is written first, all are made durable together, then all are renamed
and each folder is fsynced once. See ``Batch`` for why that is as safe.
"""

from __future__ import annotations

import contextlib
import math
import os
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import UsageError, WorkError, describe

FILE_MODE = 0o600
DIR_MODE = 0o700


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
        raise WorkError(f"cannot create directory {path}: {describe(exc)}") from None


def _flush(fd: int) -> None:
    """fsync; on macOS, where fsync leaves the data in the drive's cache, F_FULLFSYNC."""
    if sys.platform == "darwin":
        import fcntl

        try:
            fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
            return
        except OSError:  # a file system without it (some network ones): fsync is what there is
            pass
    os.fsync(fd)


def sync_dir(directory: Path) -> None:
    """Make renames in ``directory`` durable (its entries on disk)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            _flush(fd)
        finally:
            os.close(fd)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically, readable by the owner alone."""
    with Batch() as batch:
        batch.write(path, data)


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write only when the bytes differ, so reruns (cron) touch nothing. True if written."""
    with Batch() as batch:
        return batch.write_if_changed(path, data)


# Start writing each temp file out as soon as it is written (Linux: fadvise
# DONTNEED begins writeback of that file's dirty pages, without waiting), so the
# fsyncs at commit mostly find the work done. Unlike sync(), it touches nothing
# but our own files: an export never waits on another program's writes or a hung
# network mount while it holds ritual's lock. A 636-agenda export: 0.68 s with
# the fsyncs alone, 0.63 s with this (0.55 s with one sync(), not worth the risk).
_START_WRITEBACK = hasattr(os, "posix_fadvise") and sys.platform.startswith("linux")


def _fsync_file(name: str) -> None:
    fd = os.open(name, os.O_RDONLY)
    try:
        _flush(fd)
    finally:
        os.close(fd)


# A temp file of ours: ".NAME.", mkstemp's 8 random characters, then a suffix no
# other program uses, so the sweep can never take another program's ".x.tmp".
TEMP_SUFFIX = ".ritual.tmp"
_TEMP_NAME = r"\..+\.[a-z0-9_]{8}\.ritual\.tmp"
STALE_TEMP_SECONDS = 3600  # far longer than any write of ours takes


def sweep_stale_temps(folder: Path) -> None:
    """Remove temp files a crash (power cut, kill -9) left in ``folder`` mid-write.

    Only ours (by name and owner) and only old ones, so a write in progress in
    another process is never touched. Cron runs for years: without this, every
    crash would leave hidden files behind in a folder that may be synced. Every
    command that writes sweeps where it writes, even when it finds nothing to
    change (a rerun of ``weekly`` or ``export ics``): ``Batch`` sweeps each folder
    it looks at, and ``locked`` the folder it locks.
    """
    import re

    pattern = re.compile(_TEMP_NAME)
    cutoff = time.time() - STALE_TEMP_SECONDS
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.endswith(TEMP_SUFFIX) or not pattern.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):
                st = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid() and st.st_mtime < cutoff:
                    os.unlink(entry.path)


class Batch:
    """Files replaced atomically and made durable together: ``with Batch() as b: b.write(…)``.

    ``write`` puts the new bytes in a temp file (0600) beside the target, and stops
    there. Leaving the ``with`` block commits: every temp file is made durable, then
    each is renamed over its target, then each folder is fsynced once. An exception
    in the block (a template error at the 300th agenda, Ctrl-C) or a failed write
    commits nothing: every temp file is removed and every old file stays as it was.

    Why no agenda can end up torn or empty, even after a power cut: a rename is
    only done once the data of *every* temp file in the batch is on disk (an
    fsync of each; their writeback was started as each was written, so the
    fsyncs mostly wait for work already under way). So whichever name a folder
    entry holds after a crash (the old file, or the renamed temp file) points to
    complete, durable bytes. The folder fsync at the end makes the renames
    themselves durable. An fsync right after each write gave the same guarantee
    at 0.3-0.5 ms a file: each waited for its own file's write alone.
    If a rename itself fails midway (a full or read-only disk at that very
    moment), the files renamed before it are new and the rest old, each whole.
    A crash (power cut, kill -9) before the renames can leave hidden temp files
    (``.NAME.XXXXXXXX.ritual.tmp``) behind, as a crash during a single write always could;
    never a half-written target. The next batch into that folder removes them
    once they are an hour old.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[str, Path]] = []  # (temp file, the file it replaces)
        self._folders: set[Path] = set()  # made sure of once, not once a file
        self._swept: set[Path] = set()

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self._discard(self._pending)

    def write_if_changed(self, path: Path, data: bytes) -> bool:
        """Write only when the bytes differ, so reruns (cron) touch nothing. True if written."""
        self._sweep(path.parent)  # also when nothing changes: a rerun is when it matters
        try:
            st = os.stat(path)
        except OSError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise WorkError(f"cannot write {path}: it is a directory", hint="give a file name")
        if st is not None and stat.S_ISREG(st.st_mode) and st.st_size == len(data):
            try:
                if path.read_bytes() == data:
                    return False
            except OSError:
                pass
        self._stage(path, data)
        return True

    def write(self, path: Path, data: bytes) -> None:
        """Stage ``data`` for ``path``: in place once the batch commits."""
        if path.is_dir():
            raise WorkError(f"cannot write {path}: it is a directory", hint="give a file name")
        self._stage(path, data)

    def _stage(self, path: Path, data: bytes) -> None:
        # Here, not at the top: tempfile (with random) costs about a millisecond, and
        # the commands that only read (plan, reading the history's index) load fsio.
        import tempfile

        folder = path.parent
        if folder not in self._folders:
            ensure_dir(folder)
            self._folders.add(folder)
            self._sweep(folder)
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
        except OSError as exc:
            raise WorkError(f"cannot write {path}: {describe(exc)}") from None
        self._pending.append((tmp_name, path))  # from here on, a failure removes it
        try:
            try:
                # mkstemp already creates 0600; chmod again in case of an odd umask-less fs.
                os.fchmod(fd, FILE_MODE)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                if _START_WRITEBACK:
                    with contextlib.suppress(OSError):  # only a hint: the fsync decides
                        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
        except OSError as exc:
            self._discard([self._pending.pop()])
            raise WorkError(f"cannot write {path}: {describe(exc)}") from None

    def _sweep(self, folder: Path) -> None:
        if folder not in self._swept:
            self._swept.add(folder)
            sweep_stale_temps(folder)

    def commit(self) -> None:
        """Make every staged file durable, then put each in place (see the class)."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        current = pending[0][1]  # the file an error is about
        renamed = 0
        try:
            for tmp_name, path in pending:
                current = path
                _fsync_file(tmp_name)
            for tmp_name, current in pending:
                os.replace(tmp_name, current)
                renamed += 1
        except OSError as exc:
            raise WorkError(f"cannot write {current}: {describe(exc)}") from None
        finally:
            self._discard(pending[renamed:])
            for folder in dict.fromkeys(p.parent for _, p in pending[:renamed]):
                sync_dir(folder)

    @staticmethod
    def _discard(pending: list[tuple[str, Path]]) -> None:
        for tmp_name, _ in pending:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        pending.clear()


def backup(path: Path) -> Path | None:
    """Keep the previous version as ``NAME.bak`` before a command rewrites it."""
    if not path.is_file():
        return None
    bak = path.with_name(path.name + ".bak")
    try:
        write_bytes_atomic(bak, path.read_bytes())
    except OSError as exc:
        raise WorkError(f"cannot back up {path}: {describe(exc)}") from None
    return bak


LOCK_NAME = ".ritual.lock"
LOCK_WAIT_ENV = "RITUAL_LOCK_WAIT"
LOCK_WAIT_SECONDS = 30.0
LOCK_WAIT_MAX = 3600.0


def lock_wait() -> float:
    """$RITUAL_LOCK_WAIT: seconds to wait for the lock, 0 to 3600 (exit 2 otherwise:
    "nan" would wait for ever, "inf" too)."""
    text = os.environ.get(LOCK_WAIT_ENV)
    if text is None:
        return LOCK_WAIT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= LOCK_WAIT_MAX:  # False for nan
        raise UsageError(
            f"{LOCK_WAIT_ENV}={text!r}: give a number of seconds from 0 to {LOCK_WAIT_MAX:g}",
            hint=f"or unset it to wait {LOCK_WAIT_SECONDS:g} seconds",
        )
    return seconds


@contextlib.contextmanager
def locked(directory: Path, wait: float | None = None) -> Iterator[None]:
    """Hold ``directory/.ritual.lock`` while writing shared state.

    Two cron runs, or ``ritual done`` during ``ritual weekly``, must not interleave
    their writes. The second waits a bounded time, then fails clearly.
    """
    import fcntl

    if wait is None:
        wait = lock_wait()
    ensure_dir(directory)
    lock_path = directory / LOCK_NAME
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    except OSError as exc:
        raise WorkError(f"cannot open lock {lock_path}: {describe(exc)}") from None
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
        sweep_stale_temps(directory)  # history, calendar state: swept even if unchanged
        yield
    finally:
        os.close(fd)  # closing releases the flock
