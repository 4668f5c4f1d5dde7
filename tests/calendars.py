"""What the calendar tests share: the pinned clock, exporting, and reading a calendar back.

A calendar is read back by parsers that did not write it: recurring-ical-events
(over icalendar and dateutil) and Mozilla's ical.js (Thunderbird's parser,
tests/icaljs.py); tests/radicale_server.py adds a CalDAV server. Each is
compared with `ritual plan --format json`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import icalendar
import recurring_ical_events

from icaljs import expand_with_icaljs

TODAY = "2026-11-20"  # RITUAL_TODAY in every calendar test (the pinned_clock fixture)
EPOCH = "1790000000"  # SOURCE_DATE_EPOCH: 2026-09-21T14:13:20Z
WEEKS = 520
CUSTOM = "Custom/Couple"
KIND = {"Check-in": "checkin", "Date night": "date-night"}

Row = tuple[str, str, str]  # ritual, start, end (ISO 8601 with offset)


def plan_rows(cli: Any, frm: str, weeks: int = WEEKS) -> list[Row]:
    result = cli("plan", "--format", "json", "--weeks", str(weeks), "--from", frm)
    return ordered([(r["ritual"], r["start"], r["end"]) for r in json.loads(result.stdout)])


def _window(frm: str, weeks: int = WEEKS) -> tuple[dt.date, dt.date]:
    start = dt.date.fromisoformat(frm)
    return start, start + dt.timedelta(weeks=weeks)


def _within(rows: list[Row], frm: str, weeks: int = WEEKS) -> list[Row]:
    """Rows whose local start date is in plan's window (plan counts local dates)."""
    _, hi = _window(frm, weeks)
    return ordered([r for r in rows if r[1][:10] < hi.isoformat()])


def ordered(rows: list[Row]) -> list[Row]:
    """By real start, then ritual: as plan lists them."""
    return sorted(rows, key=lambda r: (dt.datetime.fromisoformat(r[1]).astimezone(dt.UTC), r[0]))


def expand_python(data: bytes, frm: str, weeks: int = WEEKS) -> list[Row]:
    """recurring-ical-events' instances, cancelled ones (STATUS:CANCELLED) left out."""
    lo, hi = _window(frm, weeks)
    cal = icalendar.Calendar.from_ical(data)
    # A year before `frm` too: the calendar must have nothing before plan's first.
    found = recurring_ical_events.of(cal).between(lo - dt.timedelta(days=366), hi + dt.timedelta(days=2))
    rows = []
    for e in found:
        if str(e.get("STATUS", "")) == "CANCELLED":
            continue
        start = e["DTSTART"].dt
        end = e["DTEND"].dt if "DTEND" in e else start + e["DURATION"].dt
        rows.append((KIND[str(e["SUMMARY"]).split(" · ")[0]], start.isoformat(), end.isoformat()))
    return _within(rows, frm, weeks)


def expand_js(path: Path, frm: str, weeks: int = WEEKS) -> list[Row]:
    """ical.js's instances, cancelled ones left out."""
    lo, hi = _window(frm, weeks)
    found = expand_with_icaljs(path, lo - dt.timedelta(days=366), hi + dt.timedelta(days=2))
    rows = [
        (KIND[o["summary"].split(" · ")[0]], o["start"], o["end"])
        for o in found
        if o["status"] != "CANCELLED"
    ]
    return _within(rows, frm, weeks)


_renamed = itertools.count()


def rename_zone(data: bytes, zone: str) -> bytes:
    """The same file with its TZID (not X-WR-TIMEZONE) renamed to one no zone database has.

    Each call gets a new name: icalendar keeps the first VTIMEZONE it read for a
    TZID for the rest of the process, so a reused name would read another file's zone.
    """
    custom = f"{CUSTOM}-{next(_renamed)}".encode()
    out = data.replace(f"TZID={zone}".encode(), b"TZID=" + custom)
    out = out.replace(f"TZID:{zone}".encode(), b"TZID:" + custom)
    assert out.count(custom) == data.count(f"TZID={zone}".encode()) + 1
    return out


def unfold(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


PLAIN_COUPLE = """\
version = 1
[couple]
partners = ["Alex", "Sam"]
timezone = "America/New_York"
start = 2026-11-23
[checkin]
time = "19:00"
"""


def masters(data: bytes) -> dict[str, icalendar.Event]:
    """Each series's master event (no RECURRENCE-ID), by UID."""
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e}


def master(data: bytes, summary: str) -> dict[str, str]:
    """The one master titled ``summary`` that still repeats, as text: uid, sequence, dtstamp, dtstart."""
    (event,) = [
        e for e in masters(data).values() if str(e["SUMMARY"]) == summary and "UNTIL" not in e["RRULE"]
    ]
    return {
        "uid": str(event["UID"]),
        "sequence": str(event["SEQUENCE"]),
        "dtstamp": event["DTSTAMP"].dt.isoformat(),
        "dtstart": event["DTSTART"].dt.isoformat(),
        "status": str(event["STATUS"]),
    }
