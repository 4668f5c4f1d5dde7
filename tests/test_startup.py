"""Start-up is part of the product: what the most-run commands import (a guard for
start-up cost, not a timing), and the compiled practice library that spares them
parsing and checking the TOML: made at build time for a wheel, kept in the cache folder
for a checkout, never stale, never trusted when damaged or in a folder others may write to.

Every Tab completion, cron run and `ritual plan` starts a fresh interpreter, so a
heavy library imported at module level is paid on each of them (icalendar ~120 ms,
jinja2 ~90 ms, pydantic ~170 ms, rich ~15 ms). These commands never need them;
each test runs the CLI's main() in a fresh subprocess (tests/probes.py) and looks at
sys.modules afterwards. bench/run.py measures the time.

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

from probes import imported, probe
from ritualcli.core import library, library_check, templates_dir

HEAVY = ("icalendar", "jinja2", "rich", "recurring_ical_events", "pydantic", "caldav", "niquests", "lxml")


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


def test_importing_vtimezone_does_not_import_icalendar() -> None:
    # `ritual plan` imports the package on every run; icalendar is slow to load.
    code = "import sys, ritualcli.core.vtimezone; sys.exit('icalendar' in sys.modules)"
    src = str(Path(__file__).parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src}
    result = subprocess.run([sys.executable, "-c", code], env=env, check=False)
    assert result.returncode == 0


# Registered before main() runs, so it runs last of the atexit hooks: what it sees is the
# state the interpreter finalizes. It thaws the heap to look at it: a file, socket or
# temporary file still open there would have been closed (and flushed, or deleted) only by
# a finalizer, which the freeze skips for objects in cycles.
EXIT_PROBE = """\
import atexit, gc, io, json, sys
dest = sys.argv[1]
def last():
    frozen = gc.get_freeze_count()
    gc.unfreeze()
    std = {id(s) for s in (sys.stdin, sys.stdout, sys.stderr, sys.__stdin__, sys.__stdout__, sys.__stderr__)}
    std |= {id(getattr(s, "buffer", None)) for s in (sys.__stdin__, sys.__stdout__, sys.__stderr__)}
    std |= {id(getattr(getattr(s, "buffer", None), "raw", None)) for s in (sys.__stdin__, sys.__stdout__, sys.__stderr__)}
    left = []
    for o in gc.get_objects():
        name = type(o).__name__
        if isinstance(o, io.IOBase) and id(o) not in std and not o.closed:
            left.append(repr(o))
        elif name == "socket" and getattr(o, "fileno", lambda: -1)() != -1:
            left.append(repr(o))
        elif name in ("_TemporaryFileWrapper", "TemporaryDirectory", "SpooledTemporaryFile"):
            left.append(repr(o))
    with open(dest, "w") as fh:
        json.dump({"frozen": frozen, "left open": left}, fh)
atexit.register(last)
sys.argv = ["ritual", *sys.argv[2:]]
from ritualcli.cli.app import main
main()
"""


def run_to_exit(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """``ritual ARGS…`` through main() in a fresh interpreter, and what its last atexit hook saw."""
    dest = tmp_path / "exit.json"
    proc = subprocess.run(
        [sys.executable, "-c", EXIT_PROBE, str(dest), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert dest.exists(), proc.stderr  # the last atexit hook ran, after the freeze
    return proc, json.loads(dest.read_text())


@pytest.mark.usefixtures("pinned_today")
def test_exit_leaves_the_last_collection_to_the_kernel_and_loses_nothing(
    cli: Any, write_config: Any, tmp_path: Path
) -> None:
    """main() freezes the heap on its way out (Python's last full collection cost plan
    ~12 ms): atexit hooks still run, and every file and line a command wrote is whole."""
    write_config()
    fresh, in_process = tmp_path / "fresh", tmp_path / "in-process"
    args = ["export", "markdown", "--weeks", "6", "--out"]
    proc, seen = run_to_exit(tmp_path, *args, str(fresh))
    assert seen["frozen"] > 1000
    expected = cli(*args, str(in_process)).stdout
    assert proc.stdout.replace(str(fresh), "OUT") == expected.replace(str(in_process), "OUT")
    written = {p.name: p.read_bytes() for p in fresh.iterdir()}
    assert len(written) >= 6
    assert written == {p.name: p.read_bytes() for p in in_process.iterdir()}


@pytest.mark.parametrize(
    "args",
    [
        ("plan",),
        ("agenda", "checkin"),
        ("export", "ics", "--out", "rituals.ics"),
        ("topic", "add", "who cooks on weekdays", "--by", "Sam"),
        ("done", "checkin", "--rating", "Alex=7", "--rating", "Sam=8", "--commit", "Sam: call my sister"),
        ("weekly", "--out", "agendas"),
    ],
    ids=" ".join,
)
def test_no_command_leaves_a_file_for_a_finalizer_to_close(
    data: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """What the freeze skips is finalizers of objects in cycles: a command that left a file,
    socket or temporary file for one to close could lose what it wrote. None does."""
    _, seen = run_to_exit(tmp_path, *args)
    assert seen["frozen"] > 1000
    assert seen["left open"] == []


def test_plan_does_not_load_openssl(tmp_path: Path) -> None:
    """Selection's SHA-256 comes from CPython's built-in module: hashlib loads OpenSSL (~4 ms)."""
    modules = imported(tmp_path, "plan")
    assert "ritualcli.core.digest" in modules
    assert "_hashlib" not in modules


@given(st.text())
def test_builtin_sha256_is_hashlibs(text: str) -> None:
    """digest skips hashlib (OpenSSL, ~4 ms at start-up); the seeds must not change for it."""
    import hashlib

    from ritualcli.core.digest import sha256_hex

    assert sha256_hex(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_plan_reads_the_library_compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once compiled (here, a checkout: into the cache on the first run), the library is
    not parsed and checked again (~20 ms). tests/test_packaging.py shows the wheel's copy."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert "ritualcli.core.library_check" in imported(tmp_path, "plan")  # the first run compiles it
    assert "ritualcli.core.library_check" not in imported(tmp_path, "plan")


# --------------------------------------------------------------------------- the compiled library


ROOT = Path(__file__).resolve().parents[1]


LIBRARY_PROBE = """\
import json, sys
from ritualcli.core import library
lib = library.load()
checked_toml = "ritualcli.core.library_check" in sys.modules
print(json.dumps({"checked_toml": checked_toml, "practices": lib.practices, "ideas": lib.ideas, "repair": lib.repair}))
"""


def _json(lib: library.Library) -> dict[str, Any]:
    import json

    return json.loads(json.dumps({"practices": lib.practices, "ideas": lib.ideas, "repair": lib.repair}))


def _copy_checkout(root: Path) -> Path:
    """A copy of the source checkout (src/ and templates/), without bytecode."""
    import shutil

    shutil.copytree(Path(library.__file__).parents[1], root / "src" / "ritualcli",
                    ignore=shutil.ignore_patterns("__pycache__", "*.bin"))  # fmt: skip
    shutil.copytree(templates_dir.content_root(), root / "templates")
    return root


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A checkout the tests only run (it keeps its bytecode between them)."""
    return _copy_checkout(tmp_path_factory.mktemp("checkout"))


@pytest.fixture
def own_checkout(tmp_path: Path) -> Path:
    """A checkout of this test's own, to edit."""
    return _copy_checkout(tmp_path / "checkout")


def _compiled_cache(cache_home: Path) -> Path:
    """The cache a checkout's first run leaves (the test above shows it does)."""
    folder = templates_dir.library_dir()
    sources = library.read_sources(folder)
    blob = library.compiled(library_check.checked(folder, sources), library.fingerprint(sources))
    (cache_home / "ritual").mkdir(mode=0o700, parents=True)
    cached = cache_home / "ritual" / library.CACHE_FILE
    cached.write_bytes(blob)
    cached.chmod(0o600)
    return cached


def _whole(cached: Path) -> bool:
    key = library.fingerprint(library.read_sources(templates_dir.library_dir()))
    if not cached.is_file():  # still the FIFO, say: reading it would wait for ever
        return False
    mode = cached.stat().st_mode & 0o777
    return mode == 0o600 and library.from_compiled(cached.read_bytes(), key) is not None


def start(checkout: Path, cache_home: Path) -> dict[str, Any]:
    """library.load() in a fresh interpreter running ``checkout``: what it read, and how."""
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(checkout / "src"), "XDG_CACHE_HOME": str(cache_home)}
    proc = subprocess.run(
        [sys.executable, "-c", LIBRARY_PROBE], capture_output=True, text=True, env=env, cwd=checkout, timeout=60, check=False
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def test_a_checkout_checks_the_toml_once_then_reads_it_compiled(checkout: Path, tmp_path: Path) -> None:
    cache_home = tmp_path / "cache"
    first = start(checkout, cache_home)
    assert first["checked_toml"]
    cached = cache_home / "ritual" / library.CACHE_FILE
    assert cached.is_file()
    assert cached.stat().st_mode & 0o777 == 0o600
    assert (cache_home / "ritual").stat().st_mode & 0o777 == 0o700
    second = start(checkout, cache_home)
    assert not second["checked_toml"]
    assert second == {**first, "checked_toml": False}
    assert {k: v for k, v in second.items() if k != "checked_toml"} == _json(library.load())


def test_an_edited_toml_is_used_at_once(own_checkout: Path, tmp_path: Path) -> None:
    checkout = own_checkout
    cache_home = tmp_path / "cache"
    before = start(checkout, cache_home)["practices"][0][1]  # compiled into the cache now
    toml = checkout / "templates" / "library" / library.PRACTICES_FILE
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(f'title = "{before}"', 'title = "Edited a moment ago"', 1),
        encoding="utf-8",
    )
    edited = start(checkout, cache_home)
    assert edited["checked_toml"] and edited["practices"][0][1] == "Edited a moment ago"
    again = start(checkout, cache_home)
    assert not again["checked_toml"] and again["practices"][0][1] == "Edited a moment ago"


def _damage_bytes(change: Any) -> Any:
    def damage(path: Path) -> None:
        path.write_bytes(change(path.read_bytes()))

    return damage


def _other_library(path: Path) -> None:
    """A whole, valid compiled library, made from other TOML."""
    lib = library.load()
    path.write_bytes(library.compiled(library.Library(lib.practices[:1], lib.ideas[:1]), "other TOML"))


def _replace_with_fifo(path: Path) -> None:
    import os

    path.unlink()
    os.mkfifo(path, 0o600)


@pytest.mark.parametrize(
    "damage",
    [
        _damage_bytes(lambda b: b[: len(b) // 2]),
        _damage_bytes(lambda b: b[:-100] + bytes([b[-100] ^ 0x20]) + b[-99:]),
        _damage_bytes(lambda b: b"\0" * len(b)),
        _damage_bytes(lambda b: b""),
        _other_library,
        lambda path: path.chmod(0o666),
        _replace_with_fifo,
    ],
    ids=["truncated", "one byte changed", "zeros", "empty", "another library", "others may write", "a fifo"],
)
def test_a_damaged_cache_file_falls_back_to_the_toml(checkout: Path, tmp_path: Path, damage: Any) -> None:
    cache_home = tmp_path / "cache"
    cached = _compiled_cache(cache_home)
    damage(cached)
    fallback = start(checkout, cache_home)
    assert fallback["checked_toml"]
    assert {k: v for k, v in fallback.items() if k != "checked_toml"} == _json(library.load())
    assert _whole(cached)  # compiled afresh, for the next start


def test_a_cache_folder_others_may_write_to_is_not_used(checkout: Path, tmp_path: Path) -> None:
    cache_home = tmp_path / "cache"
    _compiled_cache(cache_home)
    (cache_home / "ritual").chmod(0o777)
    assert start(checkout, cache_home)["checked_toml"]


def test_a_cache_that_cannot_be_written_only_costs_time(checkout: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    first = start(checkout, blocked)
    assert first["checked_toml"]
    assert {k: v for k, v in first.items() if k != "checked_toml"} == _json(library.load())


def test_compiled_records_are_the_checked_ones() -> None:
    folder = templates_dir.library_dir()
    sources = library.read_sources(folder)
    checked = library_check.checked(folder, sources)
    key = library.fingerprint(sources)
    loaded = library.from_compiled(library.compiled(checked, key), key)
    assert loaded is not None
    assert (loaded.practices, loaded.ideas, loaded.repair) == (
        checked.practices,
        checked.ideas,
        checked.repair,
    )
    assert library.from_compiled(library.compiled(checked, key), "made from other TOML") is None


def test_checking_the_libraries_after_an_edit(own_checkout: Path) -> None:
    """`python -m ritualcli.core.library`: what a person editing the TOML runs."""
    import os

    checkout = own_checkout
    import subprocess
    import sys

    def check() -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(checkout / "src")}
        return subprocess.run(
            [sys.executable, "-m", "ritualcli.core.library"],
            capture_output=True, text=True, env=env, cwd=checkout, timeout=60, check=False,
        )  # fmt: skip

    fine = check()
    assert fine.returncode == 0, fine.stderr
    assert "no problems" in fine.stdout
    toml = checkout / "templates" / "library" / library.IDEAS_FILE
    toml.write_text(toml.read_text(encoding="utf-8").replace('energy = "low"', 'energy = "lowish"', 1))
    broken = check()
    assert broken.returncode == 2
    assert f"{toml}:" in broken.stderr and "'lowish' is not one of low, medium, high" in broken.stderr


@pytest.mark.parametrize(
    ("xdg", "expected"),
    [
        ("/somewhere/cache", "/somewhere/cache/ritual"),
        ("", "HOME/.cache/ritual"),
        ("relative", "HOME/.cache/ritual"),
    ],
)
def test_the_cache_folder(monkeypatch: pytest.MonkeyPatch, xdg: str, expected: str) -> None:
    # The XDG spec: an unset, empty or relative XDG_CACHE_HOME means ~/.cache.
    from ritualcli.core import cache

    monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache.folder() == Path(expected.replace("HOME", str(Path.home())))
