"""Preferences under hostile input: huge values, runaway files, tags that are not
tags, names that look alike. Each is a file problem (exit 2) naming the key, never
a traceback or a hang."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import COUPLE, Invoke
from ritualcli.core import library, preferences
from ritualcli.core.errors import FileProblemsError

MINIMAL = '[couple]\npartners = ["Alex", "Sam"]\ntimezone = "Europe/Berlin"\n'


def problems(text: str) -> list[str]:
    with pytest.raises(FileProblemsError) as info:
        preferences.parse_bytes(text.encode(), source=Path("p.toml"))
    return [p.render("p.toml") for p in info.value.problems]


def partners(*names: str) -> tuple[str, ...]:
    quoted = ", ".join('"' + n.replace("\\", "\\\\").replace('"', '\\"') + '"' for n in names)
    return preferences.parse_bytes(f"[couple]\npartners = [{quoted}]\n".encode()).couple.partners


def partner_problems(*names: str) -> str:
    quoted = ", ".join(f'"{n}"' for n in names)
    return "\n".join(problems(f"[couple]\npartners = [{quoted}]\n"))


# ------------------------------------------------------------------ huge values

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
    assert f"p.toml:5: {key}: a number far out of range" in found


def test_a_huge_version_is_a_problem() -> None:
    (found,) = problems(f"version = {HUGE_HEX}\n" + MINIMAL)
    assert "p.toml:1: version: this ritual reads schema version 1, not a number far out of range" in found


def test_a_decimal_integer_of_thousands_of_digits_is_a_problem_with_its_line() -> None:
    (found,) = problems(MINIMAL + "[date_night]\nbudget = " + "9" * 5000 + "\n")
    assert found.startswith("p.toml:5:") and "far too long" in found


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
        preferences.parse_bytes(text.encode(), source=Path("p.toml"))
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
