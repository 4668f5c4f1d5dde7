"""Agendas: Markdown for a check-in, a date night or a repair, rendered from templates.

This module decides what an agenda holds (the context a template gets); finding
and rendering the templates, in a sandbox, is ``templating``'s job. Every
user-provided string reaches the templates raw and is escaped there with the
``md`` filter, so a name or a commitment cannot inject Markdown or HTML.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from . import date_ideas, hotlines, library, selection, templates_dir, templating
from .history import CarryOver, History, Support, carry_over
from .library import Practice, Prompt
from .preferences import DEPTHS, Preferences
from .schedule import Occurrence

DATE_NIGHT = "date-night"
REPAIR = "repair"
# The steps of repair, in order, as the seed articles give them.
REPAIR_STEPS = ("acknowledge", "do-your-part", "validation", "curiosity", "seeking-support")
# The practice a date night falls back on for conversation when no idea fits.
DATE_FALLBACK_PRACTICE = "shared-vulnerability"
# The partial that words the support note; check-in agendas include it, `ritual stats` renders it.
SUPPORT_TEMPLATE = f"_support{templates_dir.SUFFIX}"


class When(NamedTuple):
    """An occurrence's date and time, ready to print.

    The names are English: strftime's %A and %B follow the C library's LC_TIME,
    which stays "C" because ritual never calls ``setlocale`` (the rest of an agenda
    is English too).
    """

    date: str  # YYYY-MM-DD
    weekday: str  # Sunday
    long: str  # Sunday 29 November 2026
    start: str  # 19:00
    end: str  # 19:30
    zone: str  # EST
    timezone: str  # America/New_York

    @classmethod
    def of(cls, occ: Occurrence, timezone: str) -> When:
        d, start, end = occ.date, occ.start, occ.end
        return cls(
            d.isoformat(),
            f"{d:%A}",
            f"{d:%A} {d.day} {d:%B %Y}",  # the day without a leading zero, which %d would add
            f"{start:%H:%M}",
            f"{end:%H:%M}",
            start.tzname() or "",
            timezone,
        )


class RepairStep(NamedTuple):
    practice: Practice
    prompt: Prompt | None


# --------------------------------------------------------------------------- names


def template_name(prefs: Preferences, kind: str) -> str:
    """The template file (relative to a template dir) for a kind of agenda."""
    if kind == "checkin":
        return f"{templates_dir.CHECKIN_DIR}/{prefs.checkin.format}{templates_dir.SUFFIX}"
    if kind in (DATE_NIGHT, REPAIR):
        return f"{kind}{templates_dir.SUFFIX}"
    raise ValueError(f"no agenda for {kind!r}")


# --------------------------------------------------------------------------- time boxes


def timebox(weights: Mapping[str, Any], total: int) -> dict[str, int]:
    """Split ``total`` minutes in proportion to ``weights``, in whole minutes that add up.

    Largest remainders get the spare minutes (ties: the earlier segment), and no
    segment gets 0 while there are minutes enough for one each. Templates declare
    their proportions; a couple who sets `duration = 45` still gets boxes that sum.
    """
    if not isinstance(weights, Mapping) or not weights:
        raise ValueError("timebox() takes a mapping of segment names to weights")
    names = list(weights)
    raw = [weights[n] for n in names]
    if any(isinstance(w, bool) or not isinstance(w, int | float) or w <= 0 for w in raw):
        raise ValueError("timebox() weights must be positive numbers")
    whole = sum(raw)
    exact = [total * w / whole for w in raw]
    boxes = [math.floor(x) for x in exact]
    spare = total - sum(boxes)
    by_remainder = sorted(range(len(names)), key=lambda i: (-(exact[i] - boxes[i]), i))
    for i in by_remainder[:spare]:
        boxes[i] += 1
    if total >= len(names):
        for i in range(len(boxes)):
            if boxes[i] == 0:
                donor = max(range(len(boxes)), key=lambda j: boxes[j])
                boxes[donor] -= 1
                boxes[i] += 1
    return dict(zip(names, boxes, strict=True))


# --------------------------------------------------------------------------- rendering


def render(
    prefs: Preferences,
    occ: Occurrence,
    *,
    user_dir: Path | None,
    history: History,
    shared: bool = False,
) -> str:
    """The Markdown agenda of one occurrence (a check-in or a date night).

    ``history``: the couple's history, loaded once by the caller (an empty
    ``History()`` for the example couple); a check-in's follow-through comes from it.
    ``shared``: the agenda goes somewhere synced and seen by others (a calendar).
    Commitments still carry over, but the support note, which low ratings
    trigger, stays out: ratings never reach a calendar, not even by inference.
    """
    ritual = prefs.ritual(occ.ritual)
    context: dict[str, Any] = {
        "ritual": occ.ritual,
        "partners": list(prefs.couple.partners),
        "when": When.of(occ, prefs.couple.timezone),
        "duration": ritual.duration,
        "location": ritual.location,
        "depth": prefs.conversation.depth,
        **_safety(prefs),
    }
    if occ.ritual == "checkin":
        context |= {
            "format": prefs.checkin.format,
            "focus": selection.focus_practice(prefs, occ),
            "prompts": list(selection.prompts(prefs, occ)),
            "speakers": list(selection.speakers(prefs, occ)),
            "carry": _carry(prefs, history, occ, shared),
            "timebox": _boxes(ritual.duration),
        }
    else:
        fit = date_ideas.idea_fit(prefs, occ)
        context |= {
            "part_of_day": date_ideas.time_of_day(occ.start.time()),
            "practices": {p.id: p for p in library.load().practices},
            "idea": fit.idea,
            "idea_note": fit.note,
            "idea_prompts": list(
                selection.idea_prompts(prefs, fit.idea) if fit.idea else _fallback_prompts(prefs)
            ),
            "budget": prefs.dates.budget,
            "timebox": _boxes(ritual.duration),
        }
    return templating.render(user_dir, template_name(prefs, occ.ritual), context)


def _carry(prefs: Preferences, history: History, occ: Occurrence, shared: bool) -> CarryOver:
    carry = carry_over(prefs, history, occ)
    return carry._replace(support=None) if shared else carry


def _safety(prefs: Preferences) -> dict[str, Any]:
    """What the safety note (_safety.md.j2) names: the country's services, or the couple's own words."""
    return {
        "hotline": hotlines.for_zone(prefs.couple.timezone),
        "own_hotline": prefs.support.hotline,
    }


def support_note(support: Support, *, user_dir: Path | None) -> str:
    """The gentle note suggesting outside support, as its template words it (one line)."""
    return templating.render(user_dir, SUPPORT_TEMPLATE, {"support": support}).strip()


def render_repair(prefs: Preferences, *, user_dir: Path | None) -> str:
    """The repair agenda: for after a hard conversation, whenever it is needed."""
    lib = library.load()
    steps: dict[str, RepairStep | None] = {}
    for step in REPAIR_STEPS:
        practice = lib.practice(step)
        if practice is None or not selection.allowed(prefs, practice):
            steps[step] = None  # the template still names the step, without the practice
        else:
            steps[step] = RepairStep(practice, selection.practice_prompt(prefs, practice))
    context = {
        "ritual": REPAIR,
        "partners": list(prefs.couple.partners),
        "depth": prefs.conversation.depth,
        "steps": steps,
        **_safety(prefs),
    }
    return templating.render(user_dir, template_name(prefs, REPAIR), context)


def _boxes(total: int) -> Callable[[Mapping[str, Any]], dict[str, int]]:
    return lambda weights: timebox(weights, total)


def _fallback_prompts(prefs: Preferences) -> tuple[Prompt, ...]:
    """One prompt per allowed depth from the shared-vulnerability practice."""
    practice = library.load().practice(DATE_FALLBACK_PRACTICE)
    if practice is None or not selection.allowed(prefs, practice):
        return ()
    limit = DEPTHS.index(prefs.conversation.depth)
    off = set(prefs.conversation.off_limits)
    out: list[Prompt] = []
    for depth in DEPTHS[: limit + 1]:
        found = next((q for q in practice.prompts if q.depth == depth and not off.intersection(q.tags)), None)
        if found:
            out.append(found)
    return tuple(out)
