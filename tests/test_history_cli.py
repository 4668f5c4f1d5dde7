"""Seeing, fixing and undoing the history; letting go; topics; the gentle opening, where it shows."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import COUPLE, Invoke
from ritualcli.core import history

WriteConfig = Callable[..., Path]


@pytest.fixture
def data(write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A couple with a preferences file (check-ins on Sundays from 2026-11-23), today pinned."""
    monkeypatch.setenv("RITUAL_TODAY", "2026-12-02")  # a Wednesday
    return write_config(COUPLE + "\n[calendar]\nprivate = false\n").parent


def year_file(data: Path) -> Path:
    return data / "history" / "2026.toml"


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


# ------------------------------------------------------------------ seeing it


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


# ------------------------------------------------------------------ fixing a mistake


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


# ------------------------------------------------------------------ letting go


def test_a_let_go_commitment_stops_being_carried(cli: Invoke, data: Path) -> None:
    cli("done", "checkin", "--commit", "Alex: walk every day", "--commit", "Sam: call")
    r = cli("commitments", "let-go", "c-2026-11-29-1", "--why", "too much at once")
    assert (
        r.stdout == "Let go of c-2026-11-29-1 (Alex: walk every day), with no blame. It is carried no more.\n"
    )
    agenda = cli("agenda", "checkin", "--date", "2026-12-06").stdout
    follow = agenda.split("## Since last time", 1)[1].split("\n## ", 1)[0]
    assert "Let go since last time, with no blame" in follow and "- Alex: walk every day" in follow
    assert "walk every day" not in follow.split("Still open", 1)[1]
    cli("done", "checkin", "--date", "2026-12-06", env={"RITUAL_TODAY": "2026-12-06"})
    later = cli("agenda", "checkin", "--date", "2026-12-13").stdout
    assert "walk every day" not in later and "- Sam: call (open for 2 check-ins now)" in later
    rows = json.loads(cli("commitments", "--all", "--format", "json").stdout)
    assert [(r["id"], r["status"], r["why"]) for r in rows] == [
        ("c-2026-11-29-1", "let-go", "too much at once"),
        ("c-2026-11-29-2", "open", None),
    ]
    assert "--let-go c-2026-11-29-1: already let go on 2026-12-02" in cli(
        "done", "checkin", "--date", "2026-12-06", "--let-go", "c-2026-11-29-1", code=2,
        env={"RITUAL_TODAY": "2026-12-06"},
    ).stderr  # fmt: skip


# ------------------------------------------------------------------ topics


def test_topics_wait_in_the_agenda_and_nowhere_else(cli: Invoke, data: Path, tmp_path: Path) -> None:
    r = cli("topic", "add", "money <b>*overdraft*</b>", "--by", "sam")
    assert r.stdout.startswith("Queued t-2026-12-02-1: money <b>*overdraft*</b> (raised by Sam)")
    cli("topic", "add", "the ski trip")
    assert json.loads(cli("topic", "list", "--format", "json").stdout)[0] == {
        "id": "t-2026-12-02-1",
        "text": "money <b>*overdraft*</b>",
        "by": "Sam",
        "added": "2026-12-02",
    }
    agenda = cli("agenda", "checkin").stdout
    topic = agenda.split("## A topic, in turns", 1)[1].split("\n## ", 1)[0]
    assert "Choose one together; the others wait for another week" in topic
    assert r"- money &lt;b&gt;\*overdraft\*&lt;/b&gt; (raised by Sam) · id t-2026-12-02-1" in topic
    words = " ".join(topic.split())
    assert "speaker-listener technique, from PREP" in words and "Understand before solving" in words
    assert "call a time-out: at least twenty minutes apart" in words
    cli("weekly", "--out", str(tmp_path / "week"))
    assert "overdraft" in next((tmp_path / "week").iterdir()).read_text()  # the couple's own file
    mail = cli("weekly", "--stdout").stdout
    assert "overdraft" not in mail and "ski trip" not in mail
    assert "2 topics of your own are waiting: `ritual topic list` shows them." in mail
    cli("export", "ics", "--agendas", "3", "--out", str(tmp_path / "r.ics"))
    assert (
        "overdraft" not in (tmp_path / "r.ics").read_text()
        and "ski trip" not in (tmp_path / "r.ics").read_text()
    )
    cli("topic", "drop", "t-2026-12-02-2")
    assert (
        cli("topic", "list").stdout
        == "t-2026-12-02-1  money <b>*overdraft*</b> (raised by Sam)  (added 2026-12-02)\n"
    )
    assert "ID t-9: no queued topic has that id" in cli("topic", "drop", "t-9", code=2).stderr


# ------------------------------------------------------------------ a 2/9 changes the next opening


def test_a_two_beside_a_nine_opens_the_next_agenda_and_only_there(
    cli: Invoke, data: Path, tmp_path: Path
) -> None:
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


def test_stats_all_reads_every_year(cli: Invoke, data: Path) -> None:
    cli("done", "checkin", "--rating", "Alex=7", "--rating", "Sam=3")
    s = json.loads(cli("stats", "--all", "--format", "json", env={"RITUAL_TODAY": "2028-06-01"}).stdout)
    assert s["from"] <= "2026-11-29" and s["gaps"] == [{"date": "2026-11-29", "gap": 4}]


def test_stats_at_a_terminal_has_a_row_for_the_gap(
    cli: Invoke, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ritualcli.cli import output

    cli("done", "checkin", "--rating", "Alex=2", "--rating", "Sam=9")
    monkeypatch.setattr(output, "is_terminal", lambda stream=None: True)
    text = cli("stats").stdout
    assert "│ gap " in text and "│ 7 " in text
    assert "Gap between your ratings: latest 7 (2026-11-29)" in " ".join(text.split())
