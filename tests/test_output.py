"""Where output goes wrong (issue 17): a full disk, a reader that left, a closed
stream, a terminal that would obey markup in a name; and temp files a crash left.

These run the installed `ritual` in a subprocess (or at a pseudo-terminal, with
pexpect): standard streams are what is being tested.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from conftest import COUPLE, Invoke
from ritualcli import __version__
from ritualcli.core import fsio

RITUAL = Path(sys.executable).with_name("ritual")
MARKUP_NAMES = ["[link=https://evil.example]Alex[/link]", "[blink]Sam[/]"]


def env(home: Path, **extra: str) -> dict[str, str]:
    base = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "RITUAL_TODAY": "2026-11-23"}
    return base | extra


def run(home: Path, args: list[str], **kw: object) -> subprocess.CompletedProcess[bytes]:
    """`ritual ARGS`, its streams piped unless given."""
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE} | kw
    today = str(streams.pop("today", "2026-11-23"))
    return subprocess.run(  # type: ignore[call-overload,no-any-return]
        [str(RITUAL), *args], env=env(home, RITUAL_TODAY=today), timeout=120, check=False, **streams
    )


COMMANDS = [["plan"], ["--help"], ["--version"], ["plan", "--help"], ["agenda", "checkin"],
            ["export", "ics", "--out", "-"], ["config", "path"], ["practices"]]  # fmt: skip


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(tmp_path: Path, args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = run(tmp_path, args, stdout=full, stderr=subprocess.PIPE)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    errors = [line for line in err.splitlines() if not line.startswith("note: ")]
    assert errors == ["error: cannot write the output: no space left on the device"]


@pytest.mark.parametrize("args", [*COMMANDS, ["plan", "--weeks", "520"]], ids=" ".join)
def test_a_reader_that_left_gets_silence(tmp_path: Path, args: list[str]) -> None:
    """`ritual plan | head -1`: the pipe has no reader when ritual writes (made so
    before it starts, so the test does not race), and stderr says nothing at all."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = run(tmp_path, args, stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    err = done.stderr.decode()
    assert done.returncode == 1
    assert [line for line in err.splitlines() if not line.startswith("note: ")] == [], err


def test_closed_streams_are_exit_1_without_a_traceback(tmp_path: Path) -> None:
    no_stdout = run(tmp_path, ["plan"], stdout=subprocess.DEVNULL)
    assert no_stdout.returncode == 0  # the control: devnull is a fine place to write
    code = "import os, sys; os.close(1); os.execv(sys.argv[1], sys.argv[1:])"
    closed = subprocess.run(
        [sys.executable, "-c", code, str(RITUAL), "plan"],
        env=env(tmp_path), stderr=subprocess.PIPE, timeout=120, check=False,
    )  # fmt: skip
    assert closed.returncode == 1
    assert (
        closed.stderr.decode().splitlines()[-1] == "error: cannot write the output: standard output is closed"
    )
    both = "import os, sys; os.close(1); os.close(2); os.execv(sys.argv[1], sys.argv[1:])"
    done = subprocess.run([sys.executable, "-c", both, str(RITUAL), "plan"], env=env(tmp_path), timeout=120)
    assert done.returncode == 1


def test_a_locale_that_cannot_show_a_dash_still_gets_the_plan(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(RITUAL), "plan"],
        env=env(tmp_path, PYTHONIOENCODING="latin-1"), capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert b"19:00\\u201319:30" in done.stdout  # "–", shown as its code


# --------------------------------------------------------------------------- a terminal


def at_terminal(home: Path, *args: str, config: Path, today: str = "2026-12-01") -> tuple[int, str]:
    terminal = env(home, TERM="xterm-256color", COLUMNS="120", RITUAL_CONFIG=str(config), RITUAL_TODAY=today)
    child = pexpect.spawn(
        str(RITUAL), list(args), env=terminal,
        encoding="utf-8", dimensions=(50, 120), timeout=120,
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus or 0, child.before or ""


def test_markup_in_names_is_shown_not_obeyed_at_a_terminal(tmp_path: Path) -> None:
    config = tmp_path / "ritual.toml"
    names = ", ".join(f'"{n}"' for n in MARKUP_NAMES)
    config.write_text(COUPLE.replace('["Alex", "Sam"]', f"[{names}]"), encoding="utf-8")
    rated = run(tmp_path, ["--config", str(config), "done", "checkin", "--date", "2026-11-29",
                           "--rating", f"{MARKUP_NAMES[0]}=7", "--rating", f"{MARKUP_NAMES[1]}=8"],
                today="2026-12-01")  # fmt: skip
    assert rated.returncode == 0, rated.stderr
    for command in (["plan", "--from", "2026-11-23"], ["stats"]):
        code, shown = at_terminal(tmp_path, *command, config=config)
        assert code == 0, shown
        assert "\x1b[" in shown  # rich did draw: the test looks at a real terminal's output
        assert "\x1b]8;" not in shown  # no OSC 8 hyperlink
        assert "\x1b[5m" not in shown and ";5m" not in shown  # no blink
        assert "Traceback" not in shown and "MarkupError" not in shown
        assert "[link=https://evil.example]Alex[/link]" in shown and "[blink]Sam[/]" in shown


def test_an_unclosed_tag_in_a_name_is_not_an_error(tmp_path: Path) -> None:
    config = tmp_path / "ritual.toml"
    config.write_text(COUPLE.replace('["Alex", "Sam"]', '["Alex[/]", "Sam"]'), encoding="utf-8")
    code, shown = at_terminal(tmp_path, "plan", config=config)
    assert code == 0 and "Rituals for Alex[/] & Sam" in shown and "Traceback" not in shown


# --------------------------------------------------------------------------- temp files a crash left


def stale_temp(folder: Path, name: str) -> Path:
    """A temp file of ritual's, as a kill -9 mid-write leaves it, two hours old."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f".{name}.k1ll3d9x{fsio.TEMP_SUFFIX}"
    path.write_text("half an agenda", encoding="utf-8")
    old = time.time() - 2 * fsio.STALE_TEMP_SECONDS
    os.utime(path, (old, old))
    return path


def test_a_rerun_that_changes_nothing_still_sweeps(
    cli: Invoke, write_config: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RITUAL_TODAY", "2026-11-23")
    config = write_config()  # type: ignore[operator]
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


def test_version(cli: Invoke) -> None:
    assert cli("--version").stdout.strip() == f"ritual {__version__}"


def test_no_args_shows_help(cli: Invoke) -> None:
    # bare `ritual` is a usage mistake: help on stderr, exit 2 (click's convention)
    result = cli(code=2)
    assert "Usage: ritual" in result.stderr and "plan" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["plan"],
        ["init"],
        ["config", "edit"],
        ["config", "validate"],
        ["export", "ics"],
        ["agenda"],
        ["weekly"],
    ],
)
def test_every_command_explains_its_options(cli: Invoke, args: list[str]) -> None:
    text = cli(*args, "--help").stdout
    assert "--config" in text
    assert "Usage: ritual" in text
