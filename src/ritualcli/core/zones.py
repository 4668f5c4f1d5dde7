"""What a time zone says about where the couple lives: its country, its season, its sun.

From the tz database's ``zone.tab`` (shipped with the ``tzdata`` package, a
dependency), which gives each zone a country code and the coordinates of its
principal city. A zone name it does not list (an old link such as
``Australia/NSW``) is followed to the zone it links to through ``tzdata.zi``.
Both files are read once, on first use; ``ritual plan`` pays for them (under a
millisecond) only when it names a date idea.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import NamedTuple

# Seasons are a temperate idea: between the tropics (23.4° either side of the
# equator) a month does not say summer or winter, so no idea is ruled out by season.
TROPIC = 23.4
NORTH_SEASONS = {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring", 5: "spring"}
NORTH_SEASONS |= {6: "summer", 7: "summer", 8: "summer", 9: "autumn", 10: "autumn", 11: "autumn"}
OPPOSITE = {"winter": "summer", "summer": "winter", "spring": "autumn", "autumn": "spring"}


class Place(NamedTuple):
    country: str  # ISO 3166 code, e.g. "GB"
    latitude: float  # degrees north (negative: south)
    longitude: float  # degrees east (negative: west); the sun's times need it


def _tzdata_dir() -> Path | None:
    try:
        import tzdata  # type: ignore[import-untyped]
    except ImportError:  # a dependency, but a broken install should cost the season, not the agenda
        return None
    return Path(tzdata.__file__).parent / "zoneinfo"


@functools.cache
def _zone_tab() -> str:
    folder = _tzdata_dir()
    try:
        return (folder / "zone.tab").read_text(encoding="utf-8") if folder else ""
    except OSError:
        return ""


def _listed(zone: str) -> Place | None:
    """The zone's row of zone.tab (country, coordinates, zone, comment), if it has one.

    Found by searching the text, not by parsing every row: `ritual plan` asks for one zone.
    """
    text = _zone_tab()
    for end in ("\n", "\t"):
        at = text.find(f"\t{zone}{end}")
        if at >= 0:
            fields = text[text.rfind("\n", 0, at) + 1 : at].split("\t")
            if len(fields) == 2 and not fields[0].startswith("#"):
                return Place(fields[0], *_coordinates(fields[1]))
    return None


def _coordinates(text: str) -> tuple[float, float]:
    """Latitude and longitude of ISO 6709 coordinates as zone.tab writes them:
    ±DDMM[SS] then ±DDDMM[SS] (seconds only when the minutes are not precise enough)."""
    end = next(i for i in range(1, len(text)) if text[i] in "+-")
    return _angle(text[:end], 2), _angle(text[end:], 3)


def _angle(part: str, width: int) -> float:
    """One signed angle, ±DD…MM[SS], with ``width`` digits of degrees."""
    sign = -1 if part[0] == "-" else 1
    digits = part[1:]
    degrees, minutes = int(digits[:width]), int(digits[width : width + 2])
    seconds = int(digits[width + 2 : width + 4] or 0)
    return sign * (degrees + minutes / 60 + seconds / 3600)


@functools.cache
def _links() -> dict[str, str]:
    """Old zone names -> the zone they stand for (tzdata.zi's "L TARGET NAME" lines)."""
    folder = _tzdata_dir()
    try:
        text = (folder / "tzdata.zi").read_text(encoding="utf-8") if folder else ""
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        if line.startswith("L "):
            parts = line.split()
            if len(parts) == 3:
                out[parts[2]] = parts[1]
    return out


@functools.cache  # a date night's light asks for it on every date
def place(zone: str) -> Place | None:
    """The country and coordinates zone.tab gives a zone (or the zone an old name links to)."""
    found = _listed(zone)
    if found is not None:
        return found
    links = _links()
    seen = {zone}
    while zone in links and links[zone] not in seen:
        zone = links[zone]
        seen.add(zone)
        found = _listed(zone)
        if found is not None:
            return found
    return None


@functools.cache
def hemisphere(zone: str) -> str | None:
    """ "north", "south", or None where seasons do not apply (the tropics) or are unknown.

    A zone zone.tab does not know (EST5EDT, Etc/GMT+5) is placed by its clock
    changes: summer time in July is north, in January south; none, unknown.
    """
    found = place(zone)
    if found is not None:
        if abs(found.latitude) < TROPIC:
            return None
        return "north" if found.latitude > 0 else "south"
    from zoneinfo import ZoneInfo

    try:
        tz = ZoneInfo(zone)
    except (ValueError, OSError, KeyError):
        return None
    january = dt.datetime(2025, 1, 15, 12, tzinfo=tz).utcoffset()
    july = dt.datetime(2025, 7, 15, 12, tzinfo=tz).utcoffset()
    if january == july or january is None or july is None:
        return None
    return "north" if july > january else "south"


def season(zone: str, day: dt.date) -> str | None:
    """The season of ``day`` where the zone is (spring, summer, autumn, winter), or None."""
    side = hemisphere(zone)
    if side is None:
        return None
    north = NORTH_SEASONS[day.month]
    return north if side == "north" else OPPOSITE[north]
