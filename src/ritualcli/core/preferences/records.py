"""The validated preferences: immutable records the rest of the code reads.

Each field of a record is filled by the setting of the same name (``schema.py``);
a record is built with keyword arguments, so a setting without its field (or a
field without its setting) fails at once, in every test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .values import name_key

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo  # ~6 ms: imported where a zone is first used

    from ..calendar_state import Series

SCHEMA_VERSION = 1

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CADENCES = ("weekly", "biweekly", "monthly")
DEPTHS = ("light", "medium", "deep")
PLACES = ("home", "out", "outdoors")
# Built-in check-in formats and the length each template is written for.
FORMAT_MINUTES = {"weekly": 30, "state-of-the-union": 60, "quick": 15}
RITUALS = ("checkin", "date-night")
# How each ritual is named to people: a title ("Check-in") and in a sentence ("check-in").
TITLES = {"checkin": "Check-in", "date-night": "Date night"}


def ritual_title(kind: str) -> str:
    return TITLES[kind]


def ritual_noun(kind: str) -> str:
    return TITLES[kind].lower()


class Couple(NamedTuple):
    partners: tuple[str, ...]
    timezone: str
    start: dt.date | None = None

    def partner(self, name: str) -> str | None:
        """``name`` as the preferences spell it, if it is a partner's (compared by ``name_key``)."""
        key = name_key(name)
        return next((p for p in self.partners if name_key(p) == key), None)

    @property
    def zone(self) -> ZoneInfo:
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone)


class Ritual(NamedTuple):
    """Scheduling keys shared by [checkin] and [date_night]."""

    kind: str  # "checkin" | "date-night"
    enabled: bool
    cadence: str
    day: str
    week_of_month: int
    time: dt.time
    duration: int  # minutes
    reminder: int  # minutes before; 0 = none
    location: str
    format: str = "weekly"  # check-in template name; date nights have one template

    @property
    def weekday(self) -> int:
        return WEEKDAYS.index(self.day)


class DateNight(NamedTuple):
    """What a date may be: the [date_night] keys that are not about scheduling."""

    budget: int
    settings: tuple[str, ...]
    interests: tuple[str, ...]
    avoid: tuple[str, ...]


class Conversation(NamedTuple):
    depth: str
    off_limits: tuple[str, ...]


class SkipRange(NamedTuple):
    start: dt.date
    end: dt.date
    note: str = ""


class Skip(NamedTuple):
    dates: tuple[dt.date, ...] = ()
    ranges: tuple[SkipRange, ...] = ()

    def covers(self, day: dt.date) -> SkipRange | dt.date | None:
        if day in self.dates:
            return day
        for r in self.ranges:
            if r.start <= day <= r.end:
                return r
        return None


class Calendar(NamedTuple):
    name: str
    private: bool


class Support(NamedTuple):
    """When a check-in opens gently, when to suggest outside support, and where to turn when it is not safe."""

    low_rating: int  # a rating at or below this counts as low
    gap: int  # this many points or more between the partners' ratings at one check-in
    low_streak: int  # this many recorded check-ins in a row with a low rating
    carried: int  # a commitment carried this many times: suggest making it smaller or letting it go
    hotline: str  # the couple's own words for the safety note's hotline; "" = the one their zone picks


class Sync(NamedTuple):
    """Where `ritual sync` publishes the calendar (a CalDAV calendar collection)."""

    url: str  # "": sync is not set up
    username: str  # "": no login
    password_command: str  # "": the password comes from $RITUAL_SYNC_PASSWORD or a prompt
    agendas: int  # the next N occurrences carry their agenda
    timeout: int  # seconds, for each request
    insecure: bool  # http:// to a host other than this machine is allowed
    ca_cert: str  # "": the system's trust store; else a PEM file's path as written ("~", relative)


class Preferences(NamedTuple):
    couple: Couple
    checkin: Ritual
    date_night: Ritual
    dates: DateNight
    conversation: Conversation
    skip: Skip
    calendar: Calendar
    support: Support
    sync: Sync
    source: Path | None = None  # None: the built-in example couple
    version: int = SCHEMA_VERSION
    # The series the calendar has published, oldest first (calendar-state.toml): dates
    # before a change of day, time, cadence or duration keep the rule they had. Read
    # with the preferences by whoever loads them (cli.session); none for the example.
    series: tuple[Series, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return self.couple.zone

    @property
    def is_example(self) -> bool:
        return self.source is None

    def ritual(self, kind: str) -> Ritual:
        return self.checkin if kind == "checkin" else self.date_night

    @property
    def rituals(self) -> tuple[Ritual, ...]:
        return tuple(r for r in (self.checkin, self.date_night) if r.enabled)


# Which record each table's keys fill (a setting may name another, as the date keys
# of [date_night] fill `dates`), and the fields a record has that no key sets.
RECORDS: dict[str, Callable[..., Any]] = {
    "couple": Couple,
    "checkin": Ritual,
    "date_night": Ritual,
    "dates": DateNight,
    "conversation": Conversation,
    "skip": Skip,
    "calendar": Calendar,
    "support": Support,
    "sync": Sync,
}
FIXED: dict[str, dict[str, str]] = {"checkin": {"kind": "checkin"}, "date_night": {"kind": "date-night"}}
