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
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            "-d",
            help="The occurrence on this day, YYYY-MM-DD (default: the next one from today).",
            show_default=False,
        ),
    ] = None,
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
    """Print the Markdown agenda of a check-in or date night, or the repair agenda."""
    # The core (and jinja2, inside it) loads only when this command runs, not on
    # every start-up or Tab completion.
    from ...core import agenda as agendas
    from ...core import paths

    sess = session(ctx, config)
    prefs = sess.load()
    user_dir = paths.user_templates_dir(sess.config)
    day = date_value(date, "--date")
    if kind is AgendaKind.repair:
        if day is not None:
            raise UsageError("--date: the repair agenda is not tied to a date; leave --date out")
        emit(agendas.render_repair(prefs, user_dir=user_dir), out, "repair.md", sess.config)
        return
    occ = pick(prefs, kind.value, day)
    text = agendas.render(prefs, occ, user_dir=user_dir, data_dir=sess.data_dir)
    emit(text, out, f"{occ.date.isoformat()}-{occ.ritual}.md", sess.config)


def pick(prefs: Preferences, kind: str, day: dt.date | None) -> Occurrence:
    """The occurrence on ``day``, or the next one from today; a clear error otherwise."""
    from ...core import clock, schedule

    ritual = prefs.ritual(kind)
    label = ritual.title.lower()
    table = "checkin" if kind == "checkin" else "date_night"
    if not ritual.enabled:
        raise UsageError(f"the {label} is turned off", hint=f"set enabled = true under [{table}]")
    if day is None:
        today = clock.today(prefs.zone)
        occ = schedule.next_occurrence(prefs, kind, today)
        if occ is None:
            raise UsageError(f"no {label} is planned in the two years from {today}")
        return occ
    occ = schedule.occurrence_on(prefs, kind, day)
    if occ is not None:
        return occ
    raise UsageError(_why_none(prefs, kind, day, label), hint=_nearest(prefs, kind, day, label))


def _why_none(prefs: Preferences, kind: str, day: dt.date, label: str) -> str:
    from ...core import schedule
    from ...core.preferences import SkipRange

    planned = schedule.occurrences(prefs, day, day + dt.timedelta(days=1), [kind], include_skipped=True)
    if planned:
        skip = prefs.skip.covers(day)
        why = (
            f'skipped (skip.ranges: "{skip.note}")'
            if isinstance(skip, SkipRange) and skip.note
            else "skipped in [skip]"
        )
        return f"the {label} of {day} is {why}"
    start = prefs.couple.start
    if start and day < start:
        return f"no {label} on {day}: nothing is planned before couple.start ({start})"
    return f"no {label} on {day} ({day:%A})"


def _nearest(prefs: Preferences, kind: str, day: dt.date, label: str) -> str:
    from ...core import schedule

    before = schedule.previous_occurrence(prefs, kind, day)
    after = schedule.next_occurrence(prefs, kind, day)
    near = [f"{o.date} ({o.date:%a})" for o in (before, after) if o is not None]
    if not near:
        return f"no {label} is planned within two years of {day}"
    return f"the nearest {label}s: {' and '.join(near)}; see `ritual plan --from {day}`"


def emit(text: str, out: str | None, default_name: str, config: Path) -> None:
    """Markdown to stdout, or atomically (0600) to a file or into a folder."""
    from ...core import fsio

    if out is None or out == "-":
        output.out(text.removesuffix("\n"))
        return
    path = Path(out).expanduser()
    if path.is_dir() or out.endswith(("/", os.sep)):
        path = path / default_name
    fsio.write_text_atomic(OutGuard(config).check(path), text)
    output.err(f"wrote {path}")
