"""What each occurrence is about: the check-in's focus practice and prompts, the date idea.

Everything here is a pure function of the preferences and the occurrence's slot
number (``occ.slot``), through a SHA-256 of the couple's names: never Python's
salted ``hash()``, never the clock. So the same date gives the same agenda on any
machine and in any process, and ``ritual plan`` names the same focus and idea as
``ritual agenda``.

- The focus practice walks through the library in an order of the couple's own,
  so every practice comes round before any comes back.
- Each practice keeps a deck of prompts per depth; each time the practice is the
  focus again, the next prompts of each deck are dealt, so none repeats until
  that deck has been used up.
- Date ideas are ``date_ideas``' business.
- A prompt or practice tagged with a topic in ``conversation.off_limits`` never
  appears, and nothing deeper than ``conversation.depth`` is offered.

No jinja2 here: ``ritual plan`` uses this module and must start fast.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from . import library
from .digest import sha256_hex
from .library import Idea, Library, Practice, Prompt
from .preferences import DEPTHS, Preferences
from .schedule import Occurrence

# How many prompts of each depth a check-in format deals from the focus practice.
# A format not listed (a user's own template) gets the default.
PROMPTS_PER_DEPTH = {"state-of-the-union": 2}
DEFAULT_PROMPTS_PER_DEPTH = 1


class Pick(NamedTuple):
    id: str
    title: str


def seed(prefs: Preferences, ritual: str) -> str:
    """A per-couple, per-ritual seed: stable across processes and machines."""
    names = sorted(n.casefold() for n in prefs.couple.partners)
    return sha256_hex("\x1f".join([ritual, *names]))


def order(salt: str, name: str) -> str:
    """Where ``name`` comes in the couple's own order (``salt`` is their seed)."""
    return sha256_hex(f"{salt}\x1f{name}")


def _depth_ok(prompt: Prompt, max_level: int, off_limits: frozenset[str]) -> bool:
    return prompt.level <= max_level and not off_limits.intersection(prompt.tags)


# --------------------------------------------------------------------------- check-ins


@functools.cache
def _rotation(lib: Library, salt: str, depth: str, off_limits: frozenset[str]) -> tuple[Practice, ...]:
    """The practices a couple's check-ins walk through, in the couple's own order."""
    level = DEPTHS.index(depth)
    usable = [
        p
        for p in lib.practices
        if not off_limits.intersection(p.tags) and any(_depth_ok(q, level, off_limits) for q in p.prompts)
    ]
    return tuple(sorted(usable, key=lambda p: order(salt, p.id)))


def _checkin_rotation(prefs: Preferences) -> tuple[Practice, ...]:
    conv = prefs.conversation
    return _rotation(library.load(), seed(prefs, "checkin"), conv.depth, frozenset(conv.off_limits))


def focus_practice(prefs: Preferences, occ: Occurrence) -> Practice | None:
    """The check-in's focus practice; None only if off_limits rules out every one."""
    rotation = _checkin_rotation(prefs)
    return rotation[occ.slot % len(rotation)] if rotation else None


def focus(prefs: Preferences, occ: Occurrence) -> Pick | None:
    practice = focus_practice(prefs, occ)
    return Pick(practice.id, practice.title) if practice else None


@functools.cache
def _deck(practice: Practice, salt: str, depth: str, off_limits: frozenset[str]) -> tuple[Prompt, ...]:
    level = DEPTHS.index(depth)
    cards = [q for q in practice.prompts if q.depth == depth and _depth_ok(q, level, off_limits)]
    return tuple(sorted(cards, key=lambda q: order(salt, q.text)))


def prompts(prefs: Preferences, occ: Occurrence, per_depth: int | None = None) -> tuple[Prompt, ...]:
    """The focus practice's prompts for this check-in, lightest first.

    Up to ``per_depth`` from each depth the couple allows. The n-th time a practice
    is the focus, its decks deal their n-th hand, so a prompt comes back only once
    every other prompt of its depth has been asked.
    """
    rotation = _checkin_rotation(prefs)
    if not rotation:
        return ()
    practice = rotation[occ.slot % len(rotation)]
    visit = occ.slot // len(rotation)
    if per_depth is None:
        per_depth = PROMPTS_PER_DEPTH.get(prefs.checkin.format, DEFAULT_PROMPTS_PER_DEPTH)
    salt = seed(prefs, "checkin")
    off = frozenset(prefs.conversation.off_limits)
    dealt: list[Prompt] = []
    for depth in DEPTHS[: DEPTHS.index(prefs.conversation.depth) + 1]:
        deck = _deck(practice, salt, depth, off)
        hand = min(per_depth, len(deck))
        dealt += [deck[(visit * hand + j) % len(deck)] for j in range(hand)]
    return tuple(dealt)


def speakers(prefs: Preferences, occ: Occurrence) -> tuple[str, ...]:
    """Who speaks first this time: the order turns by one each check-in."""
    names = prefs.couple.partners
    turn = occ.slot % len(names)
    return names[turn:] + names[:turn]


def practice_prompt(prefs: Preferences, practice: Practice) -> Prompt | None:
    """One prompt of a practice that respects the couple's limits (for the repair agenda).

    The deepest allowed one, since repair is the moment the couple chose to go there;
    the first in the file among equals, so it is the same every time.
    """
    level = DEPTHS.index(prefs.conversation.depth)
    off = frozenset(prefs.conversation.off_limits)
    ok = [q for q in practice.prompts if _depth_ok(q, level, off)]
    return max(ok, key=lambda q: q.level) if ok else None


def allowed(prefs: Preferences, practice: Practice) -> bool:
    return not frozenset(prefs.conversation.off_limits).intersection(practice.tags)


# --------------------------------------------------------------------------- date nights


def idea_prompts(prefs: Preferences, chosen: Idea) -> tuple[Prompt, ...]:
    """The idea's conversation prompts, lightest first, as deep as the couple allows."""
    level = DEPTHS.index(prefs.conversation.depth)
    off = frozenset(prefs.conversation.off_limits)
    return tuple(q for q in chosen.prompts if _depth_ok(q, level, off))
