"""When a check-in opens gently, and suggests support: the ratings of the last check-in
open the next agenda (low, or far apart), low ratings at several check-ins in a row
bring a note suggesting support, and both show only in the couple's own agenda."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import COUPLE, Invoke, WriteConfig
from histories import FOLLOWED, SUNDAYS, D, carried, checkin, held, prefs_with
from ritualcli.core import agenda, history
from ritualcli.core.history import Draft, Opening, Support
from ritualcli.core.preferences import Preferences


@pytest.fixture
def prefs() -> Preferences:
    return prefs_with()


# ------------------------------------------------------------------ the gentle opening


def rate(data: Path, ratings: list[dict[str, int]], first: int = 0) -> None:
    for i, r in enumerate(ratings, start=first):
        history.record(data, held(SUNDAYS[i], ratings=tuple(r.items())))


def opening_at(prefs: Preferences, data: Path, i: int) -> Opening | None:
    return carried(prefs, data, checkin(prefs, SUNDAYS[i])).opening


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ({"Alex": 2, "Sam": 9}, Opening(low=True, wide=True, first="Alex", support=None)),  # the 2/9
        ({"Alex": 9, "Sam": 5}, Opening(low=False, wide=True, first="Sam", support=None)),  # a gap of 4
        ({"Alex": 8, "Sam": 5}, None),  # a gap of 3, nobody low
        ({"Alex": 4, "Sam": 4}, Opening(low=True, wide=False, first=None, support=None)),  # both: each of you
        ({"sam": 3}, Opening(low=True, wide=False, first="Sam", support=None)),  # as the preferences spell it
        ({"Alex": 7, "Sam": 7}, None),
    ],
)
def test_the_last_checkin_opens_the_next_one(
    prefs: Preferences, data: Path, ratings: dict[str, int], expected: Opening | None
) -> None:
    rate(data, [{"Alex": 8, "Sam": 8}, ratings])
    assert opening_at(prefs, data, 2) == expected


def test_only_the_last_held_checkin_opens_it(prefs: Preferences, data: Path) -> None:
    rate(data / "a", [{"Alex": 2, "Sam": 9}, {}])
    assert opening_at(prefs, data / "a", 2) is None  # held since, not rated: nothing to read
    rate(data / "b", [{"Alex": 2, "Sam": 9}])
    history.record(data / "b", Draft("checkin", SUNDAYS[1], status="skipped"))
    assert opening_at(prefs, data / "b", 2) is not None  # a skip is not a check-in


def test_the_gap_and_low_thresholds_are_settings(data: Path) -> None:
    rate(data, [{"Alex": 9, "Sam": 5}])
    assert opening_at(prefs_with("[support]\ngap = 5\n"), data, 1) is None
    assert opening_at(prefs_with("[support]\nlow_rating = 5\n"), data, 1) == Opening(True, True, "Sam", None)


# ------------------------------------------------------------------ suggesting support


def support_at(prefs: Preferences, data: Path, i: int) -> Support | None:
    found = opening_at(prefs, data, i)
    return found.support if found else None


def test_low_ratings_fire_at_the_third_in_a_row_not_before(prefs: Preferences, data: Path) -> None:
    rate(data, [{"Alex": 8, "Sam": 3}, {"Alex": 8, "Sam": 4}])
    assert support_at(prefs, data, 2) is None  # two low ratings: not yet
    rate(data, [{"Alex": 7, "Sam": 4}], first=2)
    assert support_at(prefs, data, 3) == Support(low_rating=4, low_streak=3)


def test_a_rating_just_above_the_threshold_does_not_count(prefs: Preferences, data: Path) -> None:
    rate(data, [{"Alex": 4}, {"Alex": 5}, {"Alex": 4}])
    assert support_at(prefs, data, 3) is None
    rate(data, [{"Alex": 4}, {"Alex": 1}], first=3)
    assert support_at(prefs, data, 5) is not None  # the last three: 4, 4, 1


def test_only_the_most_recent_ratings_count(prefs: Preferences, data: Path) -> None:
    rate(data, [{"Alex": 2}, {"Alex": 2}, {"Alex": 2}, {"Alex": 6}])
    assert support_at(prefs, data, 3) is not None
    assert opening_at(prefs, data, 4) is None  # it got better: the signal goes away


def test_a_checkin_without_that_partners_rating_neither_breaks_nor_extends(
    prefs: Preferences, data: Path
) -> None:
    rate(data, [{"Sam": 3}, {"Alex": 9}, {"Sam": 3}, {"Alex": 9}])
    assert support_at(prefs, data, 4) is None
    rate(data, [{"Sam": 4}], first=4)
    assert support_at(prefs, data, 5) is not None


def test_custom_rating_thresholds(data: Path) -> None:
    prefs = prefs_with("[support]\nlow_rating = 6\nlow_streak = 2\n")
    rate(data, [{"Alex": 6}])
    assert support_at(prefs, data, 1) is None
    rate(data, [{"Alex": 6}], first=1)
    assert support_at(prefs, data, 2) == Support(low_rating=6, low_streak=2)
    prefs = prefs_with("[support]\nlow_rating = 5\nlow_streak = 2\n")
    assert support_at(prefs, data, 2) is None


@pytest.mark.parametrize(
    ("support", "reasons"),
    [
        (Support(4, 3), "(a rating of 4 or less) at each of the last 3 check-ins."),
        (Support(2, 1), "(a rating of 2 or less) at the last check-in."),
    ],
)
def test_the_support_note_says_why_and_in_what_order(support: Support, reasons: str) -> None:
    from ritualcli.core.agenda import support_note

    note = support_note(support, user_dir=None)
    assert note.startswith(f"A gentle note: at least one of you has felt less than safe to be open {reasons}")
    assert "\n" not in note  # one paragraph, on one line
    order = [note.index(w) for w in ("someone you trust", "therapist of your own", "couples therapist")]
    assert order == sorted(order)
    assert "if you both want it, a couples therapist" in note
    assert "If either of you is afraid of the other, that comes first" in note
    assert "How To Create Emotional Safety In Your Relationship" in note  # where it comes from


def test_the_support_note_is_worded_by_its_template(tmp_path: Path) -> None:
    import datetime as dt

    from ritualcli.core import agenda, preferences, schedule

    prefs = preferences.parse_bytes((COUPLE + "[support]\nlow_streak = 2\n").encode())
    occ = schedule.occurrence_on(prefs, "checkin", dt.date(2026, 12, 13))
    assert occ is not None
    hist = history.parse(FOLLOWED)
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "_support.md.j2").write_text("Talk to someone ({{ support.low_streak }}).\n", encoding="utf-8")
    assert "\n> Talk to someone (2).\n" in agenda.render(prefs, occ, user_dir=mine, history=hist)


# ------------------------------------------------------------------ where it shows


def test_low_ratings_open_the_agenda_before_anything_else_and_only_the_couples_own() -> None:
    prefs = prefs_with("[support]\nlow_streak = 2\ncarried = 2\n")
    occ, hist = checkin(prefs, D(2026, 12, 20)), history.parse(FOLLOWED)
    md = agenda.render(prefs, occ, user_dir=None, history=hist)
    # Before the appreciations, with support in the right order.
    opening = md[md.index("## First, how you are") : md.index("## Appreciations")]
    assert md.index("## First, how you are") < md.index("## Appreciations")
    assert "Alex was the one who felt least safe to be open" in opening
    assert "set the rest of this agenda aside" in opening
    note = opening.split("> A gentle note", 1)[1]
    assert "(a rating of 4 or less) at each of the last 2 check-ins." in note
    trusted, own, couples = (
        note.index(w) for w in ("someone you trust", "therapist of your own", "couples therapist")
    )
    assert trusted < own < couples and "if you both want it" in note
    assert "afraid of the other" in note and "note on safety" in note
    assert "Alex" not in note and "Sam" not in note  # the note never says who
    # Where others see it (a calendar, a mail), the opening is left out.
    shared = agenda.render(prefs, occ, user_dir=None, history=hist, shared=True)
    assert "First, how you are" not in shared and "gentle note" not in shared and "least safe" not in shared


def test_a_first_low_rating_already_says_where_to_turn_when_less_safe_means_afraid() -> None:
    """Before any streak, the opening asks the one who felt least safe what would help, in
    front of the other; if that is fear, the agenda must not be the way through it."""
    prefs = prefs_with()
    md = agenda.render(prefs, checkin(prefs, D(2026, 12, 20)), user_dir=None, history=history.parse(FOLLOWED))
    opening = md[md.index("## First, how you are") : md.index("## Appreciations")]
    assert "gentle note" not in opening  # no streak yet
    assert "being afraid" in opening and "the note on safety at the end says" in opening
    assert "abuse, physical or emotional" in md[md.index("A note on safety") :]


def test_a_two_beside_a_nine_opens_the_next_agenda_and_only_there(
    cli: Invoke, data: Path, write_config: WriteConfig, tmp_path: Path
) -> None:
    write_config(COUPLE + "[calendar]\nprivate = false\n")  # agendas in the calendar too

    def opening(md: str) -> str:
        """The opening section, heading to the next heading ("" when there is none)."""
        _, sep, rest = md.partition("## First, how you are")
        return sep + rest.split("\n## ", 1)[0]

    assert "First, how you are" not in cli("agenda", "checkin").stdout
    cli("done", "checkin", "--rating", "Alex=2", "--rating", "Sam=9")
    agenda = cli("agenda", "checkin").stdout
    assert "## First, how you are" in opening(agenda)
    assert "Alex was the one who felt least safe to be open" in opening(agenda)
    assert "set the rest of this agenda aside" in opening(agenda)
    assert "/ 10" not in opening(agenda) and " 2" not in opening(agenda).replace("2026", "")
    cli("weekly", "--out", str(tmp_path / "week"))
    assert "least safe" in next((tmp_path / "week").iterdir()).read_text()
    assert "least safe" not in cli("weekly", "--stdout").stdout  # a mail passes through others' machines
    cli("export", "ics", "--agendas", "3", "--out", str(tmp_path / "r.ics"))
    assert "least safe" not in (tmp_path / "r.ics").read_text()
