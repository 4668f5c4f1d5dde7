"""The command line: a thin Typer layer over the core.

Commands live in ``commands/``, one module each; this file wires them up and is the
one place where a RitualError becomes a message and an exit code.
"""

# No `from __future__ import annotations`: Typer evaluates the root callback's
# string annotations on every run (see commands/plan.py).

import gc
import os
import sys
from typing import Annotated, Any, Literal

import typer
from typer.core import TyperGroup

try:  # Typer vendors click since 0.2x; before, it used the click package
    from typer._click import exceptions as _click_errors
except ImportError:  # pragma: no cover - an older Typer
    from click import exceptions as _click_errors  # type: ignore[no-redef]

from .. import __version__
from ..core.errors import EXIT_FAILURE, RitualError
from . import output
from .options import ConfigOption, check_arguments

# name -> (module in commands/, attribute): a command function, or a Typer sub-app.
# Built only when used: Typer turning every command's options into click objects
# on each start cost 15-40 ms, paid by every Tab completion. The order is the
# order `ritual --help` lists them: most used first.
COMMANDS = {
    "plan": ("plan", "plan"),
    "start": ("start", "start"),
    "agenda": ("agenda", "agenda"),
    "export": ("export", "app"),
    "weekly": ("weekly", "weekly"),
    "sync": ("sync", "sync"),
    "done": ("done", "done"),
    "skip": ("skip", "skip"),
    "commitments": ("commitments", "app"),
    "topic": ("topic", "app"),
    "history": ("history", "app"),
    "undo": ("undo", "undo"),
    "stats": ("stats", "stats"),
    "init": ("init", "init"),
    "config": ("config", "app"),
    "templates": ("templates", "app"),
    "practices": ("practices", "practices"),
}


class RitualGroup(TyperGroup):
    """Builds each command when it is used, and turns the core's RitualError into a
    clear message and exit code, once for all commands."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, name: str) -> Any:
        if name not in self.commands and name in COMMANDS:
            import importlib

            module, attr = COMMANDS[name]
            target = getattr(importlib.import_module(f".commands.{module}", __package__), attr)
            if isinstance(target, typer.Typer):
                sub = target
            else:
                sub = typer.Typer()
                sub.command(name)(target)
            # A sub-app built on its own would offer --install-completion and rich
            # boxes of its own; the root decides both.
            sub._add_completion = False
            sub.rich_markup_mode = _MARKUP
            sub.pretty_exceptions_show_locals = False
            command = typer.main.get_command(sub)
            command.name = name
            self.commands[name] = command
        return self.commands.get(name)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta["ritual.args"] = list(args)  # every argument, the command's own included
        try:
            return super().parse_args(ctx, args)
        except _click_errors.UsageError as exc:  # ritual's own options: `ritual --bogus plan`
            raise _one_line(exc, ctx) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            check_arguments(ctx.meta.get("ritual.args", ()))
            return super().invoke(ctx)
        except RitualError as exc:
            # Unattended (cron mails stderr), keep a simple error to one line.
            for line in exc.lines(one_line=not output.is_terminal(sys.stderr)):
                output.err(line)
            raise typer.Exit(exc.exit_code) from None
        except _click_errors.UsageError as exc:
            # A bad option or value (`--format csv`, `--weeks abc`, an unknown command)
            # found while the command is built. At a terminal Typer shows it with the
            # usage; plain (cron mail, a pipe) it is one line like every error of ours.
            # Not a group's "no command given": that one is its help, on purpose.
            raise _one_line(exc, ctx, in_command=True) from None
        except KeyboardInterrupt:
            output.err("interrupted")
            raise typer.Exit(130) from None


def _one_line(exc: Any, ctx: Any, *, in_command: bool = False) -> Any:
    """``exc`` as one line when not at a terminal; as it is at one, or when it is a group's
    "no command given" (its help, on purpose)."""
    if _MARKUP is not None or isinstance(exc, _click_errors.NoArgsIsHelpError):
        return exc
    # "Missing argument 'checkin|date-night'. Choose from:\n\tcheckin,\n\tdate-night": one line.
    message = " ".join(exc.format_message().split())
    # The parser's own errors ("Option '--weeks' requires an argument.") come without the
    # command they were found in: find it from the arguments, so the hint names its --help.
    where = exc.ctx
    if where is None:
        where = _innermost(ctx) if in_command else ctx
    return _OneLineUsageError(message, where)


def _innermost(ctx: Any) -> Any:
    """A context for the deepest command the arguments name (``ritual plan``'s for
    ``ritual plan --weeks``), so the hint names its --help."""
    command = ctx.command
    for arg in ctx.meta.get("ritual.args", ()):
        if not hasattr(command, "get_command") or arg.startswith("-"):
            continue  # past a command that takes no sub-command, or an option
        sub = command.get_command(ctx, arg)
        if sub is None:
            continue
        ctx = type(ctx)(sub, parent=ctx, info_name=arg)
        command = sub
    return ctx


class _OneLineUsageError(_click_errors.UsageError):
    """A usage error as one line, `error: … (hint: …)`, as RitualError prints them unattended."""

    def show(self, file: Any = None) -> None:
        where = self.ctx.command_path if self.ctx is not None else "ritual"
        output.err(f"error: {self.format_message()} (hint: see `{where} --help`)")


# Rich help and error boxes only for a person at a terminal: cron mail, pipes and
# TERM=dumb get plain text (and skip importing rich).
_MARKUP: Literal["rich"] | None = (
    "rich" if output.is_terminal(sys.stdout) and output.is_terminal(sys.stderr) else None
)

app = typer.Typer(
    cls=RitualGroup,
    rich_markup_mode=_MARKUP,
    name="ritual",
    help="Plan your relationship rituals: a weekly check-in and a regular date night.\n\n"
    "Start with `ritual init`, then `ritual plan`; sit down together with `ritual start`.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        output.out(f"ritual {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    config: ConfigOption = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Plan your relationship rituals: a weekly check-in and a regular date night."""
    ctx.obj = config


def main() -> None:
    """The `ritual` command. Every way out passes here, so a failure to write the output
    ends the same way whatever was writing (a command, --help, --version, an error):
    a reader that left (`ritual plan | head -1`) quietly, exit 1; any other error
    (a full disk, a closed stream) as one line on stderr, exit 1. Never a traceback."""
    stdout = sys.stdout
    try:
        code = _run()
        if sys.stdout is not None:
            sys.stdout.flush()  # a full disk is reported here, not as noise at exit
    except BrokenPipeError:
        code = EXIT_FAILURE
        _discard(1)
    except OSError as exc:
        code = EXIT_FAILURE
        _discard(1)
        _report_output_error(exc)
    if sys.stdout is not stdout:
        # Typer swallowed a closed pipe itself (and wrapped stdout): what it could not
        # write must not fail again when Python flushes at exit ("Exception ignored").
        _discard(1)
    # The process ends here. Python's last act would be a full garbage collection that
    # takes apart, cycle by cycle, everything Typer, the libraries and the records built:
    # ~12 ms of plan's ~95, more than all of ritual's own work. Freezing leaves that to
    # the kernel (as spack does). Nothing is lost: the output is flushed above, every
    # file ritual writes is closed and renamed before its command returns, and atexit
    # handlers and the final flush of stdout/stderr still run. Skipped are only the
    # finalizers of objects left in cycles, which Python never promises to run.
    gc.freeze()
    sys.exit(code)


def _run() -> Any:
    # `ritual --version` on its own needs no parsing: answer it before Typer builds
    # every command's options (~15 ms). Any other use of --version goes through Typer.
    if sys.argv[1:] == ["--version"]:
        output.out(f"ritual {__version__}")
        return 0
    _replace_unencodable_output()
    try:
        app(prog_name="ritual")
    except SystemExit as exc:
        return exc.code
    return 0


def _replace_unencodable_output() -> None:
    """Under a locale that cannot show every character (LANG=en_US.ISO-8859-1), show
    "–" as "\\u2013" rather than fail on it."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _discard(fd: int) -> None:
    """Point ``fd`` at /dev/null, so output still buffered for it goes nowhere quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:
        pass


def _report_output_error(exc: OSError) -> None:
    from ..core.errors import describe

    # An OSError that reaches this far was not one of the core's (they are RitualErrors):
    # it is writing the output that failed, unless the error names a file.
    where = exc.filename if exc.filename else "cannot write the output"
    try:
        output.err(f"error: {where}: {describe(exc)}")
        if sys.stderr is not None:
            sys.stderr.flush()
    except OSError:  # stderr is broken too: exit 1 says it
        _discard(2)
