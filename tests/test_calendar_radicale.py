"""A CalDAV server expands ritual's events exactly as `ritual plan` lists them.

Each UID's events go to a real Radicale server (tests/radicale_server.py) as one
calendar object resource without METHOD (RFC 4791 §4.1: the master, its
instances and the VTIMEZONE), exactly the `Export.resources` that `ritual sync`
will put. The server's own expansion, a calendar-query REPORT with `<C:expand>`,
must then list every occurrence `ritual plan --format json` prints for five
years, skips and instances with their own agenda included. Radicale reads
calendars with vobject, which once took London's zone for UTC (issue 11).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from calendar_servers import COUPLES, plan_rows, server_rows
from calendars import TODAY
from radicale_server import Radicale
from ritualcli.core import calendar_file, preferences
from ritualcli.core.history import History

pytestmark = pytest.mark.usefixtures("pinned_clock")


def couple(zone: str, body: str) -> str:
    head = f'version = 1\n[couple]\npartners = ["Ana", "Ben"]\ntimezone = "{zone}"\nstart = 2026-11-23\n'
    return head + textwrap.dedent(body)


def publish(
    server: Radicale, config: Path, agendas: int = 0, url: str | None = None
) -> tuple[str, calendar_file.Export]:
    """Build the calendar as `export ics` does (state remembered) and put each UID at its
    own URL in the collection ``url`` (a new one by default); the collection's URL."""
    prefs = preferences.load(config)
    export = calendar_file.build(config, prefs, History(), agendas)
    calendar_file.remember(config, prefs, export)
    url = url or server.new_calendar()
    for resource in export.resources:
        server.put(url, f"{resource.uid}.ics", resource.ical())
    return url, export


@pytest.mark.parametrize("zone", list(COUPLES))
def test_the_servers_expansion_is_what_plan_prints_for_five_years(
    zone: str, cli: Any, write_config: Any, radicale: Radicale
) -> None:
    config = write_config(couple(zone, COUPLES[zone]))
    url, export = publish(radicale, config, agendas=3)
    assert export.events == 2 and export.overrides == 3
    expected = plan_rows(cli, dt.date(2026, 11, 23))
    assert len(expected) > 150
    got = server_rows(radicale, url, zone, dt.date(2026, 11, 23))
    assert got == expected, radicale.tail()


def test_each_resource_is_one_uid_without_method_and_the_file_is_their_union(
    write_config: Any, radicale: Radicale
) -> None:
    config = write_config(couple("Europe/London", COUPLES["Europe/London"]))
    url, export = publish(radicale, config, agendas=4)
    whole = icalendar.Calendar.from_ical(export.data)
    assert str(whole["METHOD"]) == "PUBLISH"
    from_resources = []
    for resource in export.resources:
        stored = icalendar.Calendar.from_ical(radicale.get(url, f"{resource.uid}.ics"))
        assert "METHOD" not in stored
        assert [str(z["TZID"]) for z in stored.walk("VTIMEZONE")] == ["Europe/London"]
        events = stored.walk("VEVENT")
        assert {str(e["UID"]) for e in events} == {resource.uid}
        assert sum("RECURRENCE-ID" not in e for e in events) == 1  # one master
        from_resources += [e.to_ical() for e in icalendar.Calendar.from_ical(resource.ical()).walk("VEVENT")]
    # One builder: the file holds exactly the resources' events.
    assert sorted(e.to_ical() for e in whole.walk("VEVENT")) == sorted(from_resources)


def test_a_time_change_and_a_disabled_ritual_reach_the_server_and_the_past_stays(
    cli: Any, write_config: Any, radicale: Radicale, monkeypatch: pytest.MonkeyPatch
) -> None:
    london = couple("Europe/London", COUPLES["Europe/London"]).replace("2026-11-23", "2026-09-05")
    config = write_config(london)
    monkeypatch.setenv("RITUAL_TODAY", "2026-09-01")
    url, _ = publish(radicale, config, agendas=2)
    monkeypatch.setenv("RITUAL_TODAY", TODAY)
    changed = london.replace('time = "09:00"', 'time = "10:30"').replace(
        "[date_night]", "[date_night]\nenabled = false"
    )
    write_config(changed)
    # The same collection, as a sync would: each UID's resource replaced, the new series added.
    url, export = publish(radicale, config, agendas=2, url=url)
    assert export.events == 2 and export.cancelled == 1  # two check-in series; the date night cancelled
    expected = plan_rows(cli, dt.date(2026, 9, 5), 52)
    assert {r[0] for r in expected} == {"checkin"}
    got = server_rows(radicale, url, "Europe/London", dt.date(2026, 9, 5), 52)
    assert got == expected, radicale.tail()
    # September's Saturdays at 09:00 BST, December's at 10:30 GMT, on the server too.
    london_times = {r[1].astimezone(ZoneInfo("Europe/London")).strftime("%m %H:%M") for r in got}
    assert {"09 09:00", "12 10:30"} <= london_times and "09 10:30" not in london_times
    cancelled = [i for i in radicale.expand(url, *_span(dt.date(2026, 9, 5), 52)) if i.status == "CANCELLED"]
    assert cancelled and {i.summary for i in cancelled} == {"Date night"}


def _span(frm: dt.date, weeks: int) -> tuple[dt.datetime, dt.datetime]:
    lo = dt.datetime.combine(frm, dt.time(), dt.UTC)
    return lo, lo + dt.timedelta(weeks=weeks)
