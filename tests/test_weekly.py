"""`ritual weekly`, the cron job: idempotent, unattended, UTF-8 in a bare environment."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import COUPLE, Invoke
from ritualcli.core import fsio

ROOT = Path(__file__).resolve().parents[1]
RITUAL = Path(sys.executable).with_name("ritual")
UNICODE_COUPLE = COUPLE.replace('"Alex", "Sam"', '"Zoë", "Łukasz 💛"')


def readme_block(marker: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- {marker} -->\n```\w*\n(.*?)```", text, re.S)
    assert m, f"README has no block after <!-- {marker} -->"
    return m.group(1)


def test_writes_one_file_per_iso_week_then_unchanged(
    cli: Invoke, write_config: Callable[[str], Path], tmp_path: Path
) -> None:
    write_config(COUPLE)
    out = tmp_path / "rituals"
    env = {"RITUAL_TODAY": "2026-11-30"}  # a Monday: date night Fri 4 Dec, check-in Sun 6 Dec
    first = cli("weekly", "--out", str(out), env=env).stdout
    assert first.strip() == f"wrote {out / '2026-W49.md'}"
    text = (out / "2026-W49.md").read_text(encoding="utf-8")
    assert text.startswith("# Week 2026-W49 for Alex & Sam")
    assert text.index("# Date night: Friday 4 December 2026") < text.index(
        "# Check-in: Sunday 6 December 2026"
    )
    assert stat.S_IMODE((out / "2026-W49.md").stat().st_mode) == 0o600
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    before = (out / "2026-W49.md").stat().st_mtime_ns
    assert cli("weekly", "--out", str(out), env=env).stdout.strip() == f"unchanged {out / '2026-W49.md'}"
    assert (out / "2026-W49.md").stat().st_mtime_ns == before
    assert cli("weekly", "--out", str(out), "--quiet", env=env).stdout == ""


def test_midweek_run_writes_whole_iso_weeks(
    cli: Invoke, write_config: Callable[[str], Path], tmp_path: Path
) -> None:
    # Check-ins on Mondays, date nights every Sunday: a Saturday run reaches two ISO weeks.
    write_config(COUPLE + '[checkin]\nday = "monday"\n[date_night]\ncadence = "weekly"\nday = "sunday"\n')
    out = tmp_path / "w"
    saturday = cli("weekly", "--out", str(out), env={"RITUAL_TODAY": "2026-12-05"}).stdout.splitlines()
    assert saturday == [f"wrote {out / '2026-W49.md'}", f"wrote {out / '2026-W50.md'}"]
    w49 = (out / "2026-W49.md").read_text(encoding="utf-8")
    # the whole ISO week, including Monday 30 Nov which is before the run day
    assert "Check-in: Monday 30 November 2026" in w49 and "Date night: Sunday 6 December 2026" in w49
    monday = cli("weekly", "--out", str(out), env={"RITUAL_TODAY": "2026-12-07"}).stdout.splitlines()
    assert monday == [f"unchanged {out / '2026-W50.md'}"]  # same content whichever day it runs


def test_stdout_prints_the_week_and_writes_nothing(
    cli: Invoke, write_config: Callable[[str], Path], tmp_path: Path
) -> None:
    path = write_config(COUPLE)
    r = cli("weekly", "--stdout", env={"RITUAL_TODAY": "2026-11-30"})
    assert "# Check-in: Sunday 6 December 2026" in r.stdout
    assert "\x1b[" not in r.stdout
    assert not (path.parent / "agendas").exists()


def test_nothing_planned(cli: Invoke, write_config: Callable[[str], Path], tmp_path: Path) -> None:
    write_config(COUPLE + "[skip]\nranges = [{ from = 2026-11-01, to = 2026-12-31 }]\n")
    r = cli("weekly", "--out", str(tmp_path / "o"), env={"RITUAL_TODAY": "2026-11-30"})
    assert r.stdout.strip() == "nothing planned in the 7 days from 2026-11-30"


def test_default_folder_is_beside_the_preferences(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    path = write_config(COUPLE)
    cli("weekly", env={"RITUAL_TODAY": "2026-11-30"})
    assert (path.parent / "agendas" / "2026-W49.md").is_file()


def test_out_is_a_file_fails_clearly(
    cli: Invoke, write_config: Callable[[str], Path], tmp_path: Path
) -> None:
    write_config(COUPLE)
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    r = cli("weekly", "--out", str(blocker), code=1, env={"RITUAL_TODAY": "2026-11-30"})
    assert r.stderr.startswith(f"error: cannot create directory {blocker}: a file is in the way")
    assert blocker.read_text() == "x"


def test_overlapping_runs_wait_then_fail_clearly(
    cli: Invoke, write_config: Callable[[str], Path], tmp_path: Path
) -> None:
    path = write_config(COUPLE)
    held, release = threading.Event(), threading.Event()

    def other_run() -> None:
        with fsio.locked(path.parent):
            held.set()
            release.wait(10)

    t = threading.Thread(target=other_run)
    t.start()
    held.wait(5)
    try:
        r = cli(
            "weekly",
            "--out",
            str(tmp_path / "o"),
            code=1,
            env={"RITUAL_TODAY": "2026-11-30", "RITUAL_LOCK_WAIT": "0.5"},
        )
        assert r.stderr.count("\n") == 1  # one line, for cron mail
        assert "another ritual command is still writing" in r.stderr
        assert not (tmp_path / "o" / "2026-W49.md").exists()
    finally:
        release.set()
        t.join()
    cli("weekly", "--out", str(tmp_path / "o"), env={"RITUAL_TODAY": "2026-11-30"})
    assert (tmp_path / "o" / "2026-W49.md").exists()


# ---------------------------------------------------------------- cron's bare environment


@pytest.fixture
def cron_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    config = home / ".config" / "ritual"
    config.mkdir(parents=True)
    (config / "ritual.toml").write_text(UNICODE_COUPLE, encoding="utf-8")
    # where the README's lines expect the executable (pip install --user puts it there)
    (home / ".local" / "bin").mkdir(parents=True)
    (home / ".local" / "bin" / "ritual").symlink_to(RITUAL)
    return home


def cron_env(home: Path) -> dict[str, str]:
    return {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "LANG": "C",
        "SHELL": "/bin/sh",
        "RITUAL_TODAY": "2026-11-30",
    }


def run_cron_line(line: str, home: Path) -> subprocess.CompletedProcess[bytes]:
    command = line.split(None, 5)[5]  # drop the five schedule fields, as cron does
    return subprocess.run(["/bin/sh", "-c", command], env=cron_env(home), capture_output=True, timeout=120)


def test_readme_crontab_line_runs_in_cron_env(cron_home: Path) -> None:
    (line,) = [ln for ln in readme_block("cron-line").splitlines() if ln.strip()]
    r = run_cron_line(line, cron_home)
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"" and r.stderr == b""  # --quiet: cron sends no mail when all is well
    text = (cron_home / "rituals" / "2026-W49.md").read_bytes().decode("utf-8")
    assert "Zoë & Łukasz 💛" in text


def test_readme_mail_line_prints_utf8(cron_home: Path) -> None:
    line = next(ln for ln in readme_block("cron-mail").splitlines() if ln and not ln.startswith("MAILTO"))
    r = run_cron_line(line, cron_home)
    assert r.returncode == 0, r.stderr
    assert "Zoë & Łukasz 💛" in r.stdout.decode("utf-8")


def test_readme_systemd_service_runs(cron_home: Path) -> None:
    service = readme_block("systemd-service")
    (exec_line,) = [ln for ln in service.splitlines() if ln.startswith("ExecStart=")]
    command = exec_line.removeprefix("ExecStart=").replace("%h", str(cron_home))
    r = subprocess.run(command.split(), env=cron_env(cron_home), capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert (cron_home / "rituals" / "2026-W49.md").is_file()
    timer = readme_block("systemd-timer")
    assert "OnCalendar=Mon *-*-* 08:00:00" in timer
    if shutil.which("systemd-analyze"):
        check = subprocess.run(["systemd-analyze", "calendar", "Mon *-*-* 08:00:00"], capture_output=True)
        assert check.returncode == 0


def test_cron_failure_is_one_line_and_nonzero(cron_home: Path) -> None:
    (cron_home / ".config" / "ritual" / "ritual.toml").write_text(
        "[couple]\npartners = ['A', 'B']\ntimezone = 'Mars/Base'\n"
    )
    (line,) = [ln for ln in readme_block("cron-line").splitlines() if ln.strip()]
    r = run_cron_line(line, cron_home)
    assert r.returncode == 2
    assert b"couple.timezone" in r.stderr and b"Traceback" not in r.stderr


def test_weekly_needs_your_own_preferences_to_write_files(cli: Invoke, isolated_home: Path) -> None:
    r = cli("weekly", code=2)
    assert "ritual init" in r.stderr
    assert not (isolated_home / ".config" / "ritual").exists()
    assert cli("weekly", "--stdout").exit_code == 0  # printing the example is fine
