"""What the history tests share: the couple's first Sundays, preferences, a held check-in."""

from __future__ import annotations

import datetime as dt
import textwrap

from conftest import COUPLE
from ritualcli.core import preferences
from ritualcli.core.history import Draft
from ritualcli.core.preferences import Preferences

D = dt.date
# COUPLE: check-ins on Sundays from 2026-11-23; these are the first few.
SUNDAYS = [D(2026, 11, 29) + dt.timedelta(weeks=i) for i in range(12)]


def prefs_with(extra: str = "") -> Preferences:
    return preferences.parse_bytes((COUPLE + textwrap.dedent(extra)).encode())


def held(day: dt.date, **kw: object) -> Draft:
    return Draft("checkin", day, **kw)  # type: ignore[arg-type]
