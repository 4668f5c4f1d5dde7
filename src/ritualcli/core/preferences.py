"""The preferences file (schema version 1): load, validate, describe, write.

The TOML is validated once, at the door, into immutable records; the rest of the
code never sees a raw dict. Every problem in a file is reported at once, each
naming the key (and line where we can find it), with a suggestion for a
misspelt key.
"""

# No `from __future__ import annotations` in the modules whose records `ritual plan`
# loads (errors, preferences, library, schedule, selection, session): typing.NamedTuple
# compiles each string annotation into a ForwardRef, which doubled the cost of
# creating the records (~1.4 ms of every start). Names imported only for type
# checking are quoted instead.

import contextlib
import datetime as dt
import difflib
import os
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import filecheck
from .errors import FileProblemsError, Problem

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

# tomllib and zoneinfo (~6 ms each) are imported where they are used: every command
# module imports this one at start-up, also for `--help` and Tab completion.

SCHEMA_VERSION = 1
MAX_FILE_BYTES = 1_000_000  # a preferences file is a page of text; refuse a runaway one

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

    @property
    def zone(self) -> "ZoneInfo":
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

    @property
    def title(self) -> str:
        return ritual_title(self.kind)


class DateNight(NamedTuple):
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
    """When to suggest outside support (couples therapy) gently."""

    low_rating: int  # a rating at or below this counts as low
    low_streak: int  # this many recorded check-ins in a row with a low rating
    carried: int  # a commitment carried this many times


class Preferences(NamedTuple):
    couple: Couple
    checkin: Ritual
    date_night: Ritual
    dates: DateNight
    conversation: Conversation
    skip: Skip
    calendar: Calendar
    support: Support
    source: Path | None = None  # None: the built-in example couple
    version: int = SCHEMA_VERSION

    @property
    def zone(self) -> "ZoneInfo":
        return self.couple.zone

    @property
    def is_example(self) -> bool:
        return self.source is None

    def ritual(self, kind: str) -> Ritual:
        return self.checkin if kind == "checkin" else self.date_night

    @property
    def rituals(self) -> tuple[Ritual, ...]:
        return tuple(r for r in (self.checkin, self.date_night) if r.enabled)


# --------------------------------------------------------------------------- values


class _Bad(ValueError):
    """A value that is present but wrong; the message says what is expected."""


def _type_name(value: object) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
        dt.date: "a date",
        dt.datetime: "a date-time",
        dt.time: "a time",
    }.get(type(value), type(value).__name__)


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Bad(f"expected true or false, got {_type_name(value)}")
    return value


def _int(lo: int, hi: int, unit: str = "") -> Callable[[object], int]:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Bad(f"expected a whole number, got {_type_name(value)}")
        if not lo <= value <= hi:
            raise _Bad(f"{value} is out of range: expected {lo}..{hi}{unit}")
        return value

    return check


def _week_of_month(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(f"expected a whole number, got {_type_name(value)}")
    if value not in (1, 2, 3, 4, -1):
        raise _Bad(f"{value} is not a week of the month: use 1, 2, 3, 4, or -1 for the last")
    return value


def _str(max_len: int = 200) -> Callable[[object], str]:
    def check(value: object) -> str:
        if not isinstance(value, str):
            raise _Bad(f"expected a string, got {_type_name(value)}")
        if len(value) > max_len:
            raise _Bad(f"is {len(value)} characters long; at most {max_len}")
        if _has_control(value):
            raise _Bad("contains a control character (a newline, tab or similar)")
        return value

    return check


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def _choice(options: Collection[str]) -> Callable[[object], str]:
    def check(value: object) -> str:
        if not isinstance(value, str):
            raise _Bad(f"expected a string, got {_type_name(value)}")
        low = value.strip().lower()
        if low not in options:
            near = difflib.get_close_matches(low, list(options), n=1)
            tip = f" (did you mean {near[0]!r}?)" if near else ""
            raise _Bad(f"{value!r} is not one of {', '.join(options)}{tip}")
        return low

    return check


_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_time(value: str) -> dt.time:
    """'19:00' -> time(19, 0); raises ValueError with a message a user can act on."""
    m = _TIME_RE.match(value.strip())
    if not m:
        raise ValueError(f'{value!r} is not a time: use HH:MM, 24-hour (e.g. "19:30")')
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(f"{value!r} is not a time of day: hours 00-23, minutes 00-59")
    return dt.time(hour, minute)


def _time(value: object) -> dt.time:
    if isinstance(value, dt.time):
        if value.second or value.microsecond or value.tzinfo:
            raise _Bad("use HH:MM local time, without seconds or offset")
        return value
    if not isinstance(value, str):
        raise _Bad(f'expected a time as "HH:MM", got {_type_name(value)}')
    try:
        return parse_time(value)
    except ValueError as exc:
        raise _Bad(str(exc)) from None


# The dates ritual plans within. Plans reach ten years ahead and clock-change
# checks a few more, so a date near year 9999 would overflow midway: refuse it here,
# with a message, rather than with a traceback later.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(9000, 12, 31)
MAX_SKIP_DAYS = 3653  # a skip range covers ten years at most (see _skip_ranges)


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
        raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD") from None
    return check_date_range(day)


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _Bad("expected a date (YYYY-MM-DD), got a date-time")
    if isinstance(value, dt.date):
        try:
            return check_date_range(value)
        except ValueError as exc:
            raise _Bad(str(exc)) from None
    if isinstance(value, str):
        try:
            return parse_date(value)
        except ValueError as exc:
            raise _Bad(str(exc)) from None
    raise _Bad(f"expected a date (YYYY-MM-DD), got {_type_name(value)}")


def check_zone(name: str) -> str:
    """Return ``name`` if it is an IANA zone this machine knows; ValueError otherwise."""
    from zoneinfo import ZoneInfo

    ok = bool(name) and not name.startswith(("/", ".")) and ".." not in name
    if ok:
        try:
            ZoneInfo(name)
        except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
            ok = False
    if not ok:
        import zoneinfo

        near = difflib.get_close_matches(name, sorted(zoneinfo.available_timezones()), n=1)
        tip = f" (did you mean {near[0]!r}?)" if near else ""
        raise ValueError(f'{name!r} is not an IANA time zone such as "Europe/Berlin"{tip}')
    return name


def _zone(value: object) -> str:
    if not isinstance(value, str):
        raise _Bad(f"expected an IANA zone name, got {_type_name(value)}")
    try:
        return check_zone(value.strip())
    except ValueError as exc:
        raise _Bad(str(exc)) from None


def _tags(options: Collection[str] | None = None) -> Callable[[object], tuple[str, ...]]:
    def check(value: object) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise _Bad(f"expected an array of strings, got {_type_name(value)}")
        out: list[str] = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise _Bad("every item must be a non-empty string")
            tag = item.strip().lower()
            if options is not None and tag not in options:
                raise _Bad(f"{item!r} is not one of {', '.join(options)}")
            if tag not in out:
                out.append(tag)
        return tuple(out)

    return check


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
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    for name in candidates:
        try:
            return check_zone(name)
        except ValueError:
            continue
    return "UTC"


# --------------------------------------------------------------------------- schema

Check = Callable[[object], Any]

# table -> key -> validator; defaults live in DEFAULTS. Order is the file's order.
SCHEMA: dict[str, dict[str, Check]] = {
    "couple": {"partners": lambda v: v, "timezone": _zone, "start": _date},
    "checkin": {
        "enabled": _bool,
        "format": _str(60),
        "cadence": _choice(CADENCES),
        "day": _choice(WEEKDAYS),
        "week_of_month": _week_of_month,
        "time": _time,
        "duration": _int(5, 720, " minutes"),
        "reminder": _int(0, 10080, " minutes"),
        "location": _str(300),
    },
    "date_night": {
        "enabled": _bool,
        "cadence": _choice(CADENCES),
        "day": _choice(WEEKDAYS),
        "week_of_month": _week_of_month,
        "time": _time,
        "duration": _int(15, 1440, " minutes"),
        "reminder": _int(0, 10080, " minutes"),
        "location": _str(300),
        "budget": _int(0, 1_000_000),
        "settings": _tags(PLACES),
        "interests": _tags(),
        "avoid": _tags(),
    },
    "conversation": {"depth": _choice(DEPTHS), "off_limits": _tags()},
    "skip": {"dates": lambda v: v, "ranges": lambda v: v},
    "calendar": {"name": _str(200), "private": _bool},
    "support": {
        "low_rating": _int(1, 10),
        "low_streak": _int(1, 52, " check-ins"),
        "carried": _int(1, 52, " check-ins"),
    },
}

DEFAULTS: dict[str, dict[str, Any]] = {
    "couple": {"start": None},
    "checkin": {
        "enabled": True,
        "format": "weekly",
        "cadence": "weekly",
        "day": "sunday",
        "week_of_month": 1,
        "time": dt.time(19, 0),
        "duration": None,  # the format's own length
        "reminder": 30,
        "location": "",
    },
    "date_night": {
        "enabled": True,
        "cadence": "monthly",
        "day": "friday",
        "week_of_month": 1,
        "time": dt.time(19, 30),
        "duration": 150,
        "reminder": 120,
        "location": "",
        "budget": 60,
        "settings": ("home", "out", "outdoors"),
        "interests": (),
        "avoid": (),
    },
    "conversation": {"depth": "medium", "off_limits": ()},
    "skip": {"dates": (), "ranges": ()},
    "calendar": {"name": "Our rituals", "private": True},
    "support": {"low_rating": 4, "low_streak": 3, "carried": 4},
}


class _Collector:
    def __init__(self, text: str) -> None:
        self.text = text
        self.problems: list[Problem] = []

    def add(self, key: str, message: str) -> None:
        self.problems.append(Problem(key, message, line=_locate(self.text, key)))

    def unknown(self, key: str, options: Collection[str]) -> None:
        leaf = key.rsplit(".", 1)[-1]
        near = difflib.get_close_matches(leaf, list(options), n=1, cutoff=0.6)
        prefix = key.rsplit(".", 1)[0] + "." if "." in key else ""
        tip = f"; did you mean {prefix}{near[0]}?" if near else ""
        allowed = ", ".join(options)
        self.add(key, f"unknown key{tip} (allowed here: {allowed})")


def _locate(text: str, dotted: str) -> int | None:
    """Best-effort line of ``dotted`` ("checkin.time") in the TOML text."""
    if not text or not dotted:
        return None
    parts = dotted.split(".")
    table, leaf = ".".join(parts[:-1]), parts[-1]
    current = ""
    key_re = re.compile(rf'^\s*"?{re.escape(leaf)}"?\s*=')
    head_re = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")
    for number, line in enumerate(text.splitlines(), start=1):
        head = head_re.match(line)
        if head:
            current = head.group(1).replace('"', "").replace(" ", "")
            if not table and current == leaf:
                return number
            continue
        if current == table and key_re.match(line):
            return number
    return None


def _partners(value: object, c: _Collector) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        c.add("couple.partners", 'expected an array of names, e.g. ["Alex", "Sam"]')
        return None
    names = [v.strip() for v in value]
    ok = True
    if len(names) < 2:
        c.add("couple.partners", f"needs at least two names, got {len(names)}")
        ok = False
    if any(not n for n in names):
        c.add("couple.partners", "a name is empty")
        ok = False
    for n in names:
        if _has_control(n):
            c.add("couple.partners", f"{n!r} contains a control character")
            ok = False
        elif len(n) > 60:
            c.add("couple.partners", f"{n[:20]!r}… is longer than 60 characters")
            ok = False
    seen: set[str] = set()
    for n in names:
        folded = n.casefold()
        if folded in seen and n:
            c.add("couple.partners", f"{n!r} appears twice: names must be unique")
            ok = False
        seen.add(folded)
    return tuple(names) if ok else None


def _skip_dates(value: object, c: _Collector) -> tuple[dt.date, ...]:
    if not isinstance(value, list):
        c.add("skip.dates", f"expected an array of dates, got {_type_name(value)}")
        return ()
    out: list[dt.date] = []
    for item in value:
        try:
            out.append(_date(item))
        except _Bad as exc:
            c.add("skip.dates", str(exc))
    return tuple(sorted(set(out)))


def _skip_ranges(value: object, c: _Collector) -> tuple[SkipRange, ...]:
    if not isinstance(value, list):
        c.add("skip.ranges", "expected an array of { from = …, to = …, note = … } tables")
        return ()
    out: list[SkipRange] = []
    for i, item in enumerate(value, start=1):
        key = "skip.ranges"
        if not isinstance(item, dict):
            c.add(key, f"item {i}: expected {{ from = YYYY-MM-DD, to = YYYY-MM-DD }}")
            continue
        extra = set(item) - {"from", "to", "note"}
        for k in sorted(extra):
            c.unknown(f"skip.ranges.{k}", ("from", "to", "note"))
        try:
            start = _date(item.get("from"))
            end = _date(item.get("to"))
            note = _str(200)(item.get("note", ""))
        except _Bad as exc:
            c.add(key, f"item {i}: {exc}")
            continue
        if end < start:
            c.add(key, f"item {i}: ends ({end}) before it starts ({start})")
            continue
        if (end - start).days > MAX_SKIP_DAYS:
            # Each skipped slot is an EXDATE in the calendar: a skip "for ever" would
            # write hundreds of thousands of them. Stopping a ritual is a setting.
            c.add(key, f"item {i}: spans more than ten years; to stop a ritual, set its enabled = false")
            continue
        out.append(SkipRange(start, end, note))
    return tuple(sorted(out, key=lambda r: (r.start, r.end)))


def from_mapping(
    doc: Mapping[str, Any],
    *,
    text: str = "",
    source: Path | None = None,
    formats: Collection[str] = tuple(FORMAT_MINUTES),
) -> Preferences:
    """Validate a parsed TOML document; raise FileProblemsError listing every problem."""
    c = _Collector(text)
    label = str(source) if source else "preferences"

    version = doc.get("version", SCHEMA_VERSION)
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        c.add("version", f"this ritual reads schema version {SCHEMA_VERSION}, not {version!r}")

    for key in doc:
        if key != "version" and key not in SCHEMA:
            c.unknown(key, ["version", *SCHEMA])

    values: dict[str, dict[str, Any]] = {}
    for table, keys in SCHEMA.items():
        raw = doc.get(table, {})
        got: dict[str, Any] = dict(DEFAULTS[table])
        values[table] = got
        if not isinstance(raw, dict):
            c.add(table, f"expected a table [{table}], got {_type_name(raw)}")
            continue
        for key in raw:
            if key not in keys:
                c.unknown(f"{table}.{key}", keys)
        for key, check in keys.items():
            if key not in raw:
                continue
            value = raw[key]
            dotted = f"{table}.{key}"
            if dotted == "couple.partners":
                got[key] = _partners(value, c)
            elif dotted == "skip.dates":
                got[key] = _skip_dates(value, c)
            elif dotted == "skip.ranges":
                got[key] = _skip_ranges(value, c)
            else:
                try:
                    got[key] = check(value)
                except _Bad as exc:
                    c.add(dotted, str(exc))

    couple = values["couple"]
    if "partners" not in couple and isinstance(doc.get("couple", {}), dict):
        c.add("couple.partners", 'is required: the names of the two (or more) of you, e.g. ["Alex", "Sam"]')
    if "timezone" not in couple:
        couple["timezone"] = local_zone_name()

    checkin = values["checkin"]
    fmt = str(checkin.get("format", "weekly")).strip()
    checkin["format"] = fmt
    if fmt not in formats:
        near = difflib.get_close_matches(fmt, list(formats), n=1)
        tip = f" (did you mean {near[0]!r}?)" if near else ""
        c.add(
            "checkin.format",
            f"no check-in template named {fmt!r}{tip}; available: {', '.join(sorted(formats))}",
        )
    if checkin.get("duration") is None:
        checkin["duration"] = FORMAT_MINUTES.get(fmt, 30)

    if c.problems:
        # In the order of the file, so a person can fix them top to bottom.
        c.problems.sort(key=lambda p: (p.line is None, p.line or 0))
        raise FileProblemsError(
            label,
            c.problems,
            hint="fix the file and run `ritual config validate` (see `ritual config show` for every key)",
        )

    def ritual(kind: str, table: dict[str, Any]) -> Ritual:
        return Ritual(
            kind=kind,
            enabled=table["enabled"],
            cadence=table["cadence"],
            day=table["day"],
            week_of_month=table["week_of_month"],
            time=table["time"],
            duration=table["duration"],
            reminder=table["reminder"],
            location=table["location"],
            format=table.get("format", "weekly"),
        )

    dn = values["date_night"]
    return Preferences(
        couple=Couple(tuple(couple["partners"]), couple["timezone"], couple["start"]),
        checkin=ritual("checkin", checkin),
        date_night=ritual("date-night", dn),
        dates=DateNight(dn["budget"], tuple(dn["settings"]), tuple(dn["interests"]), tuple(dn["avoid"])),
        conversation=Conversation(**values["conversation"]),
        skip=Skip(tuple(values["skip"]["dates"]), tuple(values["skip"]["ranges"])),
        calendar=Calendar(**values["calendar"]),
        support=Support(**values["support"]),
        source=source,
    )


def parse_bytes(
    data: bytes, *, source: Path | None = None, formats: Collection[str] = tuple(FORMAT_MINUTES)
) -> Preferences:
    """Decode and validate a preferences file's bytes."""
    label = str(source) if source else "preferences"
    if len(data) > MAX_FILE_BYTES:
        raise FileProblemsError(
            label, [Problem("", f"is {len(data)} bytes; a preferences file is at most {MAX_FILE_BYTES}")]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        raise FileProblemsError(
            label, [Problem("", "is not UTF-8 text", line=bad_line)], hint="save the file as UTF-8"
        ) from None
    # Editors on Windows may prepend a byte-order mark; TOML itself does not allow it.
    text = text.removeprefix("\ufeff")
    doc = filecheck.parse_toml(text, label, "preferences file")
    return from_mapping(doc, text=text, source=source, formats=formats)


def load(path: Path, *, formats: Collection[str] = tuple(FORMAT_MINUTES)) -> Preferences:
    return parse_bytes(_read_bytes(path), source=path, formats=formats)


def _read_bytes(path: Path) -> bytes:
    # filecheck refuses a FIFO or a device (which would hang, or never end) and a runaway size.
    return filecheck.read_bytes(path, "preferences", MAX_FILE_BYTES)


# --------------------------------------------------------------------------- example

EXAMPLE_TOML = """\
version = 1

[couple]
partners = ["Alex", "Sam"]
timezone = "America/New_York"
start = 2026-11-23

[checkin]
format = "weekly"
cadence = "weekly"
day = "sunday"
time = "19:00"

[date_night]
cadence = "monthly"
day = "friday"
week_of_month = 1
time = "19:30"
budget = 60
settings = ["home", "out", "outdoors"]
interests = ["cooking", "music", "hiking"]
avoid = ["crowds"]

[conversation]
depth = "medium"
off_limits = ["in-laws"]

[skip]
dates = [2026-12-25]
ranges = [{ from = 2027-07-01, to = 2027-07-14, note = "Vacation" }]
"""


def example() -> Preferences:
    """The built-in example couple, used by read-only commands when no file exists."""
    return parse_bytes(EXAMPLE_TOML.encode())._replace(source=None)


# --------------------------------------------------------------------------- writing


def to_document(prefs: Preferences) -> dict[str, Any]:
    """The effective settings as a TOML-ready document (every key, defaults filled)."""

    def ritual(r: Ritual, extra: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"enabled": r.enabled}
        if r.kind == "checkin":
            out["format"] = r.format
        out.update(
            cadence=r.cadence,
            day=r.day,
            week_of_month=r.week_of_month,
            time=r.time.strftime("%H:%M"),
            duration=r.duration,
            reminder=r.reminder,
            location=r.location,
        )
        out.update(extra)
        return out

    couple: dict[str, Any] = {"partners": list(prefs.couple.partners), "timezone": prefs.couple.timezone}
    if prefs.couple.start:
        couple["start"] = prefs.couple.start
    d = prefs.dates
    return {
        "version": prefs.version,
        "couple": couple,
        "checkin": ritual(prefs.checkin, {}),
        "date_night": ritual(
            prefs.date_night,
            {
                "budget": d.budget,
                "settings": list(d.settings),
                "interests": list(d.interests),
                "avoid": list(d.avoid),
            },
        ),
        "conversation": {
            "depth": prefs.conversation.depth,
            "off_limits": list(prefs.conversation.off_limits),
        },
        "skip": {
            "dates": list(prefs.skip.dates),
            "ranges": [
                {"from": r.start, "to": r.end, **({"note": r.note} if r.note else {})}
                for r in prefs.skip.ranges
            ],
        },
        "calendar": {"name": prefs.calendar.name, "private": prefs.calendar.private},
        "support": {
            "low_rating": prefs.support.low_rating,
            "low_streak": prefs.support.low_streak,
            "carried": prefs.support.carried,
        },
    }


# Comments written above each table so a hand-edited file explains itself.
_TABLE_NOTES = {
    "couple": "Who you are and where you live (IANA zone). Nothing is planned before `start`.",
    "checkin": "The check-in. format: weekly (30 min), state-of-the-union (60), quick (15).\n"
    "cadence: weekly | biweekly | monthly; week_of_month (monthly): 1..4 or -1 (last).",
    "date_night": "Date night: same scheduling keys. budget: the most a date may cost (0 = free only).\n"
    "settings: home, out, outdoors. avoid: tags of ideas never to suggest.",
    "conversation": "depth: light | medium | deep, the deepest prompts offered. off_limits: topic tags never prompted.",
    "skip": 'No ritual on these dates, e.g. ranges = [{ from = 2027-07-01, to = 2027-07-14, note = "Vacation" }]',
    "calendar": "private = true: neutral titles and no prompts in exported calendars.",
    "support": "When to suggest talking to a couples therapist: a rating at or below low_rating for\n"
    "low_streak check-ins in a row, or a commitment carried `carried` times.",
}


def _toml_value(value: Any) -> str:
    """One TOML value, arrays and tables inline so a hand-edited file stays compact."""
    import tomli_w

    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return tomli_w.dumps({"v": value}).split("=", 1)[1].strip()


def to_toml(prefs: Preferences, *, header: str | None = None) -> str:
    """Render preferences as a commented TOML file (what `init` writes)."""
    doc = to_document(prefs)
    parts: list[str] = []
    if header:
        parts += [f"# {line}" if line else "#" for line in header.splitlines()]
        parts.append("")
    parts.append(f"version = {doc.pop('version')}")
    for table, body in doc.items():
        parts.append("")
        parts += [f"# {note}" for note in _TABLE_NOTES.get(table, "").splitlines()]
        parts.append(f"[{table}]")
        parts += [f"{key} = {_toml_value(value)}" for key, value in body.items()]
    return "\n".join(parts) + "\n"
