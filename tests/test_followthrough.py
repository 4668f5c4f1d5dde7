"""Follow-through for the next agenda: carry-over, the gentle opening, and when to suggest support."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import COUPLE
from histories import SUNDAYS, held, prefs_with
from ritualcli.core import history, schedule
from ritualcli.core.history import CarryOver, Draft, History, Opening, Support
from ritualcli.core.preferences import Preferences


@pytest.fixture
def prefs() -> Preferences:
    return prefs_with()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def checkin(prefs: Preferences, day: dt.date) -> schedule.Occurrence:
    occ = schedule.occurrence_on(prefs, "checkin", day)
    assert occ is not None, day
    return occ


def carried(prefs: Preferences, data: Path, occ: schedule.Occurrence) -> CarryOver:
    """What the agenda of ``occ`` carries over, from the history as it is on disk now."""
    return history.carry_over(prefs, history.load(data, occ.date), occ)


# ------------------------------------------------------------------ carry-over


def test_no_history_carries_nothing(prefs: Preferences) -> None:
    assert history.carry_over(prefs, History(), checkin(prefs, SUNDAYS[3])) == CarryOver()


def test_carry_over_across_several_weeks(prefs: Preferences, data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"), ("Sam", "call"))))
    history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-2",), commitments=(("Sam", "cook"),)))
    history.record(data, held(SUNDAYS[2]))

    def state(i: int) -> tuple[list[tuple[str, str, int]], list[str]]:
        carry = carried(prefs, data, checkin(prefs, SUNDAYS[i]))
        return [(c.owner, c.text, c.checkins_open) for c in carry.open], [c.text for c in carry.kept]

    assert state(0) == ([], [])
    assert state(1) == ([("Alex", "walk", 1), ("Sam", "call", 1)], [])
    assert state(2) == ([("Alex", "walk", 2), ("Sam", "cook", 1)], ["call"])  # kept: celebrated
    assert state(3) == ([("Alex", "walk", 3), ("Sam", "cook", 2)], [])  # …once, then dropped
    carry = carried(prefs, data, checkin(prefs, SUNDAYS[1]))
    assert carry.open[0].made == SUNDAYS[0] and carry.open[0].id == "c-2026-11-29-1"


def test_kept_is_celebrated_at_the_next_held_checkin_even_after_a_skip(
    prefs: Preferences, data: Path
) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-1",)))
    history.record(data, Draft("checkin", SUNDAYS[2], status="skipped"))
    kept = [c.text for c in carried(prefs, data, checkin(prefs, SUNDAYS[3])).kept]
    assert kept == ["walk"]
    history.record(data, held(SUNDAYS[3]))
    assert carried(prefs, data, checkin(prefs, SUNDAYS[4])).kept == ()


def test_skipped_checkins_carry_nothing(prefs: Preferences, data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    history.record(data, Draft("checkin", SUNDAYS[1], status="skipped", reason="travel"))
    (c,) = carried(prefs, data, checkin(prefs, SUNDAYS[2])).open
    assert c.checkins_open == 1  # a missed week is not counted against anyone


def test_unrecorded_checkins_are_named_not_hidden(prefs: Preferences, data: Path) -> None:
    assert carried(prefs, data, checkin(prefs, SUNDAYS[3])).unrecorded == ()  # not started
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    assert carried(prefs, data, checkin(prefs, SUNDAYS[1])).unrecorded == ()
    # An agenda made weeks ahead (export markdown, weekly) cannot know what comes before it.
    carry = carried(prefs, data, checkin(prefs, SUNDAYS[3]))
    assert carry.unrecorded == (SUNDAYS[1], SUNDAYS[2])
    assert [c.text for c in carry.open] == ["walk"]
    history.record(data, Draft("checkin", SUNDAYS[2], status="skipped"))
    assert carried(prefs, data, checkin(prefs, SUNDAYS[3])).unrecorded == ()
    many = carried(prefs, data, checkin(prefs, SUNDAYS[11])).unrecorded
    assert many == tuple(SUNDAYS[7:11])  # a long break is not a backlog: the latest few


def test_unrecorded_leaves_out_skip_dates(data: Path) -> None:
    prefs = prefs_with("[skip]\ndates = [2026-12-06]\n")
    history.record(data, held(SUNDAYS[0]))
    assert carried(prefs, data, checkin(prefs, SUNDAYS[2])).unrecorded == ()


def test_carry_over_never_holds_a_note_or_a_rating(prefs: Preferences, data: Path) -> None:
    history.record(
        data, held(SUNDAYS[0], commitments=(("Alex", "walk"),), note="PRIVATE-NOTE", ratings=(("Sam", 2),))
    )
    history.record(
        data, held(SUNDAYS[1], kept=("c-2026-11-29-1",), note="PRIVATE-NOTE-2", ratings=(("Sam", 7),))
    )
    carry = carried(prefs, data, checkin(prefs, SUNDAYS[2]))
    assert carry.kept and "PRIVATE" not in repr(carry)
    assert "=2" not in repr(carry) and "=7" not in repr(carry)


def test_a_commitment_carried_long_asks_to_make_it_smaller_not_for_therapy(
    prefs: Preferences, data: Path
) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    history.record(data, held(SUNDAYS[1]))
    history.record(data, Draft("checkin", SUNDAYS[2], status="skipped"))  # does not count
    history.record(data, held(SUNDAYS[3]))
    before = carried(prefs, data, checkin(prefs, SUNDAYS[4]))
    assert before.open[0].checkins_open == 3 and not before.open[0].long_open
    history.record(data, held(SUNDAYS[4]))
    now = carried(prefs, data, checkin(prefs, SUNDAYS[5]))
    assert now.open[0].checkins_open == 4 and now.open[0].long_open  # [support] carried = 4
    assert now.opening is None  # an unkept chore opens nothing and suggests no therapist
    custom = prefs_with("[support]\ncarried = 2\n")
    assert carried(custom, data, checkin(custom, SUNDAYS[2])).open[0].long_open


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


FOLLOWED = """\
[[entry]]
ritual = "checkin"
date = 2026-11-29
ratings = { Alex = 3, Sam = 8 }
commitments = [
    { id = "c-1", owner = "Sam", text = "plan the *trip* <now>" },
    { id = "c-2", owner = "Alex", text = "walk after dinner" },
]

[[entry]]
ritual = "checkin"
date = 2026-12-06
ratings = { Alex = 2, Sam = 8 }
kept = ["c-2"]
"""


def follow_through(md: str) -> str:
    return md.split("## Since last time", 1)[1].split("\n## ", 1)[0]


def test_follow_through_renders_the_carry_over() -> None:
    import datetime as dt

    from ritualcli.core import agenda, preferences, schedule

    prefs = preferences.parse_bytes((COUPLE + "[support]\nlow_streak = 2\ncarried = 2\n").encode())
    occ = schedule.occurrence_on(prefs, "checkin", dt.date(2026, 12, 20))
    assert occ is not None
    hist = history.parse(FOLLOWED)
    md = agenda.render(prefs, occ, user_dir=None, history=hist)
    section = follow_through(md)
    assert r"- Sam: plan the \*trip\* &lt;now&gt; (open for 2 check-ins now)" in section
    # Carried to [support] carried check-ins: make it smaller or let it go, never a therapist.
    assert "make it smaller, or let it go, with no blame" in section
    assert "`ritual commitments let-go c-1`" in section
    assert "therapist" not in section and "gentle note" not in section
    assert "Kept since last time" in section and "- Alex: walk after dinner" in section
    # 2026-12-13 was never recorded: the agenda says so instead of guessing its commitments.
    assert "the check-in of 2026-12-13" in section and "ritual done checkin --date 2026-12-13" in section
    assert "Nothing is carried over" not in section

    # Low ratings open the agenda, before the appreciations, with support in the right order.
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

    # Where others see it (a calendar, a mail), commitments still carry over; the opening does not.
    shared = agenda.render(prefs, occ, user_dir=None, history=hist, shared=True)
    assert "plan the" in follow_through(shared)
    assert "First, how you are" not in shared and "gentle note" not in shared and "least safe" not in shared


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
