"""Read .ics files with ical.js, the parser inside Thunderbird, from tests.

A calendar is only right if the programs people use read it right, and ical.js
reads VTIMEZONEs differently from Python's parsers (it takes only the first
date of an RDATE line, for one). Tests call `expand_with_icaljs`; it installs
the pinned ical.js from tests/js/package-lock.json on first use.

Without `node` the comparison is skipped, loudly. In CI (the CI variable set),
a machine that has node but cannot install ical.js fails the test instead:
a silent skip there would hide that the comparison stopped running.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

JS_DIR = Path(__file__).parent / "js"
_EXPAND = JS_DIR / "expand.mjs"
_READ = JS_DIR / "read.mjs"
# npm keeps its cache and registry settings under HOME, which the test
# fixtures point at an empty folder; install with the environment we started in.
_STARTING_ENV = dict(os.environ)


def icaljs_available() -> bool:
    """True if node is on PATH and ical.js is installed (installing it if needed)."""
    return shutil.which("node") is not None and _install() is None


def expand_with_icaljs(
    ics_path: str | os.PathLike[str], start: dt.date | str, end: dt.date | str
) -> list[dict[str, Any]]:
    """Every occurrence ical.js computes that starts in [start, end), sorted by start.

    Each is a dict with "uid", "start" and "end" (ISO 8601 with the UTC offset
    ical.js computed), "summary" and "status" (None, or e.g. "CANCELLED": those
    are listed too). A date or naive datetime counts as UTC.
    Skips the calling test when ical.js cannot run here (see module docstring).
    """
    occurrences: list[dict[str, Any]] = _run(_EXPAND, os.fspath(ics_path), _iso(start), _iso(end))
    return occurrences


def read_with_icaljs(ics_path: str | os.PathLike[str]) -> dict[str, Any]:
    """The calendar's name and each VEVENT's text properties as ical.js reads them (see read.mjs)."""
    found: dict[str, Any] = _run(_READ, os.fspath(ics_path))
    return found


def _run(script: Path, *args: str) -> Any:
    _require_icaljs()
    result = subprocess.run(
        ["node", str(script), *args], capture_output=True, text=True, check=False, timeout=120
    )
    if result.returncode != 0:
        pytest.fail(f"ical.js could not read {args[0]}:\n{result.stderr}")
    return json.loads(result.stdout)


def _require_icaljs() -> None:
    if shutil.which("node") is None:
        pytest.skip("node not on this machine: ical.js comparison not run")
    problem = _install()
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI has node but ical.js could not be installed: {problem}")
    pytest.skip(f"ical.js could not be installed, comparison not run: {problem}")


@functools.cache
def _install() -> str | None:
    """Install ical.js once per test run; return why it failed, or None."""
    if (JS_DIR / "node_modules" / "ical.js" / "package.json").exists():
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "npm not on PATH"
    # `npm ci` installs exactly the locked version, so every machine compares
    # against the same ical.js.
    try:
        result = subprocess.run(
            [npm, "ci", "--prefix", str(JS_DIR), "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
            env=_STARTING_ENV,
        )
    except subprocess.TimeoutExpired:
        return "npm ci timed out"
    if result.returncode != 0:
        return f"npm ci failed:\n{result.stdout}\n{result.stderr}"
    return None


def _iso(value: dt.date | str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        # JavaScript reads an ISO string without offset as local time.
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return aware.isoformat()
    return value.isoformat()
