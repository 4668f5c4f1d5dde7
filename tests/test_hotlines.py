"""The hotline table (templates/library/hotlines.toml): complete, cited, and reachable from a time zone."""

from __future__ import annotations

import functools
import importlib.resources
import re
import tomllib
import zoneinfo
from typing import Any

import pytest

from ritualcli.core import templates_dir

TABLE: dict[str, Any] = tomllib.loads(
    (templates_dir.library_dir() / "hotlines.toml").read_text(encoding="utf-8")
)
SOURCES = (templates_dir.content_root() / "SOURCES.md").read_text(encoding="utf-8")
REQUIRED = {"US", "GB", "IE", "CA", "AU", "NZ", "DE", "FR", "ES", "IN"}
SERVES = {"everyone", "women", "men", "LGBT+ people"}


@functools.cache
def _zone_tab() -> dict[str, str]:
    """zone -> country code, as the tzdata package ships it (the rule the safety note uses)."""
    text = (importlib.resources.files("tzdata") / "zoneinfo" / "zone.tab").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return {row[2]: row[0] for row in rows}


def _country(zone: str) -> str | None:
    by_alias = {alias: code for code, aliases in TABLE["aliases"].items() for alias in aliases}
    return _zone_tab().get(zone) or by_alias.get(zone)


def _services() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for code, entry in TABLE["country"].items():
        out.append((code, entry))
        out += [(code, also) for also in entry.get("also", [])]
    return out


def test_every_required_country_has_a_service_and_an_emergency_number() -> None:
    assert set(TABLE["country"]) >= REQUIRED
    for code, entry in TABLE["country"].items():
        assert entry["name"] and entry["emergency"] and entry["url"].startswith("https://"), code
    for code, service in _services():
        assert service["service"] and service["hours"], (code, service)
        assert service.get("phone") or service.get("other"), (code, service)
        assert service["serves"] in SERVES, (code, service)


def _numbers(text: str) -> list[str]:
    """Phone numbers and short codes in a text, digits only (a run of 3 or more digits, spaces and dashes)."""
    return [
        re.sub(r"\D", "", n) for n in re.findall(r"\d[\d -]{1,}\d", text) if len(re.sub(r"\D", "", n)) >= 3
    ]


def test_every_number_is_cited_in_sources_md() -> None:
    cited = " ".join(_numbers(SOURCES))
    for code, service in _services():
        for field in ("phone", "other"):
            for number in _numbers(service.get(field, "")):
                assert number in cited, (code, service["service"], number)
        for number in _numbers(TABLE["country"][code]["emergency"]):
            assert number in cited, (code, "emergency", number)


@pytest.mark.parametrize(
    ("zone", "country"),
    [
        ("America/New_York", "US"),
        ("US/Pacific", "US"),
        ("Europe/London", "GB"),
        ("Europe/Dublin", "IE"),
        ("America/Toronto", "CA"),
        ("Canada/Eastern", "CA"),
        ("Australia/Perth", "AU"),
        ("Pacific/Chatham", "NZ"),
        ("Europe/Busingen", "DE"),
        ("Europe/Paris", "FR"),
        ("Atlantic/Canary", "ES"),
        ("Asia/Calcutta", "IN"),
        ("Asia/Kolkata", "IN"),
    ],
)
def test_a_time_zone_names_its_country(zone: str, country: str) -> None:
    assert _country(zone) == country


def test_every_zone_of_a_listed_country_finds_it_and_aliases_are_real_zones() -> None:
    tab = _zone_tab()
    available = zoneinfo.available_timezones()
    for code, aliases in TABLE["aliases"].items():
        assert code in TABLE["country"], code
        for alias in aliases:
            assert alias in available and alias not in tab, alias
    for code in REQUIRED:
        assert [zone for zone, c in tab.items() if c == code], code  # zone.tab knows the country
    for code, service in _services():
        for zone in service.get("zones", []):
            assert _country(zone) == code, (service["service"], zone)


# --------------------------------------------------------------------------- the safety note


def _note(zone: str, extra: str = "") -> str:
    from ritualcli.core import agenda, preferences

    prefs = preferences.parse_bytes(
        f'version = 1\n[couple]\npartners = ["Alex", "Sam"]\ntimezone = "{zone}"\n{extra}'.encode()
    )
    md = agenda.render_repair(prefs, user_dir=None)
    return md[md.rindex("\n---\n") :]


@pytest.mark.parametrize(
    "zone",
    [
        "America/Chicago",
        "Europe/London",
        "Europe/Dublin",
        "America/Halifax",
        "Australia/Perth",
        "Pacific/Auckland",
        "Europe/Berlin",
        "Europe/Paris",
        "Europe/Madrid",
        "Asia/Kolkata",
    ],
)
def test_the_note_names_the_service_and_emergency_number_of_the_couples_country(zone: str) -> None:
    note = _note(zone)
    entry = TABLE["country"][_country(zone)]
    assert f"In {entry['name']}:" in note
    assert entry["service"] in note and f"call {entry['emergency']}." in note
    if entry.get("phone"):
        assert entry["phone"] in note
    # What seed 001 says: physical or emotional abuse; a trusted person, a therapist, a hotline.
    assert "abuse, physical or emotional" in note
    assert "a friend, a family" in note and "a therapist" in note and "domestic violence hotline" in note


def test_regional_services_show_only_in_their_region() -> None:
    toronto, vancouver = _note("America/Toronto"), _note("America/Vancouver")
    assert "SOS violence conjugale" in toronto and "SOS violence conjugale" not in vancouver
    assert "VictimLinkBC" in vancouver and "VictimLinkBC" not in toronto
    assert "Scotland" in _note("Europe/London")  # the UK's nations share a zone: all are listed


def test_an_unknown_country_keeps_the_general_note() -> None:
    note = _note("Asia/Tokyo")
    assert "1-800-799-7233" in note
    # A couple outside the table reads about their own local services before a US number.
    assert note.index("Where you live, call the local emergency number") < note.index("1-800-799-7233")


def test_the_couples_own_hotline_replaces_the_one_their_zone_picks() -> None:
    note = _note("Europe/London", '[support]\nhotline = "Call *Aunt* Jo on 0123 456"\n')
    assert r"Call \*Aunt\* Jo on 0123 456" in note  # escaped like all user text
    assert "Refuge" not in note and "call 999." in note


def test_zones_finds_every_zone_tab_row_and_follows_old_names() -> None:
    from ritualcli.core import zones

    for zone, code in _zone_tab().items():
        found = zones.place(zone)
        assert found is not None and found.country == code, zone
    assert zones.place("Asia/Calcutta") == zones.place("Asia/Kolkata")  # a link, followed
    assert zones.place("Etc/GMT+5") is None
    sydney = zones.place("Australia/Sydney")
    assert sydney is not None and -34 < sydney.latitude < -33
