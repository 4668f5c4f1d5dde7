"""What the CalDAV tests share: couples whose skips cross their zone's clock changes, and
`ritual plan` and a server's expansion read as rows of UTC instants to compare."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from radicale_server import Radicale

WEEKS = 260


KIND = {"Check-in": "checkin", "Date night": "date-night"}


# Every couple starts 2026-11-23; skip ranges cross the zone's clock changes.
COUPLES = {
    "America/New_York": """
        [checkin]
        day = "sunday"
        time = "19:00"
        [date_night]
        cadence = "monthly"
        day = "friday"
        week_of_month = -1
        time = "19:30"
        [skip]
        dates = [2028-11-05]
        ranges = [{ from = 2027-03-01, to = 2027-03-20 }, { from = 2027-12-24, to = 2027-12-31 }]
    """,
    "Europe/London": """
        [checkin]
        day = "saturday"
        time = "09:00"
        [date_night]
        cadence = "biweekly"
        day = "friday"
        time = "19:00"
        [skip]
        ranges = [{ from = 2027-03-20, to = 2027-04-03 }, { from = 2028-10-28, to = 2028-10-30 }]
    """,
    "Europe/Dublin": """
        [checkin]
        cadence = "biweekly"
        day = "wednesday"
        time = "20:00"
        [date_night]
        cadence = "monthly"
        day = "saturday"
        week_of_month = 2
        time = "18:30"
        [skip]
        ranges = [{ from = 2027-03-25, to = 2027-04-10 }]
    """,
    "Australia/Lord_Howe": """
        [checkin]
        day = "sunday"
        time = "18:00"
        [date_night]
        cadence = "monthly"
        day = "sunday"
        week_of_month = 1
        time = "12:00"
        duration = 180
        [skip]
        ranges = [{ from = 2027-04-01, to = 2027-04-08 }, { from = 2027-10-01, to = 2027-10-05 }]
    """,
    "Pacific/Chatham": """
        [checkin]
        day = "sunday"
        time = "19:45"
        [date_night]
        cadence = "monthly"
        day = "saturday"
        week_of_month = -1
        time = "20:00"
        [skip]
        ranges = [{ from = 2027-04-03, to = 2027-04-05 }, { from = 2027-09-25, to = 2027-09-27 }]
    """,
}


Row = tuple[str, dt.datetime, dt.datetime]  # ritual, start and end in UTC


def plan_rows(cli: Any, frm: dt.date, weeks: int = WEEKS) -> list[Row]:
    result = cli("plan", "--format", "json", "--weeks", str(weeks), "--from", frm.isoformat())
    return sorted(
        (
            r["ritual"],
            dt.datetime.fromisoformat(r["start"]).astimezone(dt.UTC),
            dt.datetime.fromisoformat(r["end"]).astimezone(dt.UTC),
        )
        for r in json.loads(result.stdout)
    )


def server_rows(server: Radicale, url: str, zone: str, frm: dt.date, weeks: int = WEEKS) -> list[Row]:
    """The server's expansion, cancelled instances left out, for local start dates in plan's window."""
    tz = ZoneInfo(zone)
    lo = dt.datetime.combine(frm - dt.timedelta(days=2), dt.time(), tz)
    hi = dt.datetime.combine(frm + dt.timedelta(weeks=weeks, days=2), dt.time(), tz)
    until = frm + dt.timedelta(weeks=weeks)
    rows = []
    for instance in server.expand(url, lo, hi):
        if instance.status == "CANCELLED":
            continue
        if frm <= instance.start.astimezone(tz).date() < until:
            rows.append((KIND[instance.summary.split(" · ")[0]], instance.start, instance.end))
    return sorted(rows)
