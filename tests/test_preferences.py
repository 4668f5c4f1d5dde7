"""The preferences file: read once, every value checked; each problem (all of them at once)
names the key and the line, with a suggestion where one is near, and is exit 2, never a
traceback or a hang, however huge, deep or strange the file. `ritual init` and `ritual
config`, which write and show it, are in test_init_and_config.py."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import COUPLE, Invoke
from ritualcli.core import library, preferences
from ritualcli.core.errors import FileProblemsError


def problems(text: str) -> list[str]:
    with pytest.raises(FileProblemsError) as info:
        preferences.parse_bytes(text.encode(), source=Path("/x/ritual.toml"))
    return [p.render("/x/ritual.toml") for p in info.value.problems]


MINIMAL = '[couple]\npartners = ["Alex", "Sam"]\ntimezone = "Europe/Berlin"\n'


def partners(*names: str) -> tuple[str, ...]:
    quoted = ", ".join('"' + n.replace("\\", "\\\\").replace('"', '\\"') + '"' for n in names)
    return preferences.parse_bytes(f"[couple]\npartners = [{quoted}]\n".encode()).couple.partners


def partner_problems(*names: str) -> str:
    quoted = ", ".join(f'"{n}"' for n in names)
    return "\n".join(problems(f"[couple]\npartners = [{quoted}]\n"))


# ------------------------------------------------------------------ reading it


def test_minimal_file_fills_every_default() -> None:
    p = preferences.parse_bytes(MINIMAL.encode())
    assert p.couple.partners == ("Alex", "Sam")
    assert p.checkin.time == dt.time(19, 0) and p.checkin.duration == 30 and p.checkin.day == "sunday"
    assert p.date_night.cadence == "monthly" and p.date_night.duration == 150
    assert p.dates.settings == ("home", "out", "outdoors")
    assert p.conversation.depth == "medium" and p.calendar.private is True


def test_duration_defaults_to_the_formats_length() -> None:
    p = preferences.parse_bytes((MINIMAL + '[checkin]\nformat = "state-of-the-union"\n').encode())
    assert p.checkin.duration == 60


def test_example_round_trips_through_toml() -> None:
    ex = preferences.example()
    again = preferences.parse_bytes(preferences.to_toml(ex).encode())
    assert preferences.to_document(again) == preferences.to_document(ex)
    assert ex.skip.ranges[0].note == "Vacation"


def test_local_zone_default_is_a_real_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    assert preferences.local_zone_name() == "Asia/Kolkata"
    monkeypatch.setenv("TZ", "Nowhere/Land")
    assert preferences.check_zone(preferences.local_zone_name())


def test_bom_is_accepted_and_bad_utf8_is_a_problem() -> None:
    assert preferences.parse_bytes(b"\xef\xbb\xbf" + MINIMAL.encode()).couple.timezone == "Europe/Berlin"
    with pytest.raises(FileProblemsError) as info:
        preferences.parse_bytes(MINIMAL.encode() + b"# caf\xe9\n")
    assert info.value.problems[0].line == 4


def test_syntax_error_names_line_and_column() -> None:
    (msg,) = problems('[couple]\npartners = ["Alex", "Sam"\ntimezone = "UTC"\n')
    assert msg.startswith("/x/ritual.toml:3:1: TOML syntax")


def test_syntax_error_line_column(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    path = write_config('[couple]\npartners = ["A", "B"\n')
    r = cli("config", "validate", code=2)
    assert f"{path}:3: TOML syntax: Unclosed array" in r.stderr
    write_config('[couple]\npartners = ["A", "B"]\ntimezone = Europe/Berlin\n')
    assert f"{path}:3:12: TOML syntax: Invalid value" in cli("config", "validate", code=2).stderr


def test_a_folder_as_config_is_bad_usage_and_names_the_file_meant(cli: Invoke, tmp_path: Path) -> None:
    r = cli("plan", "--config", str(tmp_path), code=2)
    assert f"{tmp_path} is a folder, not a preferences file" in r.stderr
    assert str(tmp_path / "ritual.toml") in r.stderr


def test_a_link_at_the_default_place_to_a_file_gone_says_so(cli: Invoke, isolated_home: Path) -> None:
    """No --config or RITUAL_CONFIG was given: the hint does not send anyone to check them."""
    default = isolated_home / ".config" / "ritual" / "ritual.toml"
    default.parent.mkdir(parents=True)
    default.symlink_to(isolated_home / "dotfiles" / "ritual.toml")
    r = cli("plan", code=2)
    assert f"it is a link to {isolated_home / 'dotfiles' / 'ritual.toml'}, which is not there" in r.stderr
    assert "--config" not in r.stderr and "example" not in r.stderr


def test_a_folder_in_the_default_place_says_to_move_it(cli: Invoke, isolated_home: Path) -> None:
    folder = isolated_home / ".config" / "ritual" / "ritual.toml"
    folder.mkdir(parents=True)
    r = cli("plan", code=2)
    assert f"{folder} is a folder, not a preferences file" in r.stderr
    assert "move that folder out of the way" in r.stderr and "ritual.toml/ritual.toml" not in r.stderr


@pytest.mark.parametrize("how", ["--config", "RITUAL_CONFIG"])
@pytest.mark.parametrize("command", [("plan",), ("agenda", "checkin"), ("export", "ics", "--out", "-")])
def test_a_named_preferences_file_that_is_not_there_is_an_error_not_the_example(
    cli: Invoke, tmp_path: Path, how: str, command: tuple[str, ...]
) -> None:
    """A typo in a cron line or a script must not print someone else's plan and exit 0."""
    missing = tmp_path / "ritual-typo.toml"
    if how == "--config":
        r = cli(*command, "--config", str(missing), code=2)
    else:
        r = cli(*command, env={"RITUAL_CONFIG": str(missing)}, code=2)
    assert f"no preferences file at {missing}" in r.stderr and "ritual init --config" in r.stderr
    assert "example couple" not in r.stderr and r.stdout == ""


def test_with_no_file_in_the_default_place_plan_shows_the_example(cli: Invoke) -> None:
    r = cli("plan")
    assert "built-in example couple" in r.stderr and "Check-in" in r.stdout


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


def test_a_fifo_at_the_preferences_path_is_refused_without_waiting(cli: Invoke, tmp_path: Path) -> None:
    fifo = tmp_path / "ritual.toml"
    os.mkfifo(fifo)
    r = cli("plan", "--config", str(fifo), code=1)
    assert f"cannot read preferences file {fifo}: it is a named pipe (FIFO), not a regular file" in r.stderr
    assert "--config" in r.stderr  # the hint: the path is what is wrong


# ------------------------------------------------------------------ every problem, with its key and line


def test_all_problems_at_once_with_keys_lines_and_suggestions() -> None:
    text = """\
[couple]
partners = ["Alex"]
timezone = "Mars/Base"

[checkin]
time = "25:00"
dya = "monday"

[date_night]
week_of_month = 5
budget = -3

[skip]
ranges = [{ from = 2027-07-14, to = 2027-07-01 }]
"""
    found = problems(text)
    joined = "\n".join(found)
    assert len(found) == 7, joined
    assert "/x/ritual.toml:2: couple.partners: needs at least two names" in joined
    assert "/x/ritual.toml:3: couple.timezone: 'Mars/Base' is not an IANA time zone" in joined
    assert "/x/ritual.toml:6: checkin.time: '25:00' is not a time of day" in joined
    assert "/x/ritual.toml:7: checkin.dya: unknown key; did you mean checkin.day?" in joined
    assert "/x/ritual.toml:10: date_night.week_of_month: 5 is not a week of the month" in joined
    assert "date_night.budget: -3 is out of range" in joined
    assert "skip.ranges: item 1: ends (2027-07-01) before it starts (2027-07-14)" in joined


def test_bad_file_exit_2_all_problems_no_traceback(cli: Invoke, write_config: Callable[[str], Path]) -> None:
    path = write_config('[couple]\npartners = ["A"]\n[checkin]\ntime = "25:00"\nfromat = "quick"\n')
    r = cli("plan", code=2)
    assert f"error: {path}: 3 problems" in r.stderr
    assert "did you mean checkin.format?" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ('partners = ["Alex", "alex"]', "appears twice"),
        ('partners = ["Alex", ""]', "a name is empty"),
        ('partners = "Alex and Sam"', "expected an array of names"),
        ('partners = ["Alex", "Sam"]\ntimezone = 5', "expected an IANA zone name"),
        ('partners = ["Alex", "Sam"]\nstart = "soon"', "is not a date"),
    ],
)
def test_bad_couple_values(snippet: str, expected: str) -> None:
    assert any(expected in m for m in problems(f"[couple]\n{snippet}\n"))


def test_partners_report_every_problem_of_the_list() -> None:
    found = problems('[couple]\npartners = ["Alex", "alex", "Sam\\tS", ""]\n')
    assert [m.split("couple.partners: ")[1] for m in found] == [
        "'alex' appears twice (as 'Alex'): names must be unique",
        "'Sam\\tS' contains a control character",
        "a name is empty",
    ]


def test_dates_outside_the_planning_range_and_endless_skips_are_problems() -> None:
    found = "\n".join(
        problems(
            '[couple]\npartners = ["Alex", "Sam"]\ntimezone = "Europe/Berlin"\nstart = 9999-01-01\n'
            "[skip]\ndates = [1899-12-31]\n"
            "ranges = [{ from = 2027-01-01, to = 9000-12-31 }, { from = 2027-01-01, to = 2036-12-31 }]\n"
        )
    )
    assert "couple.start: 9999-01-01 is out of range: use a date from 1900 to 9000" in found
    assert "skip.dates: 1899-12-31 is out of range" in found
    assert (
        "skip.ranges: item 1: spans more than ten years; to stop a ritual, set its enabled = false" in found
    )
    assert "item 2" not in found  # ten years is allowed


def test_wrong_types_are_named() -> None:
    found = "\n".join(
        problems(MINIMAL + '[checkin]\nenabled = "yes"\nduration = 2.5\n[calendar]\nprivate = 1\n')
    )
    assert "checkin.enabled: expected true or false, got a string" in found
    assert "checkin.duration: expected a whole number, got a number" in found
    assert "calendar.private: expected true or false, got an integer" in found


def test_unknown_table_and_missing_partners() -> None:
    found = "\n".join(problems('[coupel]\npartners = ["A", "B"]\n'))
    assert "coupel: unknown key; did you mean couple?" in found
    assert "couple.partners: is required" in found


def test_unknown_checkin_format_suggests() -> None:
    found = "\n".join(problems(MINIMAL + '[checkin]\nformat = "weekley"\n'))
    assert "did you mean weekly? (available: quick, state-of-the-union, weekly)" in found


def test_wrong_schema_version() -> None:
    assert any("schema version 1, not 2" in m for m in problems("version = 2\n" + MINIMAL))


def test_each_bad_item_of_a_list_is_its_own_problem() -> None:
    found = problems(
        MINIMAL + "[skip]\ndates = [2027-01-01, 1800-01-01, 2027-02-03T10:00:00]\n"
        'ranges = [{ from = 2027-07-01, too = 2027-07-14 }, { from = 2027-08-01, to = "soon" }]\n'
    )
    assert found == [
        "/x/ritual.toml:5: skip.dates: 1800-01-01 is out of range: use a date from 1900 to 9000",
        "/x/ritual.toml:5: skip.dates: expected a date (YYYY-MM-DD), got a date-time",
        "/x/ritual.toml:6: skip.ranges: item 1: unknown key 'too'; did you mean to? (allowed: from, to, note)",
        "/x/ritual.toml:6: skip.ranges: item 2: 'soon' is not a date: use YYYY-MM-DD",
    ]


# ------------------------------------------------------------------ huge values, runaway files


HUGE_HEX = "0x" + "F" * 4000  # ~4,800 decimal digits: more than int -> str allows


@pytest.mark.parametrize(
    ("snippet", "key"),
    [
        (f"[date_night]\nbudget = {HUGE_HEX}", "date_night.budget"),
        (f"[checkin]\nweek_of_month = {HUGE_HEX}", "checkin.week_of_month"),
        (f"[support]\ncarried = {HUGE_HEX}", "support.carried"),
        (f"[checkin]\nduration = {HUGE_HEX}", "checkin.duration"),
    ],
    ids=["budget", "week_of_month", "carried", "duration"],
)
def test_an_integer_too_big_to_print_is_a_problem_not_a_traceback(snippet: str, key: str) -> None:
    (found,) = problems(MINIMAL + snippet + "\n")
    assert f"/x/ritual.toml:5: {key}: a number far out of range" in found


def test_a_huge_version_is_a_problem() -> None:
    (found,) = problems(f"version = {HUGE_HEX}\n" + MINIMAL)
    assert (
        "/x/ritual.toml:1: version: this ritual reads schema version 1, not a number far out of range"
        in found
    )


def test_a_decimal_integer_of_thousands_of_digits_is_a_problem_with_its_line() -> None:
    (found,) = problems(MINIMAL + "[date_night]\nbudget = " + "9" * 5000 + "\n")
    assert found.startswith("/x/ritual.toml:5:") and "far too long" in found


def test_huge_values_at_the_command_line_exit_2_in_one_line(
    cli: Invoke, write_config: Callable[[str], Path]
) -> None:
    path = write_config(COUPLE + f"[date_night]\nbudget = {HUGE_HEX}\n")
    r = cli("plan", code=2)
    assert f"{path}:7: date_night.budget: a number far out of range" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_a_long_value_is_quoted_short() -> None:
    (found,) = problems(MINIMAL + '[conversation]\ndepth = "' + "x" * 100_000 + '"\n')
    assert len(found) < 300 and "is not one of light, medium, deep" in found


def test_runaway_arrays_are_refused_by_their_length() -> None:
    tags = ", ".join(['"money"'] * 5000)
    dates = ", ".join(["2027-01-01"] * 4000)
    found = "\n".join(
        problems(MINIMAL + f"[conversation]\noff_limits = [{tags}]\n[skip]\ndates = [{dates}]\n")
    )
    assert "conversation.off_limits: has 5000 items; at most 200" in found
    assert "skip.dates: has 4000 items; at most 3653" in found


def test_fifty_thousand_unknown_keys_are_all_reported_with_their_lines() -> None:
    """It once took minutes (each problem rescanned the file); bench/validation.py times it."""
    text = MINIMAL + "[checkin]\n" + "".join(f"key_{i:05d} = 1\n" for i in range(50_000))
    assert len(text) > 650_000
    with pytest.raises(FileProblemsError) as info:
        preferences.parse_bytes(text.encode(), source=Path("/x/ritual.toml"))
    found = info.value.problems
    assert len(found) == 50_000
    assert [p.line for p in found[:3]] == [5, 6, 7] and found[-1].line == 50_004
    assert found[-1].key == "checkin.key_49999" and found[-1].message.startswith("unknown key")


# ------------------------------------------------------------------ tags


def test_interests_off_limits_and_avoid_are_tags_ritual_knows() -> None:
    found = problems(
        MINIMAL + '[date_night]\ninterests = ["board games", "music"]\navoid = ["crowds", "spiders"]\n'
        '[conversation]\noff_limits = ["exes", "in-laws"]\n'
    )
    assert len(found) == 3, found  # music, crowds and in-laws are fine
    interests, avoid, off_limits = found
    assert (
        "date_night.interests: 'board games' is not an interest ritual knows; did you mean games?"
        in interests
    )
    assert "date_night.avoid: 'spiders' is not a date-idea tag or interest ritual knows" in avoid
    # an old or everyday word for a topic points at the word ritual uses
    assert (
        "conversation.off_limits: 'exes' is not a topic ritual knows; did you mean past-relationships?"
        in off_limits
    )
    assert "(allowed: children, conflict, family, " in off_limits  # the list to choose from


def test_every_tag_the_libraries_use_is_accepted() -> None:
    lib = library.load()
    topics = sorted(lib.topics)
    interests = sorted({t for idea in lib.ideas for t in idea.interests})
    labels = sorted(set().union(*(idea.labels for idea in lib.ideas)))
    assert "in-laws" in topics and "games" in interests and "crowds" in labels
    prefs = preferences.parse_bytes(
        (
            MINIMAL + f"[date_night]\ninterests = {interests}\navoid = {labels}\n"
            f"[conversation]\noff_limits = {topics}\n"
        ).encode()
    )
    assert list(prefs.conversation.off_limits) == topics
    assert list(prefs.dates.interests) == interests and list(prefs.dates.avoid) == labels


def test_a_tag_is_written_in_lower_case_and_kept_once() -> None:
    prefs = preferences.parse_bytes(
        (MINIMAL + '[date_night]\navoid = ["Crowds", " crowds ", "SPORTS"]\n').encode()
    )
    assert prefs.dates.avoid == ("crowds", "sports")


@pytest.mark.parametrize(
    "tag",
    ["crowds\\n# Heading", "<img src=x>", "[x](https://evil.example)", "crowds\\u001b[31m", "crow\\rds"],
)
def test_markup_and_control_characters_are_never_a_tag(tag: str) -> None:
    (found,) = problems(MINIMAL + f'[date_night]\navoid = ["{tag}"]\n')
    assert "date_night.avoid:" in found and "is not a date-idea tag or interest ritual knows" in found
    assert "\n" not in found and "\x1b" not in found and "\r" not in found


def test_init_refuses_an_unknown_interest_naming_the_flag(cli: Invoke) -> None:
    r = cli(
        "init", "--yes", "-p", "A", "-p", "B", "--interest", "board games", "--off-limits", "exes", code=2
    )
    assert "--interest: 'board games' is not an interest ritual knows; did you mean games?" in r.stderr
    assert "--off-limits: 'exes' is not a topic ritual knows" in r.stderr


# ------------------------------------------------------------------ names


ZOE_NFC = "Zo\u00eb"


ZOE_NFD = "Zoe\u0308"


def test_names_are_kept_composed() -> None:
    assert partners(ZOE_NFD, "Sam") == (ZOE_NFC, "Sam")
    assert unicodedata.is_normalized("NFC", partners(ZOE_NFD, "Sam")[0])


@pytest.mark.parametrize(
    ("first", "second"),
    [(ZOE_NFC, ZOE_NFD), ("Alex", "\uff21lex"), ("Alex", "ALEX"), ("Straße", "STRASSE")],
    ids=["composed and decomposed", "full-width", "case", "casefold"],
)
def test_names_that_read_the_same_are_one_person(first: str, second: str) -> None:
    assert "appears twice" in partner_problems(first, second)
    assert preferences.name_key(first) == preferences.name_key(second)


def test_different_names_stay_different() -> None:
    assert partners("Zoe", ZOE_NFC) == ("Zoe", ZOE_NFC)
    assert preferences.name_key("Zoe") != preferences.name_key(ZOE_NFC)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("Al\\u200bex", "contains an invisible character (U+200B, zero width space)"),
        ("Alex\\u202e", "contains an invisible character (U+202E"),
        ("Al\\u200dex", "contains an invisible character (U+200D"),
        ("\\u200b\\u200b", "has no visible character"),
        ("\\u3164", "has no visible character"),
        ("\\u0301", "has no visible character"),
        ("\\u00a0", "a name is empty"),
    ],
    ids=["zero-width space", "bidi override", "joiner between latin letters", "only zero-width",
         "hangul filler", "only a combining mark", "only a no-break space"],
)  # fmt: skip
def test_invisible_names_and_characters_are_refused(name: str, says: str) -> None:
    assert says in partner_problems(name, "Sam")


def test_a_joiner_inside_a_word_of_a_script_that_uses_it_is_kept() -> None:
    mehrnaz = "\u0645\u0647\u0631\u200c\u0646\u0627\u0632"  # Persian, with a zero-width non-joiner
    assert partners(mehrnaz, "Sam")[0] == mehrnaz
    assert "appears twice" in partner_problems(mehrnaz, mehrnaz.replace("\u200c", ""))


def test_init_refuses_look_alike_partners(cli: Invoke) -> None:
    r = cli("init", "--yes", "--partner", ZOE_NFC, "--partner", ZOE_NFD, code=2)
    assert "--partner: 'Zoë' appears twice" in r.stderr
