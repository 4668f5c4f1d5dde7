"""Agendas: Markdown for a check-in, a date night or a repair, rendered from templates.

Templates are Jinja2, run in a sandbox with ``StrictUndefined``: a user's own
template (``templates/`` beside the preferences file, found before the built-in
one of the same name) can neither reach Python internals nor silently print
nothing for a misspelt variable. Any error in a template is reported as that
file and line (exit 2), never as a traceback.

Every user-provided string reaches the templates raw and is escaped there with
the ``md`` filter, so a name or a commitment cannot inject Markdown or HTML.
jinja2 is imported inside the functions that render: ``ritual plan`` never pays
for it.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import history, library, selection, templates_dir
from .errors import FileProblemsError, Problem, RitualError, UsageError
from .library import Practice, Prompt
from .preferences import DEPTHS, Preferences
from .schedule import Occurrence
from .text import escape

if TYPE_CHECKING:
    from jinja2.bccache import Bucket, BytecodeCache
    from jinja2.sandbox import SandboxedEnvironment

SAFETY = "_safety"
DATE_NIGHT = "date-night"
REPAIR = "repair"
# The steps of repair, in order, as the seed articles give them.
REPAIR_STEPS = ("acknowledge", "do-your-part", "validation", "curiosity", "seeking-support")
# The practice a date night falls back on for conversation when no idea fits.
DATE_FALLBACK_PRACTICE = "shared-vulnerability"


# English names, as strftime's %A and %B give them: ritual never sets a locale.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class When(NamedTuple):
    """An occurrence's date and time, ready to print.

    A NamedTuple (same repr as the dataclass it was) built without strftime: four
    strftime calls and a frozen dataclass cost ~16 us, once per agenda of an export.
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
        weekday = WEEKDAYS[d.weekday()]
        return cls(
            d.isoformat(),
            weekday,
            f"{weekday} {d.day} {MONTHS[d.month - 1]} {d.year}",
            f"{start.hour:02d}:{start.minute:02d}",
            f"{end.hour:02d}:{end.minute:02d}",
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


class TemplateEntry(NamedTuple):
    name: str  # e.g. "checkin/weekly", "date-night", "_safety"
    builtin: Path | None
    user: Path | None

    @property
    def winner(self) -> Path:
        path = self.user or self.builtin
        assert path is not None
        return path


def catalog(user_dir: Path | None) -> list[TemplateEntry]:
    """Every template, built-in and user, by name; a user's file wins over a built-in one."""

    def scan(base: Path | None) -> dict[str, Path]:
        if base is None or not base.is_dir():
            return {}
        found: dict[str, Path] = {}
        for path in sorted(base.rglob(f"*{templates_dir.SUFFIX}")):
            if path.is_file():
                found[path.relative_to(base).as_posix()[: -len(templates_dir.SUFFIX)]] = path
        return found

    builtin, user = scan(templates_dir.builtin_dir()), scan(user_dir)
    return [TemplateEntry(n, builtin.get(n), user.get(n)) for n in sorted(builtin.keys() | user.keys())]


def find_template(name: str, user_dir: Path | None) -> TemplateEntry:
    """Look a template up by name: "checkin/weekly", "weekly", "date-night.md.j2", "safety"."""
    entries = {e.name: e for e in catalog(user_dir)}
    wanted = name.strip().removesuffix(templates_dir.SUFFIX)
    for candidate in (wanted, f"{templates_dir.CHECKIN_DIR}/{wanted}", f"_{wanted}"):
        if candidate in entries:
            return entries[candidate]
    import difflib

    # Match the short forms too ("weekly" for "checkin/weekly", "safety" for "_safety").
    short = {n.rsplit("/", 1)[-1].lstrip("_"): n for n in entries}
    near = difflib.get_close_matches(wanted.lstrip("_"), list(short), n=1)
    tip = f"did you mean {short[near[0]]!r}? " if near else ""
    raise UsageError(
        f"no template named {name!r}",
        hint=f"{tip}`ritual templates list` shows them all: {', '.join(entries)}",
    )


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
    data_dir: Path | None,
    shared: bool = False,
) -> str:
    """The Markdown agenda of one occurrence (a check-in or a date night).

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
    }
    if occ.ritual == "checkin":
        context |= {
            "format": prefs.checkin.format,
            "focus": selection.focus_practice(prefs, occ),
            "prompts": list(selection.prompts(prefs, occ)),
            "speakers": list(selection.speakers(prefs, occ)),
            "carry": _carry(prefs, data_dir, occ, shared),
            "timebox": _boxes(ritual.duration),
        }
    else:
        fit = selection.idea_fit(prefs, occ)
        context |= {
            "idea": fit.idea,
            "idea_note": fit.note,
            "idea_prompts": list(
                selection.idea_prompts(prefs, fit.idea) if fit.idea else _fallback_prompts(prefs)
            ),
            "budget": prefs.dates.budget,
            "timebox": _boxes(ritual.duration),
        }
    return _render(user_dir, template_name(prefs, occ.ritual), context)


def _carry(prefs: Preferences, data_dir: Path | None, occ: Occurrence, shared: bool) -> history.CarryOver:
    carry = history.carry_over(prefs, data_dir, occ)
    return carry._replace(support=None) if shared else carry


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
    }
    return _render(user_dir, template_name(prefs, REPAIR), context)


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


def _plain_fields() -> dict[type, frozenset[str]]:
    """The data fields of the records agendas are rendered from, by type."""
    from jinja2.runtime import LoopContext

    records: tuple[type, ...] = (
        When,
        Practice,
        Prompt,
        library.Idea,
        history.CarryOver,
        history.OpenCommitment,
        RepairStep,
    )
    found = {cls: frozenset(cls._fields) for cls in records}  # type: ignore[attr-defined]  # NamedTuples
    found[LoopContext] = frozenset(("index", "index0", "revindex", "revindex0", "first", "last", "length"))
    return found


@functools.cache
def _sandbox_class() -> type[SandboxedEnvironment]:
    from jinja2.sandbox import SandboxedEnvironment

    plain = _plain_fields()
    dict_attributes = frozenset(dir(dict))

    class Sandbox(SandboxedEnvironment):
        """The sandbox, with a short way to the fields an agenda reads most.

        An agenda reads ~30 attributes (when.long, focus.title, box.safety,
        loop.index…); each went through getattr, then is_safe_attribute and
        is_internal_attribute (~1.3 us apiece). Here a data field of ritual's own
        records (and a loop's counters, and a plain dict's key that no dict
        attribute shadows) is returned directly: the very value the full path
        returns, and one it always allows, as none is a function, a type or
        internal, and none starts with "_". Anything else, anything a user
        template reaches for beyond those fields, takes the full path.
        """

        def getattr(self, obj: Any, attribute: str) -> Any:
            kind = type(obj)
            if attribute in plain.get(kind, ()):
                return getattr(obj, attribute)
            if kind is dict and attribute in obj and attribute not in dict_attributes:
                return obj[attribute]
            return super().getattr(obj, attribute)

    return Sandbox


@functools.cache
def _environment(user_dir: Path | None) -> SandboxedEnvironment:
    from jinja2 import FileSystemLoader, StrictUndefined

    search = [str(p) for p in (user_dir, templates_dir.builtin_dir()) if p is not None]
    env = _sandbox_class()(
        loader=FileSystemLoader(search),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["md"] = lambda value: _md(str(value))
    return env


@functools.lru_cache(maxsize=4096)
def _md(text: str) -> str:
    """``escape``, remembered: an export prints the same names, location and carried
    commitments in every agenda (~10 escapes each, 3 regex passes apiece)."""
    return escape(text)


def cache_dir() -> Path:
    """Where compiled templates are kept: $XDG_CACHE_HOME/ritual, else ~/.cache/ritual."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ritual" / "templates"


def _bytecode_cache() -> BytecodeCache | None:
    """Compiling a check-in template costs ~35 ms, more than rendering it hundreds of
    times; jinja2 keeps the compiled code keyed by the template's source and the
    Python version, so an edited template is compiled afresh. No cache (a read-only
    home, say) only costs time, never an error."""
    from jinja2 import FileSystemBytecodeCache

    from . import fsio

    class QuietCache(FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)  # temp file (0600) renamed into place

    folder = cache_dir()
    try:
        fsio.ensure_dir(folder)  # 0700, like every folder ritual creates
    except RitualError:
        return None
    return QuietCache(str(folder))


def _render(user_dir: Path | None, name: str, context: Mapping[str, Any]) -> str:
    from jinja2 import TemplateNotFound, TemplateSyntaxError
    from jinja2.exceptions import SecurityError, UndefinedError

    env = _environment(user_dir)
    try:
        template = env.get_template(name)
    except TemplateNotFound:
        raise UsageError(
            f"no template {name} (looked in {user_dir or '-'} and the built-in templates)",
            hint="`ritual templates list` shows the templates there are",
        ) from None
    except TemplateSyntaxError as exc:
        raise _problem(
            exc.filename or name, f"template syntax: {exc.message}", exc.lineno, user_dir
        ) from None
    try:
        return template.render(context)
    except RitualError:
        raise
    except TemplateSyntaxError as exc:  # in an included template
        raise _problem(
            exc.filename or name, f"template syntax: {exc.message}", exc.lineno, user_dir
        ) from None
    except Exception as exc:  # anything a template can do wrong: report file and line, not a traceback
        path, line = _template_frame(exc, template.filename or name)
        if isinstance(exc, SecurityError):
            message = f"refused by the template sandbox: {exc}"
        elif isinstance(exc, UndefinedError):
            message = f"{exc.message} (see `ritual templates show` for the variables a template gets)"
        elif isinstance(exc, TemplateNotFound):
            message = f"includes {exc.name!r}, which is not a template here"
        else:
            message = f"{type(exc).__name__}: {exc}"
        raise _problem(path, message, line, user_dir) from None


def _template_frame(exc: BaseException, default: str) -> tuple[str, int | None]:
    """The innermost template file and line in an error's traceback (jinja2 rewrites
    its frames so they name the template file and its line)."""
    found: tuple[str, int | None] = (default, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(templates_dir.SUFFIX):
            found = (frame.filename, frame.lineno)
    return found


def _problem(path: str, message: str, line: int | None, user_dir: Path | None) -> FileProblemsError:
    mine = user_dir is not None and Path(path).is_relative_to(user_dir)
    hint = (
        "fix the template, or delete it to use the built-in one (`ritual templates show NAME` shows it)"
        if mine
        else "this is a built-in template: please report it"
    )
    return FileProblemsError(path, [Problem("", message, line=line)], hint=hint)
