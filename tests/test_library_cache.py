"""The compiled library: made at build time for a wheel, kept in the cache for a checkout,
never stale, never trusted when damaged or in a folder others may write to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ritualcli.core import library, library_check, templates_dir

ROOT = Path(__file__).resolve().parents[1]


PROBE = """\
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
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd=checkout, timeout=60, check=False
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
