"""`ritual export markdown`: one Markdown agenda file per occurrence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ...core.errors import UsageError
from .. import output
from ..options import ConfigOption, FromOption, OutGuard, check_weeks, days_shown
from . import session


def markdown(
    ctx: typer.Context,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder to write the agendas into (created 0700 if missing)."),
    ] = Path("."),
    weeks: Annotated[int, typer.Option("--weeks", "-w", help="How many weeks ahead (1-520).")] = 4,
    from_: FromOption = None,
    config: ConfigOption = None,
) -> None:
    """Write one agenda per occurrence: YYYY-MM-DD-checkin.md, YYYY-MM-DD-date-night.md.

    A file whose agenda has not changed is left alone, byte for byte, so a rerun
    (or cron) rewrites nothing.
    """
    from ...core import agenda, fsio, paths, schedule

    if str(out) == "-":
        raise UsageError(
            "--out -: export markdown writes one file per occurrence into a folder",
            hint="for standard output use `ritual agenda … --out -` or `ritual weekly --stdout`",
        )
    check_weeks(weeks)
    sess = session(ctx, config)
    prefs = sess.load()
    start, until = days_shown(prefs, from_, weeks)
    occs = schedule.occurrences(prefs, start, until)
    folder = out.expanduser()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {out}: is a file, not a folder")
    guard = OutGuard(sess.config)
    user_dir = paths.user_templates_dir(sess.config)
    report: list[tuple[bool, Path]] = []
    # As in `ritual weekly`: agendas are not built from a history `ritual done` is
    # writing at that moment. The example couple has no history to guard.
    # One batch: the agendas are made durable together and renamed into place only
    # once all are rendered (one sync, not an fsync per file; see fsio.Batch), still
    # under the lock. A template error halfway writes nothing.
    with sess.locked(prefs), fsio.Batch() as batch:
        hist = sess.history(prefs, start)
        for occ in occs:
            text = agenda.render(prefs, occ, user_dir=user_dir, history=hist)
            path = guard.check(folder / f"{occ.date.isoformat()}-{occ.ritual}.md")
            report.append((batch.write_if_changed(path, text.encode("utf-8")), path))
        if not occs:  # the batch sweeps the folder it writes in; with nothing planned, here
            fsio.sweep_stale_temps(folder)
    written = sum(changed for changed, _ in report)
    unchanged = len(report) - written
    for changed, path in report:
        output.out(f"{'wrote     ' if changed else 'unchanged '} {path}")
    last = until - dt.timedelta(days=1)
    if not occs:
        output.err(f"nothing planned from {start} to {last}; no files written")
    else:
        output.err(f"{written} written, {unchanged} unchanged in {folder} ({start} to {last})")
