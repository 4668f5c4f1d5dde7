"""The guide's moves, without a terminal: turns, questions, the deck, the clock, a repair's break."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from ritualcli.cli.guide.state import Guide, Move, Step
from ritualcli.core.clock import Stopwatch
from ritualcli.core.history import Draft
from ritualcli.core.library import Prompt
from ritualcli.core.sections import COMMITMENTS, Section, Turn
from ritualcli.core.walkthrough import Walk

ZONE = zoneinfo.ZoneInfo("Europe/London")
SECTIONS = (
    Section("Before you start", None, "Hello."),
    Section("Talk", 10, "Take turns.", turns=(Turn("Alex", "Sam"), Turn("Sam", "Alex"))),
    Section("Questions", None, "Ask away.", cards=("First?",)),
    Section("Close", 3, "One each.", asks=(COMMITMENTS,)),
)
DECK = (Prompt("First?", "light", ()), Prompt("Second?", "light", ()), Prompt("Third?", "medium", ()))


@pytest.fixture
def guide(monkeypatch: pytest.MonkeyPatch) -> Guide:
    monkeypatch.setenv("RITUAL_NOW", "2026-12-06T19:00")
    walk = Walk("checkin", "Check-in", 30, SECTIONS, (), None, DECK)
    return Guide(walk, Stopwatch(ZONE), Draft("checkin", dt.date(2026, 12, 6)))


def test_enter_walks_each_turn_then_asks_then_moves_on(guide: Guide) -> None:
    assert guide.move(Move.NEXT) is Step.DRAW and guide.speaking == Turn("Alex", "Sam")
    guide.move(Move.NEXT)
    assert (guide.at, guide.speaking) == (1, Turn("Sam", "Alex"))
    guide.move(Move.BACK)
    assert (guide.at, guide.speaking) == (1, Turn("Alex", "Sam"))
    guide.move(Move.NEXT), guide.move(Move.NEXT), guide.move(Move.NEXT)
    assert guide.at == 3 and guide.asking == (COMMITMENTS,)
    assert guide.move(Move.NEXT) is Step.ASK and guide.at == 3  # asked before moving on
    guide.answered_here()
    assert guide.move(Move.AGAIN) is Step.ASK  # a: asked again, on request
    assert guide.move(Move.NEXT) is Step.DRAW and guide.section is None
    assert guide.move(Move.BACK) is Step.DRAW and guide.at == 3
    guide.move(Move.NEXT)
    assert guide.move(Move.NEXT) is Step.FINISH
    assert guide.move(Move.LEAVE) is Step.LEAVE


def test_another_one_draws_forward_only_and_stops_at_the_end_of_the_deck(guide: Guide) -> None:
    guide.at = 2
    drawn = [guide.prompt]
    for _ in range(5):
        guide.move(Move.ANOTHER)
        drawn.append(guide.prompt)
        guide.move(Move.BACK), guide.move(Move.NEXT)  # going back and forth deals nothing again
    assert [p.text for p in drawn if p] == ["First?", "Second?", "Third?", "Third?", "Third?", "Third?"]
    assert guide.deck_left == 0


def test_time_counts_to_the_section_shown_and_never_while_paused(guide: Guide) -> None:
    guide.move(Move.NEXT)  # Talk, 10 min
    for _ in range(4):
        guide.move(Move.ADVANCE)
    assert (guide.box_left, guide.elapsed, guide.left) == (360, 240, 26 * 60)
    guide.move(Move.PAUSE)
    guide.move(Move.ADVANCE)
    assert guide.elapsed == 240  # paused: the minute went by uncounted
    guide.move(Move.PAUSE)
    for _ in range(7):
        guide.move(Move.ADVANCE)
    assert guide.time_up and guide.at == 1  # the clock never moves them on
    guide.move(Move.NEXT), guide.move(Move.NEXT)
    assert guide.spent[1] == 11 * 60 and guide.spent[2] == 0


def test_p_in_a_repair_starts_a_break_that_enter_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RITUAL_NOW", "2026-12-06T19:00")
    g = Guide(Walk("repair", "Repair", 31, SECTIONS, (), None), Stopwatch(ZONE), None)
    g.move(Move.PAUSE)
    assert g.break_left == 20 * 60 and not g.paused
    g.move(Move.ADVANCE)
    assert g.break_left == 19 * 60 and g.elapsed == 0  # the break is not the ritual's time
    assert g.move(Move.NEXT) is Step.DRAW and g.break_left is None and g.at == 0
