"""`ritual weekly`: the cron job that writes the coming week's agendas."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import output
from ..options import ConfigOption, OutGuard, QuietOption
from . import session


def weekly(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Folder for the agendas, one YYYY-Www.md per ISO week (default: agendas/ beside your preferences).",
            show_default=False,
        ),
    ] = None,
    stdout: Annotated[
        bool,
        typer.Option(
            "--stdout", help="Print the week's agendas instead of writing files (for cron's MAILTO)."
        ),
    ] = False,
    ics: Annotated[bool, typer.Option("--ics", help="Also refresh rituals.ics in the folder.")] = False,
    sync: Annotated[
        bool,
        typer.Option("--sync", help="Then run `ritual sync`: both phones' calendar follows (see [sync])."),
    ] = False,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Write the agendas of the next 7 days: made for cron, safe to rerun.

    Rerunning the same day rewrites nothing (files are compared byte for byte).
    Never prompts; fails with one line on stderr and a non-zero exit code.

    Example crontab line:  0 8 * * MON ritual weekly --out ~/rituals --sync --quiet
    """
    from ...core import clock, fsio, paths, weekly_digest
    from . import sync as sync_command

    sess = session(ctx, config)
    # Printing the example couple's week shows what the job does; writing files
    # for them into your config folder would not help anyone.
    prefs = (
        sess.load() if stdout and not sync else sess.load_required("ritual weekly writes your own agendas")
    )
    # Before anything is written: a job that cannot log in says so at once.
    password = sync_command.obtain_password(prefs) if sync else None
    today = clock.today(prefs.zone)
    user_dir = paths.user_templates_dir(sess.config)
    weeks = weekly_digest.weeks_ahead(prefs, today)

    since = weeks[0].monday if weeks else today
    if stdout:
        hist = sess.history(prefs, since)
        # A mail: what ratings trigger and the couple's own topics stay in the files.
        texts = [
            weekly_digest.render_week(prefs, w, user_dir=user_dir, history=hist, shared=True) for w in weeks
        ]
        output.out("\n".join(texts).rstrip("\n") if texts else f"nothing planned in the 7 days from {today}")
        if sync:
            with fsio.locked(sess.data_dir):
                synced = sync_command.run(sess, prefs, password, force=False, dry_run=False)
            sync_command.show(synced, quiet=quiet)
        return

    folder = (out or sess.data_dir / "agendas").expanduser()
    guard = OutGuard(sess.config)
    # Same lock as `ritual done`: an agenda must not be built from a half-written history.
    with fsio.locked(sess.data_dir):
        hist = sess.history(prefs, since)
        fsio.ensure_dir(folder)
        if not weeks:  # the batch sweeps the folder it writes in; with nothing planned, here
            fsio.sweep_stale_temps(folder)
        report: list[str] = []
        # As in `ritual export markdown`: the week files are made durable together,
        # then renamed into place (fsio.Batch); a failure before that writes none of them.
        with fsio.Batch() as batch:
            for week in weeks:
                text = weekly_digest.render_week(prefs, week, user_dir=user_dir, history=hist)
                path = guard.check(folder / week.name)
                changed = batch.write_if_changed(path, text.encode("utf-8"))
                report.append(f"{'wrote' if changed else 'unchanged'} {path}")
        if ics:
            from ...core.calendar_file import write_calendar

            path = guard.check(folder / "rituals.ics")
            changed = write_calendar(sess.config, prefs, hist, path)
            report.append(f"{'wrote' if changed else 'unchanged'} {path}")
        # In the same hold of the lock: the calendar's agendas are the week's just written.
        done = sync_command.run(sess, prefs, password, force=False, dry_run=False) if sync else None
    if not quiet:
        for line in report or [f"nothing planned in the 7 days from {today}"]:
            output.out(line)
    if done is not None:
        sync_command.show(done, quiet=quiet)
