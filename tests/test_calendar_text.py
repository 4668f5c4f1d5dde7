"""What calendar events say: text escaped so every parser reads it back exactly, made for
a detail pane (plain text, not Markdown), and private where the couple asked for it.

Three parsers that did not write the file read it: icalendar, vobject (behind
Radicale and other CalDAV servers) and ical.js (Thunderbird's, tests/icaljs.py).
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from icalendar.prop import TypesFactory

from calendars import unfold
from icaljs import read_with_icaljs
from ritualcli.core.calendar_text import plain

pytestmark = pytest.mark.usefixtures("pinned_clock")

NAME = 'Zoë & Søren\'s rituals 💞, "ours"; a\\b'
CHECKIN_LOCATION = "Café Ümlaut; back room, 2nd floor \\ left 😀"
NIGHT_LOCATION = "Åre, 🏔️; \\"
TRICKY = f"""
    version = 1
    [couple]
    partners = ["Zoë, \\"Z\\"", "Søren; \\\\o/ 🌈"]
    timezone = "Europe/Berlin"
    start = 2026-11-23
    [checkin]
    location = {json.dumps(CHECKIN_LOCATION, ensure_ascii=False)}
    [date_night]
    location = {json.dumps(NIGHT_LOCATION, ensure_ascii=False)}
    [calendar]
    name = {json.dumps(NAME, ensure_ascii=False)}
    private = false
"""
TEXT = ("SUMMARY", "DESCRIPTION", "LOCATION")


def _key(uid: str, recurrence: Any) -> tuple[str, str]:
    return uid, recurrence or ""


def read_icalendar(data: bytes) -> tuple[dict[str, str], dict[tuple[str, str], dict[str, Any]]]:
    cal = icalendar.Calendar.from_ical(data)
    names = {p: str(cal[p]) for p in ("NAME", "X-WR-CALNAME")}
    found = {}
    for e in cal.walk("VEVENT"):
        recurrence = e["RECURRENCE-ID"].dt.strftime("%Y%m%dT%H%M%S") if "RECURRENCE-ID" in e else None
        values: dict[str, Any] = {p: str(e[p]) if p in e else None for p in TEXT}
        values["CATEGORIES"] = [str(c) for c in e["CATEGORIES"].cats]
        found[_key(str(e["UID"]), recurrence)] = values
    return names, found


def read_vobject(data: bytes) -> tuple[dict[str, str], dict[tuple[str, str], dict[str, Any]]]:
    cal = vobject.readOne(data.decode("utf-8"))
    names = {p: cal.contents[p.lower()][0].value for p in ("NAME", "X-WR-CALNAME")}
    found = {}
    for e in cal.vevent_list:
        rid = e.contents.get("recurrence-id")
        recurrence = rid[0].value.strftime("%Y%m%dT%H%M%S") if rid else None
        values: dict[str, Any] = {
            p: e.contents[p.lower()][0].value if p.lower() in e.contents else None for p in TEXT
        }
        values["CATEGORIES"] = e.contents["categories"][0].value
        found[_key(e.uid.value, recurrence)] = values
    return names, found


def read_js(path: Path) -> tuple[dict[str, str], dict[tuple[str, str], dict[str, Any]]]:
    got = read_with_icaljs(path)
    names = {"NAME": got["calendar"]["name"], "X-WR-CALNAME": got["calendar"]["x-wr-calname"]}
    found = {}
    for e in got["events"]:
        recurrence = e["recurrence-id"].replace("-", "").replace(":", "") if e["recurrence-id"] else None
        values: dict[str, Any] = {p: e[p.lower()] for p in TEXT}
        values["CATEGORIES"] = e["categories"]
        found[_key(e["uid"], recurrence)] = values
    return names, found


def test_every_text_value_reads_back_exactly_in_three_parsers(
    write_config: Any, export: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(textwrap.dedent(TRICKY))
    data = export("--agendas", "3")
    lines = unfold(data)
    # icalendar does not know NAME (RFC 7986) or X-WR-CALNAME and would keep them as
    # written; both are TEXT, as a calendar app that shows them reads them. (Only
    # now: the export, in this process, must not write them with this help.)
    for name in ("name", "x-wr-calname"):
        monkeypatch.setitem(TypesFactory.types_map, name, "text")
    # RFC 5545 §3.3.11 on the wire: a ',' ';' and '\\' escaped, newlines as \\n.
    assert "X-WR-CALNAME:" + NAME.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;") in lines
    readings = {
        "icalendar": read_icalendar(data),
        "vobject": read_vobject(data),
        "ical.js": read_js(tmp_path / "rituals.ics"),
    }
    events = readings["icalendar"][1]
    assert len(events) == 5  # two masters, three instances with their agenda
    for parser, (names, found) in readings.items():
        assert names == {"NAME": NAME, "X-WR-CALNAME": NAME}, parser
        assert found == events, parser
    locations = sorted({e["LOCATION"] for e in events.values()})
    assert locations == sorted([CHECKIN_LOCATION, NIGHT_LOCATION])
    described = [e["DESCRIPTION"] for e in events.values()]
    assert any('For Zoë, "Z" & Søren; \\o/ 🌈: 30 minutes, weekly.' in d for d in described)
    assert sum(d.count("\n") > 20 for d in described) == 3  # the agendas, their lines intact


@pytest.mark.parametrize("private", [True, False])
def test_class_private_when_private_never_class_public(
    private: bool, write_config: Any, export: Any, tmp_path: Path
) -> None:
    write_config(textwrap.dedent(TRICKY).replace("private = false", f"private = {str(private).lower()}"))
    data = export("--agendas", "2")
    cal = icalendar.Calendar.from_ical(data)
    found = cal.walk("VEVENT")
    assert len(found) == 4
    classes = {str(e.get("CLASS")) for e in found}
    assert classes == ({"PRIVATE"} if private else {"None"})
    js = read_with_icaljs(tmp_path / "rituals.ics")["events"]
    assert {e["class"] for e in js} == ({"PRIVATE"} if private else {None})
    for e in found:
        assert str(e["STATUS"]) == "CONFIRMED"
        assert e["LAST-MODIFIED"].dt == e["DTSTAMP"].dt  # both when the content last changed


# --------------------------------------------------------------------------- plain text


def test_a_private_description_says_what_the_ritual_is_then_the_command(
    write_config: Any, export: Any
) -> None:
    write_config(textwrap.dedent(TRICKY).replace("private = false", "private = true"))
    cal = icalendar.Calendar.from_ical(export())
    for e in cal.walk("VEVENT"):
        description = str(e["DESCRIPTION"])
        first, command = description.split("\n\n")
        assert first.startswith(f"{e['SUMMARY']}: ") and first.endswith(".")
        assert "ritual agenda" not in first and "ritual agenda" in command
        for secret in ("Zoë", "Søren", "Café", "Åre"):
            assert secret not in description
        assert not set("`*#_") & set(description)


def test_agendas_in_a_calendar_are_plain_text_with_their_paragraphs_unwrapped(
    cli: Any, write_config: Any, export: Any
) -> None:
    write_config(textwrap.dedent(TRICKY))
    data = export("--agendas", "1")
    cal = icalendar.Calendar.from_ical(data)
    (instance,) = [e for e in cal.walk("VEVENT") if "RECURRENCE-ID" in e]
    day = instance["RECURRENCE-ID"].dt.date()
    description = str(instance["DESCRIPTION"]).splitlines()
    markdown = cli("agenda", "checkin", "--date", day.isoformat()).stdout.splitlines()
    assert markdown[0].startswith("# Check-in: ") and description[0] == markdown[0][2:]
    for line in description:
        assert not line.startswith(("#", ">", "*", "    ")), line
        mine = line.replace(CHECKIN_LOCATION, "").replace("\\o/", "")  # the backslashes the couple wrote
        assert "**" not in line and "\\" not in mine and "`" not in line, line
    # A paragraph the template wraps over several lines is one line here.
    start = next(i for i, line in enumerate(markdown) if line.startswith("Take turns"))
    end = markdown.index("", start)
    assert " ".join(markdown[start:end]) in description
    # Lists stay lists; the rating blanks lose their Markdown escapes.
    assert '- Zoë, "Z": __ / 10' in description
    assert '1. Zoë, "Z" speaks; Søren; \\o/ 🌈 listens and says back what they heard.' in description
    assert description[-1] == f"This agenda in a terminal: ritual agenda checkin --date {day}"
    assert day >= dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("# Title\n\nOne line\nwrapped here.\n", "Title\n\nOne line wrapped here."),
        ("*Why:* it **matters**.", "Why: it matters."),
        ("Alex: \\_\\_ / 10 and 3 \\* 4 \\# \\[x\\]", "Alex: __ / 10 and 3 * 4 # [x]"),
        ("snake_case stays, _this_ goes", "snake_case stays, this goes"),
        ("- one\n  continued\n- two\n\n1. first\n2. second", "- one continued\n- two\n\n1. first\n2. second"),
        ("> quoted\n> on two lines", "quoted on two lines"),
        ("before\n\n---\n\nafter", "before\n\nafter"),
        ("run `ritual done` at <https://example.org> or [here](https://x.example)", "run ritual done at https://example.org or here (https://x.example)"),
        ("Tom &amp; Jerry &lt;3", "Tom & Jerry <3"),
        ("bell\x07 and escape\x1b[31m gone", "bell and escape[31m gone"),
    ],
    ids=["paragraphs", "emphasis", "escapes", "underscores", "lists", "quote", "rule", "links", "entities", "controls"],
)  # fmt: skip
def test_markdown_becomes_plain_text(markdown: str, text: str) -> None:
    assert plain(markdown) == text
