"""The shortcuts that make a long export fast give what the long way gives."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from conftest import COUPLE
from ritualcli.core import preferences, schedule

SKIPS = "[skip]\ndates = [2027-01-03]\nranges = [{ from = 2027-07-01, to = 2027-08-20 }]\n"


@pytest.mark.parametrize(
    "checkin",
    [
        "",
        '[checkin]\ncadence = "biweekly"\nday = "wednesday"\n',
        '[checkin]\ncadence = "monthly"\nweek_of_month = -1\nday = "saturday"\n',
        '[checkin]\ncadence = "monthly"\nweek_of_month = 2\n',
    ],
)
def test_planned_dates_are_the_occurrences_own(checkin: str) -> None:
    prefs = preferences.parse_bytes((COUPLE + checkin + SKIPS).encode())

    def long_way(frm: dt.date, until: dt.date) -> tuple[dt.date, ...]:
        return tuple(o.date for o in schedule.occurrences(prefs, frm, until, ["checkin"]))

    start = dt.date(2026, 10, 1)
    # an export's windows, a week apart and sliding forward, then jumps either way
    windows = [(start + dt.timedelta(weeks=i), start + dt.timedelta(weeks=i, days=131)) for i in range(120)]
    rng = random.Random(7)
    for _ in range(60):
        frm = start + dt.timedelta(days=rng.randrange(0, 1500))
        windows.append((frm, frm + dt.timedelta(days=rng.randrange(0, 400))))
    for frm, until in windows:
        assert tuple(schedule.planned_dates(prefs, prefs.checkin, frm, until)) == long_way(frm, until), (
            frm,
            until,
        )
    # other preferences (an edited file) give their own dates
    other = preferences.parse_bytes((COUPLE + '[checkin]\nday = "monday"\n').encode())
    frm, until = dt.date(2027, 3, 1), dt.date(2027, 4, 1)
    assert tuple(schedule.planned_dates(prefs, prefs.checkin, frm, until)) == long_way(frm, until)
    assert tuple(schedule.planned_dates(other, other.checkin, frm, until)) == tuple(
        o.date for o in schedule.occurrences(other, frm, until, ["checkin"])
    )
    assert all(d.weekday() == 0 for d in tuple(schedule.planned_dates(other, other.checkin, frm, until)))
