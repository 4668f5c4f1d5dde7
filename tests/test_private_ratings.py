"""`ritual done` at a real pseudo-terminal: each rating typed unseen, shown only once all are in."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest

from conftest import COUPLE
from ritualcli.core import history

WriteConfig = Callable[..., Path]


@pytest.fixture
def data(write_config: WriteConfig) -> Path:
    config = write_config(COUPLE)
    history.record(
        config.parent,
        history.Draft("checkin", dt.date(2026, 11, 29), commitments=(("Sam", "call my sister"),)),
    )
    return config.parent


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


def test_ratings_are_typed_unseen_and_shown_once_both_are_in(data: Path) -> None:
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
    e = history.load(data).entries[-1]
    assert e.ratings == (("Alex", 2), ("Sam", 9))
    assert e.kept == ("c-2026-11-29-1",) and [c.text for c in e.commitments] == ["cook on Friday"]


def test_one_partner_at_their_own_terminal_is_asked_only_their_questions(data: Path) -> None:
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
    e = history.load(data).entries[-1]
    assert e.ratings == (("Sam", 6),) and e.partly == ("c-2026-11-29-1",)
    assert [(c.owner, c.text) for c in e.commitments] == [("both", "plan the holidays")]


def test_a_mistyped_rating_is_asked_again_without_showing_it(data: Path) -> None:
    child = spawn("done", "checkin", "--as", "Alex")
    answer(child, "Alex: how safe did you feel to be open this week?", "11")
    shown = answer(child, "Alex: how safe did you feel to be open this week?", "4")
    assert "a whole number from 1 to 10" in shown and "11" not in shown
    answer(child, "Alex: one small thing you will do", "")
    answer(child, "A private note", "")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert history.load(data).entries[-1].ratings == (("Alex", 4),)
