"""Shared fixtures: no test touches the real home or config dir."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import calendars
from radicale_server import Radicale, running_radicale
from ritualcli.cli.app import app


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))  # compiled library and templates
    for var in (
        "RITUAL_CONFIG",
        "RITUAL_TODAY",
        "RITUAL_NOW",
        "SOURCE_DATE_EPOCH",
        "EDITOR",
        "VISUAL",
        "NO_COLOR",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("RITUAL_LOCK_WAIT", "2")
    return home


Invoke = Callable[..., Result]


@pytest.fixture
def cli() -> Invoke:
    """Run a ritual command; on an unexpected exit code, show what it printed."""

    def invoke(
        *args: str, code: int | None = 0, input: str | None = None, env: dict[str, str] | None = None
    ) -> Result:
        result = CliRunner().invoke(app, list(args), input=input, env=env)
        if code is not None and result.exit_code != code:
            import traceback

            tb = "".join(traceback.format_exception(result.exception)) if result.exception else ""
            pytest.fail(
                f"ritual {' '.join(args)} exited {result.exit_code}, expected {code}\n"
                f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}\n{tb}"
            )
        return result

    return invoke


COUPLE = """\
version = 1
[couple]
partners = ["Alex", "Sam"]
timezone = "America/New_York"
start = 2026-11-23
"""


@pytest.fixture
def write_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    """Write a preferences file and point RITUAL_CONFIG at it."""

    def write(text: str = COUPLE) -> Path:
        path = tmp_path / "cfg" / "ritual.toml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        os.chmod(path, 0o600)
        monkeypatch.setenv("RITUAL_CONFIG", str(path))
        return path

    return write


# --------------------------------------------------------------------------- calendars


@pytest.fixture
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The calendar tests' clock: today 2026-11-20, DTSTAMP from SOURCE_DATE_EPOCH."""
    monkeypatch.setenv("RITUAL_TODAY", calendars.TODAY)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", calendars.EPOCH)


@pytest.fixture
def export(cli: Invoke, tmp_path: Path) -> Callable[..., bytes]:
    """Run `ritual export ics --out FILE ARGS…` and return the file's bytes."""

    def run(*args: str, name: str = "rituals.ics") -> bytes:
        out = tmp_path / name
        cli("export", "ics", "--out", str(out), *args)
        return out.read_bytes()

    return run


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    """One real Radicale CalDAV server for the whole session (tests/radicale_server.py).

    Started on first use (about a second) and stopped at the end; each test makes
    its own calendar with ``radicale.new_calendar()``.
    """
    with running_radicale(tmp_path_factory.mktemp("radicale")) as server:
        yield server
