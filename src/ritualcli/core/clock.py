"""What "today" and "now" are, and the clock a guided ritual keeps.

RITUAL_TODAY (YYYY-MM-DD) pins today, for previewing a future week and for
tests; SOURCE_DATE_EPOCH pins "now" for reproducible exports.

RITUAL_NOW (YYYY-MM-DDTHH:MM, local to the couple's zone, or with an offset) is
for tests only: it pins "now" (and so today, unless RITUAL_TODAY says otherwise)
and stops the ``Stopwatch`` of `ritual start`, so its countdowns show the same
numbers on every run; time passes there only when ``advance`` says so (the `+`
key, which does nothing on a real clock).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo

from .errors import UsageError

NOW_ENV = "RITUAL_NOW"


def today(zone: ZoneInfo) -> dt.date:
    pinned = os.environ.get("RITUAL_TODAY")
    if pinned:
        from .preferences import parse_date

        try:
            return parse_date(pinned)
        except ValueError as exc:
            raise UsageError(f"RITUAL_TODAY: {exc}") from None
    now = pinned_now(zone)
    return now.date() if now is not None else dt.datetime.now(zone).date()


def now_utc() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def pinned_now(zone: ZoneInfo) -> dt.datetime | None:
    """RITUAL_NOW in ``zone`` (a time without an offset is read in ``zone``), or None."""
    given = os.environ.get(NOW_ENV, "").strip()
    if not given:
        return None
    try:
        at = dt.datetime.fromisoformat(given)
    except ValueError:
        raise UsageError(f"{NOW_ENV}={given!r} is not a date and time: use YYYY-MM-DDTHH:MM") from None
    return at.replace(tzinfo=zone) if at.tzinfo is None else at.astimezone(zone)


class Stopwatch:
    """Seconds since a guided ritual began, and the time of day, in the couple's zone.

    On a real clock, monotonic seconds (a clock change mid-check-in does not
    stretch a time box). With RITUAL_NOW set it stands still, and only ``advance``
    moves it: tests see the same countdowns on every run, however slow the machine.
    """

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._pinned = pinned_now(zone)
        self._began = time.monotonic()
        self._moved = 0.0

    @property
    def pinned(self) -> bool:
        return self._pinned is not None

    def seconds(self) -> float:
        return self._moved if self._pinned is not None else time.monotonic() - self._began

    def advance(self, seconds: float) -> None:
        """Move a pinned clock on (for tests); a real clock keeps its own time."""
        if self._pinned is not None:
            self._moved += seconds

    def wall(self) -> dt.datetime:
        """The time of day now."""
        if self._pinned is not None:
            return self._pinned + dt.timedelta(seconds=self._moved)
        return dt.datetime.now(self.zone)
