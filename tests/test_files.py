"""Never lose or expose data: atomic private writes, the lock, clear disk errors."""

from __future__ import annotations

import errno
import os
import re
import stat
import threading
import time
from pathlib import Path

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
    assert fsio.write_if_changed(target, b"b") is True


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


def test_batch_writes_sync_the_folder_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    fsio.write_bytes_atomic(tmp_path / "one.md", b"1")
    assert len(synced) == 2  # the file, then the folder holding the rename
    synced.clear()
    with fsio.Batch() as batch:
        for name in ("a.md", "b.md", "c.md"):
            assert batch.write_if_changed(tmp_path / name, b"x")
        assert not synced and not (tmp_path / "a.md").exists()  # nothing in place before the commit
    assert len(synced) == 4  # each file's content, then the folder once
    assert all((tmp_path / n).read_bytes() == b"x" for n in ("a.md", "b.md", "c.md"))
    assert all(stat.S_IMODE((tmp_path / n).stat().st_mode) == 0o600 for n in ("a.md", "b.md", "c.md"))


def test_a_big_batch_is_durable_before_any_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "sync", lambda: events.append("sync"))  # never: it waits on every disk
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    n = 40
    with fsio.Batch() as batch:
        for i in range(n):
            batch.write(tmp_path / f"{i}.md", b"agenda")
    renames = [i for i, e in enumerate(events) if e == "replace"]
    assert len(renames) == n and events.count("fsync") == n + 1
    # every temp file is fsynced before the first rename, and nothing flushes the whole machine
    assert "replace" not in events[: renames[0]] and events[: renames[0]].count("fsync") == n
    assert "sync" not in events
    assert events[-1] == "fsync"  # the folder, once, after the renames
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{i}.md" for i in range(n))


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


def test_rerun_reads_only_files_of_the_same_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "w.md"
    target.write_bytes(b"four")
    read: list[Path] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (read.append(self), real(self))[1])
    assert fsio.write_if_changed(target, b"five!") is True and read == []  # another size: no need to read
    assert fsio.write_if_changed(target, b"five!") is False and read == [target]
    assert fsio.write_if_changed(target, b"six!!") is True and target.read_bytes() == b"six!!"
    with pytest.raises(WorkError, match="is a directory"):
        fsio.write_if_changed(tmp_path, b"x")


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


def test_temp_files_carry_the_name_the_sweep_looks_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (seen.append(os.path.basename(a)), real(a, b))[1])
    fsio.write_bytes_atomic(tmp_path / "ritual.toml", b"x")
    assert len(seen) == 1 and re.fullmatch(fsio._TEMP_NAME, seen[0]), seen


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
