"""Where to turn when a relationship is not safe: the services the safety note names.

From ``templates/library/hotlines.toml`` (every number cited in SOURCES.md), for
the country of the couple's time zone: the zone's country in the tz database's
``zone.tab`` (``zones``), or, for an old zone name it leaves out, the file's
``[aliases]``. Read only when an agenda is rendered; a country the table does
not hold gets ``None``, and the note keeps its general advice.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, NamedTuple

from . import filecheck, templates_dir, zones

HOTLINES_FILE = "hotlines.toml"
MAX_BYTES = 1 << 20


class Service(NamedTuple):
    service: str  # its name
    phone: str  # "" where there is no single number (Canada's shelters)
    other: str  # text, chat, WhatsApp…; or ""
    hours: str
    url: str  # or ""
    serves: str  # everyone | women | men | LGBT+ people
    region: str  # where it works, when not the whole country; or ""


class Hotline(NamedTuple):
    """A country's services, as the safety note shows them."""

    country: str  # ISO code
    name: str  # as a sentence uses it: "the United Kingdom"
    emergency: str  # the number for immediate danger
    main: Service
    also: tuple[Service, ...]  # further services for this zone (regional ones only in their region)


def for_zone(zone: str) -> Hotline | None:
    """The services of the country ``zone`` is in, or None when the table has none."""
    table = _table(templates_dir.library_dir())
    found = zones.place(zone)
    code = found.country if found else table["by_alias"].get(zone)
    entry = table["country"].get(code) if code else None
    if entry is None or code is None:
        return None
    also = tuple(
        _service(s) for s in entry.get("also", ()) if not s.get("zones") or zone in s.get("zones", ())
    )
    return Hotline(code, entry["name"], entry["emergency"], _service(entry), also)


def _service(raw: dict[str, Any]) -> Service:
    return Service(
        raw["service"],
        raw.get("phone", ""),
        raw.get("other", ""),
        raw.get("hours", ""),
        raw.get("url", ""),
        raw.get("serves", "everyone"),
        raw.get("region", ""),
    )


@functools.cache
def _table(folder: Path) -> dict[str, Any]:
    path = folder / HOTLINES_FILE
    text = filecheck.read_text(path, "hotline table", MAX_BYTES)
    doc = filecheck.parse_toml(text, str(path), "hotline table")
    by_alias = {alias: code for code, names in doc.get("aliases", {}).items() for alias in names}
    return {"country": doc.get("country", {}), "by_alias": by_alias}
