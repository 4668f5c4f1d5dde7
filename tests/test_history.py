"""The history: a private file per year, read in date order and checked with file and line,
edited by hand (`ritual history edit`), migrated from the old single file, summed up by an
index so old years go unread, listed (`ritual history`) and undone (`ritual undo`)."""

from __future__ import annotations

import json
import stat
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import COUPLE, Invoke, WriteConfig
from histories import SUNDAYS, D, checkin, held, journal_records, prefs_with, year_file
from ritualcli.core import history
from ritualcli.core.errors import FileProblemsError, UsageError
from ritualcli.core.history import Draft, History, store
from ritualcli.core.preferences import Preferences


@pytest.fixture
def prefs() -> Preferences:
    return prefs_with()


# ------------------------------------------------------------------ a file per year


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


def test_an_empty_history_is_the_example_couples(data: Path) -> None:
    assert history.load(data) == History()


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


def test_a_quoted_date_and_no_version_are_accepted(data: Path) -> None:
    write(data, '[[entry]]\nritual = "checkin"\ndate = "2026-11-29"\nstatus = "skipped"\n')
    (entry,) = history.load(data).entries
    assert entry.date == SUNDAYS[0] and not entry.held


def test_a_broken_file_is_never_overwritten(data: Path) -> None:
    path = write(data, '[[entry]]\nritual = "checkin"\ndate = "someday"\n')
    before = path.read_bytes()
    with pytest.raises(FileProblemsError):
        history.record(data, held(SUNDAYS[1]))
    assert path.read_bytes() == before


def test_a_hand_edited_mistake_is_a_clear_error_with_its_line(cli: Invoke, data: Path) -> None:
    cli("done", "checkin", "--rating", "Alex=7")
    path = year_file(data)
    path.write_text(path.read_text().replace("Alex = 7", "Alex = 17"))
    for args in (
        ["stats"],
        ["commitments"],
        ["agenda", "checkin"],
        ["done", "checkin", "--note", "x"],
        ["history"],
    ):
        r = cli(*args, code=2)
        assert f"{path}:11: entry[1].ratings.Alex: 17 is not a rating" in r.stderr, args
        assert "ritual history edit" in r.stderr
        assert "Traceback" not in r.stderr
    assert "Alex = 17" in path.read_text()  # left as the couple wrote it


def test_an_id_edited_by_hand_into_no_number_does_not_stop_the_next_one(
    cli: Invoke, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RITUAL_TODAY", "2026-12-06")
    cli("done", "checkin", "--commit", "Alex: walk", "--commit", "Sam: cook")
    cli("topic", "add", "money")
    year = year_file(data)
    year.write_text(year.read_text().replace("c-2026-12-06-1", "c-2026-12-06-²"))
    queue = data / "history" / "topics.toml"
    queue.write_text(queue.read_text().replace("t-2026-12-06-1", "t-2026-12-06-¹"))
    assert "c-2026-12-06-3" in cli("done", "checkin", "--commit", "Sam: bake").stdout
    assert "t-2026-12-06-1" in cli("topic", "add", "holidays").stdout


def test_a_history_date_far_out_of_range_is_a_file_problem_not_a_traceback(
    cli: Invoke, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The year files are read as their names say (0001.toml is the year 1), and their
    dates are held to the range ritual plans within, as the preferences' are: year 1
    overflowed `stats --all`'s window."""
    config = write_config(COUPLE.replace("start = 2026-11-23\n", ""))
    monkeypatch.setenv("RITUAL_TODAY", "2026-12-06")
    cli("done", "checkin", "--rating", "Alex=7")
    old = config.parent / "history" / "0001.toml"
    old.write_text('version = 2\n\n[[entry]]\nritual = "checkin"\ndate = 0001-01-07\n')
    for command in (["stats", "--all"], ["history"], ["plan"]):
        result = cli(*command, code=2)
        assert f"{old}:5: entry[1].date: 0001-01-07 is out of range" in result.stderr, command


# ------------------------------------------------------------------ seeing it, fixing it by hand


def editor(tmp_path: Path, old: str, new: str) -> str:
    """An $EDITOR that replaces ``old`` with ``new`` in the file it is given."""
    script = tmp_path / "edit.py"
    script.write_text(
        textwrap.dedent(f"""\
            import sys, pathlib
            p = pathlib.Path(sys.argv[1])
            p.write_text(p.read_text().replace({old!r}, {new!r}))
            """)
    )
    return f"{sys.executable} {script}"


def test_history_lists_records_and_shows_ratings_only_where_asked(cli: Invoke, data: Path) -> None:
    cli(
        "done",
        "checkin",
        "--rating",
        "Alex=3",
        "--rating",
        "Sam=9",
        "--commit",
        "we: walk",
        "--note",
        "PRIVATE",
    )
    cli("skip", "date-night", "--date", "2026-12-04", "--reason", "ill")
    cli("commitments", "let-go", "c-2026-11-29-1", "--why", "rain", env={"RITUAL_TODAY": "2026-12-05"})
    r = cli("history")  # piped, as in a script: how many rated, never the numbers
    assert r.stdout.splitlines() == [
        "Sun 2026-11-29  check-in    held  2 rated",
        "    commitment c-2026-11-29-1  both: walk",
        "    a note (private: `ritual history edit` shows it)",
        "Fri 2026-12-04  date night  skipped",
        "    a reason (private: `ritual history edit` shows it)",
        "Sat 2026-12-05  let go      c-2026-11-29-1: rain",
    ]
    assert "ratings are shown at a terminal, or with --format json" in r.stderr
    assert "PRIVATE" not in r.stdout and "Alex 3" not in r.stdout and "Sam 9" not in r.stdout
    rows = json.loads(cli("history", "--format", "json").stdout)
    assert rows[0]["ratings"] == {"Alex": 3, "Sam": 9} and rows[0]["note"] == "PRIVATE"
    assert rows[0]["commitments"][0]["shared"] is True
    assert [r["record"] for r in rows] == ["entry", "entry", "let-go"]
    assert [r["date"] for r in json.loads(cli("history", "--last", "1", "--format", "json").stdout)] == [
        "2026-12-05"
    ]
    assert "--last 0" in cli("history", "--last", "0", code=2).stderr


def test_history_at_a_terminal_shows_the_ratings(
    cli: Invoke, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ritualcli.cli import output

    cli("done", "checkin", "--rating", "Alex=3", "--rating", "Sam=9")
    monkeypatch.setattr(output, "is_terminal", lambda stream=None: True)
    assert "Sun 2026-11-29  check-in    held  Alex 3 · Sam 9" in cli("history").stdout


def test_a_mistaken_rating_is_fixed_by_hand_and_nothing_else_changes(
    cli: Invoke, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli(
        "done",
        "checkin",
        "--rating",
        "Alex=6",
        "--rating",
        "Sam=2",
        "--commit",
        "Alex: walk",
        "--note",
        "ours",
    )
    before = year_file(data).read_text()
    monkeypatch.setenv("EDITOR", editor(tmp_path, "Sam = 2", "Sam = 7"))
    r = cli("history", "edit")
    assert r.stdout == f"saved {year_file(data)}; `ritual undo` takes it back\n"
    assert year_file(data).read_text() == before.replace("Sam = 2", "Sam = 7")
    (e,) = history.load(data).entries
    assert e.ratings == (("Alex", 6), ("Sam", 7)) and e.note == "ours" and e.commitments[0].text == "walk"
    assert cli("undo").stdout.startswith("Undid: edited history/2026.toml by hand")
    assert year_file(data).read_text() == before


def test_an_invalid_hand_edit_never_replaces_the_good_file(
    cli: Invoke, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("done", "checkin", "--rating", "Sam=2", "--commit", "Sam: call")
    cli(
        "done",
        "checkin",
        "--date",
        "2026-12-06",
        "--kept",
        "c-2026-11-29-1",
        env={"RITUAL_TODAY": "2026-12-06"},
    )
    before = year_file(data).read_text()
    # Deleting a commitment that a later entry marks kept: the later entry is the problem.
    monkeypatch.setenv(
        "EDITOR", editor(tmp_path, '    { id = "c-2026-11-29-1", owner = "Sam", text = "call" },\n', "")
    )
    r = cli("history", "edit", code=2)
    assert (
        "entry[2].kept: 'c-2026-11-29-1' is not the id of any commitment open before 2026-12-06" in r.stderr
    )
    assert f"kept {year_file(data)} unchanged; your edit is in {year_file(data)}.rejected" in r.stderr
    assert year_file(data).read_text() == before
    monkeypatch.setenv("EDITOR", editor(tmp_path, "Sam = 2", "Sam = 3"))
    assert "continuing your earlier edit" in cli("history", "edit", code=2).stderr  # reopens the draft
    assert "--year 2019: no history for 2019" in cli("history", "edit", "--year", "2019", code=2).stderr


def test_history_edit_opens_this_years_file_even_when_a_skip_ahead_began_next_years(
    cli: Invoke, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("done", "checkin", "--rating", "Alex=6", "--rating", "Sam=2")  # 2026-11-29
    cli("skip", "checkin", "--date", "2027-01-03")  # today is 2026-12-02: next year's file
    assert (data / "history" / "2027.toml").exists()
    monkeypatch.setenv("EDITOR", editor(tmp_path, "Sam = 2", "Sam = 3"))
    assert "saved" in cli("history", "edit").stdout
    assert history.load(data).entries[0].ratings == (("Alex", 6), ("Sam", 3))
    monkeypatch.setenv(
        "EDITOR", editor(tmp_path, 'status = "skipped"', 'status = "skipped"\nreason = "away"')
    )
    cli("history", "edit", env={"RITUAL_TODAY": "2027-01-05"})  # in 2027, 2027's
    assert history.load(data).entries[-1].reason == "away"


def test_a_hand_edit_that_misspells_a_partner_is_caught_but_old_names_are_left_alone(
    cli: Invoke, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("done", "checkin", "--rating", "Alex=6", "--rating", "Sam=2", "--commit", "Sam: call")
    before = year_file(data).read_text()
    # "Sma" would be a third person in `ritual stats` and the one who felt least safe.
    monkeypatch.setenv("EDITOR", editor(tmp_path, "Sam = 2", "Sma = 2"))
    r = cli("history", "edit", code=2)
    line = before.splitlines().index(next(x for x in before.splitlines() if "Sam = 2" in x)) + 1
    assert (
        f"2026.toml.rejected:{line}: entry[1].ratings: 'Sma' is not one of the partners; did you mean Sam?"
        in r.stderr
    )
    assert "write each name as [couple] partners does (Alex, Sam)" in r.stderr
    assert year_file(data).read_text() == before
    year_file(data).with_name("2026.toml.rejected").unlink()
    # A commitment's owner too; "both" is a shared one; a name written another way is the same person.
    monkeypatch.setenv("EDITOR", editor(tmp_path, 'owner = "Sam"', 'owner = "Ale"'))
    assert "'Ale' is not one of the partners; did you mean Alex?" in cli("history", "edit", code=2).stderr
    year_file(data).with_name("2026.toml.rejected").unlink()
    monkeypatch.setenv("EDITOR", editor(tmp_path, 'owner = "Sam"', 'owner = "both"'))
    cli("history", "edit")
    monkeypatch.setenv("EDITOR", editor(tmp_path, "Sam = 2", "SAM = 3"))
    cli("history", "edit")
    # A record the edit does not touch keeps the name it was written with (a partner renamed
    # since): fixing another record still saves.
    year_file(data).write_text(year_file(data).read_text().replace("SAM = 3", "Sasha = 3"))
    cli("done", "checkin", "--date", "2026-12-06", "--rating", "Alex=5", env={"RITUAL_TODAY": "2026-12-06"})
    monkeypatch.setenv("EDITOR", editor(tmp_path, "Alex = 5", "Alex = 8"))
    cli("history", "edit")
    assert [e.ratings for e in history.load(data).entries] == [(("Alex", 6), ("Sasha", 3)), (("Alex", 8),)]


def test_a_hand_edit_of_a_record_from_before_a_rename_keeps_the_names_it_had(
    cli: Invoke, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fixing the note of a record written before Sam became Sasha is not refused for
    "Sam": the edit did not write that name. A name it adds to that record still is."""
    cli("done", "checkin", "--rating", "Alex=6", "--rating", "Sam=2", "--commit", "Sam: call", "--note", "hi")
    config = data / "ritual.toml"
    config.write_text(config.read_text().replace('"Sam"', '"Sasha"'))
    monkeypatch.setenv("EDITOR", editor(tmp_path, 'note = "hi"', 'note = "hello"'))
    cli("history", "edit")
    assert [e.note for e in history.load(data).entries] == ["hello"]
    monkeypatch.setenv("EDITOR", editor(tmp_path, "Alex = 6", "Alex = 6, Sma = 4"))
    assert "'Sma' is not one of the partners" in cli("history", "edit", code=2).stderr


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
    sunday = checkin(prefs, D(2026, 12, 6))
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


def test_a_mistaken_done_is_taken_back_with_undo_and_nothing_else_is_lost(cli: Invoke, data: Path) -> None:
    cli("done", "checkin", "--as", "Alex", "--rating", "6", "--commit", "walk")
    cli("topic", "add", "the holidays")
    before = year_file(data).read_text()
    # Sam meant the date night, and typed a rating he did not mean.
    cli(
        "done",
        "checkin",
        "--as",
        "Sam",
        "--rating",
        "2",
        "--commit",
        "book a table",
        "--discussed",
        "t-2026-12-02-1",
    )
    r = cli("undo")
    assert r.stdout.splitlines() == [
        "Undid: added to the check-in of Sun 2026-11-29: Sam's rating, 1 commitment, 1 topic discussed "
        f"(at {r.stdout.split('(at ', 1)[1].split(')', 1)[0]}).",
        f"  restored {data / 'history' / '2026.toml'}",
        f"  restored {data / 'history' / 'topics.toml'}",
    ]
    assert f"2 earlier changes can still be undone (journal: {data / 'history' / '.undo'})" in r.stderr
    assert year_file(data).read_text() == before
    hist = history.load(data)
    assert hist.entries[0].ratings == (("Alex", 6),) and [t.text for t in hist.topics] == ["the holidays"]
    cli("undo")
    cli("undo")
    assert "nothing to undo" in cli("undo", code=2).stderr


def test_undo_never_overwrites_a_hand_edit(data: Path) -> None:
    history.record(data, held(SUNDAYS[0]))
    history.record(data, held(SUNDAYS[1]))
    path = year_file(data)
    path.write_text(path.read_text() + "# by hand\n")
    with pytest.raises(UsageError, match="has changed since"):
        history.undo(data)
    assert path.read_text().endswith("# by hand\n")


def test_undo_refuses_a_file_edited_by_hand_into_bytes_that_are_not_text(
    cli: Invoke, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RITUAL_TODAY", "2026-12-06")
    cli("done", "checkin", "--rating", "Alex=7")
    year = year_file(data)
    year.write_bytes(year.read_bytes() + b"\xff\n")
    result = cli("undo", code=2)
    assert "has changed since" in result.stderr
    assert year.read_bytes().endswith(b"\xff\n")  # the hand edit is kept


def test_the_journal_keeps_the_last_twenty_changes_privately(data: Path) -> None:
    for i in range(23):
        history.add_topic(data, f"topic {i}", "", D(2026, 12, 1))
    records = journal_records(data)
    assert len(records) == 20
    assert stat.S_IMODE(records[0].parent.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(r.stat().st_mode) == 0o600 for r in records)
