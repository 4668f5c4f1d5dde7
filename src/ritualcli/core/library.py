"""The content libraries (``templates/library/``): practices, date ideas, the repair deck.

Loaded once per process into immutable records, checked entry by entry
(``library_check``), so a mistake in the shipped content is reported by file and
line instead of turning into a KeyError in the middle of an agenda. No jinja2 here:
``ritual plan`` reads the libraries to name the focus practice and the date idea,
and must start fast.

The TOML files are the source people edit. Parsing and checking them costs about
20 ms, a quarter of what ``ritual plan`` takes, so the checked records are also kept
compiled: marshalled plain tuples that load in under 2 ms. The wheel ships
them (``hatch_build.py`` compiles them at build time, beside this module); a source
checkout or an editable install compiles them on first use into the user's cache
folder (``cache``). Either copy carries a fingerprint of the TOML and of the code
that checks it, and is used only when that matches: an edit is picked up at once,
and a compiled copy that is missing, stale or damaged in any way just means the
TOML is read and checked (then cached again).
"""

from __future__ import annotations

import functools
import marshal
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from . import cache, filecheck, templates_dir
from .preferences import DEPTHS

PRACTICES_FILE = "practices.toml"
IDEAS_FILE = "ideas.toml"
REPAIR_FILE = "repair.toml"
LIBRARY_FILES = (PRACTICES_FILE, IDEAS_FILE, REPAIR_FILE)
MAX_BYTES = 4 << 20  # the shipped files are ~50 KB each
CODE_FILES = ("library.py", "library_check.py")
PACKAGED_FILE = "library_compiled.bin"  # in the wheel, beside this module
CACHE_FILE = "library.bin"  # in the cache folder, for a checkout
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
    light: str  # vocabulary.LIGHT it needs (sunrise | sunset | dark); "" = any light
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
    def path(self) -> tuple[Practice, ...]:
        """The foundation path the first check-ins walk, in order (``path`` 1, 2, …)."""
        return _path(self)

    @property
    def topics(self) -> tuple[str, ...]:
        """Every topic tag a prompt or practice carries: what off_limits can rule out."""
        found = {t for p in self.practices for t in p.tags}
        found |= {t for p in self.practices for q in p.prompts for t in q.tags}
        found |= {t for i in self.ideas for q in i.prompts for t in q.tags}
        found |= {t for s in self.repair for q in s.prompts for t in q.tags}
        return tuple(sorted(found))


@functools.cache
def _path(lib: Library) -> tuple[Practice, ...]:
    return tuple(sorted((p for p in lib.practices if p.path), key=lambda p: p.path))


def load(directory: Path | None = None) -> Library:
    """The libraries in ``directory`` (default: the built-in ones), read once."""
    return _load(directory or _builtin_dir())


@functools.cache
def _builtin_dir() -> Path:
    # Asked once per agenda; importlib.resources is too slow to ask every time.
    return templates_dir.library_dir()


@functools.cache
def _load(directory: Path) -> Library:
    sources = read_sources(directory)
    if directory != _builtin_dir():
        from .library_check import checked

        return checked(directory, sources)
    key = fingerprint(sources)
    lib = from_compiled(_packaged(), key) or from_compiled(cache.read(CACHE_FILE), key)
    if lib is None:
        from .library_check import checked  # the TOML itself: a checkout's first run, or after an edit

        lib = checked(directory, sources)
        cache.write(CACHE_FILE, compiled(lib, key))
    return lib


def read_sources(directory: Path) -> dict[str, bytes]:
    """The bytes of each library file in ``directory``."""
    return {name: filecheck.read_bytes(directory / name, "library", MAX_BYTES) for name in LIBRARY_FILES}


def fingerprint(sources: Mapping[str, bytes]) -> str:
    """What the compiled records depend on: the TOML, and the code that checks it and
    defines the records (this module and ``library_check``).

    Detects an edit, not an attacker: crc32 needs no OpenSSL load at start-up.
    """
    code = [_bytes_or_empty(Path(__file__).with_name(name)) for name in CODE_FILES]
    return "-".join(f"{zlib.crc32(data):08x}:{len(data)}" for data in [*sources.values(), *code])


def _bytes_or_empty(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # no source beside the bytecode: the fingerprint still differs from a checkout's
        return b""


# --------------------------------------------------------------------------- compiled

# A compiled library: MAGIC, the crc32 of the rest in hex and a newline, then
# marshal data (format 4, read by every Python 3) of (fingerprint, practices,
# ideas, repair steps), each record a plain tuple. The crc32 catches a damaged file before
# marshal (not built to read damaged data) ever sees it.
MAGIC = b"ritual-library 1\n"


def compiled(lib: Library, key: str) -> bytes:
    """``lib`` as a compiled library made from the sources whose fingerprint is ``key``."""

    def plain(
        records: tuple[Practice, ...] | tuple[Idea, ...] | tuple[RepairStep, ...],
    ) -> tuple[tuple[Any, ...], ...]:
        # The last field is the prompts: plain tuples too.
        return tuple((*r[:-1], tuple(tuple(q) for q in r.prompts)) for r in records)

    data = marshal.dumps((key, plain(lib.practices), plain(lib.ideas), plain(lib.repair)), 4)
    return MAGIC + f"{zlib.crc32(data):08x}\n".encode() + data


def from_compiled(blob: bytes | None, key: str) -> Library | None:
    """The library in ``blob``, if it is whole and was made from the sources ``key`` names."""
    if blob is None or not blob.startswith(MAGIC):
        return None
    checksum, data = blob[len(MAGIC) : len(MAGIC) + 9], blob[len(MAGIC) + 9 :]
    try:
        if checksum != f"{zlib.crc32(data):08x}\n".encode():
            return None
        made_from, practices, ideas, repair = marshal.loads(data)
        if made_from != key:
            return None
        return Library(
            practices=tuple(_record(Practice, p) for p in practices),
            ideas=tuple(_record(Idea, i) for i in ideas),
            repair=tuple(_record(RepairStep, r) for r in repair),
        )
    except Exception:  # the right checksum on the wrong shape: rebuild, never fail
        return None


def _packaged() -> bytes | None:
    """The compiled library the wheel ships beside this module (a checkout has none)."""
    try:
        return Path(__file__).with_name(PACKAGED_FILE).read_bytes()
    except OSError:
        return None


R = TypeVar("R", Practice, Idea, RepairStep)


def _record(kind: type[R], fields: tuple[Any, ...]) -> R:
    # The last field is the prompts; the wrong number of fields is a TypeError.
    *head, prompts = fields
    return kind._make([*head, tuple(Prompt(text, depth, tags) for text, depth, tags in prompts)])


if __name__ == "__main__":  # python -m ritualcli.core.library: check the TOML after editing it
    # A maintainer's script, run as one: the only place in the core that prints or exits.
    import sys

    from ritualcli.core.errors import RitualError
    from ritualcli.core.library_check import check_builtin

    try:
        print(check_builtin())
    except RitualError as exc:
        print("\n".join(exc.lines()), file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
