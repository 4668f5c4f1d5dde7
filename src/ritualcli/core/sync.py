"""`ritual sync`: publish the calendar into one CalDAV calendar and keep it current.

``run`` builds the calendar with the one builder, lists the calendar (one
PROPFIND), decides (``sync_plan``), writes what changed, and remembers what
the server confirmed. Faults stop the run with one ``WorkError``; what the
server had already confirmed by then is remembered (so the next sync neither
repeats it nor mistakes it for someone else's), and nothing else: a run that
failed before any write changes no file, and the next run completes the job.

The caller holds ``fsio.locked(data_dir)`` (the calendar state is shared with
`export ics`, and ``ritual weekly --sync`` holds the lock already).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from . import calendar_file, calendar_state, fsio, sync_plan, sync_server, sync_state
from .errors import UsageError, WorkError
from .history import History
from .preferences import Preferences
from .sync_plan import CONFLICT, CREATE, KEEP, REMOVE, UPDATE, Action
from .sync_state import Published, SyncState


class Report(NamedTuple):
    url: str
    done: tuple[Action, ...]  # CREATE / UPDATE / REMOVE: made, or (dry run) to be made
    conflicts: tuple[Action, ...]  # left as they are
    unchanged: int
    requests: int
    earlier_url: str  # the calendar synced before, when sync.url changed since ("" otherwise)
    dry_run: bool


def require(prefs: Preferences) -> str:
    """Sync needs its settings (exit 2 otherwise), and sync.ca_cert's file when it is set:
    its absolute path ("" when not set). Called before the password is asked for, too."""
    if not prefs.sync.url:
        raise UsageError(
            "sync: no calendar is set up: sync.url is empty",
            hint='add a [sync] table with url = "https://…/" (the calendar collection\'s URL), '
            'see the README\'s "Both phones"',
        )
    return sync_server.ca_file(prefs.sync, prefs.source)


def run(
    config: Path,
    prefs: Preferences,
    history: History,
    password: str | None,
    *,
    force: bool = False,
    dry_run: bool = False,
) -> Report:
    ca_file = require(prefs)
    settings = prefs.sync
    state_path = sync_state.path_for(config)
    before = sync_state.load(state_path)
    synced = before if before.url == settings.url else SyncState(settings.url)
    earlier = before.url if before.url and before.url != settings.url else ""
    file_state = calendar_file.load_state(config, prefs)
    export = calendar_file.build(
        config, prefs, history, settings.agendas, state=sync_plan.for_server(prefs, file_state, synced)
    )

    server = sync_server.connect(settings, password, ca_file)
    try:
        listing = sync_server.negotiate(server)
        actions = sync_plan.plan(prefs, export, synced, listing, force=force)
        if dry_run:
            return _report(settings.url, actions, [], server.requests, earlier, dry_run=True)
        records = synced.by_uid()
        made: list[Action] = []
        conflicts: list[Action] = []
        failure: WorkError | None = None
        try:
            for action in actions:
                if action.verb == CONFLICT:
                    conflicts.append(action)
                    continue
                if action.verb == KEEP:
                    _remember(records, action, "")
                    continue
                try:
                    etag = _do(server, action)
                except sync_server.Changed:
                    # Changed between the listing and this write: someone is editing it now.
                    conflicts.append(
                        action._replace(verb=CONFLICT, reason="was changed on the calendar during this sync")
                    )
                    continue
                made.append(action)
                _remember(records, action, etag)
        except WorkError as exc:
            failure = exc
        if failure is None and any(r.etag == "" and r.digest for r in records.values()):
            _learn_etags(records, server.etags())
    finally:
        server.client.close()

    if failure is None or made:
        # The server's record first: should the second write fail, the next run settles
        # the series again and removes what it no longer produces.
        kept = SyncState(settings.url, tuple(records[uid] for uid in sorted(records)))
        fsio.write_if_changed(state_path, sync_state.to_toml(kept).encode("utf-8"))
        shared = sync_plan.shared(prefs, file_state, export.state)
        fsio.write_if_changed(
            calendar_file.state_path(config), calendar_state.to_toml(shared).encode("utf-8")
        )
    if failure is not None:
        raise failure
    return _report(settings.url, actions, conflicts, server.requests, earlier, made=made)


def _do(server: sync_server.Server, action: Action) -> str:
    """Make the change; the resource's new ETag ("" when removed, or not told)."""
    if action.verb in (CREATE, UPDATE):
        return server.put(action.name, action.data, if_match=action.if_match)
    if action.verb == REMOVE:
        assert action.if_match is not None
        server.delete(action.name, if_match=action.if_match)
    return ""


def _remember(records: dict[str, Published], action: Action, etag: str) -> None:
    if action.record is None:
        records.pop(action.uid, None)
    elif action.verb in (CREATE, UPDATE):
        records[action.uid] = action.record._replace(etag=etag)
    else:
        records[action.uid] = action.record


def _learn_etags(records: dict[str, Published], listing: dict[str, str]) -> None:
    """ETags the server did not send with its answer to a PUT (it may have rewritten the data)."""
    for uid, record in list(records.items()):
        if record.etag == "" and record.digest:
            records[uid] = record._replace(etag=listing.get(record.name, ""))


def _report(
    url: str,
    actions: list[Action],
    conflicts: list[Action],
    requests: int,
    earlier: str,
    *,
    made: list[Action] | None = None,
    dry_run: bool = False,
) -> Report:
    if dry_run:
        made = [a for a in actions if a.verb in (CREATE, UPDATE, REMOVE)]
        conflicts = [a for a in actions if a.verb == CONFLICT]
    unchanged = sum(a.verb == KEEP and a.record is not None and bool(a.record.etag) for a in actions)
    return Report(url, tuple(made or ()), tuple(conflicts), unchanged, requests, earlier, dry_run)
