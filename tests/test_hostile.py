"""Hostile input (issue 17): every case ends as a one-line error with its exit code,
never a traceback or a hang, and nothing of ritual's is overwritten.

The hostile files are in tests/fixtures/hostile/ (cases.toml says what each must
give); FIFOs, devices, sockets and undecodable arguments are made here.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from conftest import COUPLE, Invoke

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
CASES = tomllib.loads((HOSTILE / "cases.toml").read_text(encoding="utf-8"))["case"]
RITUAL = Path(sys.executable).with_name("ritual")


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RITUAL_TODAY", "2026-11-23")


@pytest.fixture
def cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid couple's folder; RITUAL_CONFIG points at its preferences."""
    folder = tmp_path / "cfg"
    folder.mkdir()
    (folder / "ritual.toml").write_text(COUPLE, encoding="utf-8")
    monkeypatch.setenv("RITUAL_CONFIG", str(folder / "ritual.toml"))
    monkeypatch.chdir(tmp_path)
    return folder


def one_line_error(result: Result, code: int, *, names: Path | None = None, says: str = "") -> str:
    """The exit code, no traceback, and a short error whose line naming the file says ``says``."""
    err = result.stderr
    assert result.exit_code == code, f"exit {result.exit_code}\n{result.stdout}\n{err}"
    assert "Traceback" not in err + result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in err.splitlines() if not line.startswith("note: ")]
    assert lines and lines[0].startswith("error: "), err
    assert len(lines) <= 4 and all(len(line) < 400 for line in lines), err
    if names is not None or says:
        assert any(str(names or "") in line and says in line for line in lines), err
    return err


def place(kind: str, source: Path, cfg: Path) -> Path:
    target = {
        "preferences": cfg / "ritual.toml",
        "history": cfg / "history.toml",
        "calendar-state": cfg / "calendar-state.toml",
        "templates": cfg / "templates" / "date-night.md.j2",
    }[kind]
    target.parent.mkdir(exist_ok=True)
    if target.exists():
        target.unlink()
    if source.is_file():
        shutil.copyfile(source, target)
    return target


# --------------------------------------------------------------------------- hostile files


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_a_hostile_file_is_a_one_line_error(cli: Invoke, cfg: Path, case: dict[str, Any]) -> None:
    source = HOSTILE / case["file"]
    target = place(case["file"].split("/")[0], source, cfg)
    result = cli(*case.get("run", ["agenda", "date-night"]), code=None)
    where = f"{target}:{case['line']}:" if "line" in case else str(target)
    one_line_error(result, case.get("code", 2), says=case["says"])
    assert any(
        line.lstrip().startswith(where) and case["says"] in line for line in result.stderr.splitlines()
    )
    assert target.read_bytes() == source.read_bytes()  # read, never rewritten


@pytest.mark.parametrize(
    ("kind", "run"),
    [
        ("preferences", ["plan"]),
        ("history", ["stats"]),
        ("calendar-state", ["export", "ics", "--out", "rituals.ics"]),
        ("templates", ["agenda", "date-night"]),
        ("templates", ["templates", "show", "date-night"]),
    ],
)
def test_a_named_pipe_is_refused_not_read_for_ever(cli: Invoke, cfg: Path, kind: str, run: list[str]) -> None:
    fifo = place(kind, HOSTILE / "none", cfg)
    os.mkfifo(fifo)
    one_line_error(cli(*run, code=None), 1, names=fifo, says="is a named pipe (FIFO), not a regular file")


def test_a_template_that_is_not_utf8_is_shown_as_a_problem(cli: Invoke, cfg: Path) -> None:
    place("templates", HOSTILE / "templates" / "latin1.md.j2", cfg)
    one_line_error(cli("templates", "show", "date-night", code=None), 2, says="is not UTF-8 text")


# --------------------------------------------------------------------------- config edit


def editor(tmp_path: Path, body: str) -> str:
    script = tmp_path / "editor.py"
    script.write_text(f"import sys, pathlib\npath = pathlib.Path(sys.argv[1])\n{body}\n", encoding="utf-8")
    return f"{sys.executable} {script}"


def test_config_edit_of_a_file_that_is_not_utf8(
    cli: Invoke, cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefs = place("preferences", HOSTILE / "preferences" / "latin1.toml", cfg)
    before = prefs.read_bytes()
    monkeypatch.setenv("EDITOR", editor(tmp_path, "pass"))  # saves it as it was
    err = one_line_error(cli("config", "edit", code=None), 2, says="unchanged")
    assert "is not UTF-8 text" in err and prefs.read_bytes() == before
    # The editor is where to put it right: a UTF-8 version is checked and saved.
    fix = "path.write_bytes(path.read_bytes().decode('latin-1').encode())"
    monkeypatch.setenv("EDITOR", editor(tmp_path, fix))
    cli("config", "edit")
    assert prefs.read_text(encoding="utf-8").endswith('location = "café"\n')


def test_config_edit_refuses_a_named_pipe_as_its_draft(
    cli: Invoke, cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.mkfifo(cfg / "ritual.toml.rejected")
    monkeypatch.setenv("EDITOR", editor(tmp_path, "pass"))
    one_line_error(cli("config", "edit", code=None), 1, says="named pipe")


# --------------------------------------------------------------------------- arguments and environment

UNDECODABLE = "Sam: call \udcff sister"  # what Python makes of the byte 0xff in an argument


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["done", "checkin", "--date", "2026-11-29", "--commit", UNDECODABLE], "--commit"),
        (["done", "checkin", "--date", "2026-11-29", f"--commit={UNDECODABLE}"], "--commit"),
        (["done", "checkin", "--date", "2026-11-29", "--note", UNDECODABLE], "--note"),
        (["skip", "checkin", "--date", "2026-11-29", "--reason", UNDECODABLE], "--reason"),
        (["init", "--yes", "--force", "--partner", "Al\udce9x", "--partner", "Sam"], "--partner"),
        (["--config", "/tmp/\udcff/ritual.toml", "plan"], "--config"),
        (["plan", "--from", "2026-11-\udcff"], "--from"),
        (["agenda", "\udcff"], "an argument"),
    ],
)
def test_an_argument_that_is_not_utf8_names_its_option(
    cli: Invoke, cfg: Path, args: list[str], option: str
) -> None:
    before = (cfg / "ritual.toml").read_bytes()
    err = one_line_error(cli(*args, code=None), 2, says="is not valid text")
    assert err.startswith(f"error: {option}: ")
    assert "\\xff" in err or "\\xe9" in err  # the byte, shown
    assert (cfg / "ritual.toml").read_bytes() == before and not (cfg / "history.toml").exists()


def test_undecodable_bytes_from_a_real_command_line(cfg: Path) -> None:
    done = subprocess.run(
        [str(RITUAL), "done", "checkin", "--date", "2026-11-29", "--commit", b"Sam: call \xff sister"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert done.stderr.startswith(b"error: --commit: 'Sam: call \\xff sister' is not valid text")


@pytest.mark.parametrize("value", ["", "abc", "nan", "inf", "-inf", "-1", "3601", "1e400"])
def test_ritual_lock_wait_must_be_seconds_from_0_to_3600(
    cli: Invoke, cfg: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("RITUAL_LOCK_WAIT", value)
    one_line_error(cli("skip", "checkin", "--date", "2026-11-29", code=None), 2, says="RITUAL_LOCK_WAIT")
    monkeypatch.setenv("RITUAL_LOCK_WAIT", "0")
    cli("skip", "checkin", "--date", "2026-11-29")


# --------------------------------------------------------------------------- --out


OWN = ["ritual.toml", "ritual.toml.bak", "ritual.toml.rejected", "history/2026.toml", "history.toml.bak",
       "calendar-state.toml", "calendar-state.toml.bak", "sync-state.toml", ".ritual.lock", "templates/mine.md.j2"]  # fmt: skip
WRITERS = [["agenda", "checkin", "--out"], ["agenda", "repair", "--out"], ["export", "ics", "--out"]]


@pytest.fixture
def own_files(cli: Invoke, cfg: Path) -> dict[str, bytes]:
    """Every file ritual keeps for itself, made real (with content to lose)."""
    cli("done", "checkin", "--date", "2026-11-22", "--unplanned", "--commit", "Sam: call", code=None)
    cli("export", "ics", "--out", str(cfg.parent / "elsewhere.ics"))  # a real calendar state
    for name in OWN:
        path = cfg / name
        path.parent.mkdir(exist_ok=True)
        if not path.exists():
            path.write_text(f"# {name}: ritual's own\n", encoding="utf-8")
    return {name: (cfg / name).read_bytes() for name in OWN}


@pytest.mark.parametrize("name", OWN)
@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_out_never_replaces_ritual_s_own_files(
    cli: Invoke, cfg: Path, own_files: dict[str, bytes], command: list[str], name: str
) -> None:
    one_line_error(cli(*command, str(cfg / name), code=None), 2, says="never replaces")
    assert {n: (cfg / n).read_bytes() for n in OWN} == own_files


@pytest.mark.parametrize("how", ["symlink", "hard link", "dot-dot"])
def test_out_is_not_fooled_by_another_name_for_the_file(
    cli: Invoke, cfg: Path, own_files: dict[str, bytes], tmp_path: Path, how: str
) -> None:
    other = tmp_path / "other.md"
    if how == "symlink":
        other.symlink_to(cfg / "history" / "2026.toml")
    elif how == "hard link":
        os.link(cfg / "history" / "2026.toml", other)
    else:
        other = cfg / "templates" / ".." / "history" / "2026.toml"
    one_line_error(cli("agenda", "checkin", "--out", str(other), code=None), 2, says="never replaces")
    assert (cfg / "history" / "2026.toml").read_bytes() == own_files["history/2026.toml"]


def test_a_batch_never_writes_over_the_preferences_either(cli: Invoke, tmp_path: Path) -> None:
    """A preferences file named like an agenda (or like the week's file, or rituals.ics)."""
    folder = tmp_path / "odd"
    folder.mkdir()
    for name, run in [
        ("2026-11-29-checkin.md", ["export", "markdown", "--out", str(folder)]),
        ("2026-W48.md", ["weekly", "--out", str(folder)]),
        ("rituals.ics", ["weekly", "--ics", "--out", str(folder)]),
    ]:
        prefs = folder / name
        prefs.write_text(COUPLE, encoding="utf-8")
        one_line_error(cli("--config", str(prefs), *run, code=None), 2, says="never replaces")
        assert prefs.read_text(encoding="utf-8") == COUPLE
        prefs.unlink()


@pytest.mark.parametrize("kind", ["device", "named pipe", "socket"])
@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_out_writes_only_over_a_regular_file(
    cli: Invoke, cfg: Path, tmp_path: Path, kind: str, command: list[str]
) -> None:
    if kind == "device":
        target = Path("/dev/null")
    elif kind == "named pipe":
        target = tmp_path / "pipe"
        os.mkfifo(target)
    else:
        target = tmp_path / "sock"
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
    one_line_error(cli(*command, str(target), code=None), 2, says="not a file ritual may write")
    assert not target.is_file()
    assert cli(*command[:-1], "--out", "-").stdout  # standard output is still fine
