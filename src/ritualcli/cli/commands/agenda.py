"""`ritual agenda checkin|date-night|repair`: the Markdown agenda of one occurrence."""

from __future__ import annotations

import datetime as dt
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ...core.errors import UsageError
from .. import output
from ..options import ConfigOption, OutGuard, date_value
from . import session

if TYPE_CHECKING:
    from ...core.preferences import Preferences
    from ...core.schedule import Occurrence


class AgendaKind(StrEnum):
    checkin = "checkin"
    date_night = "date-night"
    repair = "repair"


# Which occurrence: the same choice for `ritual agenda` and `ritual start` (``chosen``).
OccurrenceDate = Annotated[
    str | None,
    typer.Option(
        "--date",
        "-d",
        help="The occurrence on this day, YYYY-MM-DD (default: today's, else the next one).",
        show_default=False,
    ),
]


def agenda(
    ctx: typer.Context,
    kind: Annotated[
        AgendaKind,
        typer.Argument(
            metavar="checkin|date-night|repair",
            help="checkin, date-night, or repair (for after a hard conversation).",
            show_default=False,
        ),
    ],
    date: OccurrenceDate = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            help="Write to this file (or into this folder as YYYY-MM-DD-KIND.md); '-' or nothing: stdout.",
            show_default=False,
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Print the agenda of a check-in or date night, or the repair agenda: Markdown, shown formatted at a terminal."""
    # The core (and jinja2, inside it) loads only when the command runs, not when
    # its options are built (`ritual agenda --help`, Tab completion).
    from ...core import agenda as agendas
    from ...core import paths

    sess = session(ctx, config)
    prefs = sess.load()
    day = date_value(date, "--date")
    if kind is AgendaKind.repair:
        if day is not None:
            raise UsageError("--date: the repair agenda is not tied to a date; leave --date out")
        text = agendas.render_repair(prefs, user_dir=paths.user_templates_dir(sess.config))
        emit(text, out, "repair.md", sess.config)
        return
    occ = chosen(prefs, kind.value, day)
    text = agendas.render(
        prefs, occ, user_dir=paths.user_templates_dir(sess.config), history=sess.history(prefs, occ.date)
    )
    emit(text, out, f"{occ.date.isoformat()}-{occ.ritual}.md", sess.config)


def chosen(prefs: Preferences, kind: str, day: dt.date | None) -> Occurrence:
    """The occurrence on ``day``, or without one the next from today (today's included);
    a UsageError that says why there is none (`ritual start` chooses the same way)."""
    from ...core import clock
    from ...core.occurrence_finder import Absence, Look, find

    found = find(prefs, kind, day or clock.today(prefs.zone), Look.ON if day else Look.ON_OR_AFTER)
    if isinstance(found, Absence):
        hints = [found.hint] if found.hint else []
        if day is not None:
            hints.append(f"`ritual plan --from {day}` shows what is planned")
        raise UsageError(found.message, hint="; ".join(hints) or None)
    return found


def emit(text: str, out: str | None, default_name: str, config: Path) -> None:
    """Markdown to stdout (rendered, at a terminal), or atomically (0600) to a file or into a folder."""
    from ...core import fsio

    if out is None and output.is_terminal():
        # Read by a person: headings, lists and emphasis instead of `\_\_ / 10` and `**…**`.
        # Piped, redirected or with --out, it stays Markdown for scripts and editors.
        from rich.markdown import Markdown

        output.console().print(Markdown(output.clean(text)))
        return
    if out is None or out == "-":
        output.out(text.removesuffix("\n"))
        return
    path = Path(out).expanduser()
    if path.is_dir() or out.endswith(("/", os.sep)):
        path = path / default_name
    fsio.write_text_atomic(OutGuard(config).check(path), text)
    output.err(f"wrote {path}")
