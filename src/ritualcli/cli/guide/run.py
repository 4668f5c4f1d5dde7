"""The guide's loop: draw, wait for a key, move; ask the questions where the agenda asks them.

It returns the answers to record, or None: the command records (``history.record``)
once the screen is put away, so what was saved is printed on the normal screen.
Leaving early (q) asks whether to record what there is so far; Ctrl-C at any point
asks the same, and records nothing unless the answer is yes (a second Ctrl-C, or
the end of input, leaves at once).
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, NamedTuple, Protocol

import typer

from .. import ask, output
from . import words
from .state import Guide, Move, Step

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from ...core.history import Draft
    from ...core.preferences import Preferences

# Keys (as ``keys.split`` names them) and the moves they make.
MOVES = {
    "\n": Move.NEXT,
    "\r": Move.NEXT,
    " ": Move.NEXT,
    "b": Move.BACK,
    "p": Move.PAUSE,
    "q": Move.LEAVE,
    "n": Move.ANOTHER,
    "a": Move.AGAIN,
    "up": Move.UP,
    "k": Move.UP,
    "pgup": Move.UP,
    "down": Move.DOWN,
    "j": Move.DOWN,
    "pgdn": Move.DOWN,
    "+": Move.ADVANCE,
}


class How(Enum):
    FINISHED = "finished"  # walked to the end: record everything
    SO_FAR = "so far"  # left early, and asked to record what there is
    LEFT = "left"  # left early: nothing recorded
    INTERRUPTED = "interrupted"  # Ctrl-C or the end of input: nothing recorded


class Outcome(NamedTuple):
    how: How
    draft: Draft | None  # what to record, if anything


class View(Protocol):
    def __enter__(self) -> View: ...
    def __exit__(self, *exc: object) -> None: ...
    def draw(self, g: Guide) -> None: ...
    def read(self, g: Guide) -> list[str]: ...
    def lines(self, heading: str) -> AbstractContextManager[None]: ...


def run(g: Guide, view: View, prefs: Preferences) -> Outcome:
    """Walk ``g`` on ``view``, filling in ``g.draft`` (None: nothing is recorded)."""
    with view:
        try:
            return _loop(g, view, prefs)
        except (KeyboardInterrupt, typer.Abort):
            return _interrupted(g, view)
        except EOFError:
            return Outcome(How.INTERRUPTED, None)


def _loop(g: Guide, view: View, prefs: Preferences) -> Outcome:
    while True:
        g.tick()
        view.draw(g)
        for key in view.read(g):
            move = MOVES.get(key)
            step = g.move(move) if move else Step.DRAW
            if step is Step.DRAW:
                continue
            if step is Step.ASK:
                _ask_here(g, view, prefs)
                break  # keys typed ahead were meant for before the questions: dropped
            return _end(step, g, view, prefs)


def _ask_here(g: Guide, view: View, prefs: Preferences) -> None:
    section = g.section
    if g.draft is None or g.walk.questions is None or section is None:
        return
    with view.lines(section.title):
        g.draft = ask.about(section.asks, g.walk.questions, prefs, g.draft)
    g.answered_here()


def _end(step: Step, g: Guide, view: View, prefs: Preferences) -> Outcome:
    if g.draft is None or g.walk.questions is None:  # a repair: nothing to record
        return Outcome(How.FINISHED if step is Step.FINISH else How.LEFT, None)
    if step is Step.FINISH:
        with view.lines("Before it is recorded"):
            g.draft = ask.about(g.walk.wrap_up, g.walk.questions, prefs, g.draft)
            g.draft = g.draft._replace(note=ask.note())
        return Outcome(How.FINISHED, g.draft)
    with view.lines("Leaving"):
        keep = typer.confirm(_so_far(g, g.draft), default=False)
    return Outcome(How.SO_FAR, g.draft) if keep else Outcome(How.LEFT, None)


def _interrupted(g: Guide, view: View) -> Outcome:
    """Ctrl-C: record nothing unless asked to (a second Ctrl-C leaves)."""
    if g.draft is None:
        return Outcome(How.INTERRUPTED, None)
    try:
        with view.lines("Interrupted"):
            keep = typer.confirm(
                "Record what you have so far before leaving? (Enter: no, nothing is recorded)", default=False
            )
    except (KeyboardInterrupt, typer.Abort, EOFError):
        output.out()
        keep = False
    return Outcome(How.SO_FAR, g.draft) if keep else Outcome(How.INTERRUPTED, None)


def _so_far(g: Guide, draft: Draft) -> str:
    given = [
        name
        for name, values in (
            ("ratings", draft.ratings),
            ("commitments", draft.commitments),
            ("follow-through", draft.kept + draft.partly + draft.let_go),
            ("topics", draft.discussed),
        )
        if values
    ]
    what = f"so far: {', '.join(given)}" if given else "nothing answered yet"
    return f"Leaving at {words.part(g)} ({what}). Record it as held?"
