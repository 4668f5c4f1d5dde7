"""The command line: a thin Typer layer over the core.

Commands live in ``commands/``, one module each; this file wires them up and is the
one place where a RitualError becomes a message and an exit code.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any, Literal

import typer
from typer.core import TyperGroup

from . import __version__, output
from .commands import (
    agenda,
    commitments,
    done,
    export,
    practices,
    skip,
    stats,
    templates,
    weekly,
)
from .commands import config as config_cmd
from .commands import init as init_cmd
from .commands import plan as plan_cmd
from .errors import EXIT_FAILURE, RitualError
from .options import ConfigOption


class RitualGroup(TyperGroup):
    """Turns the core's RitualError into a clear message and exit code, once for all commands."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RitualError as exc:
            # Unattended (cron mails stderr), keep a simple error to one line.
            for line in exc.lines(one_line=not output.is_terminal(sys.stderr)):
                output.err(line)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            output.err("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # `ritual plan | head`: the reader left; that is not an error worth a trace.
            sys.stderr.close()
            raise typer.Exit(EXIT_FAILURE) from None


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
    "Start with `ritual init`, then `ritual plan`.",
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


# The order here is the order `ritual --help` lists them: most used first.
app.command("plan")(plan_cmd.plan)
app.command("agenda")(agenda.agenda)
app.add_typer(export.app, name="export")
app.command("weekly")(weekly.weekly)
app.command("done")(done.done)
app.command("skip")(skip.skip)
app.command("commitments")(commitments.commitments)
app.command("stats")(stats.stats)
app.command("init")(init_cmd.init)
app.add_typer(config_cmd.app, name="config")
app.add_typer(templates.app, name="templates")
app.command("practices")(practices.practices)


def main() -> None:
    # `ritual --version` on its own needs no parsing: answer it before Typer builds
    # every command's options (~15 ms). Any other use of --version goes through Typer.
    if sys.argv[1:] == ["--version"]:
        output.out(f"ritual {__version__}")
        return
    app(prog_name="ritual")
