"""What a sync does, decided before any write: pure, so every case is a plain test.

The calendar is built by the one builder (``calendar_ics.build``), from the
calendar state with the server's own version of each series laid over it
(``for_server``): SEQUENCE and "what was published" are kept per target,
because the file and the server may carry different agendas, and one counter
for both would rise on every alternation and rewrite both every time. The
series themselves (UIDs, where each begins and its rule) are one history,
kept in calendar-state.toml for `export ics`, `ritual plan` and the sync alike
(``shared``).

Then each resource is compared with what ritual last wrote (sync_state) and
with what the server holds now (its ETags, from one listing):

- same ETag as recorded and the same bytes: nothing to do;
- same ETag, other bytes: update, ``If-Match`` the recorded ETag;
- not on the server and never recorded there: create, ``If-None-Match: *``;
- a series that is cancelled (a disabled ritual, or no occurrence left): remove
  it from the server (DELETE, ``If-Match``). A server, unlike an imported file,
  can take an event back: every client that syncs the calendar drops a deleted
  event, whereas some show a cancelled one struck through, or still alert.
- a resource ritual made whose ETag moved, or that vanished, since ritual's
  last write: someone changed it (a phone): it is left as it is and reported,
  unless ``force``, which writes ritual's version over the one seen now.
- a resource at ritual's name that ritual has no record of: the same (another
  machine's sync, or a lost sync-state.toml).
- a resource ritual made for a series it no longer has (the calendar state was
  deleted and started over): removed, under the same rules.

Nothing else on the calendar is ever touched: only the names ritual recorded,
or that it derives from its own UIDs.
"""

from __future__ import annotations

from typing import NamedTuple

from .calendar_ics import Export, Resource
from .calendar_series import legacy_uid
from .calendar_state import CalendarState, Series
from .digest import sha256_hex
from .preferences import Preferences, ritual_noun
from .sync_state import Published, SyncState

CREATE, UPDATE, REMOVE, CONFLICT, KEEP = "create", "update", "remove", "conflict", "keep"
# A fingerprint no export makes: a version 1 calendar state's series, not exported
# since, must still raise its SEQUENCE once at the next export.
_UPGRADED = "0" * 64


class Action(NamedTuple):
    verb: str  # CREATE, UPDATE, REMOVE, CONFLICT or KEEP
    uid: str
    name: str  # the resource's name inside the collection
    what: str  # for people: "check-in series from 2026-11-29"
    data: bytes = b""  # CREATE / UPDATE: the resource
    if_match: str | None = None  # the ETag a write or removal requires; None: nothing may be there
    record: Published | None = None  # what to remember once done; None: forget the resource
    reason: str = ""  # CONFLICT: what happened


def resource_name(uid: str) -> str:
    """A resource's name in the collection: stable for a UID, and only characters that
    need no escaping anywhere (a UID may hold '@', which some servers re-encode)."""
    return f"ritual-{sha256_hex(uid)[:40]}.ics"


def digest(data: bytes) -> str:
    return sha256_hex(data)


# --------------------------------------------------------------------------- the calendar state


def _uid(prefs: Preferences, state: CalendarState, series: Series) -> str:
    return series.uid or legacy_uid(prefs, series.ritual, state.couple_id)


def for_server(prefs: Preferences, state: CalendarState, synced: SyncState) -> CalendarState:
    """The calendar state with each series as the server last got it.

    A series the server has never had keeps the file's SEQUENCE (so no calendar
    that has both ever sees it go down) and counts as never published.
    """
    known = synced.by_uid()
    series = []
    for s in state.series:
        record = known.get(_uid(prefs, state, s))
        series.append(record.facts(s) if record else s._replace(content="", instances=()))
    return state._replace(series=tuple(series))


def shared(prefs: Preferences, file_state: CalendarState, built: CalendarState) -> CalendarState:
    """The calendar state to keep: the series as the sync settled them (new ones, ended
    ones), each with what the exported file last said (never what the server got)."""
    by_uid = {_uid(prefs, file_state, s): s for s in file_state.series}
    series = []
    for s in built.series:
        old = by_uid.get(s.uid)
        if old is None:  # begun by this sync: no file has had it yet
            series.append(s._replace(sequence=0, content="", instances=()))
            continue
        content = _UPGRADED if old.content == "version 1" else old.content
        series.append(
            s._replace(sequence=old.sequence, content=content, stamp=old.stamp, instances=old.instances)
        )
    return built._replace(series=tuple(series))


# --------------------------------------------------------------------------- the actions


def plan(
    prefs: Preferences,
    export: Export,
    synced: SyncState,
    server: dict[str, str],
    *,
    force: bool = False,
) -> list[Action]:
    """What to do, resource by resource (``server``: name -> ETag, as listed now)."""
    built = {s.uid: s for s in export.state.series}
    recorded = synced.by_uid()
    actions = []
    for resource in export.resources:
        series = built[resource.uid]
        actions.append(_one(resource, series, recorded.get(resource.uid), server, force))
    produced = {r.uid for r in export.resources}
    for record in synced.resources:
        if record.uid not in produced:
            actions.append(_orphan(record, server, force))
    return actions


def _what(resource: Resource, series: Series) -> str:
    start = resource.events[0].start
    return f"{ritual_noun(series.ritual)} series from {start:%Y-%m-%d}"


def _one(
    resource: Resource, series: Series, record: Published | None, server: dict[str, str], force: bool
) -> Action:
    name = record.name if record else resource_name(resource.uid)
    data = resource.ical()
    what = _what(resource, series)
    there = server.get(name)
    mine = record is not None and bool(record.etag)
    moved = mine and there is not None and there != record.etag  # type: ignore[union-attr]
    update = Published(
        resource.uid,
        name,
        there or "",
        digest(data),
        series.sequence,
        series.content,
        series.stamp,
        series.instances,
    )
    if resource.cancelled:
        gone = update._replace(etag="", digest="")
        if there is None:
            return Action(KEEP, resource.uid, name, what, record=gone if record else None)
        if mine and not moved:
            assert record is not None
            return Action(REMOVE, resource.uid, name, what, if_match=record.etag, record=gone)
        if force:
            return Action(REMOVE, resource.uid, name, what, if_match=there, record=gone)
        return _conflict(resource.uid, name, what, record, REMOVE, mine)
    if there is None:
        if mine and not force:
            return Action(
                CONFLICT, resource.uid, name, what, record=record,
                reason="was deleted from the calendar since the last sync (on a phone?)",
            )  # fmt: skip
        return Action(CREATE, resource.uid, name, what, data, None, update)
    if mine and not moved:
        assert record is not None
        if record.digest == update.digest:
            return Action(KEEP, resource.uid, name, what, record=update)
        return Action(UPDATE, resource.uid, name, what, data, record.etag, update)
    if force:
        return Action(UPDATE, resource.uid, name, what, data, there, update)
    return _conflict(resource.uid, name, what, record, UPDATE, mine)


def _orphan(record: Published, server: dict[str, str], force: bool) -> Action:
    """A resource ritual made for a series the calendar state no longer has."""
    what = f"event {record.name} (from an earlier calendar state)"
    there = server.get(record.name)
    if there is None or not record.etag:
        return Action(KEEP, record.uid, record.name, what)  # gone already: forget it
    if there == record.etag or force:
        return Action(REMOVE, record.uid, record.name, what, if_match=there)
    return _conflict(record.uid, record.name, what, record, REMOVE, True)


def _conflict(uid: str, name: str, what: str, record: Published | None, verb: str, mine: bool) -> Action:
    if mine:
        reason = "was changed on the calendar since the last sync (on a phone?)"
        if verb == REMOVE:
            reason += "; ritual would remove it"
    else:
        reason = (
            "is on the calendar under ritual's name, but this machine has no record of writing it "
            "(a sync from another machine, or a deleted sync-state.toml)"
        )
    return Action(CONFLICT, uid, name, what, record=record, reason=reason)
