"""What `ritual sync` last gave the server: sync-state.toml, beside the preferences.

One record per resource ritual created on the calendar: its name there, the
ETag the server gave it after ritual's last write and a digest of the bytes
written, so a sync with nothing changed compares and writes nothing, and a
resource whose ETag moved since was changed by someone else (a phone). It also
keeps, per UID, what the calendar-state keeps for an exported file (SEQUENCE,
the fingerprint of what the events said, when that changed, the instances
stated on their own): the server's copy of an event evolves on its own and may
carry other agendas than the file (``sync.agendas`` against ``export ics
--agendas``), so each keeps its own version numbers. The series themselves
(UIDs, where each begins, its rule) are shared, in calendar-state.toml.

No credential is ever in it: the URL cannot hold one (``checks.calendar_url``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import NamedTuple

from . import filecheck, paths, tomlwrite
from .calendar_state import (
    MAX_SEQUENCE,
    Series,
    check_instances,
    check_int,
    check_stamp,
    check_text,
)
from .filecheck import Checker

STATE_NAME = paths.SYNC_STATE_NAME
STATE_VERSION = 1
MAX_BYTES = 1_000_000
_HINT = (
    "delete it to start over: the next `ritual sync` then treats the events already on the "
    "calendar as someone else's and asks for --force before replacing them"
)
_UID = re.compile(r"[!-~]{1,255}")
_NAME = re.compile(r"[A-Za-z0-9._@-]{1,255}")
_ETAG = re.compile(r"[ -~]{0,300}")
_HEX = re.compile(r"[0-9a-f]{0,64}")
_URL = re.compile(r"https?://[!-~]{1,2000}")


class Published(NamedTuple):
    """One resource ritual put on the calendar, as of its last successful write."""

    uid: str
    name: str  # the resource's name inside the collection
    etag: str  # the server's ETag for ritual's last version; "": not on the server (removed)
    digest: str  # SHA-256 of the bytes last written; "": none
    sequence: int
    content: str  # fingerprint of what its events said (calendar_ics.EventSpec.fingerprint)
    stamp: dt.datetime
    instances: tuple[dt.datetime, ...]

    def facts(self, series: Series) -> Series:
        """``series`` as this resource last published it."""
        return series._replace(
            sequence=self.sequence, content=self.content, stamp=self.stamp, instances=self.instances
        )


class SyncState(NamedTuple):
    url: str = ""  # the calendar the resources are on ("": never synced)
    resources: tuple[Published, ...] = ()

    def by_uid(self) -> dict[str, Published]:
        return {r.uid: r for r in self.resources}


def path_for(config: Path) -> Path:
    return config.parent / STATE_NAME


def load(path: Path) -> SyncState:
    """The state at ``path``, or an empty one when there is no such file."""
    text = filecheck.read_text_if_present(path, "sync state", MAX_BYTES)
    return SyncState() if text is None else parse(text, str(path))


def parse(text: str, source: str) -> SyncState:
    doc = filecheck.parse_toml(text, source, "sync state", hint=_HINT)
    check = Checker(source, text, hint=_HINT)
    version = doc.get("version")
    if isinstance(version, bool) or version != STATE_VERSION:
        check.add("version", f"expected {STATE_VERSION}")
        check.raise_if_any()
    check.unknown_keys("", doc, ("version", "url", "resource"))
    url = check_text(check, "url", doc.get("url", ""), re.compile(f"|{_URL.pattern}"), "the calendar's URL")
    items = doc.get("resource", [])
    if not isinstance(items, list):
        check.add("resource", "expected [[resource]] tables")
        items = []
    found = []
    for i, item in enumerate(items, 1):
        record = _record(check, f"resource[{i}]", item)
        if record is not None:
            found.append(record)
    if len({r.uid for r in found}) != len(found) or len({r.name for r in found}) != len(found):
        check.add("resource", "a UID or a name appears twice")
    check.raise_if_any()
    return SyncState(url or "", tuple(found))


_FIELDS = ("uid", "name", "etag", "digest", "sequence", "content", "stamp", "instances")


def _record(check: Checker, key: str, item: object) -> Published | None:
    if not isinstance(item, dict):
        check.add(key, "expected a table")
        return None
    check.unknown_keys(key, item, _FIELDS)
    check.missing_keys(key, item, ("uid", "name", "etag", "sequence", "stamp"))
    uid = check_text(check, f"{key}.uid", item.get("uid"), _UID, "a UID (printable ASCII)")
    name = check_text(check, f"{key}.name", item.get("name"), _NAME, "a resource name")
    etag = check_text(check, f"{key}.etag", item.get("etag"), _ETAG, "an ETag (printable ASCII)")
    digest = check_text(check, f"{key}.digest", item.get("digest", ""), _HEX, "a SHA-256 digest")
    sequence = check_int(check, f"{key}.sequence", item.get("sequence"), 0, MAX_SEQUENCE)
    content = check_text(
        check, f"{key}.content", item.get("content", ""), _HEX, "the fingerprint ritual wrote"
    )
    stamp = check_stamp(check, f"{key}.stamp", item.get("stamp"))
    instances = check_instances(check, f"{key}.instances", item.get("instances", []))
    if uid is None or name is None or etag is None or sequence is None or stamp is None:
        return None
    return Published(uid, name, etag, digest or "", sequence, content or "", stamp, instances)


def to_toml(state: SyncState) -> str:
    lines = [
        "# Written by `ritual sync`: the events it put on your CalDAV calendar and the version",
        "# (ETag) the server gave each, so that an unchanged sync writes nothing and an event",
        "# changed on a phone is noticed. No password is ever kept here.",
        f"version = {STATE_VERSION}",
        f"url = {tomlwrite.string(state.url)}",
    ]
    for r in state.resources:
        lines += [
            "",
            "[[resource]]",
            f"uid = {tomlwrite.string(r.uid)}",
            f"name = {tomlwrite.string(r.name)}",
            f"etag = {tomlwrite.string(r.etag)}",
            f"digest = {tomlwrite.string(r.digest)}",
            f"sequence = {r.sequence}",
            f"content = {tomlwrite.string(r.content)}",
            f"stamp = {r.stamp.astimezone(dt.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
            f"instances = {tomlwrite.value(list(r.instances))}",
        ]
    return "\n".join(lines) + "\n"
