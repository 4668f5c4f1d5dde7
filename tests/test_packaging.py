"""Build the wheel, install it in a fresh venv, run the `ritual` entry point.

Catches packaging mistakes an editable install hides: templates missing from the
wheel, a wrong entry point, a dependency left out of pyproject, the compiled
library (made by hatch_build.py) missing or not used.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from ritualcli.core import library, library_check

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(ROOT)],
        check=True,
    )
    (wheel,) = (work / "dist").glob("ritualcli-*.whl")
    env_dir = work / "venv"
    # This pip installs into the fresh venv (--python): a pip of its own (ensurepip) would
    # take longer than the rest; compiling every dependency's bytecode, as long again.
    venv.create(env_dir, with_pip=False)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(env_dir / "bin" / "python"), "install", "-q", "--no-compile", str(wheel)],
        check=True,
    )  # fmt: skip
    return env_dir


def run(env_dir: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    env["XDG_CACHE_HOME"] = str(home / "cache")
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=home, timeout=120)


@pytest.mark.slow
def test_wheel_ships_templates(installed: Path) -> None:
    (wheel,) = installed.parent.glob("dist/ritualcli-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "ritualcli/templates/library/practices.toml" in names
    assert "ritualcli/templates/library/ideas.toml" in names
    assert "ritualcli/core/library_compiled.bin" in names  # compiled by hatch_build.py


@pytest.mark.slow
def test_installed_package_reads_the_compiled_library(installed: Path, tmp_path: Path) -> None:
    """The wheel's compiled records are used as they are: no TOML parsed, nothing cached."""
    probe = (
        "import json, sys\n"
        "from ritualcli.core import library\n"
        "lib = library.load()\n"
        "print(json.dumps({'checked_toml': 'ritualcli.core.library_check' in sys.modules,\n"
        "                  'practices': lib.practices, 'ideas': lib.ideas}))\n"
    )
    proc = run(installed, "python", "-c", probe, home=tmp_path)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert got["checked_toml"] is False
    assert not (tmp_path / "cache").exists()
    # ... and they are what checking this checkout's TOML gives.
    folder = ROOT / "templates" / "library"
    checked = library_check.checked(folder, library.read_sources(folder))
    assert json.loads(json.dumps({"practices": checked.practices, "ideas": checked.ideas})) == {
        k: v for k, v in got.items() if k != "checked_toml"
    }


@pytest.mark.slow
def test_installed_entry_point_runs(installed: Path, tmp_path: Path) -> None:
    version = run(installed, "ritual", "--version", home=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("ritual ")
    plan = run(installed, "ritual", "plan", "--from", "2026-11-23", "--format", "json", home=tmp_path)
    assert plan.returncode == 0, plan.stderr
    assert '"ritual": "checkin"' in plan.stdout
    assert "built-in example couple" in plan.stderr
    where = run(
        installed,
        "python",
        "-c",
        "import ritualcli.core.templates_dir as t; print(t.builtin_dir())",
        home=tmp_path,
    )
    # the installed package finds its own copy, not the source tree's
    assert str(installed) in where.stdout and os.path.isdir(where.stdout.strip())
