"""Recording a ritual: `ritual done` (ratings, commitments, a note) and `ritual skip`; what is
recorded again is added to what is there; each partner may record their own answers."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from conftest import Invoke
from histories import SUNDAYS, D, entries, held, journal_records, prefs_with, year_file
from ritualcli.core import fsio, history
from ritualcli.core.errors import InputError
from ritualcli.core.history import SHARED, Commitment, Draft
from ritualcli.core.preferences import Preferences


@pytest.fixture
def prefs() -> Preferences:
    return prefs_with()


# ------------------------------------------------------------------ done


def test_done_records_the_most_recent_checkin(cli: Invoke, data: Path) -> None:
    r = cli(
        "done", "checkin", "--rating", "alex=7", "--rating", "SAM=8",
        "--commit", "Alex: plan Saturday's walk", "--commit", "sam:  call my sister ",
        "--note", "PRIVATE-NOTE",
    )  # fmt: skip
    assert r.stdout.splitlines()[:4] == [
        "Recorded the check-in of Sun 2026-11-29 as held.",
        "  ratings: Alex 7, Sam 8",
        "  commitment c-2026-11-29-1 (Alex): plan Saturday's walk",
        "  commitment c-2026-11-29-2 (Sam): call my sister",
    ]
    assert "PRIVATE-NOTE" not in r.stdout + r.stderr
    (e,) = entries(data)
    assert (e.ritual, e.date, e.ratings) == ("checkin", D(2026, 11, 29), (("Alex", 7), ("Sam", 8)))
    assert e.commitments[1] == Commitment("c-2026-11-29-2", "Sam", "call my sister")
    assert e.note == "PRIVATE-NOTE"
    path = year_file(data)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_done_on_the_day_itself_and_date_nights(cli: Invoke, data: Path) -> None:
    cli("done", "date-night", "--commit", "Sam: book the table", env={"RITUAL_TODAY": "2026-12-04"})
    cli("done", "checkin", "--date", "2026-11-29")
    assert [(e.ritual, e.date) for e in entries(data)] == [
        ("checkin", D(2026, 11, 29)),
        ("date-night", D(2026, 12, 4)),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--rating", "Alx=7"],
            "'Alx' is not one of the partners (hint: did you mean Alex? the partners are Alex, Sam)",
        ),
        (["--rating", "Alex=11"], "'11' is not a rating"),
        (["--rating", "Alex=0"], "'0' is not a rating"),
        (["--rating", "Alex=seven"], "'seven' is not a rating"),
        (["--rating", "Alex=7.5"], "'7.5' is not a rating"),
        (["--rating", "Alex"], "expected NAME=N"),
        (["--rating", "Alex=7", "--rating", "alex=8"], "Alex is given twice"),
        (["--commit", "walk more"], 'expected "NAME: what NAME will do"'),
        (["--commit", "Robin: walk"], "'Robin' is not one of the partners"),
        (["--commit", "Alex: "], 'expected "NAME: what NAME will do"'),
        (
            ["--date", "2026-11-30"],
            "no check-in is planned on Mon 2026-11-30: check-ins are on Sundays; "
            "the nearest planned: Sun 2026-11-29 and Sun 2026-12-06 "
            "(hint: run it again with --unplanned to record one held on a day with nothing planned)",
        ),
        (
            ["--date", "2026-11-22"],
            "no check-in on Sun 2026-11-22: nothing is planned before couple.start (2026-11-23); "
            "the nearest planned: Sun 2026-11-29",
        ),
        (["--date", "2026-12-06"], "--date 2026-12-06: is after today (2026-12-02)"),
        (["--date", "29/11/2026"], "--date"),
        (["--kept", "c-2026-11-22-1"], "--kept c-2026-11-22-1: no open commitment has that id"),
        (["--let-go", "c-2026-11-22-1"], "--let-go c-2026-11-22-1: no open commitment has that id"),
        (["--discussed", "t-1"], "--discussed t-1: no queued topic has that id"),
        (["--as", "Robin"], "--as: 'Robin' is not one of the partners"),
        (
            ["--as", "Alex", "--rating", "Sam=7"],
            "--rating: recording for Alex alone: Sam's rating is Sam's to give",
        ),
        (["--note", "x" * 1001], "--note: 1001 characters; at most 1000, please"),
        (["--commit", "Sam: call\x1b[2J"], "--commit: one line of plain text, please"),
    ],
)
def test_done_mistakes_are_clear_and_exit_2(cli: Invoke, data: Path, args: list[str], message: str) -> None:
    r = cli("done", "checkin", *args, code=2)
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert not (data / "history").exists()


@pytest.mark.parametrize("value", ["²", "1" * 5000])
def test_a_rating_that_int_cannot_read_is_a_usage_error(cli: Invoke, data: Path, value: str) -> None:
    """str.isdigit says yes to "²", and to 5,000 digits; int() then raises."""
    result = cli("done", "checkin", "--rating", f"Alex={value}", code=2)
    assert "is not a rating" in result.stderr
    assert len(result.stderr) < 300  # the value is quoted short, not in full


def test_unplanned_checkin_is_allowed_when_asked_for(cli: Invoke, data: Path) -> None:
    r = cli("done", "checkin", "--date", "2026-11-30", "--unplanned", "--rating", "Sam=6")
    assert "Recorded the check-in of Mon 2026-11-30 (unplanned) as held." in r.stdout
    assert entries(data)[0].unplanned


def test_done_needs_a_preferences_file(cli: Invoke) -> None:
    r = cli("done", "checkin", "--rating", "Alex=7", code=2)
    assert "no preferences file" in r.stderr and "ritual init" in r.stderr


def test_done_without_a_terminal_never_asks(cli: Invoke, data: Path) -> None:
    r = cli("done", "checkin", input="7\n")
    assert "how safe" not in r.stdout
    (e,) = entries(data)
    assert e.held and e.ratings == () and e.commitments == ()


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


# ------------------------------------------------------------------ skip


def test_skip_is_recorded_without_blame(cli: Invoke, data: Path) -> None:
    r = cli("skip", "checkin", "--date", "2026-12-06", "--reason", "Sam travels")
    assert r.stdout.splitlines() == [
        "Recorded the check-in of Sun 2026-12-06 as skipped.",
        "The next one is Sun 2026-12-13; open commitments carry over to it.",
    ]
    assert not re.search(r"miss|fail|streak|broke", r.stdout, re.I)
    (e,) = entries(data)
    assert (e.status, e.reason) == ("skipped", "Sam travels")
    assert "no check-in is planned" in cli("skip", "checkin", "--date", "2026-12-07", code=2).stderr
    assert "--date" in cli("skip", "checkin", code=2).stderr  # required


def test_a_skip_recorded_ahead_says_the_plan_and_calendar_still_show_the_day(cli: Invoke, data: Path) -> None:
    """Today is 2026-12-02: the 6th is ahead. The schedule is the preferences', so the note
    must be true: plan still lists the day, until it is in [skip] dates."""
    r = cli("skip", "checkin", "--date", "2026-12-06")
    assert "note: 2026-12-06 still shows in `ritual plan`" in r.stderr and "[skip] dates" in r.stderr
    assert "2026-12-06" in cli("plan", "--weeks", "2").stdout
    assert "still shows" not in cli("skip", "checkin", "--date", "2026-11-29").stderr  # past: nothing to say
    config = data / "ritual.toml"
    config.write_text(config.read_text() + "\n[skip]\ndates = [2026-12-06]\n")
    assert "2026-12-06" not in cli("plan", "--weeks", "2").stdout


def test_held_and_skipped_do_not_mix(data: Path) -> None:
    history.record(data, Draft("checkin", SUNDAYS[0], status="skipped", reason="away"))
    with pytest.raises(InputError, match="recorded as skipped, not held") as err:
        history.record(data, held(SUNDAYS[0], ratings=(("Alex", 5),)))
    hint = err.value.hint or ""
    assert f"`ritual history edit --year {SUNDAYS[0].year}` changes that entry" in hint
    assert "`ritual undo` takes it back only if recording it was your last change" in hint
    change = history.record(data, Draft("checkin", SUNDAYS[0], status="skipped", reason="ill"))
    assert change.entry.reason == "away; ill"


# ------------------------------------------------------------------ recording again adds


def test_recording_twice_adds_and_replace_is_only_a_warning(cli: Invoke, data: Path) -> None:
    cli("done", "checkin", "--rating", "Alex=5", "--commit", "Alex: walk")
    r = cli("done", "checkin", "--rating", "Alex=6", "--commit", "Sam: call")
    assert r.stdout.splitlines()[:3] == [
        "Added to the check-in of Sun 2026-11-29.",
        "  ratings: Alex 5 → 6",
        "  commitment c-2026-11-29-2 (Sam): call",
    ]
    assert "`ritual undo` takes this back." in r.stderr
    r = cli("done", "checkin", "--rating", "Sam=8", "--replace")
    assert "warning: --replace is no longer needed" in r.stderr and "ritual history edit" in r.stderr
    (e,) = entries(data)
    assert e.ratings == (("Alex", 6), ("Sam", 8))  # nothing was replaced but the one rating
    assert [c.text for c in e.commitments] == ["walk", "call"]
    assert "--replace" not in cli("done", "--help").stdout  # hidden: still works, no longer offered
    r = cli("done", "checkin", "--rating", "Sam=8")
    assert (
        r.stdout
        == "Nothing new to add: the check-in of Sun 2026-11-29 is already recorded with all of that.\n"
    )


def test_recording_the_same_thing_again_changes_nothing(data: Path) -> None:
    first = held(SUNDAYS[0], ratings=(("Alex", 5),), commitments=(("Alex", "walk"),), note="n")
    history.record(data, first)
    before, records = year_file(data).read_bytes(), journal_records(data)
    change = history.record(data, first)
    assert change.nothing
    assert year_file(data).read_bytes() == before and journal_records(data) == records


def test_a_rating_given_again_replaces_that_partners_only(data: Path) -> None:
    history.record(data, held(SUNDAYS[0], ratings=(("Alex", 5), ("Sam", 6)), commitments=(("Sam", "call"),)))
    history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-1",)))
    change = history.record(data, held(SUNDAYS[0], ratings=(("sam", 7),)))
    assert change.ratings == (("sam", 6, 7),)
    e = history.load(data).entries[0]
    assert e.ratings == (("Alex", 5), ("sam", 7))
    assert e.commitments == (Commitment("c-2026-11-29-1", "Sam", "call"),)  # still there, still kept
    assert history.load(data).entries[1].kept == ("c-2026-11-29-1",)


# ------------------------------------------------------------------ each partner their own


def test_two_partners_record_from_their_own_commands(cli: Invoke, data: Path) -> None:
    cli("done", "checkin", "--as", "alex", "--rating", "3", "--commit", "walk after dinner", "--note", "A")
    r = cli("done", "checkin", "--as", "Sam", "--rating", "9", "--commit", "we: plan the holidays")
    assert "  ratings: Sam 9" in r.stdout and "Alex" not in r.stdout  # only what Sam gave
    assert "commitment c-2026-11-29-2 (both): plan the holidays" in r.stdout
    (e,) = entries(data)
    assert e.ratings == (("Alex", 3), ("Sam", 9))
    assert [(c.owner, c.text) for c in e.commitments] == [
        ("Alex", "walk after dinner"),
        ("both", "plan the holidays"),
    ]


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


def test_one_partner_records_their_own_answers_only(data: Path) -> None:
    with pytest.raises(InputError, match="recording for Alex alone: Sam's rating is Sam's to give") as err:
        history.record(data, held(SUNDAYS[0], ratings=(("Sam", 5),), by="Alex"))
    assert err.value.field == "ratings"
    with pytest.raises(InputError, match="a commitment for Sam is Sam's to make"):
        history.record(data, held(SUNDAYS[0], commitments=(("Sam", "call"),), by="Alex"))
    history.record(data, held(SUNDAYS[0], ratings=(("alex", 5),), commitments=((SHARED, "plan"),), by="Alex"))
    assert not year_file(data).read_text().count("Sam")


def test_two_partners_recording_at_the_same_moment_both_land(data: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "RITUAL_LOCK_WAIT": "20"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ritualcli",
                "done",
                "checkin",
                "--as",
                name,
                "--rating",
                str(n),
                "--commit",
                f"{name} task",
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name, n in (("Alex", 4), ("Sam", 8))
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    (e,) = entries(data)
    assert sorted(e.ratings) == [("Alex", 4), ("Sam", 8)]
    assert sorted(c.text for c in e.commitments) == ["Alex task", "Sam task"]


# ------------------------------------------------------------------ while another command writes


def test_done_waits_for_another_writer_then_fails_clearly(
    cli: Invoke, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("done", "checkin", "--date", "2026-11-29", "--rating", "Alex=7")
    before = year_file(data).read_bytes()
    monkeypatch.setenv("RITUAL_LOCK_WAIT", "1")
    # `ritual weekly` (or a second `done`) holds the lock while it writes.
    with fsio.locked(data):
        r = cli("done", "date-night", "--date", "2026-12-04", code=1, env={"RITUAL_TODAY": "2026-12-04"})
    assert "another ritual command is still writing" in r.stderr
    assert "Traceback" not in r.stderr
    assert year_file(data).read_bytes() == before
    cli("done", "date-night", "--date", "2026-12-04", env={"RITUAL_TODAY": "2026-12-04"})
    assert len(entries(data)) == 2


def test_done_waits_while_another_command_writes(
    cli: Invoke, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    holding, release = threading.Event(), threading.Event()

    def weekly_writing() -> None:
        with fsio.locked(data):
            holding.set()
            release.wait(5)

    writer = threading.Thread(target=weekly_writing)
    writer.start()
    try:
        assert holding.wait(5)
        threading.Timer(0.3, release.set).start()  # the other command finishes soon
        cli("done", "checkin", "--rating", "Sam=6")  # RITUAL_LOCK_WAIT=2: it waits, then writes
    finally:
        release.set()
        writer.join()
    assert [e.ratings for e in entries(data)] == [(("Sam", 6),)]
