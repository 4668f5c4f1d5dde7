"""Agenda templates: where they are found, and rendering them in a sandbox.

Templates are Jinja2, run in a sandbox with ``StrictUndefined``: a user's own
template (``templates/`` beside the preferences file, found before the built-in
one of the same name) can neither reach Python internals nor silently print
nothing for a misspelt variable. Any error in a template is reported as that
file and line (exit 2), never as a traceback.

jinja2 is imported inside the functions that render: ``ritual plan`` never pays
for it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import templates_dir
from .errors import FileProblemsError, Problem, RitualError, UsageError
from .text import escape

if TYPE_CHECKING:
    from jinja2.bccache import Bucket, BytecodeCache
    from jinja2.sandbox import SandboxedEnvironment


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


# --------------------------------------------------------------------------- rendering


@functools.cache
def _environment(user_dir: Path | None) -> SandboxedEnvironment:
    from jinja2 import FileSystemLoader, StrictUndefined

    search = [str(p) for p in (user_dir, templates_dir.builtin_dir()) if p is not None]
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
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


def render(user_dir: Path | None, name: str, context: Mapping[str, Any]) -> str:
    """Render the template ``name`` (user's first, then built-in) with ``context``."""
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
