"""Reading and checking the libraries' TOML, entry by entry.

Not on the start-up path once the checked records are compiled (see ``library``):
this runs when the wheel is built, on a checkout's first run and after an edit to
the TOML, and from ``python -m ritualcli.core.library``, which checks the built-in
libraries after an edit. Every problem in a file is reported at once, with its line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol, TypeVar

from . import filecheck, templates_dir
from .errors import RitualError
from .filecheck import Checker
from .library import (
    ENERGIES,
    IDEAS_FILE,
    PRACTICES_FILE,
    Idea,
    Library,
    Practice,
    Prompt,
    read_sources,
)
from .preferences import DEPTHS, PLACES

PRACTICE_KEYS = Practice._fields
IDEA_KEYS = Idea._fields
PROMPT_KEYS = Prompt._fields


def checked(directory: Path, sources: Mapping[str, bytes]) -> Library:
    """The libraries from their TOML, every entry checked."""
    return Library(
        practices=_read(directory / PRACTICES_FILE, sources[PRACTICES_FILE], "practice", _practice),
        ideas=_read(directory / IDEAS_FILE, sources[IDEAS_FILE], "idea", _idea),
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
) -> tuple[T, ...]:
    text = filecheck.decode(data, str(path))
    doc = filecheck.parse_toml(text, str(path), "library")
    problems = Checker(str(path), text)
    for name in doc:
        if name != table:
            problems.unknown(name, (table,))
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
    problems.raise_if_any()
    return tuple(out)


def _known(entry: Mapping[str, Any], key: str, allowed: tuple[str, ...], problems: Checker) -> None:
    for name in entry:
        if name not in allowed:
            problems.unknown(f"{key}.{name}", allowed)


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


def _prompt(raw: object, key: str, problems: Checker, default_depth: str | None = None) -> Prompt | None:
    if isinstance(raw, str) and default_depth is not None:
        return Prompt(raw.strip(), default_depth, ())
    if not isinstance(raw, dict):
        problems.add(key, "expected a table with text, depth and tags")
        return None
    _known(raw, key, PROMPT_KEYS, problems)
    text = _text(raw, key, "text", problems)
    depth = raw.get("depth", default_depth)
    if depth not in DEPTHS:
        problems.add(f"{key}.depth", f"{depth!r} is not one of {', '.join(DEPTHS)}")
        return None
    if "tags" not in raw and default_depth is None:
        problems.add(f"{key}.tags", "every prompt needs topic tags (an empty list if it touches none)")
    tags = _strings(raw, key, "tags", problems)
    return Prompt(text, depth, tags) if text else None


def _practice(entry: Mapping[str, Any], key: str, problems: Checker) -> Practice | None:
    before = len(problems.problems)
    _known(entry, key, PRACTICE_KEYS, problems)
    raw_prompts = entry.get("prompts", [])
    if not isinstance(raw_prompts, list) or len(raw_prompts) < 3:
        problems.add(f"{key}.prompts", "a practice needs at least three prompts")
        raw_prompts = raw_prompts if isinstance(raw_prompts, list) else []
    prompts = [_prompt(p, f"{key}.prompts[{i}]", problems) for i, p in enumerate(raw_prompts, start=1)]
    practice = Practice(
        id=_text(entry, key, "id", problems),
        title=_text(entry, key, "title", problems),
        why=_text(entry, key, "why", problems),
        exercise=_text(entry, key, "exercise", problems),
        sources=_strings(entry, key, "sources", problems),
        tags=_strings(entry, key, "tags", problems),
        prompts=tuple(p for p in prompts if p is not None),
    )
    if not practice.sources:
        problems.add(f"{key}.sources", "name the seed article the practice comes from")
    return practice if len(problems.problems) == before else None


def _idea(entry: Mapping[str, Any], key: str, problems: Checker) -> Idea | None:
    before = len(problems.problems)
    _known(entry, key, IDEA_KEYS, problems)
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
    raw_prompts = entry.get("prompts", [])
    if not isinstance(raw_prompts, list) or not raw_prompts:
        problems.add(f"{key}.prompts", "expected conversation prompts")
        raw_prompts = []
    # Plain-string prompts are written to deepen in order: the first light, then
    # medium, then deep, so `conversation.depth` can cut the list short.
    prompts = [
        _prompt(p, f"{key}.prompts[{i + 1}]", problems, DEPTHS[min(i, len(DEPTHS) - 1)])
        for i, p in enumerate(raw_prompts)
    ]
    idea = Idea(
        id=_text(entry, key, "id", problems),
        title=_text(entry, key, "title", problems),
        setting=str(setting),
        cost=cost,
        energy=str(energy),
        interests=tuple(t.lower() for t in _strings(entry, key, "interests", problems)),
        tags=tuple(t.lower() for t in _strings(entry, key, "tags", problems)),
        description=_text(entry, key, "description", problems),
        prompts=tuple(p for p in prompts if p is not None),
    )
    return idea if len(problems.problems) == before else None


def main() -> int:
    """Check the built-in libraries: ``python -m ritualcli.core.library`` after editing them."""
    folder = templates_dir.library_dir()
    try:
        lib = checked(folder, read_sources(folder))
    except RitualError as exc:
        print("\n".join(exc.lines()), file=sys.stderr)
        return exc.exit_code
    print(f"{folder}: {len(lib.practices)} practices and {len(lib.ideas)} ideas, no problems")
    return 0
