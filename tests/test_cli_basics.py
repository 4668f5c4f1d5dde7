"""init, config, plan and the behaviour every command shares."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import COUPLE, Invoke
from ritualcli import __version__
from ritualcli.cli import output
from ritualcli.core.preferences import parse_bytes


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


# ------------------------------------------------------------------ plan


def test_plan_on_example_couple_says_so(cli: Invoke) -> None:
    r = cli("plan", "--from", "2026-11-23", "--weeks", "2")
    assert "built-in example couple" in r.stderr and "ritual init" in r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Sun 2026-11-29  19:00–19:30 EST") and "Check-in" in lines[0]
    assert any("Fri 2026-12-04  19:30–22:00 EST" in line and "Date night" in line for line in lines)
    assert "\x1b[" not in r.stdout  # plain when piped


def test_plan_json_contract(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    write_config(COUPLE)
    rows = json.loads(cli("plan", "--from", "2027-03-01", "--weeks", "3", "--format", "json").stdout)
    assert [r["ritual"] for r in rows] == ["date-night", "checkin", "checkin", "checkin"]
    first_checkin = rows[1]
    assert first_checkin["start"] == "2027-03-07T19:00:00-05:00"
    assert first_checkin["end"] == "2027-03-07T19:30:00-05:00"
    assert rows[2]["start"] == "2027-03-14T19:00:00-04:00"  # after the spring-forward
    for r in rows:
        assert {"ritual", "start", "end", "summary", "focus", "idea"} <= r.keys()
        assert r["summary"] in ("Check-in", "Date night")


def test_plan_markdown(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    write_config(COUPLE.replace('"Alex"', '"Al*ex"'))
    text = cli("plan", "--from", "2026-11-23", "--format", "markdown").stdout
    assert text.startswith("# Rituals for Al\\*ex & Sam")
    assert "| Sun 2026-11-29 | 19:00–19:30 EST | Check-in |" in text


def test_plan_warns_about_clock_changes(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    write_config(COUPLE + '[checkin]\ntime = "02:30"\n')
    r = cli("plan", "--from", "2026-11-23")
    assert "check-in at 02:30 does not exist on 2027-03-14" in r.stderr
    assert "is safe all year" in r.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan", "--weeks", "0"], "--weeks 0"),
        (["plan", "--from", "2027-02-30"], "--from: '2027-02-30' is not a date"),
        (["plan", "--format", "xml"], "'xml' is not one of"),
    ],
)
def test_plan_bad_flags_exit_2(cli: Invoke, args: list[str], message: str) -> None:
    r = cli(*args, code=2)
    assert message in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_config_flag_and_env_work_on_commands(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = tmp_path / "a.toml"
    a.write_text(COUPLE.replace("America/New_York", "Europe/Berlin"))
    b = tmp_path / "b.toml"
    b.write_text(COUPLE.replace("America/New_York", "Asia/Kolkata"))
    monkeypatch.setenv("RITUAL_CONFIG", str(b))
    assert '"Asia/Kolkata"' in cli("config", "show").stdout
    assert '"Europe/Berlin"' in cli("config", "show", "--config", str(a)).stdout
    assert '"Europe/Berlin"' in cli("--config", str(a), "config", "show").stdout
    assert cli("config", "path", "-c", str(a)).stdout.strip() == str(a)


def test_default_path_honours_xdg(cli: Invoke, isolated_home: Path) -> None:
    assert cli("config", "path").stdout.strip() == str(isolated_home / ".config" / "ritual" / "ritual.toml")


def test_bad_file_exit_2_all_problems_no_traceback(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    path = write_config('[couple]\npartners = ["A"]\n[checkin]\ntime = "25:00"\nfromat = "quick"\n')
    r = cli("plan", code=2)
    assert f"error: {path}: 3 problems" in r.stderr
    assert "did you mean checkin.format?" in r.stderr
    assert "Traceback" not in r.stderr


def test_syntax_error_line_column(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    path = write_config('[couple]\npartners = ["A", "B"\n')
    r = cli("config", "validate", code=2)
    assert f"{path}:3: TOML syntax: Unclosed array" in r.stderr
    write_config('[couple]\npartners = ["A", "B"]\ntimezone = Europe/Berlin\n')
    assert f"{path}:3:12: TOML syntax: Invalid value" in cli("config", "validate", code=2).stderr


def test_directory_as_config_is_exit_1(cli: Invoke, tmp_path: Path) -> None:
    r = cli("plan", "--config", str(tmp_path), code=1)
    assert "is a directory" in r.stderr


def test_unreadable_file_is_exit_1(
    cli: Invoke, write_config: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root in CI, where chmod 0 does not stop reads: fake the OS's answer.
    path = write_config(COUPLE)
    real = os.open

    def refuse(name: object, *args: object, **kwargs: object) -> int:
        if Path(str(name)) == path:
            raise PermissionError(13, "Permission denied")
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    r = cli("plan", code=1)
    assert f"cannot read preferences file {path}: permission denied" in r.stderr


# ------------------------------------------------------------------ init


def test_init_yes_writes_private_valid_file(cli: Invoke, isolated_home: Path) -> None:
    r = cli("init", "--yes", "--partner", "Alex", "--partner", "Sam", "--timezone", "Europe/Berlin")
    path = isolated_home / ".config" / "ritual" / "ritual.toml"
    assert f"wrote {path}" in r.stdout
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    prefs = parse_bytes(path.read_bytes())
    assert prefs.couple.partners == ("Alex", "Sam") and prefs.couple.timezone == "Europe/Berlin"
    assert prefs.couple.start is not None  # anchors biweekly phase and the calendar
    assert "example couple" not in cli("plan").stderr


def test_init_never_overwrites_without_force(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    path = write_config(COUPLE)
    before = path.read_bytes()
    r = cli("init", "--yes", "--partner", "A", "--partner", "B", code=2)
    assert "already exists" in r.stderr and "--force" in r.stderr
    assert path.read_bytes() == before
    cli("init", "--yes", "--partner", "A", "--partner", "B", "--force")
    assert parse_bytes(path.read_bytes()).couple.partners == ("A", "B")
    assert path.with_name("ritual.toml.bak").read_bytes() == before


def test_init_without_terminal_never_waits(cli: Invoke) -> None:
    r = cli("init", code=2)
    assert "no terminal" in r.stderr and "--yes --partner NAME --partner NAME" in r.stderr


def test_init_yes_needs_two_partners_and_a_real_zone(cli: Invoke) -> None:
    assert "at least two partners" in cli("init", "--yes", "--partner", "Solo", code=2).stderr
    r = cli("init", "--yes", "-p", "A", "-p", "B", "--timezone", "Mars/Base", code=2)
    assert "--timezone: 'Mars/Base' is not an IANA time zone" in r.stderr


def test_init_interactive(cli: Invoke, isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "stdin_is_terminal", lambda: True)
    answers = [
        "Alex", "Sam", "Mars/Base", "Europe/Berlin",  # a bad zone is asked again
        "monday", "25:00", "20:15",  # a bad time too
        "biweekly", "saturday", "18:00", "0", "hiking, music", "in-laws", "y",
    ]  # fmt: skip
    r = cli("init", input="\n".join(answers) + "\n")
    assert "is not an IANA time zone" in r.stderr and "is not a time of day" in r.stderr
    prefs = parse_bytes((isolated_home / ".config/ritual/ritual.toml").read_bytes())
    assert prefs.couple.timezone == "Europe/Berlin"
    assert (prefs.checkin.day, prefs.checkin.time.isoformat()) == ("monday", "20:15:00")
    assert (prefs.date_night.cadence, prefs.date_night.day, prefs.dates.budget) == ("biweekly", "saturday", 0)
    assert prefs.dates.interests == ("hiking", "music")
    assert prefs.conversation.off_limits == ("in-laws",)


# ------------------------------------------------------------------ config


def test_config_show_fills_defaults(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    write_config(COUPLE)
    text = cli("config", "show").stdout
    assert 'time = "19:00"' in text and "duration = 150" in text and 'name = "Our rituals"' in text
    doc = json.loads(cli("config", "show", "--format", "json").stdout)
    assert doc["checkin"]["reminder"] == 30 and doc["couple"]["start"] == "2026-11-23"


def test_config_validate(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    path = write_config(COUPLE)
    assert f"ok: {path} is valid" in cli("config", "validate").stdout
    write_config(COUPLE + '[checkin]\ntime = "01:30"\n')
    r = cli("config", "validate")
    assert "happens twice on 2027-11-07" in r.stderr


def test_config_validate_without_file(cli: Invoke) -> None:
    assert "ritual init" in cli("config", "validate", code=2).stderr


def test_config_edit_saves_valid_edit_with_backup(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    path = write_config(COUPLE)
    before = path.read_bytes()
    r = cli("config", "edit", env={"EDITOR": "sed -i s#America/New_York#Europe/Berlin#"})
    assert "saved" in r.stdout
    assert parse_bytes(path.read_bytes()).couple.timezone == "Europe/Berlin"
    assert path.with_name("ritual.toml.bak").read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_config_edit_keeps_old_file_when_invalid(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    path = write_config(COUPLE)
    before = path.read_bytes()
    r = cli("config", "edit", env={"EDITOR": "sed -i s#America/New_York#Mars/Base#"}, code=2)
    assert "couple.timezone: 'Mars/Base'" in r.stderr and "unchanged" in r.stderr
    assert path.read_bytes() == before
    draft = path.with_name("ritual.toml.rejected")
    assert b"Mars/Base" in draft.read_bytes()  # the edit is not lost
    # the next edit continues from the draft; fixing it saves and removes the draft
    cli("config", "edit", env={"EDITOR": "sed -i s#Mars/Base#Europe/Berlin#"})
    assert parse_bytes(path.read_bytes()).couple.timezone == "Europe/Berlin"
    assert not draft.exists()


def test_config_edit_without_editor(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    write_config(COUPLE)
    assert "set $EDITOR" in cli("config", "edit", code=1).stderr
    assert "not found" in cli("config", "edit", env={"EDITOR": "no-such-editor-xyz"}, code=1).stderr


def test_config_edit_failing_editor_leaves_no_stale_draft(
    cli: Invoke, write_config: Callable[[str], Path]
) -> None:
    path = write_config(COUPLE)
    r = cli("config", "edit", env={"EDITOR": "false"}, code=1)
    assert "the editor exited with status 1" in r.stderr
    assert not path.with_name("ritual.toml.rejected").exists()
    assert "continuing your earlier edit" not in cli("config", "edit", env={"EDITOR": "true"}).stderr


def test_init_flag_problems_name_the_flag(cli: Invoke) -> None:
    r = cli("init", "--yes", "--partner", "Ana", "--partner", "ana", "--checkin-time", "25:00", code=2)
    assert "--partner: 'ana' appears twice" in r.stderr
    assert "--checkin-time: '25:00' is not a time of day" in r.stderr
    assert "preferences:" not in r.stderr  # no file was involved


def test_weekly_needs_your_own_preferences_to_write_files(cli: Invoke, isolated_home: Path) -> None:
    r = cli("weekly", code=2)
    assert "ritual init" in r.stderr
    assert not (isolated_home / ".config" / "ritual").exists()
    assert cli("weekly", "--stdout").exit_code == 0  # printing the example is fine


def test_export_markdown_refuses_dash(cli: Invoke, tmp_path: Path) -> None:
    assert "weekly --stdout" in cli("export", "markdown", "--out", "-", code=2).stderr
