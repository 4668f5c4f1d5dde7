"""Setting up: `ritual init` writes the preferences, `ritual config` finds, shows, checks
and edits them; what they write and show, and the README's table of settings, are made
from the one declaration of each key."""

from __future__ import annotations

import json
import re
import stat
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import COUPLE, Invoke
from ritualcli.cli import output
from ritualcli.core import preferences
from ritualcli.core.preferences import parse_bytes, reference

README = Path(__file__).resolve().parents[1] / "README.md"
EVERY_KEY = [(s.table, s.key) for s in preferences.SETTINGS]


def init_file(cli: Invoke, isolated_home: Path, *flags: str) -> str:
    cli("init", "--yes", "--partner", "Alex", "--partner", "Sam", "--timezone", "Europe/Berlin", *flags)
    return (isolated_home / ".config" / "ritual" / "ritual.toml").read_text()


def test_init_writes_only_what_was_chosen(cli: Invoke, isolated_home: Path) -> None:
    text = init_file(cli, isolated_home, "--checkin-time", "20:15", "--interest", "music")
    doc = tomllib.loads(text)
    assert doc["couple"].keys() == {"partners", "timezone", "start"}
    assert doc["checkin"] == {"time": "20:15"}
    assert doc["date_night"] == {"interests": ["music"]}
    assert all(doc[table] == {} for table in ("conversation", "skip", "calendar", "support"))
    assert "duration" not in doc["checkin"]


def test_init_names_every_other_key_in_a_comment(cli: Invoke, isolated_home: Path) -> None:
    text = init_file(cli, isolated_home)
    for table, key in EVERY_KEY:
        section = text.split(f"[{table}]\n", 1)[1].split("\n[", 1)[0]
        assert re.search(rf"^(# )?{key} = ", section, re.M), f"{table}.{key} is not in the file"
    assert re.search(r"^# duration = 30 +# minutes, 5\.\.720; unset: the format's length$", text, re.M)


def test_a_format_chosen_later_brings_its_own_length(
    cli: Invoke, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = init_file(cli, isolated_home)
    path = isolated_home / ".config" / "ritual" / "ritual.toml"
    assert preferences.parse_bytes(text.encode()).checkin.duration == 30
    path.write_text(text.replace('# format = "weekly"', 'format = "state-of-the-union"'))
    shown = json.loads(cli("config", "show", "--format", "json").stdout)
    assert shown["checkin"]["format"] == "state-of-the-union" and shown["checkin"]["duration"] == 60


def test_answers_at_the_terminal_are_all_chosen(
    cli: Invoke, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "stdin_is_terminal", lambda: True)
    answers = ["Zoë", "zoë", "Sam", *[""] * 7, "board games", "Games", "", "y"]
    r = cli("init", input="\n".join(answers) + "\n")
    assert "'zoë' is already given" in r.stderr  # a look-alike is asked again
    assert "'board games' is not an interest ritual knows; did you mean games?" in r.stderr
    doc = tomllib.loads((isolated_home / ".config/ritual/ritual.toml").read_text())
    assert doc["couple"]["partners"] == ["Zoë", "Sam"]
    assert doc["checkin"] == {"day": "sunday", "time": "19:00"}  # asked, and the default kept
    assert doc["date_night"]["budget"] == 60 and doc["date_night"]["interests"] == ["games"]


def test_config_show_prints_every_effective_key(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    write_config(COUPLE)
    text = cli("config", "show").stdout
    doc = json.loads(cli("config", "show", "--format", "json").stdout)
    shown = tomllib.loads(text)
    for table, key in EVERY_KEY:
        assert key in doc[table] and key in shown[table], f"{table}.{key}"
    assert shown["checkin"]["duration"] == doc["checkin"]["duration"] == 30
    assert shown["date_night"]["settings"] == ["home", "out", "outdoors"]
    assert "calendar.name" not in text and re.search(r'^name = "Our rituals" +# the calendar', text, re.M)


def test_config_show_reads_back_as_the_same_settings(
    cli: Invoke, write_config: Callable[[str], Path]
) -> None:
    path = write_config(
        COUPLE + '[skip]\nranges = [{ from = 2027-07-01, to = 2027-07-02, note = "a \\"b\\"" }]\n'
    )
    before = preferences.load(path)
    again = preferences.parse_bytes(cli("config", "show").stdout.encode())
    assert preferences.to_document(again) == preferences.to_document(before)
    assert again.skip.ranges[0].note == 'a "b"'


def test_config_edit_on_a_file_that_is_not_utf8_lets_you_fix_it(
    cli: Invoke, write_config: Callable[[str], Path]
) -> None:
    path = write_config(COUPLE)
    path.write_bytes(COUPLE.encode() + b"# caf\xe9\n")
    r = cli("config", "edit", env={"EDITOR": "sed -i s/caf/cafe/"}, code=2)
    assert "is not UTF-8 text" in r.stderr and "Traceback" not in r.stderr
    cli("config", "edit", env={"EDITOR": "sed -i $d"})  # drop the bad line: saved
    assert preferences.load(path).couple.partners == ("Alex", "Sam")


def test_readme_key_table_is_made_from_the_declarations() -> None:
    text = README.read_text(encoding="utf-8")
    assert reference.in_readme(text) == text, (
        "the README's table of settings is out of date: "
        "run `python -m ritualcli.core.preferences.reference README.md`"
    )
    for setting in preferences.SETTINGS:
        assert f"| `{setting.dotted}` |" in text


def test_readme_example_file_is_valid() -> None:
    section = README.read_text(encoding="utf-8").split("## The preferences file", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    prefs = preferences.parse_bytes(example.encode())
    assert prefs.checkin.duration == 60  # as its comment says


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


def test_init_flag_problems_name_the_flag(cli: Invoke) -> None:
    r = cli("init", "--yes", "--partner", "Ana", "--partner", "ana", "--checkin-time", "25:00", code=2)
    assert "--partner: 'ana' appears twice" in r.stderr
    assert "--checkin-time: '25:00' is not a time of day" in r.stderr
    assert "preferences:" not in r.stderr  # no file was involved


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


def test_a_preferences_file_linked_from_dotfiles_stays_linked_through_init_and_edit(
    cli: Invoke, isolated_home: Path, tmp_path: Path
) -> None:
    """A link in the config folder to a file kept with one's dotfiles: every rewrite goes
    to that file, and the link stays a link (an atomic rename would replace it)."""
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    kept = dotfiles / "ritual.toml"
    link = isolated_home / ".config" / "ritual" / "ritual.toml"
    link.parent.mkdir(parents=True)
    link.symlink_to(kept)
    assert "it is a link to" in cli("plan", code=2).stderr  # gone: never the example couple
    cli("init", "--yes", "--partner", "Alex", "--partner", "Sam", "--tz", "Europe/Berlin")  # creates it there
    assert link.is_symlink() and parse_bytes(kept.read_bytes()).couple.partners == ("Alex", "Sam")
    cli("config", "edit", env={"EDITOR": "sed -i s#Europe/Berlin#Europe/Paris#"})
    assert link.is_symlink() and parse_bytes(kept.read_bytes()).couple.timezone == "Europe/Paris"
    assert link.with_name("ritual.toml.bak").is_file()  # ritual's own housekeeping: beside the link
    cli("init", "--yes", "--partner", "Alex", "--partner", "Robin", "--tz", "UTC", "--force")
    assert link.is_symlink() and parse_bytes(kept.read_bytes()).couple.partners == ("Alex", "Robin")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_config_edit_keeps_old_file_when_invalid(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    path = write_config(COUPLE)
    before = path.read_bytes()
    r = cli("config", "edit", env={"EDITOR": "sed -i s#America/New_York#Mars/Base#"}, code=2)
    assert "couple.timezone: 'Mars/Base'" in r.stderr and "unchanged" in r.stderr
    assert path.read_bytes() == before
    draft = path.with_name("ritual.toml.rejected")
    assert b"Mars/Base" in draft.read_bytes()  # the edit is not lost
    # The problem's line is the draft's, so it names the draft (the good file may be shorter).
    line = next(n for n, text in enumerate(draft.read_text().splitlines(), 1) if "Mars/Base" in text)
    assert f"{draft}:{line}:" in r.stderr and f"{path}:{line}:" not in r.stderr
    assert "config validate" not in r.stderr  # the good file is valid: validating it says so
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
