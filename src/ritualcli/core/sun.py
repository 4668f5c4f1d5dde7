"""When the sun rises and sets on a day, where the couple lives.

NOAA's solar-position equations (the "sunrise equation" of its solar calculator:
the sun's declination and the equation of time from the Julian century), with the
standard horizon of sunrise and sunset: the sun's upper edge on the horizon, seen
through the air, which is its centre 0.833° below it. Good to a minute or so
between the polar circles; the tests hold it to the ``astral`` package.

The place is the principal city ``zone.tab`` gives the couple's time zone (see
``zones``). Most couples live within a few hundred kilometres of it, and their
sky differs by minutes. Some live much further away: Tromsø is on
``Europe/Oslo`` time and has polar night, Oslo does not. Then the light judged
here can be hours off, and only the date idea suggested is wrong, never the
schedule. Standard library only, imported only when a date idea is chosen.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import NamedTuple
from zoneinfo import ZoneInfo

# The sun's centre at sunrise and sunset: 90° from the zenith, plus 34' of
# refraction and 16' of the sun's radius.
HORIZON_ZENITH = 90.833
_J2000 = dt.datetime(2000, 1, 1, 12, tzinfo=dt.UTC)  # Julian day 2451545.0
_DAY_MINUTES = 1440.0
_SETTLED = dt.timedelta(seconds=20)  # a refinement that moves a crossing less than this is done


class SunDay(NamedTuple):
    """One local day's sunrise and sunset, both around that day's solar noon.

    A sunrise or sunset is None when the sun does not cross the horizon: ``polar``
    then says whether it stays up ("day") or down ("night") around that noon.
    """

    noon: dt.datetime  # solar noon, local
    sunrise: dt.datetime | None  # local, aware
    sunset: dt.datetime | None
    polar: str | None  # "day" | "night" | None


def _century(at: dt.datetime) -> float:
    """Julian centuries since J2000.0, which the NOAA series are written in."""
    return (at - _J2000).total_seconds() / 86400 / 36525


def _position(t: float) -> tuple[float, float]:
    """The sun's declination (degrees) and the equation of time (minutes) at century ``t``."""
    mean_long = (280.46646 + t * (36000.76983 + t * 0.0003032)) % 360
    anomaly = 357.52911 + t * (35999.05029 - 0.0001537 * t)
    ecc = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
    m = math.radians(anomaly)
    centre = (
        math.sin(m) * (1.914602 - t * (0.004817 + 0.000014 * t))
        + math.sin(2 * m) * (0.019993 - 0.000101 * t)
        + math.sin(3 * m) * 0.000289
    )
    omega = math.radians(125.04 - 1934.136 * t)
    apparent = math.radians(mean_long + centre - 0.00569 - 0.00478 * math.sin(omega))
    mean_obliquity = 23 + (26 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60) / 60
    obliquity = math.radians(mean_obliquity + 0.00256 * math.cos(omega))
    declination = math.degrees(math.asin(math.sin(obliquity) * math.sin(apparent)))
    y = math.tan(obliquity / 2) ** 2
    l0 = math.radians(mean_long)
    eq_time = 4 * math.degrees(
        y * math.sin(2 * l0)
        - 2 * ecc * math.sin(m)
        + 4 * ecc * y * math.sin(m) * math.cos(2 * l0)
        - 0.5 * y * y * math.sin(4 * l0)
        - 1.25 * ecc * ecc * math.sin(2 * m)
    )
    return declination, eq_time


def _nearest(near: dt.datetime, utc_minutes: float) -> dt.datetime:
    """The instant nearest ``near`` whose UTC time of day is ``utc_minutes`` (taken mod a day)."""
    midnight = near.replace(hour=0, minute=0, second=0, microsecond=0)
    at = midnight + dt.timedelta(minutes=utc_minutes % _DAY_MINUTES)
    half = dt.timedelta(minutes=_DAY_MINUTES / 2)
    while at - near > half:
        at -= dt.timedelta(days=1)
    while near - at > half:
        at += dt.timedelta(days=1)
    return at


def _cos_hour_angle(latitude: float, declination: float) -> float:
    """The cosine of the hour angle from solar noon to the horizon crossing: above 1,
    the sun stays below the horizon all day; below -1, above it all day."""
    lat, dec = math.radians(latitude), math.radians(declination)
    return math.cos(math.radians(HORIZON_ZENITH)) / (math.cos(lat) * math.cos(dec)) - math.tan(
        lat
    ) * math.tan(dec)


def _solar_noon(longitude: float, near: dt.datetime) -> dt.datetime:
    """The solar noon nearest ``near`` (UTC): where the sun crosses the meridian."""
    # The equation of time moves under a second in the hours between ``near`` and
    # the noon: once is enough.
    _, eq_time = _position(_century(near))
    return _nearest(near, 720 - 4 * longitude - eq_time)


def _crossing(latitude: float, longitude: float, noon: dt.datetime, sign: int) -> dt.datetime | None:
    """Sunrise (sign -1) or sunset (+1) around ``noon``, refined at its own time: the
    declination changes enough in half a day to move it a minute or more."""
    at, midnight = noon, noon + dt.timedelta(hours=12 * sign)
    for _ in range(4):
        declination, eq_time = _position(_century(at))
        cos_h = _cos_hour_angle(latitude, declination)
        if cos_h > 1:  # down all day: a crossing would be near noon, where this was judged
            return None
        if cos_h < -1:
            # Up all day at this declination; on the first or last day of a polar day
            # the sun may still dip below near midnight: judge it there, once.
            if at == midnight:
                return None
            at = midnight
            continue
        angle = math.degrees(math.acos(cos_h))
        guess = noon + dt.timedelta(minutes=sign * 4 * angle)
        moved, at = at, _nearest(guess, 720 - 4 * longitude - eq_time + sign * 4 * angle)
        if abs(at - moved) < _SETTLED:
            break
    return at


def day(latitude: float, longitude: float, date: dt.date, zone: dt.tzinfo) -> SunDay:
    """Sunrise and sunset around the solar noon of ``date`` in ``zone``, as local times.

    A sunset may fall after local midnight (far north in early summer) and still
    belongs to this day: the one before the next sunrise.
    """
    local_noon = dt.datetime(date.year, date.month, date.day, 12, tzinfo=zone)
    noon = _solar_noon(longitude, local_noon.astimezone(dt.UTC))
    rise = _crossing(latitude, longitude, noon, -1)
    fall = _crossing(latitude, longitude, noon, +1)
    polar = None
    if rise is None and fall is None:
        declination, _ = _position(_century(noon))
        polar = "day" if latitude * declination > 0 else "night"
    return SunDay(
        noon.astimezone(zone),
        rise.astimezone(zone) if rise else None,
        fall.astimezone(zone) if fall else None,
        polar,
    )


def at_zone(zone: str, date: dt.date) -> SunDay | None:
    """The sun of ``date`` at the principal city of ``zone``; None when the zone
    gives no place (UTC, Etc/GMT+5, EST5EDT): the light there is unknown."""
    from . import zones

    found = zones.place(zone)
    if found is None:
        return None
    try:
        tz = ZoneInfo(zone)
    except (ValueError, OSError, KeyError):
        return None
    return day(found.latitude, found.longitude, date, tz)
