"""`ritual export ics`: the calendar file to import or to keep in a synced folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ...core.errors import UsageError
from .. import output
from ..options import ConfigOption, OutGuard
from . import session, warn


def ics(
    ctx: typer.Context,
    out: Annotated[
        str,
        typer.Option(
            "--out",
            "-o",
            help="File to write (atomically, readable by you alone), or - for standard output.",
        ),
    ] = "rituals.ics",
    agendas: Annotated[
        int,
        typer.Option(
            "--agendas",
            "-a",
            help=(
                "Also put the agenda of each of the next N occurrences into its own calendar "
                "instance (0-100). With calendar.private = true their titles stay neutral, "
                "but the agenda text (open commitments included; never ratings or notes) is in the "
                "description: you asked for it."
            ),
        ),
    ] = 0,
    config: ConfigOption = None,
) -> None:
    """Write the calendar (.ics): one recurring event per ritual, for any calendar app.

    Times are your zone's wall clock before and after every clock change, and
    skipped dates are left out, exactly as `ritual plan` lists them. Re-importing
    a newer file updates the events instead of duplicating them; a disabled
    ritual comes back cancelled, and a new time or day applies from today on,
    leaving past occurrences where they were.

    Private by default (calendar.private = true): titles "Check-in" and "Date
    night", marked private, and a description that says what the ritual is,
    without names. Ratings and notes never go into a calendar; with --agendas,
    each agenda carries the open commitments forward, as every agenda does.
    """
    from ...core import calendar_file, clock, schedule

    if not 0 <= agendas <= 100:
        raise UsageError(f"--agendas {agendas}: give a number of occurrences from 0 to 100")
    to_stdout = out == "-"
    path = Path(out).expanduser()
    if not to_stdout and path.is_dir():
        raise UsageError(f"--out {out}: is a folder; give a file name, e.g. {path / 'rituals.ics'}")
    sess = session(ctx, config)
    if not to_stdout:
        OutGuard(sess.config).check(path)
    prefs = sess.load()
    with sess.locked(prefs):
        export = calendar_file.build(
            sess.config, prefs, sess.history(prefs, clock.today(prefs.zone)), agendas
        )
        if to_stdout:
            calendar_file.remember(sess.config, prefs, export)
            changed = True
        else:
            changed = calendar_file.write_export(sess.config, prefs, export, path)

    if export.events:
        # Over the years the file covers, from today: past dates need no warning.
        first = max(export.start, clock.today(prefs.zone))
        warn(schedule.clock_change_warnings(prefs, first, (export.end - first).days + 1))
    warn(export.warnings)
    if not export.events:
        warn(["no ritual is enabled; the calendar has no events"])
    if to_stdout:
        output.out_bytes(export.data)
        return
    what = f"{export.events} recurring event{'s' if export.events != 1 else ''}"
    if export.overrides:
        what += f", {export.overrides} with their own agenda"
    if export.cancelled:
        what += f", {export.cancelled} cancelled"
    verb = "wrote" if changed else "unchanged"
    output.out(f"{verb} {path.resolve()} ({what}, from {export.start})")
