"""`ritual sync`: the rituals on both phones, through one CalDAV calendar."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .. import output
from ..options import ConfigOption, QuietOption
from . import session

if TYPE_CHECKING:
    from ...core.preferences import Preferences
    from ...core.sync import Report
    from ..session import Session

_VERBS = {
    "create": ("created", "would create"),
    "update": ("updated", "would update"),
    "remove": ("removed", "would remove"),
}


def sync(
    ctx: typer.Context,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", "-n", help="Say what would be created, updated and removed; write nothing."
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace events that were changed on the calendar since the last sync (by a phone).",
        ),
    ] = False,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Publish the rituals into one CalDAV calendar, and keep it current.

    Set it up once in the [sync] table of your preferences: url (the calendar
    collection's URL), username, and password_command (a command that prints
    the password, e.g. "pass show cloud/rituals"; else $RITUAL_SYNC_PASSWORD,
    else you are asked at a terminal). Both phones subscribe to that calendar.

    Each series of events is one resource on the calendar; a sync with nothing
    changed writes nothing (one request). A disabled ritual's events are removed.
    Events that someone else put on the calendar are never touched; an event of
    ritual's changed on a phone is left as it is (exit 1) unless --force.

    It sends the rituals (and, with sync.agendas, the agendas' text and your
    open commitments; never ratings or notes) to that server, and nowhere else.
    """
    sess = session(ctx, config)
    prefs = sess.load_required("ritual sync publishes your own rituals")
    password = obtain_password(prefs)
    from ...core import fsio

    with fsio.locked(sess.data_dir):
        report = run(sess, prefs, password, force=force, dry_run=dry_run)
    show(report, quiet=quiet)


def obtain_password(prefs: Preferences) -> str | None:
    """From sync.password_command, $RITUAL_SYNC_PASSWORD, or (at a terminal) a hidden prompt;
    None without a user name (a server that asks for no login)."""
    from ...core import sync as core_sync
    from ...core import sync_secret

    core_sync.require(prefs)
    settings = prefs.sync
    if not settings.username:
        return None
    password = sync_secret.password(settings)
    if password is None and output.stdin_is_terminal():
        import getpass
        from urllib.parse import urlsplit

        host = urlsplit(settings.url).netloc
        password = getpass.getpass(f"Password for {settings.username} at {host}: ") or None
    if password is None:
        raise sync_secret.none_given(settings)
    return password


def run(sess: Session, prefs: Preferences, password: str | None, *, force: bool, dry_run: bool) -> Report:
    """The sync itself (the caller holds the data folder's lock)."""
    from ...core import clock
    from ...core import sync as core_sync

    # The agendas it publishes are of occurrences from today: the years before are
    # summed up by the index, not read.
    hist = sess.history(prefs, clock.today(prefs.zone))
    return core_sync.run(sess.config, prefs, hist, password, force=force, dry_run=dry_run)


def show(report: Report, *, quiet: bool) -> None:
    """What the sync did (stdout), what it left (stderr); exit 1 if it left anything."""
    from ...core.errors import WorkError

    tense = 1 if report.dry_run else 0
    if report.earlier_url:
        output.err(
            f"note: sync.url changed: the events ritual put on {report.earlier_url} stay there "
            "(remove them, or that calendar, by hand)"
        )
    if not quiet:
        for action in report.done:
            output.out(f"{_VERBS[action.verb][tense]} {action.what}")
    for action in report.conflicts:
        verb = "would leave" if report.dry_run else "left"
        output.err(f"{verb} {action.what} ({action.name}): it {action.reason}")
    if not quiet:
        counts = {verb: sum(a.verb == verb for a in report.done) for verb in _VERBS}
        if report.dry_run:
            summary = f"dry run, nothing written: {sum(counts.values())} change(s) to make"
        elif not report.done:
            summary = "nothing to change"
        else:
            summary = ", ".join(f"{n} {_VERBS[verb][0]}" for verb, n in counts.items())
        requests = f"{report.requests} request{'s' if report.requests != 1 else ''}"
        output.out(
            f"{'checked' if report.dry_run else 'synced'} {report.url}: {summary}, {report.unchanged} unchanged ({requests})"
        )
    if report.conflicts and not report.dry_run:
        n = len(report.conflicts)
        raise WorkError(
            f"sync: {n} event{'s' if n != 1 else ''} changed on the calendar left as {'they are' if n != 1 else 'it is'}",
            hint="to keep ritual's version, run `ritual sync --force` (the change made there is lost); "
            "to keep a change, make it in your preferences (e.g. checkin.time), then `ritual sync --force`",
        )
