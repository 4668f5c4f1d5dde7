"""Files and locking: never lose or expose data. Writes are private and atomic (old or new,
whole, even after a crash or a power cut), batches all or nothing, temp files a crash left
swept; one command writes at a time; disk errors are clear."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Invoke, WriteConfig
from ritualcli.core import fsio
from ritualcli.core.errors import WorkError


def test_write_is_private_and_creates_private_dirs(tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "file.md"
    fsio.write_text_atomic(target, "Zoë ❤ Łukasz\n")
    assert target.read_text(encoding="utf-8") == "Zoë ❤ Łukasz\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700


def test_rewrite_of_a_world_readable_file_makes_it_private(tmp_path: Path) -> None:
    target = tmp_path / "old.toml"
    target.write_text("old")
    target.chmod(0o644)
    fsio.write_text_atomic(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_failure_midway_keeps_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ritual.toml"
    target.write_text("the old, good file")

    def replace_fails(src: str, dst: str) -> None:
        assert Path(src).read_text() == "half of the new"  # the temp file was fully written
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", replace_fails)
    with pytest.raises(WorkError, match="cannot write"):
        fsio.write_text_atomic(target, "half of the new")
    assert target.read_text() == "the old, good file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ritual.toml"]


@pytest.mark.parametrize(
    ("err", "message"),
    [
        (errno.ENOSPC, "no space left"),
        (errno.EROFS, "read-only file system"),
        (errno.EACCES, "permission denied"),
    ],
)
def test_disk_errors_are_clear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int, message: str
) -> None:
    # CI runs as root, which ignores chmod: make the OS say no instead.
    target = tmp_path / "agenda.md"
    target.write_text("before")

    def fails(*args: object, **kwargs: object) -> None:
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(os, "fsync", fails)
    with pytest.raises(WorkError, match=message):
        fsio.write_text_atomic(target, "after")
    assert target.read_text() == "before"
    assert [p.name for p in tmp_path.iterdir()] == ["agenda.md"]


def test_path_that_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(WorkError, match="is a directory"):
        fsio.write_text_atomic(tmp_path, "x")


def test_file_in_the_way_of_a_directory(tmp_path: Path) -> None:
    (tmp_path / "agendas").write_text("not a dir")
    with pytest.raises(WorkError, match="a file is in the way"):
        fsio.write_text_atomic(tmp_path / "agendas" / "x.md", "x")


def test_write_if_changed(tmp_path: Path) -> None:
    target = tmp_path / "w.md"
    assert fsio.write_if_changed(target, b"a") is True
    mtime = target.stat().st_mtime_ns
    time.sleep(0.01)
    assert fsio.write_if_changed(target, b"a") is False
    assert target.stat().st_mtime_ns == mtime
    assert fsio.write_if_changed(target, b"b") is True and target.read_bytes() == b"b"
    assert fsio.write_if_changed(target, b"a") is True and target.read_bytes() == b"a"  # the same size
    with pytest.raises(WorkError, match="is a directory"):
        fsio.write_if_changed(tmp_path, b"x")


def test_backup_keeps_previous_version(tmp_path: Path) -> None:
    target = tmp_path / "ritual.toml"
    target.write_text("v1")
    bak = fsio.backup(target)
    assert bak is not None and bak.read_text() == "v1" and stat.S_IMODE(bak.stat().st_mode) == 0o600


def test_lock_makes_second_writer_wait_then_fail_clearly(tmp_path: Path) -> None:
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with fsio.locked(tmp_path):
            held.set()
            release.wait(5)

    t = threading.Thread(target=holder)
    t.start()
    held.wait(5)
    started = time.monotonic()
    with (
        pytest.raises(WorkError, match="another ritual command is still writing"),
        fsio.locked(tmp_path, wait=0.3),
    ):
        pass
    assert time.monotonic() - started >= 0.3  # it waited, boundedly
    release.set()
    t.join()
    with fsio.locked(tmp_path, wait=0.3):  # free again
        pass


class PowerCut:
    """What a power cut would leave on disk: a file's bytes once it is fsynced, a folder's
    entries once the folder is; what was there before the test, as it was.

    At each rename it notes the target if what is renamed over it is not yet on disk,
    whole: the rename might reach the disk before the bytes it names, and a power cut then
    leaves an empty or torn file under that name.
    """

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.bytes: dict[int, bytes] = {p.stat().st_ino: p.read_bytes() for p in folder.iterdir()}
        self.entries: dict[int, dict[str, int]] = {}
        self._remember_entries(folder.stat().st_ino, os.scandir(folder))
        self.torn: list[str] = []
        self.synced_everything = False
        real_fsync, real_replace = os.fsync, os.replace

        def fsync(fd: int) -> None:
            real_fsync(fd)
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                self._remember_entries(info.st_ino, os.scandir(fd))
            else:
                self.bytes[info.st_ino] = os.pread(fd, info.st_size, 0)

        def replace(src: str, dst: str) -> None:
            if self.bytes.get(os.stat(src).st_ino) != Path(src).read_bytes():
                self.torn.append(Path(dst).name)
            real_replace(src, dst)

        def sync() -> None:
            self.synced_everything = True

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)
        monkeypatch.setattr(os, "sync", sync)

    def _remember_entries(self, folder: int, found: Iterator[os.DirEntry[Any]]) -> None:
        with found as entries:  # type: ignore[attr-defined]
            self.entries[folder] = {e.name: e.inode() for e in entries}

    def on_disk(self, path: Path) -> bytes | None:
        """The bytes a power cut now would leave under ``path`` (None: no such file, or torn)."""
        inode = self.entries.get(path.parent.stat().st_ino, {}).get(path.name)
        return None if inode is None else self.bytes.get(inode)


def test_a_power_cut_leaves_the_old_file_or_the_new_one_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ritual.toml"
    target.write_bytes(b"the old preferences")
    disk = PowerCut(tmp_path, monkeypatch)
    fsio.write_bytes_atomic(target, b"the new preferences")
    assert disk.torn == []
    assert disk.on_disk(target) == b"the new preferences"  # and on disk once it returns


def test_a_power_cut_during_a_batch_leaves_each_file_old_or_new_and_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"{i:02}.md" for i in range(40)]
    for name in names[::3]:
        (tmp_path / name).write_bytes(b"last week's agenda")
    disk = PowerCut(tmp_path, monkeypatch)
    with fsio.Batch() as batch:
        for name in names:
            batch.write(tmp_path / name, f"agenda {name}".encode())
        assert {p.read_bytes() for p in tmp_path.iterdir() if p.name in names} == {b"last week's agenda"}
    assert disk.torn == []
    assert [disk.on_disk(tmp_path / name) for name in names] == [f"agenda {n}".encode() for n in names]
    assert all(stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600 for name in names)
    # Every file is made durable on its own: nothing waits on the whole machine's disks
    # (another program's writes, a hung network mount) while ritual holds its lock.
    assert not disk.synced_everything


@pytest.mark.parametrize(
    "stop", [OSError(errno.EIO, "Input/output error"), KeyboardInterrupt()], ids=["a disk error", "Ctrl-C"]
)
def test_a_batch_stopped_at_any_point_leaves_each_file_old_or_new_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: BaseException
) -> None:
    old = {"a.md": b"old a", "b.md": b"old b"}
    new = {"a.md": b"new a" * 1000, "b.md": b"new b", "c.md": b"new c"}
    calls, stop_at = 0, 0
    real = {name: getattr(os, name) for name in ("write", "fsync", "replace")}

    def stopping(name: str) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            nonlocal calls
            calls += 1
            if calls == stop_at:
                raise stop
            return real[name](*args)

        return call

    for name in real:
        monkeypatch.setattr(os, name, stopping(name))
    while True:  # stop at the first write, fsync or rename, then at the second, and so on
        stop_at += 1
        for path in tmp_path.iterdir():
            path.unlink()
        for name, data in old.items():
            (tmp_path / name).write_bytes(data)
        calls = 0
        with contextlib.suppress(WorkError, KeyboardInterrupt), fsio.Batch() as batch:
            for name, data in new.items():
                batch.write(tmp_path / name, data)
        if calls < stop_at:
            break  # it ran to the end without reaching the stop
        files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
        assert set(files) <= set(new), stop_at  # no temp file left
        assert all(data in (old.get(name), new[name]) for name, data in files.items()), stop_at
    assert stop_at > 2 * len(new)  # it was stopped at each file's write and rename at least
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == new


KILLED_WHILE_RENAMING = """\
import os, signal, sys
from pathlib import Path
from ritualcli.core import fsio
os.replace = lambda src, dst: os.kill(os.getpid(), signal.SIGKILL)
fsio.write_bytes_atomic(Path(sys.argv[1]), b"the new agenda")
"""


def test_the_temp_file_a_kill_leaves_is_swept_by_a_later_write_an_hour_on(tmp_path: Path) -> None:
    target = tmp_path / "2026-11-29-checkin.md"
    target.write_bytes(b"the old agenda")
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_RENAMING, str(target)], timeout=60, check=False
    )
    assert killed.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"the old agenda"
    (left,) = (p for p in tmp_path.iterdir() if p != target)
    assert left.read_bytes() == b"the new agenda"
    fsio.write_bytes_atomic(tmp_path / "2026-12-06-checkin.md", b"x")
    assert left.exists()  # as far as anyone knows, another ritual is still writing it
    an_hour_ago = time.time() - fsio.STALE_TEMP_SECONDS - 60
    os.utime(left, (an_hour_ago, an_hour_ago))
    fsio.write_bytes_atomic(tmp_path / "2026-12-13-checkin.md", b"y")
    assert not left.exists()


def test_a_failed_batch_writes_nothing_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.md").write_bytes(b"old a")
    with pytest.raises(RuntimeError), fsio.Batch() as batch:
        batch.write(tmp_path / "a.md", b"new a")
        batch.write(tmp_path / "b.md", b"new b")
        raise RuntimeError("a template failed at the third agenda")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]
    assert (tmp_path / "a.md").read_bytes() == b"old a"

    def fails(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fails)
    with pytest.raises(WorkError, match=r"cannot write .*: no space left"), fsio.Batch() as batch:
        batch.write(tmp_path / "a.md", b"new a")
        batch.write(tmp_path / "b.md", b"new b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]
    assert (tmp_path / "a.md").read_bytes() == b"old a"


def test_a_failed_rename_keeps_the_rest_old_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_bytes(b"old")
    real = os.replace

    def replace(src: str, dst: Path) -> None:
        if Path(dst).name == "b.md":
            raise OSError(errno.EIO, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(WorkError, match=r"cannot write .*b\.md"), fsio.Batch() as batch:
        for name in ("a.md", "b.md", "c.md"):
            batch.write(tmp_path / name, b"new")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {
        "a.md": b"new",  # whole files only: each is either the old or the new one
        "b.md": b"old",
        "c.md": b"old",
    }


def test_a_full_disk_while_writing_keeps_the_old_file_and_the_rest_of_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "b.md").write_bytes(b"old b")
    real = os.write

    def write(fd: int, data: bytes) -> int:
        if bytes(data).startswith(b"new b"):
            real(fd, b"ne")  # half of it, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)
    with fsio.Batch() as batch:
        batch.write(tmp_path / "a.md", b"new a")
        with pytest.raises(WorkError, match="no space left"):
            batch.write(tmp_path / "b.md", b"new b")
    # the failed file: old and whole, its temp file gone; the one staged before it: written
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {"a.md": b"new a", "b.md": b"old b"}


def test_a_batch_removes_temp_files_a_crash_left_behind(tmp_path: Path) -> None:
    import time

    old = time.time() - 2 * fsio.STALE_TEMP_SECONDS
    stale = tmp_path / ".2026-11-29-checkin.md.a1b2c3d_.ritual.tmp"  # ours, two hours old
    fresh = tmp_path / ".2026-12-06-checkin.md.zz99yy88.ritual.tmp"  # ours, maybe being written right now
    theirs = [  # other programs' temp files, however much they look like ours
        tmp_path / ".notes.tmp",
        tmp_path / ".notes.20261121.tmp",
        tmp_path / ".report.pdf.download.tmp",
        tmp_path / ".syncthing.meetings.tmp",
        tmp_path / ".draft.md.toolong123.ritual.tmp",
        tmp_path / "plain.ritual.tmp",
    ]
    for path in [stale, fresh, *theirs]:
        path.write_text("x", encoding="utf-8")
    for path in [stale, *theirs]:
        os.utime(path, (old, old))
    with fsio.Batch() as batch:
        batch.write(tmp_path / "2026-11-29-checkin.md", b"agenda")
    assert not stale.exists()
    assert fresh.exists() and all(p.exists() for p in theirs)
    assert (tmp_path / "2026-11-29-checkin.md").read_bytes() == b"agenda"


def stale_temp(folder: Path, name: str) -> Path:
    """A temp file of ritual's, as a kill -9 mid-write leaves it, two hours old."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f".{name}.k1ll3d9x{fsio.TEMP_SUFFIX}"
    path.write_text("half an agenda", encoding="utf-8")
    old = time.time() - 2 * fsio.STALE_TEMP_SECONDS
    os.utime(path, (old, old))
    return path


def test_a_rerun_that_changes_nothing_still_sweeps(
    cli: Invoke, write_config: WriteConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RITUAL_TODAY", "2026-11-23")
    config = write_config()
    data = config.parent
    out = tmp_path / "out"
    cli("export", "ics", "--out", str(out / "rituals.ics"))
    cli("weekly", "--out", str(out))
    left = [stale_temp(out, "rituals.ics"), stale_temp(data, "history.toml"), stale_temp(out, "2026-W48.md")]
    assert "unchanged" in cli("export", "ics", "--out", str(out / "rituals.ics")).stdout
    assert not left[0].exists()
    assert "unchanged" in cli("weekly", "--out", str(out)).stdout
    assert not any(p.exists() for p in left)

    # A week with nothing planned writes nothing at all, and still sweeps.
    quiet = tmp_path / "quiet"
    left = [stale_temp(quiet, "2027-W01.md"), stale_temp(data, "calendar-state.toml")]
    monkeypatch.setenv("RITUAL_TODAY", "2026-11-16")  # before couple.start: nothing planned
    assert "nothing planned" in cli("weekly", "--out", str(quiet)).stdout
    assert not any(p.exists() for p in left)
