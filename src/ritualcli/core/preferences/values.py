"""Single values a person types, in the file or on the command line: times, dates,
zones, names. Each parser returns the value or raises ValueError with a message a
person can act on; the settings' checks (``checks.py``) and the commands use them alike.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import unicodedata
from pathlib import Path

from ..filecheck import shown, with_suggestion

_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_time(value: str) -> dt.time:
    """'19:00' -> time(19, 0); raises ValueError with a message a user can act on."""
    m = _TIME_RE.match(value.strip())
    if not m:
        raise ValueError(f'{shown(value)} is not a time: use HH:MM, 24-hour (e.g. "19:30")')
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(f"{shown(value)} is not a time of day: hours 00-23, minutes 00-59")
    return dt.time(hour, minute)


# The dates ritual plans within. Plans reach ten years ahead and clock-change
# checks a few more, so a date near year 9999 would overflow midway: refuse it here,
# with a message, rather than with a traceback later.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(9000, 12, 31)


def check_date_range(day: dt.date) -> dt.date:
    """``day`` if it is within FIRST_DATE..LAST_DATE; ValueError otherwise."""
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(
            f"{day.isoformat()} is out of range: use a date from {FIRST_DATE.year} to {LAST_DATE.year}"
        )
    return day


def parse_date(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{shown(value)} is not a date: use YYYY-MM-DD") from None
    return check_date_range(day)


def check_zone(name: str) -> str:
    """Return ``name`` if it is an IANA zone this machine knows; ValueError otherwise."""
    from zoneinfo import ZoneInfo

    ok = 0 < len(name) <= 64 and not name.startswith(("/", ".")) and ".." not in name
    if ok:
        try:
            ZoneInfo(name)
        except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
            ok = False
    if not ok:
        import zoneinfo

        message = f'{shown(name)} is not an IANA time zone such as "Europe/Berlin"'
        zones = sorted(zoneinfo.available_timezones()) if len(name) <= 64 else ()
        raise ValueError(with_suggestion(message, name, zones))
    return name


def local_zone_name() -> str:
    """The machine's IANA zone, for defaults; UTC when it cannot be told."""
    tz = os.environ.get("TZ", "").lstrip(":")
    candidates = [tz] if tz else []
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    with contextlib.suppress(OSError, UnicodeDecodeError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    for name in candidates:
        try:
            return check_zone(name)
        except ValueError:
            continue
    return "UTC"


# --------------------------------------------------------------------------- names

MAX_NAME = 60
# Zero-width joiners belong inside words of some scripts (ZWNJ in Persian, ZWJ in
# Indic conjuncts); between two non-ASCII letters they are kept, anywhere else refused.
_JOINERS = "\u200c\u200d"
# Letters that draw nothing (Hangul fillers, braille blank): a "name" of only these is empty.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Mn", "Me"})


def check_name(name: str) -> str:
    """A partner's name as ritual keeps it (trimmed, NFC); ValueError for one that could
    not be told apart from another name, or shown as it is."""
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise ValueError("a name is empty")
    if len(name) > MAX_NAME:
        raise ValueError(f"{shown(name, 20)} is longer than {MAX_NAME} characters")
    if all(unicodedata.category(ch) in _INVISIBLE or ch in _BLANK_LETTERS for ch in name):
        raise ValueError(f"{name!r} has no visible character")
    for i, ch in enumerate(name):
        kind = unicodedata.category(ch)
        if kind == "Cc":
            raise ValueError(f"{name!r} contains a control character")
        if kind == "Cs":
            raise ValueError(f"{name!r} contains bytes that are not text (not UTF-8)")
        if kind == "Cf" and not _joins_letters(name, i):
            what = unicodedata.name(ch, "a format character").lower()
            raise ValueError(f"{name!r} contains an invisible character (U+{ord(ch):04X}, {what})")
    return name


def _joins_letters(name: str, i: int) -> bool:
    if name[i] not in _JOINERS or not 0 < i < len(name) - 1:
        return False
    return all(ch.isalpha() and not ch.isascii() for ch in (name[i - 1], name[i + 1]))


def name_key(name: str) -> str:
    """What two names are compared by: the casefold of their NFKC form, joiners dropped.

    "Zoë" composed and decomposed, "Ａlex" (full-width) and "alex", are one person.
    Every module that matches a name a person typed against the partners uses this.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name.strip()).casefold())
    return folded.translate({ord(j): None for j in _JOINERS})


def has_control(text: str) -> bool:
    """A newline, tab or other control character (Unicode category Cc)."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)
