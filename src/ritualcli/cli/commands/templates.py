"""`ritual templates list|show|copy`: the agenda templates, built-in and your own."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ...core.errors import UsageError, WorkError
from .. import output
from ..options import ConfigOption
from . import session

app = typer.Typer(
    help="Agenda templates: the built-in ones and your own. A template of the same name in "
    "the `templates/` folder beside your preferences file wins over the built-in one.",
    no_args_is_help=True,
)

NameArg = Annotated[
    str,
    typer.Argument(
        help="Template name, as `ritual templates list` shows it: checkin/weekly (or weekly), date-night, repair, _safety.",
        show_default=False,
    ),
]


def _user_dir(ctx: typer.Context, config: Path | None) -> Path:
    from ...core import paths

    return paths.user_templates_dir(session(ctx, config).config)


@app.command("list")
def list_(ctx: typer.Context, config: ConfigOption = None) -> None:
    """List every template and which copy is used: yours or the built-in one."""
    from ...core import templating

    user_dir = _user_dir(ctx, config)
    entries = templating.catalog(user_dir)
    width = max(len(e.name) for e in entries)
    for e in entries:
        if e.user and e.builtin:
            where = f"yours, overrides the built-in one   {e.user}"
        elif e.user:
            where = f"yours                               {e.user}"
        else:
            where = "built-in"
        output.out(f"{e.name:<{width}}  {where}")
    output.err(f"your templates folder: {user_dir}  (`ritual templates copy NAME` to customise one)")


@app.command("show")
def show(
    ctx: typer.Context,
    name: NameArg,
    builtin: Annotated[
        bool, typer.Option("--builtin", help="Show the built-in one even if you have your own.")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Print a template's source (yours if you have one, else the built-in one)."""
    from ...core import filecheck, templating

    entry = templating.find_template(name, _user_dir(ctx, config))
    path = entry.builtin if builtin else entry.winner
    if path is None:
        raise UsageError(f"{entry.name} has no built-in version; it is yours alone: {entry.user}")
    text = filecheck.read_text(path, "template", templating.MAX_BYTES)
    output.err(f"# {path}")
    output.out(text.removesuffix("\n"))


@app.command("copy")
def copy(
    ctx: typer.Context,
    name: NameArg,
    force: Annotated[
        bool, typer.Option("--force", help="Replace your copy if you already have one.")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Copy a built-in template into your templates folder to customise it."""
    from ...core import fsio, templates_dir, templating

    user_dir = _user_dir(ctx, config)
    entry = templating.find_template(name, user_dir)
    if entry.builtin is None:
        raise UsageError(f"{entry.name} is not a built-in template; yours is at {entry.user}")
    target = user_dir / (entry.name + templates_dir.SUFFIX)
    if target.exists() and not force:
        raise UsageError(f"{target} already exists", hint="pass --force to replace it with the built-in one")
    try:
        data = entry.builtin.read_bytes()
    except OSError as exc:
        raise WorkError(f"cannot read {entry.builtin}: {exc.strerror or exc}") from None
    fsio.write_bytes_atomic(target, data)
    output.out(str(target))
    output.err(f"copied {entry.name} to {target}; edit it, and ritual uses it instead of the built-in one")
