"""The user's cache folder: files ritual can always rebuild, kept to save time.

``$XDG_CACHE_HOME/ritual``, else ``~/.cache/ritual``. What is read from here is
trusted (the compiled practice library is unmarshalled without re-checking), so a
file is used only if it and the folder belong to the user and nobody else can
write to them; the folder is created 0700 and each file written 0600, atomically.
A cache that cannot be read or written only costs time: reading gives ``None``
and writing gives up quietly, and the caller rebuilds from the source.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from .errors import RitualError


def folder() -> Path:
    """``$XDG_CACHE_HOME/ritual``, else ``~/.cache/ritual``."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec: a relative path is invalid and is ignored.
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "ritual"


def _private(info: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (on POSIX; Windows has no such bits)."""
    if not hasattr(os, "geteuid"):
        return True
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def private_folder(path: Path) -> bool:
    """A real folder (not a link to one) of this user's that nobody else may write into."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and _private(info)


def subfolder(name: str) -> Path | None:
    """The cache's folder ``name`` (made 0700 if missing), or None when it, or the cache
    folder holding it, is not private: for tools (jinja's bytecode cache) that write
    their own files there."""
    from . import fsio

    path = folder() / name
    try:
        fsio.ensure_dir(path)  # 0700, like every folder ritual creates
    except RitualError:
        return None
    return path if private_folder(path) and private_folder(path.parent) else None


def read(name: str) -> bytes | None:
    """The bytes of the cache file ``name``, or None: missing, unreadable or not private."""
    path = folder() / name
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        if not _private(os.stat(path.parent)):
            return None
        fd = os.open(path, flags)
    except OSError:
        return None
    with open(fd, "rb") as fh:  # closes fd
        try:
            info = os.fstat(fh.fileno())
            if not (stat.S_ISREG(info.st_mode) and _private(info)):
                return None
            return fh.read()
        except OSError:
            return None


def write(name: str, data: bytes) -> None:
    """Keep ``data`` as the cache file ``name``, if the folder is private; else do nothing."""
    from . import fsio

    path = folder() / name
    with contextlib.suppress(OSError, RitualError):
        fsio.ensure_dir(path.parent)  # 0700 when created
        if _private(os.stat(path.parent)):
            fsio.write_bytes_atomic(path, data)  # 0600, renamed into place
