"""`ritual config path|show|validate|edit`."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

import typer

from ...core.errors import FileProblemsError, UsageError
from .. import output
from ..options import ConfigOption
from . import session, warn

app = typer.Typer(
    help="Where the preferences file is, what it says, and whether it is valid.", no_args_is_help=True
)


@app.command("path")
def path_cmd(ctx: typer.Context, config: ConfigOption = None) -> None:
    """Print where the preferences file is (or would be created)."""
    sess = session(ctx, config)
    output.out(str(sess.config))
    if not sess.config.exists():
        output.err("note: the file does not exist yet; `ritual init` creates it")


class ShowFormat(StrEnum):
    toml = "toml"
    json = "json"


@app.command("show")
def show(
    ctx: typer.Context,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="toml (to read or copy) or json (for scripts).")
    ] = ShowFormat.toml,
    config: ConfigOption = None,
) -> None:
    """Print the effective settings: your file with every default filled in."""
    # Imports inside the commands: this module also loads for `ritual --help` and for
    # `config path`, which need neither the clock, the file writer nor an editor.
    from ...core import preferences

    prefs = session(ctx, config).load()
    if fmt is ShowFormat.json:
        import json

        output.out(
            json.dumps(preferences.to_document(prefs), default=_json_default, ensure_ascii=False, indent=2)
        )
    else:
        output.out(preferences.to_toml(prefs).rstrip("\n"))


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


@app.command("validate")
def validate(ctx: typer.Context, config: ConfigOption = None) -> None:
    """Check the preferences file: every problem at once, exit 2 if there is any.

    Also warns when a ritual's time falls into a clock change in the next ten years.
    """
    from ...core import clock, schedule
    from ...core.preferences import ritual_noun

    sess = session(ctx, config)
    if not sess.config.exists():
        raise UsageError(f"no preferences file at {sess.config}", hint="run `ritual init` to create one")
    prefs = sess.load()
    warn(schedule.clock_change_warnings(prefs, clock.today(prefs.zone), days=3653))
    rituals = ", ".join(
        f"{ritual_noun(r.kind)} {r.cadence} on {r.day}s at {r.time:%H:%M}" for r in prefs.rituals
    )
    output.out(f"ok: {sess.config} is valid ({rituals or 'no rituals enabled'})")


@app.command("edit")
def edit(ctx: typer.Context, config: ConfigOption = None) -> None:
    """Open the preferences file in $VISUAL or $EDITOR, then check it.

    An invalid edit never replaces the good file: at a terminal you can edit again;
    otherwise your edit is kept beside it as NAME.rejected. The previous version is
    kept as NAME.bak.
    """
    from ...core import fsio, paths, preferences
    from ..editing import edit_checked

    sess = session(ctx, config)
    path = sess.config
    if not path.exists():
        raise UsageError(f"no preferences file at {path}", hint="run `ritual init` to create one")

    def check(edited: bytes) -> None:
        try:
            preferences.parse_bytes(edited, source=path, formats=sess.formats())
        except FileProblemsError as exc:
            # Not "run `ritual config validate`": the file is still the good one; the
            # edit is in the draft, which the next `config edit` reopens.
            exc.hint = "see `ritual config show` for every key and its default"
            raise

    def save(_: bytes, edited: bytes) -> str:
        fsio.backup(path)
        fsio.write_bytes_atomic(paths.written_to(path), edited)
        return f"saved {path} (previous version in {path.name}.bak)"

    edit_checked(
        path,
        what=preferences.KIND,
        max_bytes=preferences.MAX_FILE_BYTES,
        check=check,
        save=save,
        command="ritual config edit",
    )
