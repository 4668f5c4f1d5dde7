"""calendar-state.toml: every series the calendar has published, read and written.

A *series* is one recurring event (one UID). A ritual has one series until its
rule (cadence, day, week of the month, time or duration) changes while it has
occurrences in the past: then that series ends where the change takes effect
and a new one begins (``calendar_series`` decides). The file remembers, per
series, its UID, the day it begins and its rule, what its events said last time
(a fingerprint, SEQUENCE and when it last changed) and the instances published
on their own (RECURRENCE-ID), so that an instance that no longer exists can be
taken back. It also holds a random id made at the first export, which seeds
new UIDs: a UID says nothing about the couple.

``ritual plan`` reads the series too (``recorded``), so that past dates follow
the rule they had: this module stays light (no icalendar), as plan's start-up
must. Every value is checked with the shared toolkit before it is converted: a
damaged file is a file problem (exit 2) naming the key and line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from . import filecheck, paths, tomlwrite
from .filecheck import Checker, shown
from .preferences import CADENCES, RITUALS, WEEKDAYS, Ritual, check_date_range

STATE_NAME = paths.CALENDAR_STATE_NAME
STATE_VERSION = 2
MAX_BYTES = 1_000_000
MAX_SEQUENCE = 2**31 - 1  # RFC 5545 §3.8.7.4: an INTEGER, a signed 32-bit value
_HINT = (
    "fix it, or delete it to start over: the next export then gives every event a new UID "
    "(import it into a new calendar) and starts each series at that day"
)
_INSTALL = re.compile(r"[0-9a-f]{16,64}")
_HEX = re.compile(r"[0-9a-f]{0,64}")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


class Rule(NamedTuple):
    """What a series repeats; any change to it while the series has a past starts a new one."""

    cadence: str
    day: str
    week_of_month: int  # 1 unless monthly: it means nothing otherwise
    time: dt.time
    duration: int  # minutes

    @classmethod
    def of(cls, ritual: Ritual) -> Rule:
        week = ritual.week_of_month if ritual.cadence == "monthly" else 1
        return cls(ritual.cadence, ritual.day, week, ritual.time, ritual.duration)

    def apply(self, ritual: Ritual) -> Ritual:
        """``ritual`` repeating by this rule."""
        return ritual._replace(**self._asdict())


class Series(NamedTuple):
    """One recurring event the calendar has published."""

    ritual: str  # "checkin" | "date-night"
    uid: str  # "" only when read from a version 1 file: derived as it was then (calendar_series)
    begins: dt.date | None  # the first day it covers; None: the ritual's first series
    rule: Rule | None  # None only when read from a version 1 file: the ritual's rule then
    sequence: int = 0
    content: str = ""  # fingerprint of what its events said; "": never published
    stamp: dt.datetime = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # when `content` last changed
    instances: tuple[dt.datetime, ...] = ()  # RECURRENCE-IDs published (naive local wall times)


class CalendarState(NamedTuple):
    """What the last export said; the example couple's is empty and never written."""

    install: str | None = None  # random, made at the first export; seeds new UIDs
    anchor: dt.date | None = None  # the day of the first export
    series: tuple[Series, ...] = ()
    couple_id: str | None = None  # version 1's seed of its UIDs, kept so they stay


def new_install_id() -> str:
    import secrets  # not at start-up: it loads OpenSSL, which `ritual plan` never needs

    return secrets.token_hex(16)


def path_for(config: Path) -> Path:
    """calendar-state.toml, beside the preferences (the data folder)."""
    return config.parent / STATE_NAME


def load(path: Path) -> CalendarState:
    """The state at ``path``, or an empty one when there is no such file."""
    text = filecheck.read_text_if_present(path, "calendar state", MAX_BYTES)
    return CalendarState() if text is None else parse(text, str(path))


# --------------------------------------------------------------------------- reading


def parse(text: str, source: str) -> CalendarState:
    """Read calendar-state.toml (version 1 or 2); every problem at once, with its line."""
    doc = filecheck.parse_toml(text, source, "calendar state", hint=_HINT)
    check = Checker(source, text, hint=_HINT)
    version = doc.get("version")
    if isinstance(version, bool) or version not in (1, STATE_VERSION):
        check.add("version", f"expected {STATE_VERSION} (or 1, from an earlier ritual), got {shown(version)}")
        check.raise_if_any()
    allowed = (
        ("version", "install", "anchor", "series")
        if version == 2
        else ("version", "anchor", "couple_id", *RITUALS)
    )
    check.unknown_keys("", doc, allowed)
    anchor = _date(check, "anchor", doc.get("anchor"))
    if version == 1:
        state = _version_1(check, doc, anchor)
    else:
        install = check_text(
            check, "install", doc.get("install"), _INSTALL, "the hexadecimal id ritual wrote"
        )
        series = doc.get("series", [])
        if not isinstance(series, list):
            check.add("series", "expected [[series]] tables")
            series = []
        found = tuple(s for i, item in enumerate(series, 1) if (s := _series(check, f"series[{i}]", item)))
        state = CalendarState(install, anchor, found)
        _check_order(check, found)
    check.raise_if_any()
    return state


def _version_1(check: Checker, doc: Mapping[str, Any], anchor: dt.date | None) -> CalendarState:
    """A version 1 file: one series per ritual, its UID to derive from couple_id (or the names)."""
    couple = check_text(
        check, "couple_id", doc.get("couple_id"), re.compile(r"[0-9A-Za-z]{1,64}"), "the id ritual wrote"
    )
    found = []
    for kind in RITUALS:
        table = doc.get(kind)
        if table is None:
            continue
        if not isinstance(table, dict):
            check.add(kind, "expected a table")
            continue
        check.unknown_keys(kind, table, ("sequence", "schedule", "content", "stamp"))
        check.missing_keys(kind, table, ("sequence", "stamp"))
        sequence = check_int(check, f"{kind}.sequence", table.get("sequence"), 0, MAX_SEQUENCE)
        stamp = check_stamp(check, f"{kind}.stamp", table.get("stamp"))
        if sequence is not None and stamp is not None:
            # The old fingerprint is not this version's: the first export after
            # the upgrade raises SEQUENCE once, as its events do say more now.
            found.append(Series(kind, "", None, None, sequence, "version 1", stamp))
    return CalendarState(None, anchor, tuple(found), couple)


def _series(check: Checker, key: str, item: object) -> Series | None:
    if not isinstance(item, dict):
        check.add(key, "expected a table")
        return None
    fields = ("ritual", "uid", "begins", "rule", "sequence", "content", "stamp", "instances")
    check.unknown_keys(key, item, fields)
    check.missing_keys(key, item, ("ritual", "uid", "rule", "sequence", "stamp"))
    ritual = item.get("ritual")
    if "ritual" in item and ritual not in RITUALS:
        check.add(f"{key}.ritual", f"expected one of {', '.join(RITUALS)}, got {shown(ritual)}")
    uid = check_text(
        check, f"{key}.uid", item.get("uid"), re.compile(r"[!-~]{1,255}"), "a UID (printable ASCII)"
    )
    begins = _date(check, f"{key}.begins", item.get("begins"))
    rule = _rule(check, f"{key}.rule", item.get("rule"))
    sequence = check_int(check, f"{key}.sequence", item.get("sequence"), 0, MAX_SEQUENCE)
    content = check_text(
        check, f"{key}.content", item.get("content", ""), _HEX, "the fingerprint ritual wrote"
    )
    stamp = check_stamp(check, f"{key}.stamp", item.get("stamp"))
    instances = check_instances(check, f"{key}.instances", item.get("instances", []))
    if uid is None or rule is None or sequence is None or stamp is None or ritual not in RITUALS:
        return None
    return Series(str(ritual), uid, begins, rule, sequence, content or "", stamp, instances)


def _rule(check: Checker, key: str, value: object) -> Rule | None:
    if not isinstance(value, dict):
        if value is not None:  # a missing rule is reported with the other missing keys
            check.add(key, "expected { cadence = …, day = …, week_of_month = …, time = …, duration = … }")
        return None
    check.unknown_keys(key, value, Rule._fields)
    cadence, day, time = value.get("cadence"), value.get("day"), value.get("time")
    ok = True
    if cadence not in CADENCES:
        check.add(f"{key}.cadence", f"expected one of {', '.join(CADENCES)}")
        ok = False
    if day not in WEEKDAYS:
        check.add(f"{key}.day", f"expected one of {', '.join(WEEKDAYS)}")
        ok = False
    week = value.get("week_of_month")
    if isinstance(week, bool) or week not in (1, 2, 3, 4, -1):
        check.add(f"{key}.week_of_month", "expected 1, 2, 3, 4 or -1")
        ok = False
    if not isinstance(time, str) or not _TIME.fullmatch(time):
        check.add(f"{key}.time", 'expected "HH:MM"')
        ok = False
    duration = check_int(check, f"{key}.duration", value.get("duration"), 1, 1440)
    if not ok or duration is None:
        return None
    assert (
        isinstance(cadence, str) and isinstance(day, str) and isinstance(week, int) and isinstance(time, str)
    )
    return Rule(cadence, day, week, dt.time.fromisoformat(time), duration)


def check_instances(check: Checker, key: str, value: object) -> tuple[dt.datetime, ...]:
    if not isinstance(value, list):
        check.add(key, "expected an array of local date-times")
        return ()
    out = []
    for item in value:
        if not isinstance(item, dt.datetime) or item.tzinfo is not None:
            check.add(key, "expected local date-times (YYYY-MM-DDTHH:MM:SS, no offset)")
            return ()
        try:
            check_date_range(item.date())
        except ValueError as exc:
            check.add(key, str(exc))
            return ()
        out.append(item)
    return tuple(sorted(set(out)))


def _check_order(check: Checker, found: tuple[Series, ...]) -> None:
    last: dict[str, Series] = {}
    for i, series in enumerate(found, 1):
        before = last.get(series.ritual)
        if before is not None and (
            series.begins is None or (before.begins is not None and series.begins <= before.begins)
        ):
            check.add(f"series[{i}].begins", "each later series of a ritual must begin after the one before")
        elif before is None and series.begins is not None:
            check.add(
                f"series[{i}].begins", "a ritual's first series has no begins (it starts with the calendar)"
            )
        last[series.ritual] = series


def check_int(check: Checker, key: str, value: object, lo: int, hi: int) -> int | None:
    if value is None:  # reported as missing where it is required
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        check.add(key, f"expected a whole number, got {shown(value)}")
        return None
    if not lo <= value <= hi:
        # Not echoed: the value may be thousands of digits long.
        check.add(key, f"is out of range: expected {lo} to {hi}")
        return None
    return value


def check_text(check: Checker, key: str, value: object, pattern: re.Pattern[str], what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not pattern.fullmatch(value):
        check.add(key, f"expected {what}")
        return None
    return value


def _date(check: Checker, key: str, value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        check.add(key, "expected a date (YYYY-MM-DD)")
        return None
    try:
        return check_date_range(value)
    except ValueError as exc:
        check.add(key, str(exc))
        return None


def check_stamp(check: Checker, key: str, value: object) -> dt.datetime | None:
    if value is None:  # reported as missing where it is required
        return None
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        check.add(key, "expected a date-time with an offset (e.g. 2026-11-20T08:00:00Z)")
        return None
    try:
        # In range before converting: year 1 at +14:00 is before year 1 in UTC.
        check_date_range(value.date())
    except ValueError as exc:
        check.add(key, str(exc))
        return None
    return value.astimezone(dt.UTC)


# --------------------------------------------------------------------------- writing


def to_toml(state: CalendarState) -> str:
    """calendar-state.toml's text: stable, so an unchanged state rewrites nothing."""
    lines = [
        "# Written by `ritual export ics`: every event your calendar has been given, so that a",
        "# re-export updates them (a higher SEQUENCE), takes back what no longer happens, and",
        "# keeps past dates as they were. `install` is random: it seeds the events' UIDs.",
        f"version = {STATE_VERSION}",
    ]
    if state.install is not None:
        lines.append(f"install = {tomlwrite.string(state.install)}")
    if state.anchor is not None:
        lines.append(f"anchor = {state.anchor.isoformat()}")
    for series in state.series:
        assert series.rule is not None, "a rule is settled before the state is written"
        rule = {**series.rule._asdict(), "time": series.rule.time.strftime("%H:%M")}
        lines += [
            "",
            "[[series]]",
            f"ritual = {tomlwrite.string(series.ritual)}",
            f"uid = {tomlwrite.string(series.uid)}",
        ]
        if series.begins is not None:
            lines.append(f"begins = {series.begins.isoformat()}")
        lines += [
            f"rule = {tomlwrite.value(rule)}",
            f"sequence = {series.sequence}",
            f"content = {tomlwrite.string(series.content)}",
            f"stamp = {series.stamp.astimezone(dt.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
            f"instances = {tomlwrite.value(list(series.instances))}",
        ]
    return "\n".join(lines) + "\n"
