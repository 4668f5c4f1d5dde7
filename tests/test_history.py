"""The history core: recording, reading hand-edited files, carry-over, the support signal."""

from __future__ import annotations

import datetime as dt
import stat
import textwrap
from pathlib import Path

import pytest

from conftest import COUPLE
from ritualcli.core import history, preferences, schedule
from ritualcli.core.errors import FileProblemsError, InputError, UsageError
from ritualcli.core.history import CarryOver, Draft, History, Support
from ritualcli.core.preferences import Preferences

D = dt.date
# COUPLE: check-ins on Sundays from 2026-11-23; these are the first few.
SUNDAYS = [D(2026, 11, 29) + dt.timedelta(weeks=i) for i in range(12)]


def prefs_with(extra: str = "") -> Preferences:
    return preferences.parse_bytes((COUPLE + textwrap.dedent(extra)).encode())


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
    return history.carry_over(prefs, history.load(data), occ)


def held(day: dt.date, **kw: object) -> Draft:
    return Draft("checkin", day, **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------ recording


def test_record_writes_a_private_readable_file(data: Path) -> None:
    entry = history.record(
        data,
        held(
            SUNDAYS[0],
            ratings=(("Alex", 7), ("Sam", 8)),
            commitments=(("Alex", "Plan Saturday's walk"), ("Sam", 'Say "thank you" \\ more')),
            note="only for us",
        ),
    )
    assert [c.id for c in entry.commitments] == ["c-2026-11-29-1", "c-2026-11-29-2"]
    path = data / "history.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert text.startswith("# ritual history")
    assert "[[entry]]\n" in text and "date = 2026-11-29\n" in text
    assert "ratings = { Alex = 7, Sam = 8 }" in text
    assert '{ id = "c-2026-11-29-1", owner = "Alex", text = "Plan Saturday\'s walk" },' in text
    back = history.load(data).entries[0]
    assert back == entry
    assert back.commitments[1].text == 'Say "thank you" \\ more'


def test_appending_keeps_hand_edits_and_comments(data: Path) -> None:
    history.record(data, held(SUNDAYS[0], ratings=(("Alex", 6),)))
    path = data / "history.toml"
    path.write_text(path.read_text() + "# we talked about the holidays\n")
    history.record(data, held(SUNDAYS[1], ratings=(("Alex", 7),)))
    text = path.read_text()
    assert "# we talked about the holidays\n\n[[entry]]" in text
    assert [e.date for e in history.load(data).entries] == SUNDAYS[:2]


def test_entries_are_read_in_date_order_whatever_the_file_order(data: Path) -> None:
    history.record(data, held(SUNDAYS[2]))
    history.record(data, held(SUNDAYS[0]))
    history.record(data, Draft("date-night", D(2026, 12, 4)))
    assert [e.date for e in history.load(data).entries] == [SUNDAYS[0], D(2026, 12, 4), SUNDAYS[2]]


def test_the_same_occurrence_twice_is_refused_with_a_way_to_amend(data: Path) -> None:
    history.record(data, held(SUNDAYS[0], ratings=(("Alex", 6),)))
    with pytest.raises(InputError) as err:
        history.record(data, held(SUNDAYS[0], ratings=(("Alex", 9),)))
    assert err.value.message == "the check-in of 2026-11-29 is already recorded (held)"
    assert err.value.remedy is not None and err.value.remedy.field == "replace_existing"
    assert str(data / "history.toml") in (err.value.hint or "")  # or edit it by hand


def test_replace_rewrites_in_place_and_keeps_ids_of_unchanged_commitments(data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"), ("Sam", "call"))))
    history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-2",)))
    new = history.record(
        data,
        held(SUNDAYS[0], ratings=(("Alex", 9),), commitments=(("Sam", "call"), ("Alex", "cook"))),
        replace_existing=True,
    )
    # "call" keeps its id (it was marked kept later); "cook" is new and never reuses "walk"'s.
    assert [(c.id, c.text) for c in new.commitments] == [
        ("c-2026-11-29-2", "call"),
        ("c-2026-11-29-3", "cook"),
    ]
    hist = history.load(data)
    assert [e.date for e in hist.in_file_order] == SUNDAYS[:2]  # the entry stayed where it was
    with pytest.raises(UsageError, match="marked kept on 2026-12-06"):
        history.record(data, held(SUNDAYS[0]), replace_existing=True)


def test_kept_must_name_an_earlier_open_commitment(data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    with pytest.raises(InputError) as err:
        history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-9",)))
    # The core names the record; which flag it came from is the command's to say.
    assert err.value.message == "commitment c-2026-11-29-9: no commitment has that id"
    assert (err.value.field, err.value.given) == ("kept", "c-2026-11-29-9")
    assert "c-2026-11-29-1" in (err.value.hint or "")  # the open ones are listed
    history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-1",)))
    with pytest.raises(UsageError, match="already marked kept on 2026-12-06"):
        history.record(data, held(SUNDAYS[2], kept=("c-2026-11-29-1",)))


def test_what_the_couple_types_is_checked_in_the_words_of_the_domain(prefs: Preferences) -> None:
    from ritualcli.core.history import draft

    assert draft.rating(prefs, " sam = 7 ") == ("Sam", 7)
    assert draft.commitment(prefs, "ALEX:  plan the walk ") == ("Alex", "plan the walk")
    with pytest.raises(InputError) as err:
        draft.rating(prefs, "Alex=11")
    assert err.value.message == "rating 'Alex=11': '11' is not a rating"
    assert (err.value.field, err.value.given) == ("ratings", "'Alex=11'")
    with pytest.raises(InputError) as err:
        draft.commitment(prefs, "Alx: walk")
    assert err.value.message == "'Alx' is not one of the partners"
    assert err.value.hint == "did you mean Alex? the partners are Alex, Sam"
    with pytest.raises(InputError, match=r"^note: 1001 characters; at most 1000") as err:
        draft.checked_text("x" * 1001, "note")
    with pytest.raises(InputError) as err:
        draft.one_rating_each([("Alex", 7), ("Alex", 8)])
    assert err.value.message == "ratings: Alex is given twice; one rating each"


def test_the_day_to_record_is_the_latest_planned_one_or_an_explained_refusal(prefs: Preferences) -> None:
    from ritualcli.core.history import draft

    today = D(2026, 12, 2)
    assert draft.occurrence_day(prefs, "checkin", None, today=today, unplanned=False, future_ok=False) == (
        SUNDAYS[0],
        False,
    )
    monday = D(2026, 11, 30)
    assert draft.occurrence_day(prefs, "checkin", monday, today=today, unplanned=True, future_ok=False) == (
        monday,
        True,
    )
    with pytest.raises(InputError) as err:
        draft.occurrence_day(prefs, "checkin", monday, today=today, unplanned=False, future_ok=False)
    assert err.value.message.startswith("no check-in is planned on Mon 2026-11-30: check-ins are on Sundays")
    assert err.value.remedy is not None and err.value.remedy.field == "unplanned"
    with pytest.raises(InputError) as err:
        draft.occurrence_day(prefs, "checkin", SUNDAYS[1], today=today, unplanned=False, future_ok=False)
    assert err.value.message.startswith("date 2026-12-06: is after today (2026-12-02)")
    assert draft.occurrence_day(
        prefs, "checkin", SUNDAYS[1], today=today, unplanned=False, future_ok=True
    ) == (
        SUNDAYS[1],
        False,
    )


# ------------------------------------------------------------------ a hand-edited file


def write(data: Path, body: str) -> Path:
    data.mkdir(parents=True, exist_ok=True)
    path = data / "history.toml"
    path.write_text(textwrap.dedent(body))
    return path


def problems(data: Path) -> list[str]:
    with pytest.raises(FileProblemsError) as err:
        history.load(data)
    return [p.render("H") for p in err.value.problems]


def test_mistakes_are_reported_all_at_once_with_their_lines(data: Path) -> None:
    write(
        data,
        """\
        version = 1

        [[entry]]
        ritual = "checkin"
        date = 2026-11-29
        ratings = { Alex = 7, Sam = 11 }
        commitments = [
            { id = "c-2026-11-29-1", owner = "Alex", text = "walk" },
        ]

        [[entry]]
        ritual = "check-in"
        date = 2026-12-06

        [[entry]]
        ritual = "checkin"
        date = 2026-12-13
        stauts = "held"
        kept = ["c-2026-11-29-7"]
        """,
    )
    assert problems(data) == [
        "H:6: entry[1].ratings.Sam: 11 is not a rating: give a whole number from 1 to 10",
        "H:12: entry[2].ritual: expected one of checkin, date-night, got 'check-in'",
        "H:18: entry[3].stauts: unknown key; did you mean status? "
        "(allowed here: ritual, date, status, ratings, commitments, kept, note, reason, unplanned)",
        "H:19: entry[3].kept: 'c-2026-11-29-7' is not the id of any commitment in this file",
    ]


def test_toml_syntax_error_has_line_and_column(data: Path) -> None:
    write(data, '[[entry]]\nritual = "checkin"\ndate = 2026-12-6\n')
    assert problems(data) == ["H:3:12: TOML syntax: Expected newline or end of document after a statement"]


def test_duplicate_entries_and_ids(data: Path) -> None:
    write(
        data,
        """\
        [[entry]]
        ritual = "checkin"
        date = 2026-11-29
        commitments = [{ id = "c-1", owner = "Alex", text = "walk" }]

        [[entry]]
        ritual = "checkin"
        date = 2026-11-29
        commitments = [{ id = "c-1", owner = "Sam", text = "call" }]
        """,
    )
    found = problems(data)
    assert "H:8: entry[2].date: the check-in of 2026-11-29 is already recorded in entry[1]" in found
    assert "H:9: entry[2].commitments: id 'c-1' is used twice; ids must be unique" in found


def test_a_broken_file_is_never_overwritten(data: Path) -> None:
    path = write(data, '[[entry]]\nritual = "checkin"\ndate = "someday"\n')
    before = path.read_bytes()
    with pytest.raises(FileProblemsError):
        history.record(data, held(SUNDAYS[1]))
    assert path.read_bytes() == before


def test_a_quoted_date_and_no_version_are_accepted(data: Path) -> None:
    write(data, '[[entry]]\nritual = "checkin"\ndate = "2026-11-29"\nstatus = "skipped"\n')
    (entry,) = history.load(data).entries
    assert entry.date == SUNDAYS[0] and not entry.held


# ------------------------------------------------------------------ carry-over


def test_no_history_carries_nothing(prefs: Preferences, data: Path) -> None:
    assert history.load(data) == History()  # no file yet: the same as the example couple's
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
    carry = carried(prefs, data, checkin(prefs, SUNDAYS[1]))
    assert carry.unrecorded == ()
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


def test_carry_over_never_holds_a_note(prefs: Preferences, data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),), note="PRIVATE-NOTE"))
    history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-1",), note="PRIVATE-NOTE-2"))
    carry = carried(prefs, data, checkin(prefs, SUNDAYS[2]))
    assert carry.kept and "PRIVATE" not in repr(carry)


# ------------------------------------------------------------------ the support signal


def rate(data: Path, ratings: list[dict[str, int]], first: int = 0) -> None:
    for i, r in enumerate(ratings, start=first):
        history.record(data, held(SUNDAYS[i], ratings=tuple(r.items())))


def support_at(prefs: Preferences, data: Path, i: int) -> Support | None:
    return carried(prefs, data, checkin(prefs, SUNDAYS[i])).support


def test_low_ratings_fire_at_the_third_in_a_row_not_before(prefs: Preferences, data: Path) -> None:
    rate(data, [{"Alex": 8, "Sam": 3}, {"Alex": 8, "Sam": 4}])
    assert support_at(prefs, data, 2) is None  # two low ratings: not yet
    rate(data, [{"Alex": 7, "Sam": 4}], first=2)
    assert support_at(prefs, data, 3) == Support(low_ratings=True, low_rating=4, low_streak=3, carried=0)


def test_a_rating_just_above_the_threshold_does_not_count(prefs: Preferences, data: Path) -> None:
    rate(data, [{"Alex": 4}, {"Alex": 5}, {"Alex": 4}])
    assert support_at(prefs, data, 3) is None
    rate(data, [{"Alex": 4}, {"Alex": 1}], first=3)
    assert support_at(prefs, data, 5) is not None  # the last three: 4, 4, 1


def test_only_the_most_recent_ratings_count(prefs: Preferences, data: Path) -> None:
    rate(data, [{"Alex": 2}, {"Alex": 2}, {"Alex": 2}, {"Alex": 6}])
    assert support_at(prefs, data, 3) is not None
    assert support_at(prefs, data, 4) is None  # it got better: the signal goes away


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
    assert support_at(prefs, data, 2) == Support(low_ratings=True, low_rating=6, low_streak=2, carried=0)
    prefs = prefs_with("[support]\nlow_rating = 5\nlow_streak = 2\n")
    assert support_at(prefs, data, 2) is None


def test_a_commitment_carried_four_times_fires_not_three(prefs: Preferences, data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    history.record(data, held(SUNDAYS[1]))
    history.record(data, Draft("checkin", SUNDAYS[2], status="skipped"))  # does not count
    history.record(data, held(SUNDAYS[3]))
    before = carried(prefs, data, checkin(prefs, SUNDAYS[4]))
    assert before.open[0].checkins_open == 3 and before.support is None
    history.record(data, held(SUNDAYS[4]))
    now = carried(prefs, data, checkin(prefs, SUNDAYS[5]))
    assert now.open[0].checkins_open == 4
    assert now.support == Support(low_ratings=False, low_rating=4, low_streak=3, carried=4)
    history.record(data, held(SUNDAYS[5], kept=("c-2026-11-29-1",)))
    assert support_at(prefs, data, 6) is None  # kept at last: no more signal


def test_custom_carried_threshold(data: Path) -> None:
    prefs = prefs_with("[support]\ncarried = 2\n")
    history.record(data, held(SUNDAYS[0], commitments=(("Sam", "call"),)))
    assert support_at(prefs, data, 1) is None
    history.record(data, held(SUNDAYS[1]))
    signal = support_at(prefs, data, 2)
    assert signal is not None and signal.carried == 2 and not signal.low_ratings


@pytest.mark.parametrize(
    ("support", "reasons"),
    [
        (
            Support(low_ratings=True, low_rating=4, low_streak=3, carried=0),
            "at least one of you has felt less than safe to be open (a rating of 4 or less) at each of "
            "the last 3 check-ins.",
        ),
        (
            Support(low_ratings=True, low_rating=2, low_streak=1, carried=1),
            "at least one of you has felt less than safe to be open (a rating of 2 or less) at the last "
            "check-in; and a commitment has been carried to 1 check-in and is still open.",
        ),
        (
            Support(low_ratings=False, low_rating=4, low_streak=3, carried=5),
            "a commitment has been carried to 5 check-ins and is still open.",
        ),
    ],
)
def test_the_support_note_says_each_reason_with_its_numbers(support: Support, reasons: str) -> None:
    from ritualcli.core.agenda import support_note

    note = support_note(support, user_dir=None)
    assert note.startswith(f"A gentle note: {reasons} That is nobody's fault, and it is not a verdict")
    assert "couples therapist" in note and "\n" not in note  # one paragraph, on one line
    assert "How To Create Emotional Safety In Your Relationship" in note  # where it comes from


def test_the_readme_example_is_a_valid_history() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("## Follow-through", 1)[1].split("\n## ", 1)[0]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    hist = history.parse(example)
    assert [(e.date, e.status) for e in hist.entries] == [
        (SUNDAYS[0], "held"),
        (SUNDAYS[1], "held"),
        (SUNDAYS[2], "skipped"),
    ]
    assert hist.kept_on() == {"c-2026-11-29-2": SUNDAYS[1]}
