"""Agenda templates: where they are found, and rendering them in a sandbox, with limits.

Templates are Jinja2, run in ``sandbox.LimitedSandbox`` with ``StrictUndefined``: a
user's own template (``templates/`` beside the preferences file, found before the
built-in one of the same name) can neither reach Python internals nor silently
print nothing for a misspelt variable, and user text is escaped for Markdown even
where a template forgets the ``md`` filter (see ``mdsafe``). A render has
``RENDER_SECONDS`` and ``MAX_OUTPUT`` characters at most. Any error in a template,
from a syntax error to a timeout, is reported as that file and line (exit 2),
never as a traceback.

jinja2 is imported inside the functions that render: ``ritual plan`` never pays
for it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import filecheck, templates_dir
from .errors import FileProblemsError, Problem, RitualError, UsageError
from .mdsafe import Md

if TYPE_CHECKING:
    from jinja2 import Environment, Template
    from jinja2.bccache import Bucket, BytecodeCache

    from .sandbox import LimitedSandbox

RENDER_SECONDS = 5.0  # compiling and rendering one agenda: built-in ones take milliseconds
MAX_OUTPUT = 1_000_000  # characters in one agenda
MAX_BYTES = 1_000_000  # the size of a template file


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
            if not path.is_dir():  # a FIFO too: reading it is refused, not skipped silently
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
    # Match the short forms too ("weekly" for "checkin/weekly", "safety" for "_safety").
    short = {n.rsplit("/", 1)[-1].lstrip("_"): n for n in entries}
    tip = filecheck.did_you_mean(wanted.lstrip("_"), short, full=short)
    raise UsageError(
        f"no template named {filecheck.shown(name)}",
        hint=f"{tip + ' ' if tip else ''}`ritual templates list` shows them all: {', '.join(entries)}",
    )


# --------------------------------------------------------------------------- rendering


def trusted(value: Any) -> Any:
    """``value`` marked as ritual's own Markdown for the templates (a record's text
    fields too), so it is printed as it is. Only for text ritual made: a user's words
    inside it must already be escaped."""
    if isinstance(value, str):
        return Md(value)
    if isinstance(value, tuple) and hasattr(value, "_make"):  # a NamedTuple
        return value._make(trusted(v) for v in value)
    return value


@functools.cache
def _environment(user_dir: Path | None) -> LimitedSandbox:
    from jinja2 import StrictUndefined

    from .library import Idea, Practice, Prompt
    from .sandbox import LimitedSandbox

    search = [str(p) for p in (user_dir, templates_dir.builtin_dir()) if p is not None]
    return LimitedSandbox(
        loader=_loader(search),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(),
        own_records=(Practice, Prompt, Idea),  # the library's text is ritual's own
    )


def _loader(search: list[str]) -> Any:
    """jinja's FileSystemLoader, reading through ``filecheck``: a FIFO or a device
    named like a template is refused instead of hanging, a file that is not UTF-8
    is a problem naming its line, and a template is at most MAX_BYTES."""
    from jinja2 import FileSystemLoader, TemplateNotFound
    from jinja2.loaders import split_template_path

    class CheckedLoader(FileSystemLoader):
        def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
            pieces = split_template_path(template)
            for folder in self.searchpath:
                filename = os.path.normpath(os.path.join(folder, *pieces))
                if os.path.lexists(filename):
                    break
            else:
                raise TemplateNotFound(template)
            path = Path(filename)
            text = filecheck.read_text(path, "template", MAX_BYTES)
            mtime = path.stat().st_mtime

            def uptodate() -> bool:
                try:
                    return path.stat().st_mtime == mtime
                except OSError:
                    return False

            return text, filename, uptodate

    return CheckedLoader(search)


def _bytecode_cache() -> BytecodeCache | None:
    """Compiling a check-in template costs ~35 ms, more than rendering it hundreds of
    times; jinja2 keeps the compiled code keyed by the template's source and the
    Python version, so an edited template is compiled afresh. No cache (a read-only
    home, say) only costs time, never an error.

    Compiled code runs outside the sandbox, so a cache folder anyone else could
    have written to is not used (as jinja's own default cache): it and its parent
    must be real folders of ours that no one else may write into. The file names
    carry a fingerprint of the sandbox, so code compiled by an older ritual (with
    other checks) is never loaded."""
    from jinja2 import FileSystemBytecodeCache

    from . import cache

    class QuietCache(FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)  # temp file (0600) renamed into place

    folder = cache.subfolder("templates")
    if folder is None:
        return None
    return QuietCache(str(folder), pattern=f"__ritual_{_sandbox_fingerprint()}_%s.cache")


def _sandbox_fingerprint() -> str:
    from . import digest, mdsafe, sandbox, sandbox_limits

    parts = []
    for module in (sandbox, sandbox_limits, mdsafe):
        try:
            parts.append(Path(module.__file__ or "").read_text(encoding="utf-8"))
        except (OSError, ValueError):  # no source beside the package: its version will do
            from .. import __version__

            parts.append(__version__)
    return digest.sha256_hex("\0".join(parts))[:12]


def render(user_dir: Path | None, name: str, context: Mapping[str, Any]) -> str:
    """Render the template ``name`` (user's first, then built-in) with ``context``,
    within RENDER_SECONDS and MAX_OUTPUT characters."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    env = _environment(user_dir)
    try:
        with _time_limit(RENDER_SECONDS):
            try:
                template = env.get_template(name)
            except TemplateNotFound:
                raise UsageError(
                    f"no template {name} (looked in {user_dir or '-'} and the built-in templates)",
                    hint="`ritual templates list` shows the templates there are",
                ) from None
            except TemplateSyntaxError as exc:
                raise _syntax_problem(exc, name, user_dir) from None
            return _generate(template, context, user_dir)
    except _TimeUp as exc:
        path, line = _interrupted_at(exc, _path_of(name, user_dir))
        raise _problem(
            path, f"took longer than {RENDER_SECONDS:g} seconds to render (a loop too long?)", line, user_dir
        ) from None


def _generate(template: Template, context: Mapping[str, Any], user_dir: Path | None) -> str:
    from jinja2 import TemplateNotFound, TemplateSyntaxError
    from jinja2.exceptions import SecurityError, UndefinedError

    parts: list[str] = []
    size = 0
    try:
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise SecurityError(f"the agenda would be longer than {MAX_OUTPUT:,} characters")
            parts.append(chunk)
    except RitualError:
        raise
    except TemplateSyntaxError as exc:  # in an included template
        raise _syntax_problem(exc, template.name or "", user_dir) from None
    except Exception as exc:  # anything a template can do wrong: report file and line, not a traceback
        path, line = _template_frame(exc, template.filename or template.name or "")
        if isinstance(exc, SecurityError):
            message = f"refused by the template sandbox: {exc}"
        elif isinstance(exc, UndefinedError):
            message = f"{exc.message} (see `ritual templates show` for the variables a template gets)"
        elif isinstance(exc, TemplateNotFound):
            message = f"includes {exc.name!r}, which is not a template here"
        else:
            from .sandbox import describe_failure

            message = describe_failure(exc)
        raise _problem(path, message, line, user_dir) from None
    return "".join(parts)


def _syntax_problem(exc: Any, name: str, user_dir: Path | None) -> FileProblemsError:
    message = exc.message or ""
    if not message.startswith("cannot be compiled"):
        message = f"template syntax: {message}"
    return _problem(exc.filename or _path_of(name, user_dir), message, exc.lineno or None, user_dir)


def _path_of(name: str, user_dir: Path | None) -> str:
    """The file a template name stands for: the user's if there is one."""
    for folder in (user_dir, templates_dir.builtin_dir()):
        if folder is not None and os.path.lexists(folder / name):
            return str(folder / name)
    return name


class _TimeUp(BaseException):
    """The render's time ran out. A BaseException, so that no ``except Exception`` on
    the way (jinja has a few) can swallow it."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (SIGALRM: the main thread of a POSIX
    process, which is where the CLI renders; elsewhere there is no wall-clock limit,
    but the sandbox's size limits still hold). No thread is started, so none is left
    running a hung template."""
    import signal
    import threading

    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def time_up(signum: int, frame: Any) -> None:
        raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _interrupted_at(exc: BaseException, default: str) -> tuple[str, int | None]:
    """The template file and line that was running (from the compiled code's frames,
    as jinja's own traceback rewriting finds them)."""
    found: tuple[str, int | None] = (default, None)
    tb = exc.__traceback__
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename:
            found = (template.filename, template.get_corresponding_lineno(tb.tb_lineno))
        tb = tb.tb_next
    return found


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
