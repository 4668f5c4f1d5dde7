"""`ritual done`, `skip`, `commitments`, `stats`, and what the agenda carries over."""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import COUPLE, Invoke
from ritualcli.cli import output
from ritualcli.core import fsio, history
from ritualcli.core.history import Commitment, Entry

D = dt.date
WriteConfig = Callable[..., Path]


@pytest.fixture
def data(write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A couple with a preferences file (check-ins on Sundays from 2026-11-23), today pinned."""
    monkeypatch.setenv("RITUAL_TODAY", "2026-12-02")  # a Wednesday
    return write_config(COUPLE).parent


def entries(data: Path) -> tuple[Entry, ...]:
    return history.load(data).entries


def year_file(data: Path, year: int = 2026) -> Path:
    return data / "history" / f"{year}.toml"


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


def test_unplanned_checkin_is_allowed_when_asked_for(cli: Invoke, data: Path) -> None:
    r = cli("done", "checkin", "--date", "2026-11-30", "--unplanned", "--rating", "Sam=6")
    assert "Recorded the check-in of Mon 2026-11-30 (unplanned) as held." in r.stdout
    assert entries(data)[0].unplanned


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


def test_done_needs_a_preferences_file(cli: Invoke) -> None:
    r = cli("done", "checkin", "--rating", "Alex=7", code=2)
    assert "no preferences file" in r.stderr and "ritual init" in r.stderr


def test_done_without_a_terminal_never_asks(cli: Invoke, data: Path) -> None:
    r = cli("done", "checkin", input="7\n")
    assert "how safe" not in r.stdout
    (e,) = entries(data)
    assert e.held and e.ratings == () and e.commitments == ()


def test_done_at_a_terminal_asks_each_partner_in_private(
    cli: Invoke, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli(
        "done",
        "checkin",
        "--commit",
        "Sam: call my sister",
        "--commit",
        "Alex: walk",
        env={"RITUAL_TODAY": "2026-11-29"},
    )
    cli("topic", "add", "the holidays", "--by", "Sam")
    monkeypatch.setattr(output, "stdin_is_terminal", lambda: True)
    answers = ["", "11", "7", "", "", "k", "p", "1", "cook on Friday", "", "PRIVATE"]
    r = cli(
        "done",
        "checkin",
        "--date",
        "2026-12-06",
        input="\n".join(answers) + "\n",
        env={"RITUAL_TODAY": "2026-12-06"},
    )
    out = r.stdout
    assert out.index("Pass the keyboard to Alex") < out.index(
        "Alex: how safe did you feel to be open this week?"
    )
    assert out.index("Pass the keyboard to Sam") < out.index("Sam: how safe")
    assert "(1-10, not shown; Enter to skip)" in out
    assert "a whole number from 1 to 10" in r.stderr  # 11 was asked again
    assert "All in. Ratings: Alex 7 (skipped: Sam)." in out
    assert out.index("All in.") > out.index("Sam: how safe")  # shown once both are in
    assert "Sam: “call my sister” (c-2026-11-29-1): kept, partly, not yet, or let go?" in out
    assert "1. the holidays (raised by Sam)" in out
    e = entries(data)[1]
    assert e.ratings == (("Alex", 7),)  # Sam pressed Enter: no rating
    assert (e.kept, e.partly) == (("c-2026-11-29-1",), ("c-2026-11-29-2",))
    assert e.commitments == (Commitment("c-2026-12-06-1", "Alex", "cook on Friday"),)
    assert [t.text for t in e.discussed] == ["the holidays"]
    assert e.note == "PRIVATE"
    assert "  ratings:" not in out  # not shown a second time


def test_done_as_one_partner_at_a_terminal_asks_only_theirs(
    cli: Invoke, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli(
        "done",
        "checkin",
        "--commit",
        "Sam: call",
        "--commit",
        "Alex: walk",
        "--commit",
        "we: plan",
        env={"RITUAL_TODAY": "2026-11-29"},
    )
    monkeypatch.setattr(output, "stdin_is_terminal", lambda: True)
    answers = ["6", "l", "k", "read more", ""]
    r = cli(
        "done", "checkin", "--as", "Sam", input="\n".join(answers) + "\n", env={"RITUAL_TODAY": "2026-12-06"}
    )
    assert "Pass the keyboard" not in r.stdout and "Alex" not in r.stdout
    assert "Sam: “call” (c-2026-11-29-1)" in r.stdout and "Both of you: “plan” (c-2026-11-29-3)" in r.stdout
    e = entries(data)[1]
    assert e.ratings == (("Sam", 6),) and e.kept == ("c-2026-11-29-3",)
    assert e.commitments == (Commitment("c-2026-12-06-1", "Sam", "read more"),)
    assert [g.id for g in history.load(data).let_go] == ["c-2026-11-29-1"]


# ------------------------------------------------------------------ skip and commitments


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


def test_commitments_lists_open_and_with_all_kept(cli: Invoke, data: Path) -> None:
    assert cli("commitments").stdout == "No open commitments.\n"
    cli("done", "checkin", "--date", "2026-11-29", "--commit", "Alex: walk", "--commit", "Sam: call")
    cli(
        "done", "checkin", "--date", "2026-12-06", "--kept", "c-2026-11-29-2",
        env={"RITUAL_TODAY": "2026-12-06"},
    )  # fmt: skip
    r = cli("commitments", env={"RITUAL_TODAY": "2026-12-07"})
    assert r.stdout.splitlines() == [
        "Open (1):",
        "  c-2026-11-29-1  Alex: walk  (made 2026-11-29; carried to 1 check-in)",
    ]
    assert "ritual done checkin --kept c-2026-11-29-1" in r.stderr
    r = cli("commitments", "--all", env={"RITUAL_TODAY": "2026-12-07"})
    assert "Kept (1):\n  c-2026-11-29-2  Sam: call  (made 2026-11-29; kept 2026-12-06)" in r.stdout
    rows = json.loads(
        cli("commitments", "--all", "--format", "json", env={"RITUAL_TODAY": "2026-12-07"}).stdout
    )
    assert [(r["id"], r["status"], r["kept_on"], r["carried"]) for r in rows] == [
        ("c-2026-11-29-1", "open", None, 1),
        ("c-2026-11-29-2", "kept", "2026-12-06", 1),
    ]


def test_commitments_and_stats_on_the_example_couple(cli: Invoke) -> None:
    assert cli("commitments").stdout == "No open commitments.\n"
    r = cli("stats", env={"RITUAL_TODAY": "2026-12-31"})
    assert "built-in example couple" in r.stderr
    assert "No safety ratings in this window yet" in r.stdout


# ------------------------------------------------------------------ a broken file, the lock


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


# ------------------------------------------------------------------ stats over a year

TODAY = D(2027, 11, 27)  # a Saturday: 52 Sundays since 2026-11-29
SKIPPED = {10, 20, 30, 40}
UNRECORDED = {5, 15, 25, 35, 45}
FIRST_FRIDAYS = [D(2026, 12, 4)] + [
    D(2027, m, d)
    for m, d in [(1, 1), (2, 5), (3, 5), (4, 2), (5, 7), (6, 4), (7, 2), (8, 6), (9, 3), (10, 1), (11, 5)]
]


def a_year(data: Path, layout: str = "by year") -> None:
    """52 weekly check-ins and 12 monthly date nights, some skipped, some never recorded.

    ``layout``: "by year" (history/2026.toml, history/2027.toml) or "one file", as an
    older ritual kept it (history.toml), which still loads as it is.
    """
    out: list[Entry] = []
    for i in range(52):
        day = D(2026, 11, 29) + dt.timedelta(weeks=i)
        if i in UNRECORDED:
            continue
        if i in SKIPPED:
            out.append(Entry("checkin", day, "skipped", reason="PRIVATE-REASON"))
            continue
        sam = 4 if i >= 49 else 6  # the last three: low
        commits = (Commitment(f"c-{day}-1", "Alex", f"promise {i}"),) if i in (0, 1, 2, 51) else ()
        kept = (f"c-{day - dt.timedelta(weeks=1)}-1",) if i in (1, 2, 3) else ()
        out.append(
            Entry(
                "checkin",
                day,
                ratings=(("Alex", 8), ("Sam", sam)),
                commitments=commits,
                kept=kept,
                note=f"PRIVATE-NOTE-{i}",
            )
        )
    out.append(Entry("checkin", D(2027, 3, 10), unplanned=True))
    for d in FIRST_FRIDAYS:
        if d == D(2027, 7, 2):
            out.append(Entry("date-night", d, "skipped"))
        elif d != D(2027, 11, 5):
            out.append(Entry("date-night", d, note="PRIVATE-DATE-NOTE"))
    if layout == "one file":
        (data / "history.toml").write_text(history.render(None, out))
        return
    (data / "history").mkdir()
    for year in (2026, 2027):
        year_file(data, year).write_text(history.render(year, [e for e in out if e.date.year == year]))


@pytest.mark.parametrize("layout", ["by year", "one file"])
def test_stats_over_a_year_of_history(cli: Invoke, data: Path, layout: str) -> None:
    a_year(data, layout)
    env = {"RITUAL_TODAY": TODAY.isoformat()}
    s = json.loads(cli("stats", "--weeks", "52", "--format", "json", env=env).stdout)
    assert (s["from"], s["to"]) == ("2026-11-29", "2027-11-27")
    assert s["rhythm"] == {
        "checkin": {"planned": 52, "held": 43, "skipped": 4, "not_recorded": 5, "unplanned": 1},
        "date-night": {"planned": 12, "held": 10, "skipped": 1, "not_recorded": 1, "unplanned": 0},
    }
    assert len(s["ratings"]["Alex"]["points"]) == 43
    assert s["ratings"]["Alex"]["average"] == 8.0
    assert s["ratings"]["Sam"]["average"] == 5.9  # (40 × 6 + 3 × 4) / 43
    assert s["average_gap"] == 2.1  # (40 × 2 + 3 × 4) / 43
    assert len(s["gaps"]) == 43 and s["gaps"][-1] == {"date": "2027-11-21", "gap": 4}
    assert s["commitments"] == {"made": 4, "kept": 3, "let_go": 0, "open": 1}
    assert "last 3 check-ins" in s["support"] and "couples therapist" in s["support"]
    assert "carried" not in s["support"]  # the one open commitment is brand new

    text = cli("stats", "--weeks", "52", env=env).stdout
    assert "Check-in    43 held · 4 skipped · 5 not recorded  (of 52 planned)  + 1 unplanned" in text
    assert "Date night  10 held · 1 skipped · 1 not recorded  (of 12 planned)" in text
    assert "not a failure" in text and "streak" not in text.lower()
    assert "  Alex  " + "▆" * 43 + "  latest 8 · average 8.0 · lowest 8 · highest 8" in text
    assert "  Sam   " + "▅" * 40 + "▃▃▃  latest 4 · average 5.9 · lowest 4 · highest 6" in text
    assert (
        "Gap between your ratings: latest 4 (2027-11-21) · average 2.1 · widest 4 · 4 or more at 3 check-ins "
        "(at 43 check-ins where everyone rated)"
    ) in text
    assert "Commitments made: 4 · kept: 3 · still open: 1" in text
    assert "couples therapist" in text and "someone you trust" in text
    assert "A note on safety." in text and "1-800-799-7233" in text  # the note every agenda ends with
    assert "\x1b[" not in text and "PRIVATE" not in text


def test_stats_over_the_last_twelve_weeks_shows_the_numbers_too(cli: Invoke, data: Path) -> None:
    a_year(data)
    text = cli("stats", env={"RITUAL_TODAY": TODAY.isoformat()}).stdout
    assert text.startswith("Your rhythm, 2027-09-05 to 2027-11-27 (12 weeks)\n")
    assert "Check-in    10 held · 1 skipped · 1 not recorded  (of 12 planned)\n" in text
    assert "  Sam   ▅▅▅▅▅▅▅▃▃▃  latest 4" in text
    assert "        6 6 6 6 6 6 6 4 4 4\n" in text
    assert "  gap   2 2 2 2 2 2 2 4 4 4\n" in text  # the gap at each check-in, not only on average
    assert "Commitments made: 1 · kept: 0 · still open: 1" in text


def test_stats_rejects_a_silly_window(cli: Invoke, data: Path) -> None:
    assert "--weeks 0" in cli("stats", "--weeks", "0", code=2).stderr


# ------------------------------------------------------------------ the agenda carries it over


def test_the_next_agenda_opens_with_open_commitments_and_no_notes(cli: Invoke, data: Path) -> None:
    cli(
        "done", "checkin", "--date", "2026-11-29", "--rating", "Alex=7",
        "--commit", "Alex: plan Saturday's walk", "--commit", "Sam: call my sister",
        "--note", "PRIVATE-NOTE",
    )  # fmt: skip
    cli(
        "done",
        "checkin",
        "--date",
        "2026-12-06",
        "--kept",
        "c-2026-11-29-2",
        env={"RITUAL_TODAY": "2026-12-06"},
    )
    agenda = cli("agenda", "checkin", "--date", "2026-12-13").stdout
    follow = agenda.split("## Since last time", 1)[1].split("\n## ", 1)[0]
    assert "- Sam: call my sister" in follow.split("Still open", 1)[0]  # kept: celebrated
    (walk,) = [line for line in follow.splitlines() if "Alex: plan Saturday's walk" in line]
    assert "2 check-ins" in walk
    assert "PRIVATE" not in agenda
    # Made ahead of time, the agenda says what it cannot know yet.
    ahead = cli("agenda", "checkin", "--date", "2026-12-27").stdout
    assert "Not recorded yet" in ahead and "2026-12-13, 2026-12-20" in ahead
    cli("done", "checkin", "--date", "2026-12-13", env={"RITUAL_TODAY": "2026-12-13"})
    later = cli("agenda", "checkin", "--date", "2026-12-20").stdout
    assert "call my sister" not in later  # celebrated once, then dropped
    assert "plan Saturday's walk" in later and "Not recorded yet" not in later


def test_notes_and_reasons_never_leave_history_toml(cli: Invoke, data: Path, tmp_path: Path) -> None:
    cli("done", "checkin", "--date", "2026-11-29", "--commit", "Alex: walk", "--note", "PRIVATE-NOTE")
    cli("skip", "date-night", "--date", "2026-12-04", "--reason", "PRIVATE-REASON")
    assert "PRIVATE-NOTE" in year_file(data).read_text()
    outputs = [
        cli("stats").stdout,
        cli("stats", "--format", "json").stdout,
        cli("commitments", "--all").stdout,
        cli("commitments", "--all", "--format", "json").stdout,
        cli("agenda", "checkin").stdout,
        cli("weekly", "--stdout").stdout,
    ]
    cli("export", "markdown", "--out", str(tmp_path / "md"), "--weeks", "3")
    cli("export", "ics", "--agendas", "3", "--out", str(tmp_path / "rituals.ics"))
    outputs += [p.read_text() for p in (tmp_path / "md").iterdir()]
    outputs.append((tmp_path / "rituals.ics").read_text())
    assert any("walk" in o for o in outputs)  # the commitment is carried over…
    for o in outputs:
        # …its note and the skip's reason never are (a calendar says CLASS:PRIVATE, by design)
        assert "PRIVATE-NOTE" not in o and "PRIVATE-REASON" not in o


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
