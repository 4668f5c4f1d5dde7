"""Every setting of the preferences file, each declared once.

A declaration names the table and key, the check, the default and one line of
help. Reading a file, filling defaults, `ritual config show`, the file `ritual init`
writes and the README's key table all come from ``SETTINGS``; adding a setting is
one ``Setting(...)`` here, a field of the same name on its record, and its use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from . import checks
from .records import CADENCES, DEPTHS, FORMAT_MINUTES, PLACES, WEEKDAYS
from .values import local_zone_name


class Computed(NamedTuple):
    """A default that depends on the machine, or on another key of the same table."""

    compute: Callable[[Mapping[str, Any]], Any]  # gets the table's other values
    text: str  # the default as the README states it


class Required:
    """The default of a key a file must set."""

    text = "required"


REQUIRED = Required()


class Setting(NamedTuple):
    table: str
    key: str
    check: checks.Check
    default: Any  # a value, None (not set), REQUIRED, or Computed
    help: str  # one line: the comment beside the key in a written file, the README's meaning
    into: str = ""  # the record (a field of Preferences) it fills, when not its table's

    @property
    def dotted(self) -> str:
        return f"{self.table}.{self.key}"

    @property
    def record(self) -> str:
        return self.into or self.table


# The comment written above each table; also the order of the tables in a file.
TABLES = {
    "couple": "Who you are and where you live.",
    "checkin": "The check-in: when, and which format.",
    "date_night": "Date night: the same scheduling keys, then what a date may be.",
    "conversation": "What the prompts may touch.",
    "skip": "Days off: no ritual is planned on these.",
    "calendar": "Exported calendars.",
    "support": "When a check-in opens gently, when to suggest support, and where to turn when it is not safe.",
    "sync": "`ritual sync`: one CalDAV calendar both phones subscribe to. The password is never kept here.",
}


def _format_length(checkin: Mapping[str, Any]) -> int:
    return FORMAT_MINUTES.get(checkin.get("format", ""), 30)


def _when(
    table: str,
    *,
    cadence: str,
    day: str,
    time: dt.time,
    duration: Any,
    minutes: tuple[int, int],
    reminder: int,
) -> tuple[Setting, ...]:
    """The scheduling keys [checkin] and [date_night] share (with defaults of their own)."""
    return (
        Setting(table, "cadence", checks.choice(CADENCES), cadence, "weekly, biweekly or monthly"),
        Setting(table, "day", checks.choice(WEEKDAYS), day, "monday … sunday"),
        Setting(table, "week_of_month", checks.week_of_month, 1, "monthly only: 1..4, or -1 for the last"),
        Setting(table, "time", checks.time_of_day, time, "HH:MM, local to couple.timezone"),
        Setting(
            table,
            "duration",
            checks.whole(*minutes, " minutes"),
            duration,
            f"minutes, {minutes[0]}..{minutes[1]}"
            + (f"; unset: {duration.text}" if isinstance(duration, Computed) else ""),
        ),
        Setting(table, "reminder", checks.whole(0, 10080, " minutes"), reminder, "minutes before; 0 = none"),
        Setting(table, "location", checks.text(300), "", "where, written into calendars"),
    )


SETTINGS: tuple[Setting, ...] = (
    Setting("couple", "partners", checks.partners, REQUIRED, 'two or more names, unique, e.g. ["Alex", "Sam"]'),
    Setting("couple", "timezone", checks.zone, Computed(lambda _: local_zone_name(), "this machine's"), "IANA time zone, e.g. Europe/Berlin"),
    Setting("couple", "start", checks.date, None, "nothing is planned before this date"),
    Setting("checkin", "enabled", checks.boolean, True, "false: no check-ins"),
    Setting("checkin", "format", checks.checkin_format, "weekly", "weekly (30 min), state-of-the-union (60), quick (15), or your own"),
    *_when("checkin", cadence="weekly", day="sunday", time=dt.time(19, 0), duration=Computed(_format_length, "the format's length"), minutes=(5, 720), reminder=30),
    Setting("date_night", "enabled", checks.boolean, True, "false: no date nights"),
    *_when("date_night", cadence="monthly", day="friday", time=dt.time(19, 30), duration=150, minutes=(15, 1440), reminder=120),
    Setting("date_night", "budget", checks.whole(0, 1_000_000), 60, "the most a date may cost; 0 = free ideas only", into="dates"),
    Setting("date_night", "settings", checks.tags("a place", lambda _: PLACES), PLACES, "where a date may be: home, out, outdoors", into="dates"),
    Setting("date_night", "interests", checks.tags("an interest ritual knows", lambda ctx: ctx.vocabulary.interests), (), "ideas with these interests come up more often", into="dates"),
    Setting("date_night", "avoid", checks.tags("a date-idea tag or interest ritual knows", lambda ctx: ctx.vocabulary.labels), (), "ideas with any of these tags or interests are never suggested", into="dates"),
    Setting("conversation", "depth", checks.choice(DEPTHS), "medium", "light, medium or deep: the deepest prompts offered"),
    Setting("conversation", "off_limits", checks.tags("a topic ritual knows", lambda ctx: ctx.vocabulary.topics), (), "topic tags never prompted"),
    Setting("skip", "dates", checks.skip_dates, (), "no ritual on these dates"),
    Setting("skip", "ranges", checks.skip_ranges, (), 'e.g. [{ from = 2027-07-01, to = 2027-07-14, note = "Vacation" }], ten years at most'),
    Setting("calendar", "name", checks.text(200), "Our rituals", "the calendar's name"),
    Setting("calendar", "private", checks.boolean, True, "true: neutral titles and no prompts in exported calendars"),
    Setting("support", "low_rating", checks.whole(1, 10), 4, "a safety rating at or below this opens the next check-in gently…"),
    Setting("support", "gap", checks.whole(1, 9, " points"), 4, "…as does a gap this wide between your ratings"),
    Setting("support", "low_streak", checks.whole(1, 52, " check-ins"), 3, "low ratings at this many check-ins in a row: suggest support"),
    Setting("support", "carried", checks.whole(1, 52, " check-ins"), 4, "a commitment carried this many check-ins: make it smaller, or let it go"),
    Setting("support", "hotline", checks.text(300), "", "your own words for the safety note's hotline, instead of the one your time zone picks"),
    Setting("sync", "url", checks.calendar_url, "", "the calendar collection's URL, https://…/; empty: no sync"),
    Setting("sync", "username", checks.text(200), "", "your user name at that server; empty: no login"),
    Setting("sync", "password_command", checks.text(1000), "", 'prints the password, run without a shell, e.g. "pass show cloud/rituals"'),
    Setting("sync", "agendas", checks.whole(0, 100), 0, "the next N occurrences carry their agenda text (0-100)"),
    Setting("sync", "timeout", checks.whole(1, 600, " seconds"), 30, "seconds to wait for the server, per request"),
    Setting("sync", "insecure", checks.boolean, False, "true: allow http:// to another machine (password and events unencrypted)"),
    Setting("sync", "ca_cert", checks.text(4096), "", "a PEM file: the certificate or CA trusted instead of the system's (a relative path: from this file's folder)"),
)  # fmt: skip

# Checks across the keys of one table: (the key a problem is reported on, the check,
# which gets the table's checked values and raises Invalid). Run once every key of
# the table has passed its own check.
ACROSS: tuple[tuple[str, Callable[[Mapping[str, Any]], None]], ...] = (
    ("sync.url", checks.sync_transport),
    ("sync.ca_cert", checks.sync_ca_cert),
)

# table -> key -> its setting, in the file's order.
SCHEMA: dict[str, dict[str, Setting]] = {table: {} for table in TABLES}
for _setting in SETTINGS:
    SCHEMA[_setting.table][_setting.key] = _setting
del _setting
