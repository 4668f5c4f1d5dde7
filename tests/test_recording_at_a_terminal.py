"""`ritual done` at a terminal: it asks each partner in turn, each rating typed unseen and
shown only once all are in, then the commitments, topics and a note.

A real pseudo-terminal (pexpect) shows what the screen shows; CliRunner, told stdin is a
terminal, goes through every question quickly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

from conftest import Invoke
from histories import D, entries
from ritualcli.cli import output
from ritualcli.core import history
from ritualcli.core.history import Commitment


@pytest.fixture
def sams_commitment(data: Path) -> Path:
    """The couple's folder, with the check-in of 2026-11-29 recorded: Sam will call his sister."""
    history.record(data, history.Draft("checkin", D(2026, 11, 29), commitments=(("Sam", "call my sister"),)))
    return data


def spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "RITUAL_TODAY": "2026-12-06", "TERM": "dumb", "NO_COLOR": "1"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "ritualcli", *args],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 200),
    )


def answer(child: pexpect.spawn, prompt: str, text: str) -> str:
    """Wait for ``prompt``, type ``text`` and Enter; what the terminal showed before the prompt."""
    child.expect_exact(prompt)
    shown = str(child.before)
    child.sendline(text)
    return shown


def test_ratings_are_typed_unseen_and_shown_once_both_are_in(sams_commitment: Path) -> None:
    child = spawn("done", "checkin")
    answer(child, "Pass the keyboard to Alex, then press Enter", "")
    answer(child, "Alex: how safe did you feel to be open this week? (1-10, not shown; Enter to skip)", "2")
    # What the terminal showed after Alex typed: the next step, and no "2" anywhere.
    after_alex = answer(child, "Pass the keyboard to Sam, then press Enter", "")
    assert "2" not in after_alex
    answer(child, "Sam: how safe did you feel to be open this week?", "9")
    child.expect_exact("All in. Ratings: Alex 2, Sam 9.")
    assert "9" not in str(child.before)  # Sam's number appears only in the line with both
    answer(child, "Sam: “call my sister” (c-2026-11-29-1): kept, partly, not yet, or let go?", "k")
    answer(child, "Alex: one small thing you will do before the next check-in", "cook on Friday")
    answer(child, "Sam: one small thing you will do before the next check-in", "")
    answer(child, "A private note", "")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    e = history.load(sams_commitment).entries[-1]
    assert e.ratings == (("Alex", 2), ("Sam", 9))
    assert e.kept == ("c-2026-11-29-1",) and [c.text for c in e.commitments] == ["cook on Friday"]


def test_one_partner_at_their_own_terminal_is_asked_only_their_questions(sams_commitment: Path) -> None:
    child = spawn("done", "checkin", "--as", "sam")
    shown = answer(
        child, "Sam: how safe did you feel to be open this week? (1-10, not shown; Enter to skip)", "6"
    )
    assert "Pass the keyboard" not in shown
    after = answer(child, "Sam: “call my sister” (c-2026-11-29-1)", "p")
    assert "6" not in after and "All in" not in after  # one rating: nothing to show together
    answer(child, "Sam: one small thing you will do before the next check-in", "we: plan the holidays")
    answer(child, "A private note", "")
    child.expect(pexpect.EOF)
    out = str(child.before)
    child.close()
    assert child.exitstatus == 0, out
    assert "Alex" not in out
    e = history.load(sams_commitment).entries[-1]
    assert e.ratings == (("Sam", 6),) and e.partly == ("c-2026-11-29-1",)
    assert [(c.owner, c.text) for c in e.commitments] == [("both", "plan the holidays")]


def test_a_mistyped_rating_is_asked_again_without_showing_it(sams_commitment: Path) -> None:
    child = spawn("done", "checkin", "--as", "Alex")
    answer(child, "Alex: how safe did you feel to be open this week?", "11")
    shown = answer(child, "Alex: how safe did you feel to be open this week?", "4")
    assert "a whole number from 1 to 10" in shown and "11" not in shown
    answer(child, "Alex: one small thing you will do", "")
    answer(child, "A private note", "")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert history.load(sams_commitment).entries[-1].ratings == (("Alex", 4),)


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
