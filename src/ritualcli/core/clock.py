"""What "today" and "now" are.

RITUAL_TODAY (YYYY-MM-DD) pins today, for previewing a future week and for
tests; SOURCE_DATE_EPOCH pins "now" for reproducible exports.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from .errors import UsageError


def today(zone: ZoneInfo) -> dt.date:
    pinned = os.environ.get("RITUAL_TODAY")
    if pinned:
        from .preferences import parse_date

        try:
            return parse_date(pinned)
        except ValueError as exc:
            raise UsageError(f"RITUAL_TODAY: {exc}") from None
    return dt.datetime.now(zone).date()


def now_utc() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
