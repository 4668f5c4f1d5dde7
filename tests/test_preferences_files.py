"""The preferences as ritual writes and shows them: `init`'s file, `config show`, and
the README's table of settings, all made from the one declaration of each key."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import COUPLE, Invoke
from ritualcli.cli import output
from ritualcli.core import preferences
from ritualcli.core.preferences import reference

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
