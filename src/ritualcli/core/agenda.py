"""Agendas: Markdown for a check-in, a date night or a repair, rendered from templates.

This module decides what an agenda holds (the context a template gets); finding
and rendering the templates, in a sandbox, is ``templating``'s job. Every
user-provided string reaches the templates as it is and is escaped on its way out
by the templates' Markdown autoescape (``mdsafe``), so a name or a commitment
cannot inject Markdown or HTML; only ritual's own text is passed in ``trusted``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from . import date_ideas, firstmonth, hotlines, library, selection, templates_dir, templating
from .history import CarryOver, History, Support, Topic, carry_over
from .library import Prompt
from .preferences import DEPTHS, Preferences
from .schedule import Occurrence

DATE_NIGHT = "date-night"
REPAIR = "repair"
# The practice a date night falls back on for conversation when no idea fits.
DATE_FALLBACK_PRACTICE = "shared-vulnerability"
# A focus practice that is itself the work of a section every check-in has: that
# section gives way to it, so an agenda never asks for the same thing twice.
SECTION_OF = {"appreciation": "appreciations", "active-listening": "turns"}
# The practices whose prompts a date night may draw on beyond its idea's: everyday
# closeness, not disagreements or repair.
DATE_DECK_KINDS = ("connection", "foundation")
# The partial that words the support note; check-in agendas include it, `ritual stats` renders it.
SUPPORT_TEMPLATE = f"_support{templates_dir.SUFFIX}"
# The note on safety that ends every agenda; `ritual stats` shows it beside the support note.
SAFETY_TEMPLATE = f"_safety{templates_dir.SUFFIX}"
# What `ritual start repair` shows during a break called under the pause rule.
BREAK_TEMPLATE = f"_break{templates_dir.SUFFIX}"
BREAK_MINUTES = 20


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


class FirstMonth(NamedTuple):
    """Where a check-in is on the foundation path (shown only during the first month)."""

    step: int  # 1, 2, …
    steps: int  # how many there are


class RepairStep(NamedTuple):
    """A step of the repair agenda, with the prompts the couple's limits allow."""

    id: str
    stage: str
    title: str
    origin: str
    guide: str
    minutes: int
    sources: tuple[str, ...]
    prompts: tuple[Prompt, ...]


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
    ``History()`` for the example couple); a check-in's follow-through comes from
    it, and, when ``couple.start`` is unset, the date the couple began.
    ``shared``: the agenda goes where others may see it (a calendar, a cron mail).
    Commitments still carry over, but the gentle opening, which ratings trigger,
    stays out (ratings never leave the couple's own agenda, not even by inference),
    and so do the couple's own topics: only how many wait.
    """
    ritual = prefs.ritual(occ.ritual)
    began = firstmonth.began(prefs, history)
    context: dict[str, Any] = _common(prefs) | {
        "ritual": occ.ritual,
        "when": templating.trusted(When.of(occ, prefs.couple.timezone)),
        "duration": ritual.duration,
        "location": ritual.location,
        "timebox": _boxes(ritual.duration),
    }
    if occ.ritual == "checkin":
        focus = selection.focus_practice(prefs, occ, began)
        step = firstmonth.path_step(prefs, began, occ.date)
        queued = _queued(history.topics, occ)
        context |= {
            "format": prefs.checkin.format,
            "focus": focus,
            "focus_does": SECTION_OF.get(focus.id) if focus else None,
            "first_month": FirstMonth(step, firstmonth.path_length()) if step else None,
            "practices": {p.id: p for p in library.load().practices},
            "prompts": list(selection.prompts(prefs, occ, began)),
            "speakers": list(selection.speakers(prefs, occ)),
            "carry": _carry(prefs, history, occ, shared),
            "topics": [] if shared else queued,
            "topics_elsewhere": len(queued) if shared else 0,
        }
    else:
        fit = date_ideas.idea_fit(prefs, occ)
        context |= {
            "part_of_day": date_ideas.time_of_day(occ.start.time()),
            "practices": {p.id: p for p in library.load().practices},
            "idea": fit.idea,
            "idea_note": templating.trusted(fit.note),  # Markdown: the tags in it are escaped
            "idea_prompts": list(_date_talk(prefs, occ, began, fit.idea)[0]),
            "budget": prefs.dates.budget,
        }
    return templating.render(user_dir, template_name(prefs, occ.ritual), context)


def _common(prefs: Preferences) -> dict[str, Any]:
    """What every template, partials included, may use: agendas, and the notes `stats` shows.

    The safety note names the couple's country's services (or the couple's own words).
    """
    return {
        "partners": list(prefs.couple.partners),
        "depth": prefs.conversation.depth,
        "hotline": hotlines.for_zone(prefs.couple.timezone),
        "own_hotline": prefs.support.hotline,
    }


def _carry(prefs: Preferences, history: History, occ: Occurrence, shared: bool) -> CarryOver:
    carry = carry_over(prefs, history, occ)
    return carry._replace(opening=None) if shared else carry


def _queued(topics: tuple[Topic, ...], occ: Occurrence) -> list[Topic]:
    """The topics waiting for this check-in: the queue, less those added after its day."""
    return [t for t in topics if t.added <= occ.date]


def support_note(support: Support, *, user_dir: Path | None, prefs: Preferences | None = None) -> str:
    """The gentle note suggesting support, as its template words it (one line)."""
    context = (_common(prefs) if prefs else {}) | {"support": support}
    return templating.render(user_dir, SUPPORT_TEMPLATE, context).strip()


def safety_note(prefs: Preferences, *, user_dir: Path | None) -> str:
    """The note on safety that ends every agenda, as Markdown, on its own (for `ritual stats`)."""
    return templating.render(user_dir, SAFETY_TEMPLATE, _common(prefs) | {"ritual": "stats"}).strip()


def break_note(prefs: Preferences, *, user_dir: Path | None) -> str:
    """The grounding text of a repair's break (``BREAK_MINUTES``), as Markdown."""
    return templating.render(user_dir, BREAK_TEMPLATE, _common(prefs) | {"minutes": BREAK_MINUTES}).strip()


def render_repair(prefs: Preferences, *, user_dir: Path | None) -> str:
    """The repair agenda: for after a hard conversation, whenever it is needed.

    Its own deck (repair.toml), in order: the pause rule, then hear, own, plan.
    Prompts as deep as ``conversation.depth`` allows (a fight does not wait for
    the first month's climb), none touching ``conversation.off_limits``.
    """
    level = DEPTHS.index(prefs.conversation.depth)
    off = frozenset(prefs.conversation.off_limits)
    steps = [
        RepairStep(*step[:-1], selection.climbing(step.prompts, level, off)) for step in library.load().repair
    ]
    context = _common(prefs) | {
        "ritual": REPAIR,
        "pause": next((s for s in steps if s.stage == "pause"), None),
        "steps": [s for s in steps if s.stage != "pause"],
    }
    return templating.render(user_dir, template_name(prefs, REPAIR), context)


def _boxes(total: int) -> Callable[[Mapping[str, Any]], dict[str, int]]:
    return lambda weights: timebox(weights, total)


def _date_talk(
    prefs: Preferences, occ: Occurrence, began: dt.date, idea: library.Idea | None
) -> tuple[tuple[Prompt, ...], tuple[Prompt, ...]]:
    """A date night's prompts: those its agenda lists (one per depth, lightest first), and
    every one its idea (or the fallback practice) allows, as deep as the climb goes."""
    level = firstmonth.level(prefs, began, occ.date)
    off = firstmonth.off_limits(prefs, began, occ.date)
    talk = selection.climbing(idea.prompts if idea else _fallback_prompts(), level, off)
    listed = tuple(next(q for q in talk if q.depth == d) for d in dict.fromkeys(q.depth for q in talk))
    return listed, talk


def date_deck(prefs: Preferences, occ: Occurrence, history: History) -> tuple[Prompt, ...]:
    """Every prompt a date night can draw, one after another, none twice (`ritual start`).

    First the prompts its agenda lists, then the rest of its idea's, then the
    conversation decks of the library's connection and foundation practices, in the
    couple's own order, lightest first: each as deep as the climb and
    ``conversation.depth`` allow, none on an ``off_limits`` topic.
    """
    began = firstmonth.began(prefs, history)
    listed, talk = _date_talk(prefs, occ, began, date_ideas.idea_fit(prefs, occ).idea)
    level = firstmonth.level(prefs, began, occ.date)
    off = firstmonth.off_limits(prefs, began, occ.date)
    salt = selection.seed(prefs, DATE_NIGHT)
    decks = [
        q
        for p in library.load().practices
        if p.kind in DATE_DECK_KINDS and not off.intersection(p.tags)
        for q in selection.climbing(p.prompts, level, off)
    ]
    decks.sort(key=lambda q: (q.level, selection.order(salt, q.text)))
    seen: set[str] = set()
    deck = []
    for q in (*listed, *talk, *decks):
        if q.text not in seen:
            seen.add(q.text)
            deck.append(q)
    return tuple(deck)


def _fallback_prompts() -> tuple[Prompt, ...]:
    """What a date night talks about when no idea fits: the shared-vulnerability practice's prompts."""
    practice = library.load().practice(DATE_FALLBACK_PRACTICE)
    return practice.prompts if practice and not practice.tags else ()
