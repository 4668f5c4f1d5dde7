"""The guide line by line, for NO_COLOR and TERM=dumb: the same flow, no cursor tricks.

Each section is printed once as plain text (rich's Markdown with no styles), then
a prompt; a move is a line typed and Enter (an empty line moves on). When a time
box runs out while the prompt waits, one line says so, and the prompt is shown
again below it.
"""

from __future__ import annotations

import contextlib
import select
import shutil
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .. import output
from . import words

if TYPE_CHECKING:
    from .state import Guide

PROMPT = "> "


class Plain:
    def __init__(self, break_note: str, day: str) -> None:
        self.break_note = break_note
        self.day = day
        self._shown: tuple[object, ...] | None = None
        self._shown_turn = self._shown_card = -1
        self._shown_answers = ""

    def __enter__(self) -> Plain:
        return self

    def __exit__(self, *exc: object) -> None:
        output.out()

    @contextlib.contextmanager
    def lines(self, heading: str) -> Iterator[None]:
        output.out(f"-- {heading}")
        yield
        self._shown = None  # after the questions, show where we are again

    def read(self, g: Guide) -> list[str]:
        """One line typed: the key it names, "\\n" for an empty line."""
        stdin = sys.stdin
        output.stdout().write(PROMPT)
        output.stdout().flush()
        while True:
            wait = self._until_cue(g)
            ready, _, _ = select.select([stdin], [], [], wait)
            if ready:
                break
            g.tick()
            self._cue(g)
        line = stdin.readline()
        if not line:
            raise EOFError
        typed = line.strip().lower()
        # One key a line; anything longer ("next") is no key: say so, and the keys are
        # shown again below (a lone unknown letter just shows them).
        if len(typed) > 1:
            output.out(f"{output.clean(line.strip())!r} is not a key: type one of these, then Enter")
        return [typed if len(typed) == 1 else "\n" if not typed else "?"]

    def _until_cue(self, g: Guide) -> float | None:
        """Seconds until the time box runs out, if that is still to come (and the clock is real)."""
        left = g.break_left if g.break_began is not None else g.box_left
        if g.clock.pinned or (g.paused and g.break_began is None) or left is None or left <= 0:
            return None
        return left + 0.05

    def _cue(self, g: Guide) -> None:
        output.out()
        output.out(words.BREAK_OVER if g.break_began is not None else words.TIME_UP)
        output.stdout().write(PROMPT)
        output.stdout().flush()

    # ------------------------------------------------------------------ drawing

    def draw(self, g: Guide) -> None:
        where = (g.at, g.break_began is not None)
        if where != self._shown:
            self._shown = where
            self._section(g)
            self._shown_turn, self._shown_card = -1, -1
        if g.turn != self._shown_turn and words.turn(g):
            output.out(words.turn(g))
        if g.prompt is not None and g.card != self._shown_card:
            output.out(f"{words.card(g)}: {g.prompt.text}")
        self._shown_turn, self._shown_card = g.turn, g.card
        answered = words.answers(g)
        if answered and answered != self._shown_answers:
            output.out(answered)
        self._shown_answers = answered
        status = [words.PAUSED if g.paused else "", words.box_left(g), words.total(g)]
        output.out(" · ".join(s for s in status if s))
        output.out(" · ".join(f"{key}: {what}" for key, what in words.keys(g)))

    def _section(self, g: Guide) -> None:
        output.out()
        if g.break_began is not None:
            output.out("== A break ==")
            self._markdown(self.break_note)
            return
        box = f" ({words.box(g)})" if words.box(g) else ""
        output.out(f"== {words.title(g)}{box} · {words.part(g)} ==")
        s = g.section
        self._markdown(s.body if s else words.closing(g, self.day))

    def _markdown(self, text: str) -> None:
        """Markdown as plain text: no colours, no styles, no escape sequences at all."""
        if not text:
            return
        from rich.console import Console
        from rich.markdown import Markdown

        width = min(shutil.get_terminal_size().columns, 100)
        plain = Console(
            file=output.stdout(), color_system=None, force_terminal=False, width=width, highlight=False
        )
        plain.print(Markdown(output.clean(text), hyperlinks=False))
