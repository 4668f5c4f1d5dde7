"""Where a guided ritual stands: the section, the turn, the prompt drawn, the time spent.

No terminal here: ``Guide`` takes a move (``NEXT``, ``BACK``…) and says what the
loop must do next (``Step``), so the flow can be followed, and tested, without
drawing anything. The clock never moves the couple on: time only shows.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...core.clock import Stopwatch
    from ...core.history import Draft
    from ...core.library import Prompt
    from ...core.sections import Section, Turn
    from ...core.walkthrough import Walk


class Move(StrEnum):
    NEXT = "next"  # Enter, Space
    BACK = "back"  # b
    PAUSE = "pause"  # p: the clock stops; in a repair, a break begins
    LEAVE = "leave"  # q
    ANOTHER = "another"  # n: the next prompt of the deck
    AGAIN = "again"  # a: answer this section's questions again
    UP = "up"  # scroll
    DOWN = "down"
    ADVANCE = "advance"  # +: a pinned (test) clock moves on a minute


class Step(StrEnum):
    """What the loop does after a move."""

    DRAW = "draw"
    ASK = "ask"  # ask this section's questions (``asking``)
    FINISH = "finish"  # the end: ask what is left, then record
    LEAVE = "leave"  # ask whether to record what there is so far


class Guide:
    def __init__(self, walk: Walk, clock: Stopwatch, draft: Draft | None) -> None:
        self.walk = walk
        self.clock = clock
        self.draft = draft  # the answers so far; None: nothing is recorded (a repair)
        self.at = 0  # the section shown; len(sections) is the closing screen
        self.turn = 0
        self.card = 0  # the deck's prompt shown (a date night)
        self.scroll = 0  # lines of the body scrolled past
        self.paused = False
        self.break_began: float | None = None  # a repair's break, on the clock
        self.answered: set[int] = set()  # sections whose questions were asked
        self.spent = [0.0] * (len(walk.sections) + 1)
        self._last = clock.seconds()

    # ------------------------------------------------------------------ where

    @property
    def section(self) -> Section | None:
        """The section shown, or None on the closing screen."""
        return self.walk.sections[self.at] if self.at < len(self.walk.sections) else None

    @property
    def count(self) -> int:
        return len(self.walk.sections)

    @property
    def speaking(self) -> Turn | None:
        s = self.section
        return s.turns[self.turn] if s and s.turns else None

    @property
    def prompt(self) -> Prompt | None:
        s = self.section
        return self.walk.deck[self.card] if s and s.deals and self.card < len(self.walk.deck) else None

    @property
    def deck_left(self) -> int:
        return len(self.walk.deck) - self.card - 1

    @property
    def asking(self) -> tuple[str, ...]:
        """The questions still to ask before moving on from here."""
        s = self.section
        return s.asks if s and self.at not in self.answered else ()

    # ------------------------------------------------------------------ time

    def tick(self) -> None:
        """Count the time since the last tick to the section shown (not while paused)."""
        now = self.clock.seconds()
        if not self.paused and self.break_began is None:
            self.spent[self.at] += now - self._last
        self._last = now

    @property
    def elapsed(self) -> float:
        return sum(self.spent)

    @property
    def left(self) -> float:
        return self.walk.minutes * 60 - self.elapsed

    @property
    def box(self) -> float | None:
        s = self.section
        return s.minutes * 60 if s and s.minutes else None

    @property
    def box_left(self) -> float | None:
        box = self.box
        return None if box is None else box - self.spent[self.at]

    @property
    def time_up(self) -> bool:
        left = self.box_left
        return left is not None and left <= 0

    @property
    def break_left(self) -> float | None:
        if self.break_began is None:
            return None
        from ...core.agenda import BREAK_MINUTES

        return BREAK_MINUTES * 60 - (self.clock.seconds() - self.break_began)

    def next_change(self) -> float | None:
        """Seconds until what is shown changes by itself (a countdown's second), or None."""
        if self.clock.pinned:
            return None
        return 1.0 - (self.clock.seconds() % 1.0)

    # ------------------------------------------------------------------ moves

    def move(self, move: Move) -> Step:
        self.tick()
        if self.break_began is not None and move in (Move.NEXT, Move.PAUSE, Move.BACK):
            self.break_began = None  # back from the break: the ritual's clock runs again
            return Step.DRAW
        handler = {
            Move.NEXT: self._next,
            Move.BACK: self._back,
            Move.PAUSE: self._pause,
            Move.LEAVE: lambda: Step.LEAVE,
            Move.ANOTHER: self._another,
            Move.AGAIN: self._again,
            Move.UP: lambda: self._scroll(-3),
            Move.DOWN: lambda: self._scroll(3),
            Move.ADVANCE: self._advance,
        }[move]
        return handler()

    def answered_here(self) -> None:
        self.answered.add(self.at)

    def _next(self) -> Step:
        s = self.section
        if s is None:
            return Step.FINISH
        if self.turn + 1 < len(s.turns):
            self.turn += 1
            return Step.DRAW
        if self.asking:
            return Step.ASK
        self._go(self.at + 1, turn=0)
        return Step.DRAW

    def _back(self) -> Step:
        if self.turn > 0:
            self.turn -= 1
        elif self.at > 0:
            before = self.walk.sections[self.at - 1]
            self._go(self.at - 1, turn=max(0, len(before.turns) - 1))
        return Step.DRAW

    def _go(self, at: int, *, turn: int) -> None:
        self.at, self.turn, self.scroll = at, turn, 0

    def _pause(self) -> Step:
        if self.walk.ritual == "repair":
            self.break_began = self.clock.seconds()
        else:
            self.paused = not self.paused
        return Step.DRAW

    def _another(self) -> Step:
        if self.section and self.section.deals and self.deck_left > 0:
            self.card += 1  # forward only: a prompt drawn is never drawn again
        return Step.DRAW

    def _again(self) -> Step:
        s = self.section
        if s and s.asks and self.at in self.answered:
            return Step.ASK
        return Step.DRAW

    def _scroll(self, lines: int) -> Step:
        self.scroll = max(0, self.scroll + lines)  # the screen keeps it within the body
        return Step.DRAW

    def _advance(self) -> Step:
        self.clock.advance(60)
        self.tick()
        return Step.DRAW
