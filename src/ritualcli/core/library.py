"""The content libraries (``templates/library/``): practices, date ideas, the repair deck.

Loaded once per process into immutable records, checked entry by entry
(``library_check``), so a mistake in the shipped content is reported by file and
entry instead of turning into a KeyError in the middle of an agenda. No jinja2 here: ``ritual plan`` reads
the libraries to name the focus practice and the date idea, and must start fast.

The TOML files are the source people edit. Parsing and checking them costs
about 30 ms on every start, so ``library_compiled.py`` holds the checked records
as Python literals: from its .pyc they load in well under a millisecond, with no
``json`` import either. It carries a fingerprint of the TOML it was made from and
of the record fields; when either has changed (an edit without regenerating), or
the module does not read as records, the TOML itself is read and checked, so the
compiled copy can never be stale. Regenerate with ``python -m ritualcli.library``;
``tests/test_library.py`` fails when it is out of date.
"""

# No `from __future__ import annotations`: see preferences.py (start-up cost).

import functools
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from . import templates_dir
from .errors import FileProblemsError, Problem
from .preferences import DEPTHS

PRACTICES_FILE = "practices.toml"
IDEAS_FILE = "ideas.toml"
REPAIR_FILE = "repair.toml"
LIBRARY_FILES = (PRACTICES_FILE, IDEAS_FILE, REPAIR_FILE)
COMPILED_MODULE = Path(__file__).with_name("library_compiled.py")
ENERGIES = ("low", "medium", "high")


class Prompt(NamedTuple):
    text: str
    depth: str  # light | medium | deep
    tags: tuple[str, ...]  # topic tags, matched against conversation.off_limits

    @property
    def level(self) -> int:
        return DEPTHS.index(self.depth)


class Practice(NamedTuple):
    id: str
    title: str
    why: str
    exercise: str
    sources: tuple[str, ...]  # titles of the seed articles (see SOURCES.md)
    tags: tuple[str, ...]  # topics the whole practice touches (vocabulary.TOPICS); rules it out
    origin: str  # the seed's idea it comes from, named in a few words
    kind: str  # vocabulary.KINDS: foundation | connection | conflict | repair
    path: int  # its place (1, 2, …) on the foundation path of the first check-ins; 0 = not on it
    minutes: int  # what the exercise needs, both turns included
    prompts: tuple[Prompt, ...]


class Idea(NamedTuple):
    id: str
    title: str
    setting: str  # home | out | outdoors
    cost: int  # whole currency units for the two of them; 0 = free
    energy: str
    interests: tuple[str, ...]
    tags: tuple[str, ...]  # what a couple may avoid: crowds, alcohol, late-night…
    description: str
    minutes: int  # the least time it needs
    when: tuple[str, ...]  # vocabulary.TIMES_OF_DAY it works at
    seasons: tuple[str, ...]  # vocabulary.SEASONS it works in
    needs_phone: bool  # uses a phone (an app, its camera, a map): the phones-away note must allow it
    prompts: tuple[Prompt, ...]  # a few conversation starters, each deeper than the last

    @property
    def labels(self) -> frozenset[str]:
        """Everything `date_night.avoid` can name: the idea's tags and its interests."""
        return frozenset(self.tags) | frozenset(self.interests)


class RepairStep(NamedTuple):
    """One step of the repair agenda, about the one incident (repair.toml), in order."""

    id: str
    stage: str  # vocabulary.REPAIR_STAGES: pause | hear | own | plan
    title: str
    origin: str  # the seed's idea it comes from, or that it is the project's own addition
    guide: str  # what the two of you do in this step
    minutes: int
    sources: tuple[str, ...]  # titles of the seed articles; empty for the project's own addition
    prompts: tuple[Prompt, ...]


class Library:
    # A plain class, not a record: hashed by identity, so selection's caches key on
    # the loaded library without hashing every practice and idea on each call.
    __slots__ = ("ideas", "practices", "repair")

    def __init__(
        self, practices: tuple[Practice, ...], ideas: tuple[Idea, ...], repair: tuple[RepairStep, ...] = ()
    ) -> None:
        self.practices = practices
        self.ideas = ideas
        self.repair = repair

    def practice(self, practice_id: str) -> Practice | None:
        return next((p for p in self.practices if p.id == practice_id), None)

    def idea(self, idea_id: str) -> Idea | None:
        return next((i for i in self.ideas if i.id == idea_id), None)

    @property
    def topics(self) -> tuple[str, ...]:
        """Every topic tag a prompt or practice carries: what off_limits can rule out."""
        found = {t for p in self.practices for t in p.tags}
        found |= {t for p in self.practices for q in p.prompts for t in q.tags}
        found |= {t for i in self.ideas for q in i.prompts for t in q.tags}
        found |= {t for s in self.repair for q in s.prompts for t in q.tags}
        return tuple(sorted(found))


def load(directory: Path | None = None) -> Library:
    """The libraries in ``directory`` (default: the built-in templates), read once."""
    return _load(directory or _builtin_dir())


@functools.cache
def _builtin_dir() -> Path:
    # Asked once per agenda; importlib.resources is too slow to ask every time.
    return templates_dir.library_dir()


@functools.cache
def _load(directory: Path) -> Library:
    sources = read_sources(directory)
    compiled = _compiled(fingerprint(sources)) if directory == _builtin_dir() else None
    if compiled is None:
        from .library_check import checked  # the TOML itself: only after an edit not yet compiled

        return checked(directory, sources)
    return compiled


def read_sources(directory: Path) -> dict[str, bytes]:
    out = {}
    for name in LIBRARY_FILES:
        path = directory / name
        try:
            out[name] = path.read_bytes()
        except OSError as exc:
            raise FileProblemsError(str(path), [Problem("", f"cannot read: {exc.strerror or exc}")]) from None
    return out


def fingerprint(sources: Mapping[str, bytes]) -> str:
    """What the compiled records depend on: the TOML's bytes and the records' fields.

    Detects an edit, not an attacker: crc32 needs no OpenSSL load at start-up.
    """
    files = "-".join(f"{zlib.crc32(data):08x}:{len(data)}" for _, data in sorted(sources.items()))
    fields = ",".join(Practice._fields + Idea._fields + RepairStep._fields + Prompt._fields)
    return f"{files}/{zlib.crc32(fields.encode()):08x}"


def _compiled(expected: str) -> Library | None:
    """The records in library_compiled.py, if made from exactly this TOML (checked then)."""
    try:
        from . import library_compiled as compiled

        if expected != compiled.FINGERPRINT:
            return None
        return Library(
            practices=tuple(_record(Practice, p) for p in compiled.PRACTICES),
            ideas=tuple(_record(Idea, i) for i in compiled.IDEAS),
            repair=tuple(_record(RepairStep, r) for r in compiled.REPAIR),
        )
    except Exception:  # missing or damaged in any way (even a SyntaxError): check the TOML instead
        return None


R = TypeVar("R", Practice, Idea, RepairStep)


def _record(kind: type[R], fields: tuple[Any, ...]) -> R:
    # The last field is the prompts; the wrong number of fields is a TypeError.
    *head, prompts = fields
    return kind._make([*head, tuple(Prompt(text, depth, tags) for text, depth, tags in prompts)])


if __name__ == "__main__":  # python -m ritualcli.library: regenerate library_compiled.py
    from ritualcli.core.library_check import main

    main()
