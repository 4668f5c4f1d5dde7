"""What each check-in is about: its focus practice, its prompts, who speaks first.

Everything here is a pure function of the preferences, the date the couple
began (``firstmonth``) and the occurrence's slot number (``occ.slot``), through a
SHA-256 of the couple's names: never Python's salted ``hash()``, never the
clock. So the same date gives the same agenda on any machine and in any
process, and ``ritual plan`` names the same focus as ``ritual agenda``.

- The first check-ins walk the foundation path in order (``firstmonth``); then
  the focus walks through the library in an order of the couple's own, so every
  practice comes round before any comes back.
- In the rotation, conflict and repair practices are spread out among the others:
  never two in a row (while the others outnumber them), and never first.
- Each practice keeps a deck of prompts per depth; each time the practice is the
  focus again, the next prompts of each deck are dealt, so none repeats until
  that deck has been used up.
- Prompts go light, then medium, then deep, up to the level the climb allows
  (``firstmonth.level``, never deeper than ``conversation.depth``), and never
  skip a level: when a depth has nothing left to deal, nothing deeper is dealt.
- A prompt or practice tagged with a topic in ``conversation.off_limits`` never
  appears (nor, in the first month, one tagged ``conflict``).

Date ideas are ``date_ideas``' business. No jinja2 here: ``ritual plan`` uses
this module and must start fast.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import NamedTuple

from . import firstmonth, library
from .digest import sha256_hex
from .library import Library, Practice, Prompt
from .preferences import DEPTHS, Preferences
from .schedule import Occurrence

# How many prompts of each depth a check-in format deals from the focus practice.
# A format not listed (a user's own template) gets the default.
PROMPTS_PER_DEPTH = {"state-of-the-union": 2}
DEFAULT_PROMPTS_PER_DEPTH = 1
# A format's own limits on the prompts it deals: the deepest depth, and topics it never
# touches. Fifteen minutes is no time to open a disagreement, or anything deep.
FORMAT_LIMITS = {"quick": ("medium", frozenset({"conflict"}))}
# The kinds of practice the rotation spreads out, so that a couple never meets them
# week after week.
HARD = frozenset({"conflict", "repair"})


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


def climbing(prompts: tuple[Prompt, ...], level: int, off_limits: frozenset[str]) -> tuple[Prompt, ...]:
    """``prompts`` (lightest first) as deep as ``level`` allows, none touching ``off_limits``,
    and none deeper than the first depth left empty: light, medium, deep, never a jump."""
    out: list[Prompt] = []
    for depth in DEPTHS[: level + 1]:
        found = [q for q in prompts if q.depth == depth and not off_limits.intersection(q.tags)]
        if not found:
            break
        out += found
    return tuple(out)


# --------------------------------------------------------------------------- check-ins


@functools.cache
def _rotation(lib: Library, salt: str, off_limits: frozenset[str]) -> tuple[Practice, ...]:
    """The practices a couple's check-ins walk through after the first month, in the couple's own order.

    It starts with a practice that is not on the foundation path, so the path's last
    practice is not the first of the rotation too. The hard ones (kinds in ``HARD``)
    are spread out among the others, never two in a row while there are enough gentle
    ones, and the rotation opens with gentle ones: in a plain hashed order more than
    half of all couples met three conflict or repair practices in a row, or four in
    their first six weeks after the first month.
    """
    usable = [
        p
        for p in lib.practices
        if not off_limits.intersection(p.tags) and any(not off_limits.intersection(q.tags) for q in p.prompts)
    ]
    ordered = sorted(usable, key=lambda p: order(salt, p.id))
    gentle = [p for p in ordered if p.kind not in HARD]
    hard = [p for p in ordered if p.kind in HARD]
    first = next((i for i, p in enumerate(gentle) if not p.path), 0)
    gentle = gentle[first:] + gentle[:first]
    if not gentle:
        return tuple(hard)
    out: list[Practice] = []
    for n, practice in enumerate(gentle, 1):
        out.append(practice)
        # After the n-th gentle practice, as many hard ones as keep them evenly spread.
        while len(out) - n < len(hard) * n // len(gentle):
            out.append(hard[len(out) - n])
    return tuple(out)


def _checkin_rotation(prefs: Preferences) -> tuple[Practice, ...]:
    return _rotation(library.load(), seed(prefs, "checkin"), frozenset(prefs.conversation.off_limits))


class Focus(NamedTuple):
    """A check-in's focus, and which time it is the focus (its decks deal that hand)."""

    practice: Practice
    visit: int
    step: int  # its step on the foundation path (1, 2, …), or 0 in the rotation


def _focus(prefs: Preferences, occ: Occurrence, began: dt.date) -> Focus | None:
    step = firstmonth.path_step(prefs, began, occ.date)
    own = frozenset(prefs.conversation.off_limits)
    if step:
        path = [p for p in library.load().path if not own.intersection(p.tags)]
        if path:
            return Focus(path[(step - 1) % len(path)], 0, step)
    rotation = _checkin_rotation(prefs)
    if not rotation:
        return None
    turn = max(0, occ.slot - firstmonth.rotation_slot(prefs, began))
    practice = rotation[turn % len(rotation)]
    # A path practice was the focus once already, in the first month: deal its next hand.
    return Focus(practice, turn // len(rotation) + (1 if practice.path else 0), 0)


def focus_practice(prefs: Preferences, occ: Occurrence, began: dt.date) -> Practice | None:
    """The check-in's focus practice; None only if off_limits rules out every one."""
    found = _focus(prefs, occ, began)
    return found.practice if found else None


def focus(prefs: Preferences, occ: Occurrence, began: dt.date) -> Pick | None:
    practice = focus_practice(prefs, occ, began)
    return Pick(practice.id, practice.title) if practice else None


@functools.cache
def _deck(practice: Practice, salt: str, depth: str, off_limits: frozenset[str]) -> tuple[Prompt, ...]:
    cards = [q for q in practice.prompts if q.depth == depth and not off_limits.intersection(q.tags)]
    return tuple(sorted(cards, key=lambda q: order(salt, q.text)))


def prompts(
    prefs: Preferences, occ: Occurrence, began: dt.date, per_depth: int | None = None
) -> tuple[Prompt, ...]:
    """The focus practice's prompts for this check-in, lightest first.

    ``per_depth`` from each depth (more from each when the climb or the format
    allows fewer depths), lightest first, stopping at the first depth with
    nothing to deal. The n-th time a practice is the focus, its decks
    deal their n-th hand, so a prompt comes back only once every other prompt of
    its depth has been asked.
    """
    found = _focus(prefs, occ, began)
    if found is None:
        return ()
    if per_depth is None:
        per_depth = PROMPTS_PER_DEPTH.get(prefs.checkin.format, DEFAULT_PROMPTS_PER_DEPTH)
    salt = seed(prefs, "checkin")
    deepest, never = FORMAT_LIMITS.get(prefs.checkin.format, (DEPTHS[-1], frozenset()))
    off = firstmonth.off_limits(prefs, began, occ.date) | never
    level = min(firstmonth.level(prefs, began, occ.date), DEPTHS.index(deepest))
    dealt: list[Prompt] = []
    # A format deals as many prompts when the climb allows fewer depths: more light
    # ones to talk about in the first weeks, never fewer questions.
    total, allowed = per_depth * len(DEPTHS), level + 1
    for k, depth in enumerate(DEPTHS[:allowed]):
        deck = _deck(found.practice, salt, depth, off)
        if not deck:
            break
        hand = min(total // allowed + (k < total % allowed), len(deck))
        dealt += [deck[(found.visit * hand + j) % len(deck)] for j in range(hand)]
    return tuple(dealt)


def speakers(prefs: Preferences, occ: Occurrence) -> tuple[str, ...]:
    """Who speaks first this time: the order turns by one each check-in."""
    names = prefs.couple.partners
    turn = occ.slot % len(names)
    return names[turn:] + names[:turn]
