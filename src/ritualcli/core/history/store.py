"""The history file: reading and checking it, appending an entry, writing it back.

``history.toml`` sits beside the preferences file: plain TOML that a person can
read and fix, one ``[[entry]]`` per occurrence. A new entry is appended to the
text as it is (comments and hand edits survive), and the whole file is written
atomically, 0600, under the same lock as ``ritual weekly``. Notes stay in this
file: nothing else in ritual prints or exports them.
"""

import contextlib
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .. import filecheck, fsio, paths, tomlwrite
from ..errors import InputError, Remedy
from ..preferences import RITUALS, ritual_noun
from .records import Commitment, Draft, Entry, History

FILE_NAME = paths.HISTORY_NAME
FORMAT_VERSION = 1
MAX_FILE_BYTES = 5_000_000  # decades of weekly entries are a few hundred KB
MAX_TEXT = 1000  # characters in a commitment, note or reason
STATUSES = ("held", "skipped")

HEADER = """\
# ritual history: one [[entry]] per check-in or date night, held or skipped.
# `ritual done` and `ritual skip` append here; you may edit it by hand (plain TOML).
# Notes stay in this file: ritual never shows them in agendas, stats or calendars.
version = 1
"""

_FIX_HINT = "fix the line(s) above by hand (history.toml is plain TOML); nothing was changed"
_TOP_KEYS = ("version", "entry")
_ENTRY_KEYS = ("ritual", "date", "status", "ratings", "commitments", "kept", "note", "reason", "unplanned")
_COMMIT_KEYS = ("id", "owner", "text")


def _history(path: Path | None, entries: Sequence[Entry], text: str) -> History:
    ordered = tuple(sorted(entries, key=lambda e: (e.date, RITUALS.index(e.ritual))))
    return History(path, tuple(entries), text, ordered)


def history_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


# --------------------------------------------------------------------------- reading and checking


def load(data_dir: Path) -> History:
    """The couple's history; empty when there is no file yet."""
    path = history_path(data_dir)
    try:
        path.stat()
    except FileNotFoundError:
        return History()
    except OSError:
        pass  # read_text says what is wrong, as for any file
    return parse(filecheck.read_text(path, "history file", MAX_FILE_BYTES), path)


def parse(text: str, path: Path | None = None) -> History:
    """Check a history file's text; every problem is reported at once, with its line."""
    source = str(path) if path else FILE_NAME
    text = text.removeprefix("\ufeff")
    doc = filecheck.parse_toml(text, source, "history file", hint=_FIX_HINT)
    checker = filecheck.Checker(source, text, hint=_FIX_HINT)
    for key in doc:
        if key not in _TOP_KEYS:
            checker.unknown(key, _TOP_KEYS)
    version = doc.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION or isinstance(version, bool):
        checker.add("version", f"this ritual reads history version {FORMAT_VERSION}, got {version!r}")
    raw = doc.get("entry", [])
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        checker.add("entry", "expected [[entry]] tables, one per check-in or date night")
        checker.raise_if_any()
    entries = [_entry(f"entry[{i}]", e, checker) for i, e in enumerate(raw, start=1)]
    _check_across(entries, checker)
    checker.raise_if_any()
    return _history(path, [e for e in entries if e is not None], text)


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected {what} as a string in quotes, got {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise ValueError(f"is {len(value)} characters; at most {MAX_TEXT}")
    return value


def _entry(at: str, raw: dict[str, Any], c: filecheck.Checker) -> Entry | None:
    for key in raw:
        if key not in _ENTRY_KEYS:
            c.unknown(f"{at}.{key}", _ENTRY_KEYS)

    ritual = raw.get("ritual")
    if ritual not in RITUALS:
        c.add(f"{at}.ritual", f"expected one of {', '.join(RITUALS)}, got {ritual!r}")
    date = raw.get("date")
    if isinstance(date, str):
        with contextlib.suppress(ValueError):  # a quoted date is still a date
            date = dt.date.fromisoformat(date)
    if type(date) is not dt.date:
        c.add(f"{at}.date", f"expected a date like 2026-11-29 (YYYY-MM-DD), got {date!r}")
    status = raw.get("status", "held")
    if status not in STATUSES:
        c.add(f"{at}.status", f"expected held or skipped, got {status!r}")

    ratings: list[tuple[str, int]] = []
    raw_ratings = raw.get("ratings", {})
    if not isinstance(raw_ratings, dict):
        c.add(f"{at}.ratings", "expected a table of ratings, e.g. ratings = { Alex = 7, Sam = 8 }")
    else:
        for name, value in raw_ratings.items():
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10:
                c.add(f"{at}.ratings.{name}", f"{value!r} is not a rating: give a whole number from 1 to 10")
            else:
                ratings.append((name, value))
        if raw_ratings and status == "skipped":
            c.add(f"{at}.ratings", 'a skipped occurrence has no ratings; remove them or set status = "held"')

    commitments: list[Commitment] = []
    raw_commits = raw.get("commitments", [])
    if not isinstance(raw_commits, list) or not all(isinstance(x, dict) for x in raw_commits):
        c.add(f"{at}.commitments", 'expected a list of { id = "…", owner = "…", text = "…" }')
    else:
        for j, item in enumerate(raw_commits, start=1):
            commitments.extend(_commitment(f"{at}.commitments[{j}]", item, c))

    kept: list[str] = []
    raw_kept = raw.get("kept", [])
    if not isinstance(raw_kept, list) or not all(isinstance(x, str) for x in raw_kept):
        c.add(f"{at}.kept", 'expected a list of commitment ids, e.g. kept = ["c-2026-11-22-1"]')
    else:
        kept = list(raw_kept)

    texts: dict[str, str] = {}
    for key in ("note", "reason"):
        try:
            texts[key] = _text(raw.get(key, ""), f"the {key}")
        except ValueError as exc:
            c.add(f"{at}.{key}", str(exc))
    unplanned = raw.get("unplanned", False)
    if not isinstance(unplanned, bool):
        c.add(f"{at}.unplanned", f"expected true or false, got {unplanned!r}")

    # Even with a bad value, an entry whose identity is clear takes part in the checks
    # across entries, so every problem is reported at once; parse() still refuses it.
    if type(date) is not dt.date or ritual not in RITUALS or status not in STATUSES:
        return None
    assert isinstance(ritual, str) and isinstance(status, str)
    return Entry(
        ritual=ritual,
        date=date,
        status=status,
        ratings=tuple(ratings),
        commitments=tuple(commitments),
        kept=tuple(kept),
        note=texts.get("note", ""),
        reason=texts.get("reason", ""),
        unplanned=bool(unplanned),
    )


def _commitment(at: str, item: dict[str, Any], c: filecheck.Checker) -> list[Commitment]:
    ok = True
    for k in item:
        if k not in _COMMIT_KEYS:
            c.unknown(f"{at}.{k}", _COMMIT_KEYS, find=f"{k} =")
            ok = False
    values: dict[str, str] = {}
    for k in _COMMIT_KEYS:
        value = item.get(k)
        if not isinstance(value, str) or not value.strip():
            c.add(f"{at}.{k}", f"expected a non-empty {k} in quotes, got {value!r}", find="commitments")
            ok = False
        elif len(value) > MAX_TEXT:
            c.add(f"{at}.{k}", f"is {len(value)} characters; at most {MAX_TEXT}", find=value[:40])
            ok = False
        else:
            values[k] = value
    if ok and re.search(r"\s", values["id"]):
        c.add(f"{at}.id", f"{values['id']!r}: an id has no spaces", find=values["id"])
        ok = False
    return [Commitment(values["id"], values["owner"], values["text"])] if ok else []


def _check_across(entries: list[Entry | None], c: filecheck.Checker) -> None:
    """What no single entry can tell: duplicates, and kept ids that point nowhere."""
    seen: dict[tuple[dt.date, str], int] = {}
    made: dict[str, dt.date] = {}
    for i, e in enumerate(entries, start=1):
        if e is None:
            continue
        if e.key in seen:
            what = f"the {ritual_noun(e.ritual)} of {e.date}"
            c.add(f"entry[{i}].date", f"{what} is already recorded in entry[{seen[e.key]}]")
        seen.setdefault(e.key, i)
        for cm in e.commitments:
            if cm.id in made:
                c.add(
                    f"entry[{i}].commitments", f"id {cm.id!r} is used twice; ids must be unique", find=cm.id
                )
            made.setdefault(cm.id, e.date)
    kept_by: dict[str, int] = {}
    for i, e in enumerate(entries, start=1):
        if e is None:
            continue
        for cid in e.kept:
            if cid not in made:
                problem = f"{cid!r} is not the id of any commitment in this file"
            elif made[cid] >= e.date:
                problem = f"{cid!r} was made on {made[cid]}, not before {e.date}"
            elif cid in kept_by:
                problem = f"{cid!r} is already marked kept in entry[{kept_by[cid]}]"
            else:
                kept_by[cid] = i
                continue
            c.add(f"entry[{i}].kept", problem, find=cid)


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
    if e.commitments:
        lines.append("commitments = [")
        lines += [f"    {tomlwrite.value(c._asdict())}," for c in e.commitments]
        lines.append("]")
    if e.kept:
        lines.append(f"kept = {tomlwrite.value(e.kept)}")
    if e.reason:
        lines.append(f"reason = {s(e.reason)}")
    if e.note:
        lines.append(f"note = {s(e.note)}")
    return "\n".join(lines) + "\n"


def render(entries: Iterable[Entry]) -> str:
    return HEADER + "".join("\n" + render_entry(e) for e in entries)


def record(data_dir: Path, draft: Draft, *, replace_existing: bool = False) -> Entry:
    """Add (or with ``replace_existing``, rewrite) one entry, under the shared lock."""
    path = history_path(data_dir)
    with fsio.locked(data_dir):
        hist = load(data_dir)
        old = hist.find(draft.ritual, draft.date)
        if old is not None and not replace_existing:
            raise InputError(
                f"the {ritual_noun(draft.ritual)} of {draft.date} is already recorded ({old.status})",
                remedy=Remedy("replace_existing", "to rewrite that entry"),
                hint=f"or edit {path}",
            )
        others = [e for e in hist.in_file_order if e is not old]
        _check_kept(draft, others)
        entry = _with_ids(draft, old, others)
        _check_still_referenced(old, entry, others)
        text = _new_text(hist, old, entry)
        parse(text, path)  # never write what we could not read back
        fsio.write_text_atomic(path, text)
        return entry


def _check_kept(draft: Draft, others: list[Entry]) -> None:
    made = {c.id: (e, c) for e in others for c in e.commitments}
    kept_on = {cid: e.date for e in others for cid in e.kept}
    for cid in draft.kept:
        if cid not in made:
            open_ids = sorted(i for i, (e, _) in made.items() if e.date < draft.date and i not in kept_on)
            listing = ", ".join(open_ids) or "none"
            raise _bad_kept(cid, "no commitment has that id", f"open before {draft.date}: {listing}")
        e, _ = made[cid]
        if e.date >= draft.date:
            raise _bad_kept(cid, f"it was made on {e.date}, not before {draft.date}")
        if cid in kept_on:
            raise _bad_kept(cid, f"already marked kept on {kept_on[cid]}")


def _bad_kept(cid: str, problem: str, open_ones: str | None = None) -> InputError:
    hint = f"{open_ones} (see `ritual commitments`)" if open_ones else None
    return InputError(problem, about=f"commitment {cid}", field="kept", given=cid, hint=hint)


def _with_ids(draft: Draft, old: Entry | None, others: list[Entry]) -> Entry:
    """Give each new commitment a short id, ``c-DATE-N``, never reusing one."""
    prefix = f"c-{draft.date.isoformat()}-"
    used = [c.id for e in others for c in e.commitments] + [c.id for c in (old.commitments if old else ())]
    numbers = [int(i[len(prefix) :]) for i in used if i.startswith(prefix) and i[len(prefix) :].isdigit()]
    nxt = max(numbers, default=0) + 1
    # A replacement keeps the id of a commitment that is still the same (owner, text).
    previous = {(c.owner, c.text): c.id for c in old.commitments} if old else {}
    commitments = []
    for owner, text in draft.commitments:
        cid = previous.pop((owner, text), None)
        if cid is None:
            cid, nxt = f"{prefix}{nxt}", nxt + 1
        commitments.append(Commitment(cid, owner, text))
    return Entry(**(draft._asdict() | {"commitments": tuple(commitments)}))


def _check_still_referenced(old: Entry | None, new: Entry, others: list[Entry]) -> None:
    if old is None:
        return
    gone = {c.id for c in old.commitments} - {c.id for c in new.commitments}
    for e in others:
        for cid in e.kept:
            if cid in gone:
                raise InputError(
                    f"commitment {cid} (made on {old.date}) is marked kept on {e.date}; "
                    "a replacement must keep it",
                    hint="give that commitment again with the same owner and text, or edit history.toml by hand",
                )


def _new_text(hist: History, old: Entry | None, entry: Entry) -> str:
    """The file with ``entry`` appended, or put in the place of ``old``."""
    if hist.path is None or not hist.text.strip():
        return render([entry])
    if old is None:
        base = hist.text if hist.text.endswith("\n") else hist.text + "\n"
        return base + "\n" + render_entry(entry)
    spans = _spans(hist)
    if spans is None:  # a hand-edited layout (say, `entry = [...]`) hides where entries are
        return render([entry if e is old else e for e in hist.in_file_order])
    first, last = spans[hist.in_file_order.index(old)]
    lines = hist.text.splitlines(keepends=True)
    trailing = "\n" if last < len(lines) else ""
    return "".join(lines[: first - 1]) + render_entry(entry) + trailing + "".join(lines[last:])


def _spans(hist: History) -> list[tuple[int, int]] | None:
    """Each entry's lines [first, last]: its ``[[entry]]`` header up to the next one."""
    index = filecheck.Lines(hist.text)
    heads = [index.first.get(f"entry[{n}]") for n in range(1, len(hist.in_file_order) + 2)]
    if None in heads[:-1] or heads[-1] is not None:  # not one header per entry
        return None
    starts = [h for h in heads if h is not None]
    ends = [h - 1 for h in starts[1:]] + [len(index.lines)]
    return list(zip(starts, ends, strict=True))
