"""One history file: its TOML read and checked on its own, and written back.

A history file holds ``[[entry]]`` tables (one per check-in or date night, held or
skipped) and ``[[let_go]]`` tables (a commitment let go, and when). What one file
can say about itself is checked here (keys, types, a date in the file's year, an
occurrence recorded twice); what depends on other entries (a kept id must name an
open commitment) is ``ledger``'s, which folds the files in date order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from .. import filecheck, tomlwrite
from ..filecheck import shown
from ..preferences import RITUALS, check_date_range, name_key, ritual_noun
from .records import Commitment, Entry, LetGo, Topic

# 1: the single history.toml; 2: one file per year, which may hold partly, discussed
# and [[let_go]]. Every version 1 entry is a valid version 2 entry.
FORMAT_VERSION = 2
READS = (1, 2)
MAX_TEXT = 1000  # characters in a commitment, note, reason or topic
STATUSES = ("held", "skipped")
FIX_HINT = "fix the line(s) above by hand (`ritual history edit`); nothing was changed"

_TOP_KEYS = ("version", "entry", "let_go")
_ENTRY_KEYS = (
    "ritual",
    "date",
    "status",
    "ratings",
    "commitments",
    "kept",
    "partly",
    "discussed",
    "note",
    "reason",
    "unplanned",
)
_COMMIT_KEYS = ("id", "owner", "text")
_LET_GO_KEYS = ("id", "date", "why")
TOPIC_KEYS = ("id", "text", "by", "added")


def file_name(year: int) -> str:
    """The name of a year's file in the history folder: ``2026.toml`` (four digits, as
    the folder is read: ``0999.toml`` is the year 999)."""
    return f"{year:04d}.toml"


def header(year: int | None) -> str:
    which = f"ritual history, {year}" if year else "ritual history"
    return (
        f"# {which}: one [[entry]] per check-in or date night, held or skipped,\n"
        "# and one [[let_go]] per commitment let go. `ritual done`, `skip` and `commitments`\n"
        "# add here; you may edit it by hand (`ritual history edit`; plain TOML).\n"
        "# Notes stay in this file: ritual never shows them in agendas, stats or calendars.\n"
        f"version = {FORMAT_VERSION}\n"
    )


class Parsed(NamedTuple):
    """A file's records, each with where it is (``entry[3]``), in file order."""

    entries: list[tuple[str, Entry]]
    let_go: list[tuple[str, LetGo]]


# --------------------------------------------------------------------------- reading


def read(text: str, c: filecheck.Checker, *, year: int | None = None) -> Parsed:
    """The records of one file; every problem goes to ``c`` (the caller raises them)."""
    doc = filecheck.parse_toml(text, c.source, "history file", hint=FIX_HINT)
    c.unknown_keys("", doc, _TOP_KEYS)
    version = doc.get("version", 1)
    if version not in READS or isinstance(version, bool):
        c.add("version", f"this ritual reads history versions 1 and 2, got {version!r}")
    out = Parsed([], [])
    raw = doc.get("entry", [])
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        c.add("entry", "expected [[entry]] tables, one per check-in or date night")
        raw = []
    seen: dict[tuple[dt.date, str], str] = {}
    for i, item in enumerate(raw, start=1):
        at = f"entry[{i}]"
        entry = _entry(at, item, c)
        if entry is None:
            continue
        _in_year(at, entry.date, year, c)
        if entry.key in seen:
            what = f"the {ritual_noun(entry.ritual)} of {entry.date}"
            c.add(f"{at}.date", f"{what} is already recorded in {seen[entry.key]}")
        seen.setdefault(entry.key, at)
        out.entries.append((at, entry))
    raw_let = doc.get("let_go", [])
    if not isinstance(raw_let, list) or not all(isinstance(e, dict) for e in raw_let):
        c.add("let_go", 'expected [[let_go]] tables: id = "…", date = YYYY-MM-DD')
        raw_let = []
    for i, item in enumerate(raw_let, start=1):
        at = f"let_go[{i}]"
        let = _let_go(at, item, c)
        if let is not None:
            _in_year(at, let.date, year, c)
            out.let_go.append((at, let))
    return out


def _in_year(at: str, day: dt.date, year: int | None, c: filecheck.Checker) -> None:
    if year is not None and day.year != year:
        c.add(f"{at}.date", f"{day} is in {day.year}: move it to {file_name(day.year)} (one file per year)")


def text_value(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected {what} as a string in quotes, got {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise ValueError(f"is {len(value)} characters; at most {MAX_TEXT}")
    return value


def date_value(
    c: filecheck.Checker, key: str, value: object, expected: str, *, find: str | None = None
) -> dt.date | None:
    """``value`` as a date ritual plans within; a problem at ``key`` otherwise."""
    day = value
    if isinstance(day, str):
        with contextlib.suppress(ValueError):  # a quoted date is still a date
            day = dt.date.fromisoformat(day)
    if type(day) is not dt.date:
        c.add(key, f"expected {expected}, got {shown(value)}", find=find)
        return None
    try:  # a date in year 1 would overflow the first sum of days made with it
        return check_date_range(day)
    except ValueError as exc:
        c.add(key, str(exc), find=find)
        return None


def _entry(at: str, raw: dict[str, Any], c: filecheck.Checker) -> Entry | None:
    c.unknown_keys(at, raw, _ENTRY_KEYS)

    ritual = raw.get("ritual")
    if ritual not in RITUALS:
        c.add(f"{at}.ritual", f"expected one of {', '.join(RITUALS)}, got {ritual!r}")
    date = date_value(c, f"{at}.date", raw.get("date"), "a date like 2026-11-29 (YYYY-MM-DD)")
    status = raw.get("status", "held")
    if status not in STATUSES:
        c.add(f"{at}.status", f"expected held or skipped, got {status!r}")

    ratings: list[tuple[str, int]] = []
    raw_ratings = raw.get("ratings", {})
    if not isinstance(raw_ratings, dict):
        c.add(f"{at}.ratings", "expected a table of ratings, e.g. ratings = { Alex = 7, Sam = 8 }")
    else:
        seen: dict[str, str] = {}
        for name, value in raw_ratings.items():
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10:
                c.add(
                    f"{at}.ratings.{name}",
                    f"{shown(value)} is not a rating: give a whole number from 1 to 10",
                )
            elif name_key(name) in seen:  # "Sam" and "sam" are one partner, as everywhere
                c.add(
                    f"{at}.ratings.{name}",
                    f"{name!r} and {seen[name_key(name)]!r} are one partner; one rating each",
                )
            else:
                seen[name_key(name)] = name
                ratings.append((name, value))
        if raw_ratings and status == "skipped":
            c.add(f"{at}.ratings", 'a skipped occurrence has no ratings; remove them or set status = "held"')

    commitments: list[Commitment] = []
    raw_commits = raw.get("commitments", [])
    if not isinstance(raw_commits, list) or not all(isinstance(x, dict) for x in raw_commits):
        c.add(f"{at}.commitments", 'expected a list of { id = "…", owner = "…", text = "…" }')
    else:
        for j, item in enumerate(raw_commits, start=1):
            found = _fields(f"{at}.commitments[{j}]", item, _COMMIT_KEYS, c, find="commitments")
            if found is not None:
                commitments.append(Commitment(found["id"], found["owner"], found["text"]))

    ids = {key: _ids(f"{at}.{key}", raw.get(key, []), c) for key in ("kept", "partly")}
    discussed = _topics(f"{at}.discussed", raw.get("discussed", []), c)

    texts: dict[str, str] = {}
    for key in ("note", "reason"):
        try:
            texts[key] = text_value(raw.get(key, ""), f"the {key}")
        except ValueError as exc:
            c.add(f"{at}.{key}", str(exc))
    unplanned = raw.get("unplanned", False)
    if not isinstance(unplanned, bool):
        c.add(f"{at}.unplanned", f"expected true or false, got {unplanned!r}")

    # Even with a bad value, an entry whose identity is clear takes part in the checks
    # across entries, so every problem is reported at once; the caller still refuses it.
    if date is None or ritual not in RITUALS or status not in STATUSES:
        return None
    assert isinstance(ritual, str) and isinstance(status, str)
    return Entry(
        ritual=ritual,
        date=date,
        status=status,
        ratings=tuple(ratings),
        commitments=tuple(commitments),
        kept=ids["kept"],
        note=texts.get("note", ""),
        reason=texts.get("reason", ""),
        unplanned=bool(unplanned),
        partly=ids["partly"],
        discussed=discussed,
    )


def _ids(at: str, raw: object, c: filecheck.Checker) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        c.add(at, f'expected a list of commitment ids, e.g. {at.rsplit(".", 1)[-1]} = ["c-2026-11-22-1"]')
        return ()
    return tuple(raw)


def _fields(
    at: str,
    item: dict[str, Any],
    keys: tuple[str, ...],
    c: filecheck.Checker,
    *,
    find: str,
    optional: Iterable[str] = (),
) -> dict[str, str] | None:
    """The string fields of an inline table (a commitment, a topic): each non-empty, no id with spaces."""
    ok = not c.unknown_keys(at, item, keys, find_key=True)
    values: dict[str, str] = {}
    for k in keys:
        value = item.get(k, "" if k in optional else None)
        if not isinstance(value, str) or (not value.strip() and k not in optional):
            c.add(f"{at}.{k}", f"expected a non-empty {k} in quotes, got {value!r}", find=find)
            ok = False
        elif len(value) > MAX_TEXT:
            c.add(f"{at}.{k}", f"is {len(value)} characters; at most {MAX_TEXT}", find=value[:40])
            ok = False
        else:
            values[k] = value
    if ok and re.search(r"\s", values["id"]):
        c.add(f"{at}.id", f"{values['id']!r}: an id has no spaces", find=values["id"])
        ok = False
    return values if ok else None


def topic(at: str, item: dict[str, Any], c: filecheck.Checker, *, find: str) -> Topic | None:
    """``{ id = "t-…", text = "…", by = "Alex", added = 2026-11-30 }``: a queued or discussed topic."""
    added = date_value(c, f"{at}.added", item.get("added"), "the day it was added, YYYY-MM-DD", find=find)
    rest = {k: v for k, v in item.items() if k != "added"}
    found = _fields(at, rest, TOPIC_KEYS[:3], c, find=find, optional=("by",))
    if found is None or added is None:
        return None
    return Topic(found["id"], found["text"], found["by"], added)


def _topics(at: str, raw: object, c: filecheck.Checker) -> tuple[Topic, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        c.add(at, 'expected a list of { id = "t-…", text = "…", by = "…", added = YYYY-MM-DD }')
        return ()
    found = (topic(f"{at}[{j}]", item, c, find="discussed") for j, item in enumerate(raw, start=1))
    return tuple(t for t in found if t is not None)


def _let_go(at: str, raw: dict[str, Any], c: filecheck.Checker) -> LetGo | None:
    c.unknown_keys(at, raw, _LET_GO_KEYS)
    cid = raw.get("id")
    if not isinstance(cid, str) or not cid.strip() or re.search(r"\s", cid):
        c.add(f"{at}.id", f'expected the id of a commitment, e.g. "c-2026-11-22-1", got {cid!r}')
    date = date_value(c, f"{at}.date", raw.get("date"), "a date like 2026-11-29 (YYYY-MM-DD)")
    why = ""
    try:
        why = text_value(raw.get("why", ""), "why")
    except ValueError as exc:
        c.add(f"{at}.why", str(exc))
    if not isinstance(cid, str) or date is None:
        return None
    return LetGo(cid, date, why)


# --------------------------------------------------------------------------- writing


def render_entry(e: Entry) -> str:
    """One ``[[entry]]`` as TOML, the way a person would write it."""
    s = tomlwrite.string
    lines = [
        "[[entry]]",
        f"ritual = {s(e.ritual)}",
        f"date = {e.date.isoformat()}",
        f"status = {s(e.status)}",
    ]
    if e.unplanned:
        lines.append("unplanned = true")
    if e.ratings:
        lines.append(f"ratings = {tomlwrite.value(dict(e.ratings))}")
    lines += _one_a_line("commitments", [tomlwrite.value(c._asdict()) for c in e.commitments])
    lines += [
        f"{key} = {tomlwrite.value(ids)}" for key, ids in (("kept", e.kept), ("partly", e.partly)) if ids
    ]
    lines += _one_a_line("discussed", [render_topic(t) for t in e.discussed])
    if e.reason:
        lines.append(f"reason = {s(e.reason)}")
    if e.note:
        lines.append(f"note = {s(e.note)}")
    return "\n".join(lines) + "\n"


def _one_a_line(key: str, values: list[str]) -> list[str]:
    """An array of inline tables, one a line, as a person lays it out."""
    return [f"{key} = [", *(f"    {v}," for v in values), "]"] if values else []


def render_topic(t: Topic) -> str:
    fields: dict[str, object] = {"id": t.id, "text": t.text}
    if t.by:
        fields["by"] = t.by
    fields["added"] = t.added
    return tomlwrite.value(fields)


def render_let_go(let: LetGo) -> str:
    lines = ["[[let_go]]", f"id = {tomlwrite.string(let.id)}", f"date = {let.date.isoformat()}"]
    if let.why:
        lines.append(f"why = {tomlwrite.string(let.why)}")
    return "\n".join(lines) + "\n"


def render(year: int | None, entries: Iterable[Entry], let_go: Iterable[LetGo] = ()) -> str:
    """A whole file: the header, then each record (entries, then let-gos)."""
    parts = [render_entry(e) for e in entries] + [render_let_go(g) for g in let_go]
    return header(year) + "".join("\n" + p for p in parts)
