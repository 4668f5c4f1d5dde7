"""Build the wheel, install it in a fresh venv, run the `ritual` entry point.

Catches packaging mistakes an editable install hides: templates missing from the
wheel, a wrong entry point, a dependency left out of pyproject.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

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
    venv.create(env_dir, with_pip=True)
    subprocess.run([env_dir / "bin" / "python", "-m", "pip", "install", "-q", str(wheel)], check=True)
    return env_dir


def run(env_dir: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=home, timeout=120)


@pytest.mark.slow
def test_wheel_ships_templates(installed: Path) -> None:
    (wheel,) = installed.parent.glob("dist/ritualcli-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "ritualcli/templates/library/practices.toml" in names
    assert "ritualcli/templates/library/ideas.toml" in names
    assert "ritualcli/core/library_compiled.py" in names  # the fast path ships too


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
