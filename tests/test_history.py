"""The history core: recording that adds, files by year, hand edits, migration, the index, undo."""

from __future__ import annotations

import datetime as dt
import json
import stat
import textwrap
from pathlib import Path

import pytest

from histories import SUNDAYS, D, held, prefs_with
from ritualcli.core import history, schedule
from ritualcli.core.errors import FileProblemsError, InputError, UsageError
from ritualcli.core.history import SHARED, Commitment, Draft, History, store
from ritualcli.core.preferences import Preferences


@pytest.fixture
def prefs() -> Preferences:
    return prefs_with()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def year_file(data: Path, year: int = 2026) -> Path:
    return data / "history" / f"{year}.toml"


def journal_records(data: Path) -> list[Path]:
    folder = data / "history" / ".undo"
    return sorted(folder.iterdir()) if folder.exists() else []


# ------------------------------------------------------------------ recording


def test_record_writes_a_private_year_file(data: Path) -> None:
    change = history.record(
        data,
        held(
            SUNDAYS[0],
            ratings=(("Alex", 7), ("Sam", 8)),
            commitments=(("Alex", "Plan Saturday's walk"), ("Sam", 'Say "thank you" \\ more')),
            note="only for us",
        ),
    )
    assert change.new and [c.id for c in change.commitments] == ["c-2026-11-29-1", "c-2026-11-29-2"]
    path = year_file(data)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text()
    assert text.startswith("# ritual history, 2026")
    assert "version = 2\n" in text and "[[entry]]\n" in text and "date = 2026-11-29\n" in text
    assert "ratings = { Alex = 7, Sam = 8 }" in text
    assert '{ id = "c-2026-11-29-1", owner = "Alex", text = "Plan Saturday\'s walk" },' in text
    back = history.load(data).entries[0]
    assert back == change.entry
    assert back.commitments[1].text == 'Say "thank you" \\ more'


def test_each_year_has_its_own_file_and_old_years_are_left_alone(data: Path) -> None:
    history.record(data, held(D(2026, 12, 27)))
    old = year_file(data).read_bytes()
    history.record(data, held(D(2027, 1, 3), commitments=(("Sam", "call"),)))
    assert year_file(data).read_bytes() == old
    assert "date = 2027-01-03" in year_file(data, 2027).read_text()
    assert [e.date for e in history.load(data).entries] == [D(2026, 12, 27), D(2027, 1, 3)]


def test_appending_keeps_hand_edits_and_comments(data: Path) -> None:
    history.record(data, held(SUNDAYS[0], ratings=(("Alex", 6),)))
    path = year_file(data)
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


# ------------------------------------------------------------------ recording again adds


def test_two_partners_recording_the_same_checkin_keep_both_ratings_and_all_commitments(data: Path) -> None:
    history.record(
        data,
        held(SUNDAYS[0], ratings=(("Alex", 6),), commitments=(("Alex", "walk"),), note="mine", by="Alex"),
    )
    change = history.record(
        data,
        held(
            SUNDAYS[0],
            ratings=(("Sam", 8),),
            commitments=(("Sam", "call"), (SHARED, "plan")),
            note="his",
            by="Sam",
        ),
    )
    assert not change.new and change.ratings == (("Sam", None, 8),)
    (e,) = history.load(data).entries
    assert e.ratings == (("Alex", 6), ("Sam", 8))
    assert [(c.id, c.owner, c.text) for c in e.commitments] == [
        ("c-2026-11-29-1", "Alex", "walk"),
        ("c-2026-11-29-2", "Sam", "call"),
        ("c-2026-11-29-3", "both", "plan"),
    ]
    assert e.note == "mine\nhis"
    assert year_file(data).read_text().count("\n[[entry]]\n") == 1  # one entry, added to in place


def test_a_rating_given_again_replaces_that_partners_only(data: Path) -> None:
    history.record(data, held(SUNDAYS[0], ratings=(("Alex", 5), ("Sam", 6)), commitments=(("Sam", "call"),)))
    history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-1",)))
    change = history.record(data, held(SUNDAYS[0], ratings=(("sam", 7),)))
    assert change.ratings == (("sam", 6, 7),)
    e = history.load(data).entries[0]
    assert e.ratings == (("Alex", 5), ("sam", 7))
    assert e.commitments == (Commitment("c-2026-11-29-1", "Sam", "call"),)  # still there, still kept
    assert history.load(data).entries[1].kept == ("c-2026-11-29-1",)


def test_recording_the_same_thing_again_changes_nothing(data: Path) -> None:
    first = held(SUNDAYS[0], ratings=(("Alex", 5),), commitments=(("Alex", "walk"),), note="n")
    history.record(data, first)
    before, records = year_file(data).read_bytes(), journal_records(data)
    change = history.record(data, first)
    assert change.nothing
    assert year_file(data).read_bytes() == before and journal_records(data) == records


def test_held_and_skipped_do_not_mix(data: Path) -> None:
    history.record(data, Draft("checkin", SUNDAYS[0], status="skipped", reason="away"))
    with pytest.raises(InputError, match="recorded as skipped, not held") as err:
        history.record(data, held(SUNDAYS[0], ratings=(("Alex", 5),)))
    assert "ritual undo" in (err.value.hint or "") and "ritual history edit" in (err.value.hint or "")
    change = history.record(data, Draft("checkin", SUNDAYS[0], status="skipped", reason="ill"))
    assert change.entry.reason == "away; ill"


def test_one_partner_records_their_own_answers_only(data: Path) -> None:
    with pytest.raises(InputError, match="recording for Alex alone: Sam's rating is Sam's to give") as err:
        history.record(data, held(SUNDAYS[0], ratings=(("Sam", 5),), by="Alex"))
    assert err.value.field == "ratings"
    with pytest.raises(InputError, match="a commitment for Sam is Sam's to make"):
        history.record(data, held(SUNDAYS[0], commitments=(("Sam", "call"),), by="Alex"))
    history.record(data, held(SUNDAYS[0], ratings=(("alex", 5),), commitments=((SHARED, "plan"),), by="Alex"))
    assert not year_file(data).read_text().count("Sam")


# ------------------------------------------------------------------ commitments: kept, partly, let go


def test_kept_must_name_an_earlier_open_commitment(data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    with pytest.raises(InputError) as err:
        history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-9",)))
    # The core names the record; which flag it came from is the command's to say.
    assert err.value.message == "commitment c-2026-11-29-9: no open commitment has that id"
    assert (err.value.field, err.value.given) == ("kept", "c-2026-11-29-9")
    assert "c-2026-11-29-1" in (err.value.hint or "")  # the open ones are listed
    with pytest.raises(InputError, match="made on 2026-11-29, not before 2026-11-29"):
        history.record(data, held(SUNDAYS[0], kept=("c-2026-11-29-1",)))
    history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-1",)))
    with pytest.raises(UsageError, match="already marked kept on 2026-12-06"):
        history.record(data, held(SUNDAYS[2], kept=("c-2026-11-29-1",)))
    history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-1",)))  # said again: nothing new


def test_partly_stays_open_and_is_noted(prefs: Preferences, data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    change = history.record(data, held(SUNDAYS[1], partly=("c-2026-11-29-1",)))
    assert [c.text for c in change.partly] == ["walk"]
    (c,) = history.carry_over(prefs, history.load(data), occ(prefs, SUNDAYS[2])).open
    assert (c.partly, c.checkins_open) == (SUNDAYS[1], 2)
    with pytest.raises(InputError, match="kept or partly done here"):
        history.record(data, held(SUNDAYS[2], kept=("c-2026-11-29-1",), let_go=("c-2026-11-29-1",)))
    history.record(data, held(SUNDAYS[2], kept=("c-2026-11-29-1",)))
    assert history.carry_over(prefs, history.load(data), occ(prefs, SUNDAYS[3])).open == ()


def test_a_let_go_commitment_is_no_longer_carried(prefs: Preferences, data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"), ("Sam", "call"))))
    history.record(data, held(SUNDAYS[1], let_go=("c-2026-11-29-1",)))
    carry = history.carry_over(prefs, history.load(data), occ(prefs, SUNDAYS[2]))
    assert [c.text for c in carry.open] == ["call"]
    assert [c.text for c in carry.let_go] == ["walk"]  # said once, with no blame…
    history.record(data, held(SUNDAYS[2]))
    carry = history.carry_over(prefs, history.load(data), occ(prefs, SUNDAYS[3]))
    assert carry.let_go == () and [c.text for c in carry.open] == ["call"]  # …then it is gone
    assert '[[let_go]]\nid = "c-2026-11-29-1"\ndate = 2026-12-06\n' in year_file(data).read_text()
    with pytest.raises(InputError, match="already let go on 2026-12-06"):
        history.record(data, held(SUNDAYS[3], kept=("c-2026-11-29-1",)))


def test_letting_go_between_checkins(prefs: Preferences, data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    item, _ = history.let_go(data, "c-2026-11-29-1", "the weather turned", D(2026, 12, 2))
    assert item == Commitment("c-2026-11-29-1", "Alex", "walk")
    hist = history.load(data)
    assert hist.let_go[0].why == "the weather turned"
    assert history.carry_over(prefs, hist, occ(prefs, SUNDAYS[1])).open == ()
    [state] = history.commitment_states(hist, D(2026, 12, 31))
    assert (state.state, state.on, state.why) == ("let-go", D(2026, 12, 2), "the weather turned")
    with pytest.raises(InputError, match="already let go on 2026-12-02"):
        history.let_go(data, "c-2026-11-29-1", "", D(2026, 12, 3))


def test_shared_commitments_and_names_as_preferences_compare_them(prefs: Preferences) -> None:
    from ritualcli.core.history import draft

    assert draft.commitment(prefs, "We: plan the holidays") == (SHARED, "plan the holidays")
    assert draft.commitment(prefs, "both:  book the trip ") == (SHARED, "book the trip")
    assert draft.commitment(prefs, "ＳＡＭ: call") == ("Sam", "call")  # full-width: NFKC
    assert draft.commitment(prefs, "call my sister", by="Sam") == ("Sam", "call my sister")
    assert draft.commitment(prefs, "we: cook", by="Sam") == (SHARED, "cook")
    assert draft.rating(prefs, "7", by="Sam") == ("Sam", 7)
    zoe = prefs_with().couple._replace(partners=("Zoe\u0308", "Sam"))
    assert draft.partner(prefs._replace(couple=zoe), "ZOË", "ratings") == "Zoe\u0308"
    with pytest.raises(InputError, match="given twice"):
        draft.one_rating_each([("Sam", 7), ("ｓａｍ", 8)])


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
    with pytest.raises(InputError, match=r"^note: 1001 characters; at most 1000"):
        draft.checked_text("x" * 1001, "note")


def test_the_day_to_record_is_the_latest_planned_one_or_an_explained_refusal(prefs: Preferences) -> None:
    from ritualcli.core.history import draft

    today = D(2026, 12, 2)
    found = draft.occurrence_day(prefs, "checkin", None, today=today, unplanned=False, future_ok=False)
    assert found == (SUNDAYS[0], False)
    monday = D(2026, 11, 30)
    found = draft.occurrence_day(prefs, "checkin", monday, today=today, unplanned=True, future_ok=False)
    assert found == (monday, True)
    with pytest.raises(InputError) as err:
        draft.occurrence_day(prefs, "checkin", monday, today=today, unplanned=False, future_ok=False)
    assert err.value.message.startswith("no check-in is planned on Mon 2026-11-30: check-ins are on Sundays")
    assert err.value.remedy is not None and err.value.remedy.field == "unplanned"
    with pytest.raises(InputError) as err:
        draft.occurrence_day(prefs, "checkin", SUNDAYS[1], today=today, unplanned=False, future_ok=False)
    assert err.value.message.startswith("date 2026-12-06: is after today (2026-12-02)")
    found = draft.occurrence_day(prefs, "checkin", SUNDAYS[1], today=today, unplanned=False, future_ok=True)
    assert found == (SUNDAYS[1], False)


# ------------------------------------------------------------------ a hand-edited file


def write(data: Path, body: str, year: int = 2026) -> Path:
    path = year_file(data, year)
    path.parent.mkdir(parents=True, exist_ok=True)
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
        version = 2

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

        [[let_go]]
        id = "c-2026-11-29-1"
        date = 2027-01-02
        """,
    )
    assert problems(data) == [
        "H:6: entry[1].ratings.Sam: 11 is not a rating: give a whole number from 1 to 10",
        "H:12: entry[2].ritual: expected one of checkin, date-night, got 'check-in'",
        "H:18: entry[3].stauts: unknown key; did you mean status? "
        "(allowed here: ritual, date, status, ratings, commitments, kept, partly, discussed, note, reason, unplanned)",
        "H:19: entry[3].kept: 'c-2026-11-29-7' is not the id of any commitment open before 2026-12-13",
        "H:23: let_go[1].date: 2027-01-02 is in 2027: move it to 2027.toml (one file per year)",
    ]


def test_one_partner_has_one_rating_however_the_name_is_written(data: Path) -> None:
    write(data, '[[entry]]\nritual = "checkin"\ndate = 2026-11-29\nratings = { Sam = 7, "ｓａｍ" = 8 }\n')
    assert problems(data) == [
        "H:4: entry[1].ratings.ｓａｍ: 'ｓａｍ' and 'Sam' are one partner; one rating each"
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


# ------------------------------------------------------------------ the old single file


OLD = """\
# ritual history: one [[entry]] per check-in or date night, held or skipped.
version = 1

[[entry]]
ritual = "checkin"
date = 2026-12-27
status = "held"
ratings = { Alex = 7, Sam = 8 }
commitments = [
    { id = "c-2026-12-27-1", owner = "Alex", text = "walk" },
]
# a comment the couple wrote

[[entry]]
ritual = "checkin"
date = 2027-01-03
kept = ["c-2026-12-27-1"]
note = "ours"
"""


def test_an_old_single_file_loads_as_it_is_and_is_split_on_the_first_change(data: Path) -> None:
    data.mkdir()
    (data / "history.toml").write_text(OLD)
    hist = history.load(data)
    assert [e.date for e in hist.entries] == [D(2026, 12, 27), D(2027, 1, 3)]
    assert history.history_path(data) == data / "history.toml"

    change = history.record(data, held(D(2027, 1, 10), ratings=(("Sam", 6),)))
    assert change.migrated == data / "history.toml.bak"
    assert not (data / "history.toml").exists()
    assert (data / "history.toml.bak").read_text() == OLD
    assert "# a comment the couple wrote" in year_file(data).read_text()  # each entry keeps its lines
    assert 'note = "ours"' in year_file(data, 2027).read_text()
    assert [e.date for e in history.load(data).entries] == [D(2026, 12, 27), D(2027, 1, 3), D(2027, 1, 10)]
    again = history.record(data, held(D(2027, 1, 17)))
    assert again.migrated is None  # said once

    # The split is one change: undone twice, the old file is back as it was.
    history.undo(data)
    rec, _ = history.undo(data)
    assert "2027-01-10" in rec.what
    assert (data / "history.toml").read_text() == OLD
    assert not year_file(data).exists() and not (data / "history.toml.bak").exists()


def test_a_history_in_both_places_is_refused(data: Path) -> None:
    history.record(data, held(SUNDAYS[0]))
    (data / "history.toml").write_text(OLD)
    with pytest.raises(UsageError, match="the history is in two places"):
        history.load(data)


# ------------------------------------------------------------------ the index: old years unread


def test_old_years_are_summed_up_from_the_index(
    prefs: Preferences, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    history.record(
        data, held(D(2024, 12, 29), commitments=(("Alex", "learn to juggle"),), ratings=(("Sam", 3),))
    )
    history.record(data, held(D(2025, 6, 1), ratings=(("Sam", 2),)))
    history.record(data, held(D(2026, 11, 29), ratings=(("Sam", 1),)))
    (data / "history" / ".index.json").unlink(missing_ok=True)  # as after an upgrade
    read: list[str] = []
    real = store.read_file
    monkeypatch.setattr(store, "read_file", lambda p: read.append(p.name) or real(p))

    first = history.load(data, D(2026, 12, 6))
    assert read == ["2024.toml", "2025.toml", "2026.toml"]  # the first time: every year, once
    assert (data / "history" / ".index.json").exists()
    read.clear()
    hist = history.load(data, D(2026, 12, 6))
    assert read == ["2026.toml"] and hist == first  # then: this year only
    assert hist.entries == (history.load(data).entries[-1],)

    # What the old years add up to is all there: a commitment open since 2024, carried to
    # every held check-in since, and three low ratings in a row for Sam.
    sunday = occ(prefs, D(2026, 12, 6))
    carry = history.carry_over(prefs, hist, sunday)
    assert [(c.text, c.checkins_open) for c in carry.open] == [("learn to juggle", 3)]
    assert carry.opening is not None and carry.opening.support is not None

    # A hand edit of an old year is read again (and the years after it): the index follows.
    old = year_file(data, 2025)
    old.write_text(old.read_text() + '\n[[let_go]]\nid = "c-2024-12-29-1"\ndate = 2025-06-02\n')
    read.clear()
    hist = history.load(data, D(2026, 12, 6))
    assert read == ["2025.toml", "2026.toml"]
    assert history.carry_over(prefs, hist, sunday).open == ()


def test_a_damaged_index_is_only_a_slower_run(data: Path) -> None:
    history.record(data, held(D(2025, 6, 1), commitments=(("Alex", "walk"),)))
    history.record(data, held(D(2026, 11, 29)))
    history.load(data, D(2026, 12, 1))
    index = data / "history" / ".index.json"
    assert stat.S_IMODE(index.stat().st_mode) == 0o600
    good = index.read_text()
    for damaged in (
        '{"version": 1, "years": [{"year": 2025, "sig": "x"}]}',
        good.replace('"end":"{', '"end":"{]'),  # a ledger that is not JSON any more
        "not json",
    ):
        index.write_text(damaged)
        hist = history.load(data, D(2026, 12, 1))
        assert [o.text for o in hist.start.open] == ["walk"], damaged
        assert json.loads(index.read_text())["years"][0]["year"] == 2025  # rewritten


def test_a_copied_history_keeps_its_index(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    history.record(data, held(D(2025, 6, 1), commitments=(("Alex", "walk"),)))
    history.record(data, held(D(2026, 11, 29)))
    history.load(data, D(2026, 12, 1))
    copy = tmp_path / "restored"
    shutil.copytree(data, copy)  # a backup put back: new inodes, the same sizes and times
    read: list[str] = []
    real = store.read_file
    monkeypatch.setattr(store, "read_file", lambda p: read.append(p.name) or real(p))
    assert [o.text for o in history.load(copy, D(2026, 12, 1)).start.open] == ["walk"]
    assert read == ["2026.toml"]


# ------------------------------------------------------------------ undo


def test_undo_takes_back_the_last_change_and_says_what(data: Path) -> None:
    history.record(data, held(SUNDAYS[0], ratings=(("Alex", 6), ("Sam", 5)), commitments=(("Alex", "walk"),)))
    kept = year_file(data).read_text()
    history.record(data, held(SUNDAYS[0], ratings=(("Sam", 2),), note="a mistake"))
    rec, left = history.undo(data)
    assert rec.what == "added to the check-in of Sun 2026-11-29: Sam's rating, a note"
    assert left == 1
    assert year_file(data).read_text() == kept
    rec, left = history.undo(data)
    assert (
        rec.what == "recorded the check-in of Sun 2026-11-29 as held: Alex's and Sam's ratings, 1 commitment"
    )
    assert left == 0
    assert not year_file(data).exists()
    with pytest.raises(UsageError, match="nothing to undo"):
        history.undo(data)


def test_undo_never_overwrites_a_hand_edit(data: Path) -> None:
    history.record(data, held(SUNDAYS[0]))
    history.record(data, held(SUNDAYS[1]))
    path = year_file(data)
    path.write_text(path.read_text() + "# by hand\n")
    with pytest.raises(UsageError, match="has changed since"):
        history.undo(data)
    assert path.read_text().endswith("# by hand\n")


def test_the_journal_keeps_the_last_twenty_changes_privately(data: Path) -> None:
    for i in range(23):
        history.add_topic(data, f"topic {i}", "", D(2026, 12, 1))
    records = journal_records(data)
    assert len(records) == 20
    assert stat.S_IMODE(records[0].parent.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(r.stat().st_mode) == 0o600 for r in records)


# ------------------------------------------------------------------ topics


def test_topics_queue_until_discussed_or_dropped(prefs: Preferences, data: Path) -> None:
    a, _ = history.add_topic(data, "the holidays", "Alex", D(2026, 11, 30))
    b, _ = history.add_topic(data, "money <and> *stuff*", "", D(2026, 11, 30))
    assert (a.id, b.id) == ("t-2026-11-30-1", "t-2026-11-30-2")
    assert history.load(data).topics == (a, b)
    change = history.record(data, held(SUNDAYS[1], discussed=(a.id,)))
    assert change.discussed == (a,)
    hist = history.load(data)
    assert hist.topics == (b,) and hist.entries[0].discussed == (a,)  # kept in the history
    with pytest.raises(InputError, match="no queued topic has that id"):
        history.record(data, held(SUNDAYS[1], discussed=("t-9",)))
    history.drop_topic(data, b.id)
    assert history.load(data).topics == ()
    history.undo(data)  # the drop, taken back
    assert history.load(data).topics == (b,)
    c, _ = history.add_topic(data, "later", "", D(2026, 11, 30))
    assert c.id == "t-2026-11-30-3"  # never the id of one discussed


# ------------------------------------------------------------------ README


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
    assert hist.entries[1].kept == ("c-2026-11-29-2",) and hist.entries[1].partly == ("c-2026-11-29-1",)
    assert [g.id for g in hist.let_go] == ["c-2026-11-29-3"]


def occ(prefs: Preferences, day: dt.date) -> schedule.Occurrence:
    found = schedule.occurrence_on(prefs, "checkin", day)
    assert found is not None, day
    return found


def test_an_empty_history_is_the_example_couples(data: Path) -> None:
    assert history.load(data) == History()
