"""Finding an occurrence by date, or why there is none: the one explanation every command gives."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import COUPLE, Invoke
from ritualcli.core import preferences
from ritualcli.core.occurrence_finder import Absence, Look, Why, find
from ritualcli.core.preferences import Preferences
from ritualcli.core.schedule import Occurrence

D = dt.date
# COUPLE: check-ins on Sundays from 2026-11-23 (first: 2026-11-29); date nights on the
# first Friday of each month (2026-12-04, 2027-01-01, 2027-02-05 …).


def prefs_with(extra: str = "") -> Preferences:
    return preferences.parse_bytes((COUPLE + textwrap.dedent(extra)).encode())


def absence(prefs: Preferences, kind: str, day: dt.date, look: Look = Look.ON) -> Absence:
    found = find(prefs, kind, day, look)
    assert isinstance(found, Absence), found
    return found


def test_a_planned_day_is_its_occurrence() -> None:
    found = find(prefs_with(), "checkin", D(2026, 12, 6))
    assert isinstance(found, Occurrence)
    assert (found.ritual, found.date, f"{found.start:%H:%M}") == ("checkin", D(2026, 12, 6), "19:00")


def test_another_weekday_says_when_the_ritual_is_and_the_nearest_dates() -> None:
    a = absence(prefs_with(), "checkin", D(2026, 12, 1))
    assert a.why is Why.OTHER_DAY and (a.before, a.after) == (D(2026, 11, 29), D(2026, 12, 6))
    assert a.message == (
        "no check-in is planned on Tue 2026-12-01: check-ins are on Sundays; "
        "the nearest planned: Sun 2026-11-29 and Sun 2026-12-06"
    )


@pytest.mark.parametrize(
    ("extra", "kind", "day", "rhythm"),
    [
        ('[checkin]\ncadence = "biweekly"\n', "checkin", D(2026, 12, 6), "check-ins are every other Sunday"),
        ("", "date-night", D(2026, 12, 11), "date nights are on the first Friday of the month"),
        (
            "[date_night]\nweek_of_month = -1\n",
            "date-night",
            D(2026, 12, 4),
            "date nights are on the last Friday of the month",
        ),
    ],
)
def test_the_rule_is_said_in_words(extra: str, kind: str, day: dt.date, rhythm: str) -> None:
    a = absence(prefs_with(extra), kind, day)
    assert a.why is Why.OTHER_DAY and f": {rhythm}; the nearest planned: " in a.message


def test_a_skip_range_gives_its_note_and_span_and_the_nearest_dates_around_it() -> None:
    prefs = prefs_with('[skip]\nranges = [{ from = 2026-12-20, to = 2027-01-02, note = "Holidays" }]\n')
    a = absence(prefs, "checkin", D(2026, 12, 27))
    assert a.why is Why.SKIPPED and (a.before, a.after) == (D(2026, 12, 13), D(2027, 1, 3))
    assert a.message == (
        'the check-in of Sun 2026-12-27 is skipped (skip.ranges: "Holidays", 2026-12-20 to 2027-01-02); '
        "the nearest planned: Sun 2026-12-13 and Sun 2027-01-03"
    )
    assert a.hint is not None and "[skip]" in a.hint


def test_a_skip_date_and_a_range_without_a_note() -> None:
    prefs = prefs_with("[skip]\ndates = [2026-12-06]\nranges = [{ from = 2027-01-01, to = 2027-01-31 }]\n")
    assert "is skipped (skip.dates)" in absence(prefs, "checkin", D(2026, 12, 6)).message
    assert (
        "is skipped (skip.ranges: 2027-01-01 to 2027-01-31)"
        in absence(prefs, "checkin", D(2027, 1, 10)).message
    )
    # A skipped day that was never a check-in day is explained by the rule, not the skip.
    assert absence(prefs, "checkin", D(2027, 1, 12)).why is Why.OTHER_DAY


def test_before_the_start_names_couple_start() -> None:
    a = absence(prefs_with(), "checkin", D(2026, 11, 22))
    assert a.why is Why.BEFORE_START and (a.before, a.after) == (None, D(2026, 11, 29))
    assert a.message == (
        "no check-in on Sun 2026-11-22: nothing is planned before couple.start (2026-11-23); "
        "the nearest planned: Sun 2026-11-29"
    )


def test_a_ritual_turned_off_names_its_setting_whatever_the_day() -> None:
    prefs = prefs_with("[date_night]\nenabled = false\n")
    for look in Look:
        a = absence(prefs, "date-night", D(2026, 12, 4), look)
        assert a.why is Why.DISABLED
        assert (
            a.message == "no date night is planned: date nights are turned off (date_night.enabled = false)"
        )
        assert a.hint is not None and "[date_night]" in a.hint


def test_nothing_within_two_years_says_so() -> None:
    prefs = prefs_with("[skip]\nranges = [{ from = 2026-11-23, to = 2031-11-23 }]\n")
    a = absence(prefs, "checkin", D(2028, 12, 3))
    assert (a.before, a.after) == (None, None)
    assert a.message.endswith("; none is planned within two years")


def test_looking_before_or_after_finds_the_nearest_occurrence() -> None:
    prefs = prefs_with()
    before = find(prefs, "checkin", D(2026, 12, 2), Look.ON_OR_BEFORE)
    after = find(prefs, "checkin", D(2026, 12, 2), Look.ON_OR_AFTER)
    assert isinstance(before, Occurrence) and before.date == D(2026, 11, 29)
    assert isinstance(after, Occurrence) and after.date == D(2026, 12, 6)
    a = absence(prefs, "checkin", D(2026, 11, 24), Look.ON_OR_BEFORE)
    assert a.why is Why.NONE_NEAR and a.message == "no check-in is planned on or before 2026-11-24"


# --------------------------------------------------------------------------- the commands say the same


@pytest.mark.parametrize(
    ("day", "explained"),
    [
        ("2026-12-01", "no check-in is planned on Tue 2026-12-01: check-ins are on Sundays"),
        ("2026-12-27", 'the check-in of Sun 2026-12-27 is skipped (skip.ranges: "Holidays"'),
        ("2026-11-22", "nothing is planned before couple.start (2026-11-23)"),
    ],
)
def test_agenda_done_and_skip_explain_a_day_alike(
    cli: Invoke, write_config: Callable[..., Path], day: str, explained: str
) -> None:
    write_config(COUPLE + '[skip]\nranges = [{ from = 2026-12-20, to = 2027-01-02, note = "Holidays" }]\n')
    env = {"RITUAL_TODAY": "2027-01-20"}
    for args in (["agenda", "checkin"], ["done", "checkin"], ["skip", "checkin"]):
        err = cli(*args, "--date", day, code=2, env=env).stderr
        assert explained in err and "the nearest planned: Sun " in err, args
        assert ("--unplanned" in err) == (args[0] == "done"), args  # only done can record it anyway
