"""What every test shares: a home, config and cache folder of its own (never the real
ones), `cli` to run a command, a couple's preferences (`write_config`, COUPLE) and their
folder (`data`), a pinned clock, and the session's one CalDAV server."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result


def point_home_at(home: Path, setenv: Callable[[str, str], object], cache: Path | None = None) -> None:
    """HOME and XDG_CONFIG_HOME (preferences) inside ``home``, XDG_CACHE_HOME (the compiled
    library and templates) at ``cache``, else inside ``home`` too."""
    setenv("HOME", str(home))
    setenv("XDG_CONFIG_HOME", str(home / ".config"))
    setenv("XDG_CACHE_HOME", str(cache or home / ".cache"))


# Before any test module is imported: several load the library at import time, and a
# checkout's first load writes the compiled library into the cache folder.
_SESSION_HOME = Path(tempfile.mkdtemp(prefix="ritual-tests-home-"))
atexit.register(shutil.rmtree, _SESSION_HOME, ignore_errors=True)
point_home_at(_SESSION_HOME, os.environ.__setitem__)

import calendars  # noqa: E402
from radicale_server import Radicale, running_radicale  # noqa: E402
from ritualcli.cli.app import app  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own empty home and config folder. The cache folder is the session's:
    what ritual keeps there (the compiled library and templates) it can always rebuild,
    and sharing it spares each test compiling them again, as a couple's own runs share
    theirs. A test of the cache itself points XDG_CACHE_HOME at a folder of its own."""
    home = tmp_path_factory.mktemp("home")
    point_home_at(home, monkeypatch.setenv, cache=_SESSION_HOME / ".cache")
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
WriteConfig = Callable[..., Path]


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


@pytest.fixture
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is Tuesday 2026-11-24, in COUPLE's first week: `agenda` and `plan` without a
    date show the couple's first check-in (Sunday 29 November) and date night (Friday 4
    December)."""
    monkeypatch.setenv("RITUAL_TODAY", "2026-11-24")


@pytest.fixture
def data(write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The couple's folder: COUPLE's preferences (check-ins on Sundays from 2026-11-23),
    beside which ritual keeps the history. Today is Wednesday 2026-12-02."""
    monkeypatch.setenv("RITUAL_TODAY", "2026-12-02")
    return write_config(COUPLE).parent


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


@pytest.fixture(scope="session")
def radicale_tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    """A second Radicale, over https with a self-signed certificate for 127.0.0.1 and
    localhost (``radicale_tls.cafile``, made with the openssl program: without it the
    tests that use this fail, naming it). Started only for those tests."""
    with running_radicale(tmp_path_factory.mktemp("radicale-tls"), tls=True) as server:
        yield server
