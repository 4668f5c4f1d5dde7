"""The checks settings are declared with: one signature for all of them.

A check takes the value the TOML holds and the ``Context`` (what a file is checked
against beyond its own text: the check-in templates there are, the tags the
libraries use) and returns the value ritual keeps, or raises ``Invalid`` with one
message per problem: a list with three bad items says so three times.

Every check refuses before it converts or quotes: a length before a pattern, a
range before an integer is shown, so no value a file can hold becomes a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any, NamedTuple, TypeVar

from ..filecheck import shown, with_suggestion
from .records import SkipRange
from .values import (
    check_date_range,
    check_name,
    check_zone,
    has_control,
    name_key,
    parse_date,
    parse_time,
)


class Invalid(ValueError):
    """A value that is present but wrong: one message for each thing wrong with it."""

    def __init__(self, *messages: str) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class Vocabulary(NamedTuple):
    """The tags a couple can name, as the libraries use them."""

    topics: tuple[str, ...]  # what a practice or prompt is about: conversation.off_limits
    interests: tuple[str, ...]  # what date ideas are for: date_night.interests
    labels: tuple[str, ...]  # anything an idea carries, tags and interests: date_night.avoid


def builtin_vocabulary() -> Vocabulary:
    """The fixed vocabularies the content libraries are checked against (core/vocabulary)."""
    from .. import vocabulary

    return Vocabulary(
        topics=tuple(sorted(vocabulary.TOPICS)),
        interests=tuple(sorted(vocabulary.INTERESTS)),
        labels=tuple(sorted(vocabulary.INTERESTS.keys() | vocabulary.AVOID.keys())),
    )


class Context:
    """What a value is checked against besides itself."""

    def __init__(self, formats: Collection[str], vocabulary: Vocabulary | None = None) -> None:
        self.formats = tuple(formats)
        self._vocabulary = vocabulary

    @property
    def vocabulary(self) -> Vocabulary:
        if self._vocabulary is None:
            self._vocabulary = builtin_vocabulary()
        return self._vocabulary


Check = Callable[[object, Context], Any]


def type_name(value: object) -> str:
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


T = TypeVar("T")
R = TypeVar("R")


def _one(parse: Callable[[T], R], value: T) -> R:
    """A value parser's ValueError as this setting's problem."""
    try:
        return parse(value)
    except ValueError as exc:
        raise Invalid(str(exc)) from None


# --------------------------------------------------------------------------- scalars


def boolean(value: object, ctx: Context) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {type_name(value)}")
    return value


def _integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"expected a whole number, got {type_name(value)}")
    return value


def whole(lo: int, hi: int, unit: str = "") -> Check:
    def check(value: object, ctx: Context) -> int:
        number = _integer(value)
        if not lo <= number <= hi:
            raise Invalid(f"{shown(number)} is out of range: expected {lo}..{hi}{unit}")
        return number

    return check


def week_of_month(value: object, ctx: Context) -> int:
    number = _integer(value)
    if number not in (1, 2, 3, 4, -1):
        raise Invalid(f"{shown(number)} is not a week of the month: use 1, 2, 3, 4, or -1 for the last")
    return number


def text(max_len: int = 200) -> Check:
    def check(value: object, ctx: Context) -> str:
        if not isinstance(value, str):
            raise Invalid(f"expected a string, got {type_name(value)}")
        if len(value) > max_len:
            raise Invalid(f"is {len(value)} characters long; at most {max_len}")
        if has_control(value):
            raise Invalid("contains a control character (a newline, tab or similar)")
        return value

    return check


def choice(options: Collection[str]) -> Check:
    def check(value: object, ctx: Context) -> str:
        if not isinstance(value, str):
            raise Invalid(f"expected a string, got {type_name(value)}")
        low = value.strip().lower()
        if low not in options:
            message = f"{shown(value)} is not one of {', '.join(options)}"
            raise Invalid(with_suggestion(message, low[:40], options))
        return low

    return check


def checkin_format(value: object, ctx: Context) -> str:
    name = str(text(60)(value, ctx)).strip()
    if name not in ctx.formats:
        available = sorted(ctx.formats)
        message = with_suggestion(f"no check-in template named {shown(name)}", name, available)
        raise Invalid(f"{message} (available: {', '.join(available)})")
    return name


def time_of_day(value: object, ctx: Context) -> dt.time:
    if isinstance(value, dt.time):
        if value.second or value.microsecond or value.tzinfo:
            raise Invalid("use HH:MM local time, without seconds or offset")
        return value
    if not isinstance(value, str):
        raise Invalid(f'expected a time as "HH:MM", got {type_name(value)}')
    return _one(parse_time, value)


def date(value: object, ctx: Context) -> dt.date:
    if isinstance(value, dt.datetime):
        raise Invalid("expected a date (YYYY-MM-DD), got a date-time")
    if isinstance(value, dt.date):
        return _one(check_date_range, value)
    if isinstance(value, str):
        return _one(parse_date, value)
    raise Invalid(f"expected a date (YYYY-MM-DD), got {type_name(value)}")


def zone(value: object, ctx: Context) -> str:
    if not isinstance(value, str):
        raise Invalid(f"expected an IANA zone name, got {type_name(value)}")
    return _one(check_zone, value.strip())


# --------------------------------------------------------------------------- sync

_COLLECTION_EXAMPLE = "https://cloud.example.org/remote.php/dav/calendars/alex/rituals/"


def calendar_url(value: object, ctx: Context) -> str:
    """An http(s) URL with a path: a calendar collection's (ending in "/", added if missing);
    "" when sync is not set up.

    Whether it really is a calendar collection only the server can say (``ritual
    sync`` asks it first); here, what no calendar URL looks like is refused.
    """
    from urllib.parse import urlsplit

    url = str(text(2000)(value, ctx)).strip()
    if not url:
        return ""  # sync is not set up
    if any(ch.isspace() for ch in url):
        raise Invalid(f"expected a URL such as {_COLLECTION_EXAMPLE}, without spaces")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Invalid(f"{shown(url)} is not an https:// (or http://) URL, e.g. {_COLLECTION_EXAMPLE}")
    if "@" in parts.netloc:
        raise Invalid(
            "a user name or password in the URL is refused: put the user in sync.username; "
            "the password never goes into this file (see sync.password_command)"
        )
    try:
        port = parts.port
    except ValueError:
        port = -1
    if not parts.hostname or port == -1:
        raise Invalid(f"{shown(url)} has no valid host (and port)")
    if parts.query or parts.fragment:
        raise Invalid(f"{shown(url)}: a calendar collection's URL has no ?query or #fragment")
    if parts.path.strip("/") == "":
        raise Invalid(
            f"{shown(url)} is a server, not a calendar: give the calendar collection's URL, "
            f'e.g. {_COLLECTION_EXAMPLE} (the README\'s "Both phones" says where to find it)'
        )
    return url if url.endswith("/") else url + "/"


def is_loopback(host: str) -> bool:
    """This machine: localhost, 127.0.0.0/8 or ::1 (nothing there travels on a network)."""
    import ipaddress

    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def sync_transport(table: Mapping[str, Any]) -> None:
    """An http:// URL to another machine needs sync.insecure = true: it would send the
    password and the rituals in clear text to anyone on the way."""
    from urllib.parse import urlsplit

    url = table.get("url")
    if not url or table.get("insecure"):
        return
    parts = urlsplit(url)
    if parts.scheme.lower() == "http" and not is_loopback(parts.hostname or ""):
        raise Invalid(
            f"http:// to {parts.hostname} would send your password and the rituals unencrypted "
            "to anyone on the network between: use https://, or set sync.insecure = true if that "
            "network is entirely yours (a server on this machine, http://localhost, needs neither)"
        )


def sync_ca_cert(table: Mapping[str, Any]) -> None:
    """sync.ca_cert is the certificate to trust over TLS: with an http:// URL there is
    none, and a setting that silently does nothing would mislead (and hide that the
    password travels unencrypted)."""
    from urllib.parse import urlsplit

    url = table.get("url")
    if not url or not table.get("ca_cert"):
        return
    if urlsplit(url).scheme.lower() == "http":
        raise Invalid(
            "is the certificate to trust over https, and sync.url is http:// (no TLS, so it "
            "would do nothing): use the server's https:// URL, or remove ca_cert"
        )


# --------------------------------------------------------------------------- arrays

_TAG = re.compile(r"[a-z0-9-]+")
MAX_TAGS = 200


def tags(what: str, allowed: Callable[[Context], Collection[str]]) -> Check:
    """An array of tags (``[a-z0-9-]+``), each one of ``allowed``; ``what`` names one in a message."""

    def check(value: object, ctx: Context) -> tuple[str, ...]:
        items = _array(value, "strings", MAX_TAGS)
        known = allowed(ctx) if items else ()
        out: list[str] = []
        problems: list[str] = []
        for item in items:
            if not isinstance(item, str) or not item.strip():
                problems.append("every item must be a non-empty string")
                continue
            tag = item.strip().lower()
            if len(tag) <= 40 and _TAG.fullmatch(tag) and tag in known:
                if tag not in out:
                    out.append(tag)
                continue
            options = sorted(known)
            alias = _alias(tag)
            if alias in known:
                message = f"{shown(item)} is not {what}; did you mean {alias}?"
            else:
                message = with_suggestion(f"{shown(item)} is not {what}", tag[:40], options)
            problems.append(f"{message} (allowed: {', '.join(options)})")
        if problems:
            raise Invalid(*problems)
        return tuple(out)

    return check


def _alias(tag: str) -> str | None:
    from ..vocabulary import ALIASES

    return ALIASES.get(tag.replace(" ", "-"))


def _array(value: object, of: str, most: int) -> list[object]:
    if not isinstance(value, list):
        raise Invalid(f"expected an array of {of}, got {type_name(value)}")
    if len(value) > most:
        raise Invalid(f"has {len(value)} items; at most {most}")
    return value


MAX_PARTNERS = 20


def partners(value: object, ctx: Context) -> tuple[str, ...]:
    items = _array(value, 'names, e.g. ["Alex", "Sam"]', MAX_PARTNERS)
    if not all(isinstance(item, str) for item in items):
        raise Invalid('expected an array of names, e.g. ["Alex", "Sam"]')
    problems: list[str] = []
    if len(items) < 2:
        problems.append(f"needs at least two names, got {len(items)}")
    names: list[str] = []
    seen: dict[str, str] = {}
    for item in items:
        try:
            name = check_name(str(item))
        except ValueError as exc:
            if str(exc) not in problems:  # one "a name is empty" for two empty names
                problems.append(str(exc))
            continue
        key = name_key(name)
        if key in seen:
            same = "" if seen[key] == name else f" (as {seen[key]!r})"
            problems.append(f"{name!r} appears twice{same}: names must be unique")
        seen.setdefault(key, name)
        names.append(name)
    if problems:
        raise Invalid(*problems)
    return tuple(names)


MAX_SKIP_DATES = 3653  # a date a day for ten years


def skip_dates(value: object, ctx: Context) -> tuple[dt.date, ...]:
    out: set[dt.date] = set()
    problems: list[str] = []
    for item in _array(value, "dates", MAX_SKIP_DATES):
        try:
            out.add(date(item, ctx))
        except Invalid as exc:
            problems += exc.messages
    if problems:
        raise Invalid(*problems)
    return tuple(sorted(out))


MAX_SKIP_DAYS = 3653  # a skip range covers ten years at most
MAX_SKIP_RANGES = 1000
_RANGE_KEYS = ("from", "to", "note")


def skip_ranges(value: object, ctx: Context) -> tuple[SkipRange, ...]:
    if not isinstance(value, list):
        raise Invalid("expected an array of { from = …, to = …, note = … } tables")
    out: list[SkipRange] = []
    problems: list[str] = []
    for i, item in enumerate(_array(value, "tables", MAX_SKIP_RANGES), start=1):
        try:
            out.append(_skip_range(item, ctx))
        except Invalid as exc:
            problems += [f"item {i}: {message}" for message in exc.messages]
    if problems:
        raise Invalid(*problems)
    return tuple(sorted(out, key=lambda r: (r.start, r.end)))


def _skip_range(item: object, ctx: Context) -> SkipRange:
    if not isinstance(item, dict):
        raise Invalid("expected { from = YYYY-MM-DD, to = YYYY-MM-DD }")
    extra = [k for k in item if k not in _RANGE_KEYS][:10]
    if extra:
        allowed = f" (allowed: {', '.join(_RANGE_KEYS)})"
        raise Invalid(
            *(with_suggestion(f"unknown key {shown(k)}", k[:40], _RANGE_KEYS) + allowed for k in extra)
        )
    missing = [k for k in ("from", "to") if k not in item]
    if missing:
        raise Invalid(f"needs {' and '.join(f'{k} = YYYY-MM-DD' for k in missing)}")
    start, end = date(item["from"], ctx), date(item["to"], ctx)
    note: str = text(200)(item.get("note", ""), ctx)
    if end < start:
        raise Invalid(f"ends ({end}) before it starts ({start})")
    if (end - start).days > MAX_SKIP_DAYS:
        # Each skipped slot is an EXDATE in the calendar: a skip "for ever" would
        # write hundreds of thousands of them. Stopping a ritual is a setting.
        raise Invalid("spans more than ten years; to stop a ritual, set its enabled = false")
    return SkipRange(start, end, note)
