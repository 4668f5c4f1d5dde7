"""Reading and checking the libraries' TOML, entry by entry.

Not on the start-up path once the checked records are compiled (see ``library``):
this runs when the wheel is built, on a checkout's first run and after an edit to
the TOML, and from ``python -m ritualcli.core.library``, which checks the built-in
libraries after an edit. Every problem in a file is reported at once, with its line;
every word a file uses comes from the fixed vocabularies in ``vocabulary``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol, TypeVar

from . import filecheck, templates_dir
from .filecheck import Checker, with_suggestion
from .library import (
    ENERGIES,
    IDEAS_FILE,
    PRACTICES_FILE,
    REPAIR_FILE,
    Idea,
    Library,
    Practice,
    Prompt,
    RepairStep,
    read_sources,
)
from .preferences import DEPTHS, PLACES
from .vocabulary import AVOID, INTERESTS, KINDS, LIGHT, REPAIR_STAGES, SEASONS, TIMES_OF_DAY, TOPICS


def checked(directory: Path, sources: Mapping[str, bytes]) -> Library:
    """The libraries from their TOML, every entry checked."""
    return Library(
        practices=_read(
            directory / PRACTICES_FILE, sources[PRACTICES_FILE], "practice", _practice, _check_path
        ),
        ideas=_read(directory / IDEAS_FILE, sources[IDEAS_FILE], "idea", _idea),
        repair=_read(directory / REPAIR_FILE, sources[REPAIR_FILE], "step", _repair_step, _check_stages),
    )


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_HasId)


def _read(
    path: Path,
    data: bytes,
    table: str,
    build: Callable[[Mapping[str, Any], str, Checker], T | None],
    across: Callable[[tuple[T, ...], Checker], None] | None = None,
) -> tuple[T, ...]:
    """Every ``[[table]]`` of a file, each built and checked; ``across`` checks them together."""
    text = filecheck.decode(data, str(path))
    doc = filecheck.parse_toml(text, str(path), "library")
    problems = Checker(str(path), text)
    problems.unknown_keys("", doc, (table,))
    entries = doc.get(table)
    if not isinstance(entries, list) or not entries:
        problems.add(table, f"expected one or more [[{table}]] tables")
        entries = []
    out: list[T] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        key = f"{table}[{n}]"
        if not isinstance(entry, dict):
            problems.add(key, "expected a table")
            continue
        item = build(entry, key, problems)
        if item is None:
            continue
        if item.id in seen:
            problems.add(f"{key}.id", f"{item.id!r} is used twice")
        seen.add(item.id)
        out.append(item)
    if across is not None and not problems:
        across(tuple(out), problems)
    problems.raise_if_any()
    return tuple(out)


def _text(entry: Mapping[str, Any], key: str, name: str, problems: Checker) -> str:
    value = entry.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.add(f"{key}.{name}", "expected a non-empty string")
        return ""
    return value.strip()


def _strings(entry: Mapping[str, Any], key: str, name: str, problems: Checker) -> tuple[str, ...]:
    value = entry.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(f"{key}.{name}", "expected an array of non-empty strings")
        return ()
    return tuple(v.strip() for v in value)


def _prompt(raw: object, key: str, problems: Checker) -> Prompt | None:
    if not isinstance(raw, dict):
        problems.add(key, "expected a table with text, depth and tags")
        return None
    problems.unknown_keys(key, raw, Prompt._fields)
    text = _text(raw, key, "text", problems)
    depth = raw.get("depth")
    if depth not in DEPTHS:
        problems.add(f"{key}.depth", f"{depth!r} is not one of {', '.join(DEPTHS)}")
        return None
    if "tags" not in raw:
        problems.add(f"{key}.tags", "every prompt needs topic tags (an empty list if it touches none)")
    tags = _words(raw, key, "tags", TOPICS, "topic", problems)
    return Prompt(text, depth, tags) if text else None


def _prompts(entry: Mapping[str, Any], key: str, problems: Checker, least: int) -> tuple[Prompt, ...]:
    raw_prompts = entry.get("prompts", [])
    if not isinstance(raw_prompts, list) or len(raw_prompts) < least:
        problems.add(f"{key}.prompts", f"expected at least {least} prompts")
        raw_prompts = raw_prompts if isinstance(raw_prompts, list) else []
    prompts = [_prompt(p, f"{key}.prompts[{i}]", problems) for i, p in enumerate(raw_prompts, start=1)]
    return tuple(p for p in prompts if p is not None)


def _words(
    entry: Mapping[str, Any],
    key: str,
    name: str,
    vocabulary: Mapping[str, str],
    what: str,
    problems: Checker,
) -> tuple[str, ...]:
    """An array of words from a fixed vocabulary: an unknown one names the closest and the list."""
    words = _strings(entry, key, name, problems)
    for word in words:
        if word not in vocabulary:
            message = with_suggestion(f"unknown {what} {word!r}", word, vocabulary)
            problems.add(f"{key}.{name}", f"{message} (known: {', '.join(vocabulary)})")
    if len(set(words)) != len(words):
        problems.add(f"{key}.{name}", "lists a word twice")
    return words


def _minutes(entry: Mapping[str, Any], key: str, problems: Checker, most: int) -> int:
    value = entry.get("minutes")
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
        problems.add(f"{key}.minutes", f"expected a whole number of minutes, 1 to {most}")
        return 0
    return value


def _choice(
    entry: Mapping[str, Any], key: str, name: str, choices: Mapping[str, str], problems: Checker
) -> str:
    value = entry.get(name)
    if value not in choices:
        problems.add(f"{key}.{name}", f"{value!r} is not one of {', '.join(choices)}")
        return ""
    return str(value)


def _practice(entry: Mapping[str, Any], key: str, problems: Checker) -> Practice | None:
    before = len(problems.problems)
    problems.unknown_keys(key, entry, Practice._fields)
    kind = _choice(entry, key, "kind", KINDS, problems)
    path = entry.get("path", 0)
    if isinstance(path, bool) or not isinstance(path, int) or path < 0:
        problems.add(f"{key}.path", "expected a whole number: the place on the foundation path (1, 2, …)")
        path = 0
    elif (path > 0) != (kind == "foundation"):
        problems.add(
            f"{key}.path", "a foundation practice has a place on the path (path = 1, 2, …); no other does"
        )
    practice = Practice(
        id=_text(entry, key, "id", problems),
        title=_text(entry, key, "title", problems),
        why=_text(entry, key, "why", problems),
        exercise=_text(entry, key, "exercise", problems),
        sources=_strings(entry, key, "sources", problems),
        tags=_words(entry, key, "tags", TOPICS, "topic", problems),
        origin=_text(entry, key, "origin", problems),
        kind=kind,
        path=path,
        minutes=_minutes(entry, key, problems, most=60),
        prompts=_prompts(entry, key, problems, least=3),
    )
    if not practice.sources:
        problems.add(f"{key}.sources", "name the seed article the practice comes from")
    return practice if len(problems.problems) == before else None


def _check_path(practices: tuple[Practice, ...], problems: Checker) -> None:
    """The foundation path is walked in order: its places are exactly 1, 2, … n."""
    places = sorted(p.path for p in practices if p.path)
    if places != list(range(1, len(places) + 1)):
        problems.add("practice", f"the foundation path must be 1, 2, … with no gaps; found {places}")


def _repair_step(entry: Mapping[str, Any], key: str, problems: Checker) -> RepairStep | None:
    before = len(problems.problems)
    problems.unknown_keys(key, entry, RepairStep._fields)
    stage = _choice(entry, key, "stage", REPAIR_STAGES, problems)
    step = RepairStep(
        id=_text(entry, key, "id", problems),
        stage=stage,
        title=_text(entry, key, "title", problems),
        origin=_text(entry, key, "origin", problems),
        guide=_text(entry, key, "guide", problems),
        minutes=_minutes(entry, key, problems, most=60),
        sources=_strings(entry, key, "sources", problems),
        # The pause rule is a rule, not a conversation: it may go without prompts.
        prompts=_prompts(entry, key, problems, least=0 if stage == "pause" else 1),
    )
    return step if len(problems.problems) == before else None


def _check_stages(steps: tuple[RepairStep, ...], problems: Checker) -> None:
    """The repair steps come in the order of the stages: pause, hear, own, plan, each present."""
    order = list(REPAIR_STAGES)
    stages = [s.stage for s in steps]
    if stages != sorted(stages, key=order.index) or set(stages) != set(order):
        problems.add("step", f"steps must go {' → '.join(order)}, each at least once; found {stages}")


def _idea(entry: Mapping[str, Any], key: str, problems: Checker) -> Idea | None:
    before = len(problems.problems)
    problems.unknown_keys(key, entry, Idea._fields)
    setting = entry.get("setting")
    if setting not in PLACES:
        problems.add(f"{key}.setting", f"{setting!r} is not one of {', '.join(PLACES)}")
    energy = entry.get("energy")
    if energy not in ENERGIES:
        problems.add(f"{key}.energy", f"{energy!r} is not one of {', '.join(ENERGIES)}")
    cost = entry.get("cost")
    if isinstance(cost, bool) or not isinstance(cost, int) or cost < 0:
        problems.add(f"{key}.cost", "expected a whole number, 0 or more")
        cost = 0
    needs_phone = entry.get("needs_phone")
    if not isinstance(needs_phone, bool):
        problems.add(f"{key}.needs_phone", "expected true or false: does the idea use a phone?")
    when = _words(entry, key, "when", TIMES_OF_DAY, "time of day", problems)
    seasons = _words(entry, key, "seasons", SEASONS, "season", problems)
    for name, words in (("when", when), ("seasons", seasons)):
        if not words:
            problems.add(f"{key}.{name}", "name at least one")
    idea = Idea(
        id=_text(entry, key, "id", problems),
        title=_text(entry, key, "title", problems),
        setting=str(setting),
        cost=cost,
        energy=str(energy),
        interests=_words(entry, key, "interests", INTERESTS, "interest", problems),
        tags=_words(entry, key, "tags", AVOID, "avoid tag", problems),
        description=_text(entry, key, "description", problems),
        minutes=_minutes(entry, key, problems, most=24 * 60),
        when=when,
        seasons=seasons,
        needs_phone=needs_phone is True,
        light=_light(entry, key, problems),
        prompts=_prompts(entry, key, problems, least=3),
    )
    # Prompts climb: the first light, none shallower than the one before, every depth offered.
    levels = [DEPTHS.index(q.depth) for q in idea.prompts]
    if levels and (levels != sorted(levels) or set(levels) != set(range(len(DEPTHS)))):
        problems.add(f"{key}.prompts", f"prompts must climb {' → '.join(DEPTHS)}, each depth at least once")
    return idea if len(problems.problems) == before else None


def _light(entry: Mapping[str, Any], key: str, problems: Checker) -> str:
    """The light an idea needs, one word of vocabulary.LIGHT; left out, it needs none."""
    value = entry.get("light", "")
    if value == "":
        return ""
    if not isinstance(value, str):
        problems.add(f"{key}.light", f"expected one word: {', '.join(LIGHT)}")
        return ""
    if value not in LIGHT:
        message = with_suggestion(f"unknown light {value!r}", value, LIGHT)
        problems.add(f"{key}.light", f"{message} (known: {', '.join(LIGHT)})")
        return ""
    return value


def check_builtin() -> str:
    """Check the built-in libraries (``python -m ritualcli.core.library`` after editing
    them): what they hold, or a FileProblemsError naming each problem."""
    folder = templates_dir.library_dir()
    lib = checked(folder, read_sources(folder))
    return (
        f"{folder}: {len(lib.practices)} practices, {len(lib.ideas)} ideas and "
        f"{len(lib.repair)} repair steps, no problems"
    )
