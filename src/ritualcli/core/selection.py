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
- Date ideas fit ``settings``, ``budget`` and ``avoid``; ideas that match the
  couple's interests come up about twice as often; none comes back within six
  date nights when at least seven fit.
- A prompt or practice tagged with a topic in ``conversation.off_limits`` never
  appears, and nothing deeper than ``conversation.depth`` is offered.

No jinja2 here: ``ritual plan`` uses this module and must start fast.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

from . import library
from .digest import sha256_hex
from .library import Idea, Library, Practice, Prompt
from .preferences import DEPTHS, PLACES, Preferences
from .schedule import Occurrence
from .text import escape

# How many prompts of each depth a check-in format deals from the focus practice.
# A format not listed (a user's own template) gets the default.
PROMPTS_PER_DEPTH = {"state-of-the-union": 2}
DEFAULT_PROMPTS_PER_DEPTH = 1
NO_REPEAT_WITHIN = 6  # date nights


class Pick(NamedTuple):
    id: str
    title: str


class IdeaFit(NamedTuple):
    """Which date idea, and how many fit at all (for an honest note when few or none do)."""

    idea: Idea | None
    fitting: int  # how many ideas fit the preferences
    note: str | None  # what to widen, when none or too few fit (Markdown: user words escaped)


def seed(prefs: Preferences, ritual: str) -> str:
    """A per-couple, per-ritual seed: stable across processes and machines."""
    names = sorted(n.casefold() for n in prefs.couple.partners)
    return sha256_hex("\x1f".join([ritual, *names]))


def _order(salt: str, name: str) -> str:
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
    return tuple(sorted(usable, key=lambda p: _order(salt, p.id)))


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
    return tuple(sorted(cards, key=lambda q: _order(salt, q.text)))


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


def _fits(i: Idea, settings: tuple[str, ...], budget: int, avoid: frozenset[str]) -> bool:
    return i.setting in settings and i.cost <= budget and not avoid.intersection(i.labels)


@functools.cache
def _idea_cycle(
    lib: Library,
    salt: str,
    settings: tuple[str, ...],
    budget: int,
    interests: tuple[str, ...],
    avoid: frozenset[str],
) -> tuple[tuple[Idea, ...], tuple[Idea, ...], tuple[bool, ...]]:
    """(matching ideas, other ideas, round pattern: True where a slot takes a match).

    A round holds every matching idea once, in a fixed place, plus ``k`` slots that
    walk through the other fitting ideas. A match therefore comes back exactly one
    round later, an other at least one round later, and a round is at least seven
    slots long whenever seven ideas fit: no idea repeats within six date nights.
    """
    fitting = sorted(
        (i for i in lib.ideas if _fits(i, settings, budget, avoid)), key=lambda i: _order(salt, i.id)
    )
    wanted = set(interests)
    matches = tuple(i for i in fitting if wanted.intersection(i.interests))
    others = tuple(i for i in fitting if not wanted.intersection(i.interests))
    if not matches or len(fitting) <= NO_REPEAT_WITHIN:
        return (), tuple(fitting), (False,) * len(fitting)
    k = min(len(others), max(NO_REPEAT_WITHIN + 1 - len(matches), math.ceil(len(matches) / 2)))
    size = len(matches) + k
    # Spread the k "other" slots evenly through the round.
    pattern = tuple((p + 1) * k // size == p * k // size for p in range(size))
    return matches, others, pattern


def _widen(prefs: Preferences, lib: Library) -> str | None:
    """The one change to date_night that would let the most ideas fit."""
    d = prefs.dates
    avoid = frozenset(d.avoid)

    def count(settings: tuple[str, ...], budget: int, avoid: frozenset[str]) -> int:
        return sum(_fits(i, settings, budget, avoid) for i in lib.ideas)

    now = count(d.settings, d.budget, avoid)
    options: list[tuple[int, str]] = []
    for place in PLACES:
        if place not in d.settings:
            more = count((*d.settings, place), d.budget, avoid) - now
            options.append((more, f'add "{place}" to date_night.settings ({more} more ideas would fit)'))
    costs = sorted({i.cost for i in lib.ideas if i.cost > d.budget})
    for cost in costs:
        more = count(d.settings, cost, avoid) - now
        if more:
            options.append((more, f"raise date_night.budget to {cost} ({more} more would fit)"))
            break
    for tag in d.avoid:
        more = count(d.settings, d.budget, avoid - {tag}) - now
        if more:
            options.append((more, f'take "{escape(tag)}" out of date_night.avoid ({more} more would fit)'))
    options = [o for o in options if o[0] > 0]
    if not options:
        return None
    options.sort(key=lambda o: -o[0])
    return " or ".join(text for _, text in options[:2])


@functools.cache
def _fit_note(prefs: Preferences, fitting: int) -> str | None:
    """Why few or no ideas fit, in Markdown: the agenda prints it as it is, so the
    avoided tags in it (words a user typed) are escaped here."""
    if fitting > NO_REPEAT_WITHIN:
        return None
    lib = library.load()
    widen = _widen(prefs, lib)
    tip = f" To widen the choice, {widen}." if widen else ""
    d = prefs.dates
    where = ", ".join(d.settings) or "nowhere"
    avoiding = ", ".join(escape(tag) for tag in d.avoid)
    limits = f"settings {where}; budget {d.budget}" + (f"; avoiding {avoiding}" if d.avoid else "")
    if fitting == 0:
        return f"No date idea in the library fits your preferences ({limits}).{tip}"
    noun = "idea fits" if fitting == 1 else "ideas fit"
    return f"Only {fitting} date {noun} your preferences ({limits}), so they come round often.{tip}"


def idea_fit(prefs: Preferences, occ: Occurrence) -> IdeaFit:
    d = prefs.dates
    matches, others, pattern = _idea_cycle(
        library.load(), seed(prefs, "date-night"), d.settings, d.budget, d.interests, frozenset(d.avoid)
    )
    fitting = len(matches) + len(others)
    note = _fit_note(prefs, fitting)
    if not fitting:
        return IdeaFit(None, 0, note)
    if not matches:
        return IdeaFit(others[occ.slot % len(others)], fitting, note)
    rnd, slot = divmod(occ.slot, len(pattern))
    k = pattern.count(False)
    if pattern[slot]:
        return IdeaFit(matches[pattern[:slot].count(True)], fitting, note)
    other_slot = rnd * k + pattern[:slot].count(False)
    return IdeaFit(others[other_slot % len(others)], fitting, note)


def idea(prefs: Preferences, occ: Occurrence) -> Pick | None:
    chosen = idea_fit(prefs, occ).idea
    return Pick(chosen.id, chosen.title) if chosen else None


def idea_prompts(prefs: Preferences, chosen: Idea) -> tuple[Prompt, ...]:
    """The idea's conversation prompts, lightest first, as deep as the couple allows."""
    level = DEPTHS.index(prefs.conversation.depth)
    off = frozenset(prefs.conversation.off_limits)
    return tuple(q for q in chosen.prompts if _depth_ok(q, level, off))
