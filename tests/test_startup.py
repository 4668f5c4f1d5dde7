"""What the most-run commands import: a guard for start-up cost, not a timing.

Every Tab completion, cron run and `ritual plan` starts a fresh interpreter, so a
heavy library imported at module level is paid on each of them (icalendar ~120 ms,
jinja2 ~90 ms, pydantic ~170 ms, rich ~15 ms). These commands never need them;
each test runs the CLI's main() in a fresh subprocess (stdout a pipe, not a
terminal) and looks at sys.modules afterwards. bench/run.py measures the time.

Our own records count too: on Python 3.11 creating a frozen dataclass costs about
1.5 ms (it compiles six methods), a NamedTuple about 0.1 ms, so ritual's records
are NamedTuples (an export loaded ~30 of them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

# Runs the CLI in-process with argv[2:] and writes what it imported to argv[1].
PROBE = """\
import json, sys
dest = sys.argv[1]
sys.argv = ["ritual", *sys.argv[2:]]
code = 0
try:
    from ritualcli.cli.app import main
    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
dataclasses = sorted(
    f"{name}.{attr}"
    for name, module in list(sys.modules.items())
    if name.startswith("ritualcli")
    for attr, value in vars(module).items()
    if isinstance(value, type) and value.__module__ == name and "__dataclass_fields__" in vars(value)
)
with open(dest, "w") as fh:
    json.dump({"code": code, "modules": sorted(sys.modules), "dataclasses": dataclasses}, fh)
"""

HEAVY = ("icalendar", "jinja2", "rich", "recurring_ical_events", "pydantic", "caldav", "niquests", "lxml")


def probe(tmp_path: Path, *args: str) -> dict[str, Any]:
    """What `ritual ARGS…` loaded (it must succeed, on the example couple)."""
    dest = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RITUAL_")}  # HOME is isolated (conftest)
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(dest), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert dest.exists(), f"the probe did not finish\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    result = json.loads(dest.read_text())
    assert result["code"] == 0, f"ritual {' '.join(args)} exited {result['code']}\n{proc.stderr}"
    assert "ritualcli.cli.app" in result["modules"]  # the probe really ran the CLI
    return result


def imported(tmp_path: Path, *args: str) -> set[str]:
    return set(probe(tmp_path, *args)["modules"])


@pytest.mark.parametrize(
    "args",
    [
        ("plan",),
        ("plan", "--format", "json"),
        ("plan", "--format", "markdown"),
        ("--version",),
        ("--help",),
    ],
    ids=" ".join,
)
def test_command_imports_no_heavy_library(tmp_path: Path, args: tuple[str, ...]) -> None:
    modules = imported(tmp_path, *args)
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert not heavy, (
        f"`ritual {' '.join(args)}` imports {', '.join(heavy)}: import it inside the function "
        "that needs it (see bench/run.py and the README's Performance section)"
    )


def test_plan_really_plans(tmp_path: Path) -> None:
    """The guard above is only worth something if `plan` got as far as the schedule."""
    modules = imported(tmp_path, "plan")
    assert {"ritualcli.core.schedule", "ritualcli.core.selection", "zoneinfo"} <= modules
    # Occurrences are date arithmetic (held to dateutil's RRULE expansion by the tests).
    assert "dateutil" not in modules


@pytest.mark.parametrize(
    "args",
    [("plan",), ("agenda", "checkin"), ("export", "ics", "--agendas", "2", "--out", "-")],
    ids=" ".join,
)
def test_commands_create_no_dataclass(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = probe(tmp_path, *args)
    assert "ritualcli.core.preferences" in result["modules"]
    assert not result["dataclasses"], (
        f"`ritual {' '.join(args)}` loads {', '.join(result['dataclasses'])}: each frozen dataclass "
        "costs ~1.5 ms to create at import; use a NamedTuple"
    )


def test_plan_does_not_load_openssl(tmp_path: Path) -> None:
    """Selection's SHA-256 comes from CPython's built-in module: hashlib loads OpenSSL (~4 ms)."""
    modules = imported(tmp_path, "plan")
    assert "ritualcli.core.digest" in modules
    assert "_hashlib" not in modules


def test_plan_reads_the_library_compiled(tmp_path: Path) -> None:
    """Once compiled (here, a checkout: into the cache on the first run), the library is
    not parsed and checked again (~20 ms). tests/test_packaging.py shows the wheel's copy."""
    assert "ritualcli.core.library_check" in imported(tmp_path, "plan")  # the first run compiles it
    assert "ritualcli.core.library_check" not in imported(tmp_path, "plan")


@given(st.text())
def test_builtin_sha256_is_hashlibs(text: str) -> None:
    """digest skips hashlib (OpenSSL, ~4 ms at start-up); the seeds must not change for it."""
    import hashlib

    from ritualcli.core.digest import sha256_hex

    assert sha256_hex(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
