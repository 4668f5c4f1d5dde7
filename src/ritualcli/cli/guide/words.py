"""What the guide says around a section: times, turns, keys. Shared by the full screen and the plain flow."""

from __future__ import annotations

import math

from ...core import sections
from ...core.history import SHARED
from ...core.preferences import ritual_noun
from .state import Guide

TIME_UP = "Time's up for this part. Finish your thought; Enter moves on when you're ready."
PAUSED = "Paused: the clock stands still. p carries on."
BREAK_OVER = "The twenty minutes are up. Come back when you both feel steadier; Enter returns to the repair."
# What Enter does in a section that asks something, by its first question.
ANSWER = {
    sections.RATINGS: "your ratings, each typed unseen",
    sections.FOLLOW_THROUGH: "how last time's commitments went",
    sections.TOPICS: "which topic you talked about",
    sections.COMMITMENTS: "your commitments",
}


def clock(seconds: float, *, left: bool = False) -> str:
    """m:ss, or h:mm:ss from an hour; a negative time as its size. Time spent is rounded
    down, time ``left`` up, as a countdown shows it: 0:00 left is when time is up."""
    whole = math.ceil(abs(seconds)) if left and seconds > 0 else int(abs(seconds))
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def title(g: Guide) -> str:
    s = g.section
    if g.break_began is not None:
        return "A break"
    if s is None:
        return "The end"
    return s.title or "…"


def box(g: Guide) -> str:
    s = g.section
    return f"{s.minutes} min" if s and s.minutes and g.break_began is None else ""


def part(g: Guide) -> str:
    return f"part {g.at + 1} of {g.count}" if g.section else "the end"


def total(g: Guide) -> str:
    planned = g.walk.minutes
    if not planned:
        return f"{clock(g.elapsed)} so far"
    if g.left >= 0:
        return f"{clock(g.elapsed)} so far · {clock(g.left, left=True)} left of {planned} min"
    return f"{clock(g.elapsed)} so far · {clock(g.left)} past your {planned} min"


def box_left(g: Guide) -> str:
    left = g.box_left
    if left is None:
        return ""
    return TIME_UP if left <= 0 else f"{clock(left, left=True)} left of {g.section and g.section.minutes} min"


def turn(g: Guide) -> str:
    now = g.speaking
    s = g.section
    if now is None or s is None:
        return ""
    head = f"Turn {g.turn + 1} of {len(s.turns)} · " if len(s.turns) > 1 else ""
    return f"{head}{now.speaker} speaks · {now.listener} listens and reflects back"


def card(g: Guide) -> str:
    return f"Question {g.card + 1}" + ("" if g.deck_left > 0 else " (the last in the deck)")


def keys(g: Guide, *, scrolls: bool = False) -> list[tuple[str, str]]:
    """(key, what it does now), for the help line."""
    if g.break_began is not None:
        return [("Enter", "back to the repair"), ("q", "leave")]
    s = g.section
    if s is None:
        what = "ask what's left and record" if g.walk.records else "end"
    elif g.turn + 1 < len(s.turns):
        what = "next turn"
    elif g.asking:
        what = ANSWER[g.asking[0]]
    else:
        what = "next"
    shown = [("Enter", what)]
    if g.at or g.turn:
        shown.append(("b", "back"))
    if g.walk.ritual == "repair":
        shown.append(("p", "a break"))
    else:
        shown.append(("p", "carry on" if g.paused else "pause"))
    shown.append(("q", "leave"))
    if s and s.deals and g.deck_left > 0:
        shown.append(("n", "another one"))
    if s and s.asks and g.at in g.answered:
        shown.append(("a", "answer again"))
    if scrolls:
        shown.append(("↑↓", "scroll"))
    return shown


def closing(g: Guide, day: str) -> str:
    """The closing screen, as Markdown."""
    noun = ritual_noun(g.walk.ritual) if g.walk.ritual != "repair" else "repair"
    if not g.walk.records:
        return (
            f"That's the whole {noun}. Nothing is recorded for a repair: it stays between the two "
            "of you.\n\nEnter ends it."
        )
    left = [ANSWER[a] for a in g.walk.wrap_up] + ["a private note, if you want one"]
    return (
        f"That's the whole agenda. Thank you for making the time.\n\n"
        f"Enter asks for {', then '.join(left)}, and records the {noun} of {day} as held, "
        "as `ritual done` would. `ritual undo` takes it back."
    )


def answers(g: Guide) -> str:
    """What was answered in this section, once it was (the ratings shown once both were in)."""
    s, d, q = g.section, g.draft, g.walk.questions
    if s is None or d is None or q is None or g.at not in g.answered:
        return ""
    parts = []
    for kind in s.asks:
        if kind == sections.RATINGS:
            parts.append("ratings " + (", ".join(f"{n} {r}" for n, r in d.ratings) or "none given"))
        elif kind == sections.FOLLOW_THROUGH:
            how = {**dict.fromkeys(d.partly, "partly"), **dict.fromkeys(d.let_go, "let go")}
            how |= dict.fromkeys(d.kept, "kept")
            parts += [f"“{o.text}” {how.get(o.id, 'not yet')}" for o in q.open]
        elif kind == sections.TOPICS:
            talked = [t.text for t in q.topics if t.id in d.discussed]
            parts.append("talked about " + ("; ".join(talked) if talked else "none of your topics"))
        elif kind == sections.COMMITMENTS:
            made = [f"{'both' if owner == SHARED else owner}: {text}" for owner, text in d.commitments]
            parts.append("commitments " + ("; ".join(made) if made else "none"))
    return "✓ " + " · ".join(parts)
