"""History of held and skipped check-ins and date nights: ratings, commitments, notes.

The history is ``history.toml`` beside the preferences file: plain TOML that a
person can read and fix, one ``[[entry]]`` per occurrence. A new entry is
appended to the text as it is (comments and hand edits survive), and the whole
file is written atomically, 0600, under the same lock as ``ritual weekly``.

Notes stay in this file. Nothing else in ritual prints or exports them: the
agenda's carry-over, stats and calendars are built from types without a note.

Words used below:

- a commitment is *open* until an entry marks it ``kept``;
- a commitment is *carried* to each check-in it is brought to unkept: the one
  right after it was made counts 1. Skipped and unrecorded check-ins carry
  nothing (a missed week is not a failure, and not a count against anyone).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from . import filecheck, fsio, paths, schedule
from .errors import FileProblemsError, Problem, UsageError
from .preferences import RITUALS, Preferences, ritual_noun
from .schedule import Occurrence

FILE_NAME = paths.HISTORY_NAME
FORMAT_VERSION = 1
MAX_FILE_BYTES = 5_000_000  # decades of weekly entries are a few hundred KB
MAX_TEXT = 1000  # characters in a commitment, note or reason (commands/done.py checks it too)
STATUSES = ("held", "skipped")
# A long stretch without records is a break, not a backlog: an agenda names at
# most this many check-ins whose commitments it could not know.
UNRECORDED_SHOWN = 4

HEADER = """\
# ritual history: one [[entry]] per check-in or date night, held or skipped.
# `ritual done` and `ritual skip` append here; you may edit it by hand (plain TOML).
# Notes stay in this file: ritual never shows them in agendas, stats or calendars.
version = 1
"""


# --------------------------------------------------------------------------- the model


class OpenCommitment(NamedTuple):
    id: str
    owner: str
    text: str
    made: dt.date
    checkins_open: int  # how many check-ins it has been carried to, this one included


class CarryOver(NamedTuple):
    """What a check-in agenda's follow-through section opens with. Never a note."""

    open: tuple[OpenCommitment, ...] = ()
    kept: tuple[OpenCommitment, ...] = ()  # kept since the last check-in: celebrate once
    unrecorded: tuple[dt.date, ...] = ()  # earlier check-ins not recorded yet: unknown commitments
    support: str | None = None  # a gentle suggestion to seek outside support, when it applies


class Commitment(NamedTuple):
    id: str
    owner: str
    text: str


class Entry(NamedTuple):
    """One occurrence, held or skipped, as the history file says it."""

    ritual: str  # "checkin" | "date-night"
    date: dt.date
    status: str = "held"  # "held" | "skipped"
    ratings: tuple[tuple[str, int], ...] = ()  # (partner, 1..10), in the order given
    commitments: tuple[Commitment, ...] = ()
    kept: tuple[str, ...] = ()  # ids of earlier commitments kept by now
    note: str = ""  # private: only ever in history.toml
    reason: str = ""  # why it was skipped, if they want to say
    unplanned: bool = False  # held on a day the schedule had nothing

    @property
    def held(self) -> bool:
        return self.status == "held"

    def rating(self, partner: str) -> int | None:
        return dict(self.ratings).get(partner)

    @property
    def key(self) -> tuple[dt.date, str]:
        return (self.date, self.ritual)


class History(NamedTuple):
    path: Path | None  # None: no file (yet)
    in_file_order: tuple[Entry, ...] = ()
    text: str = ""
    # Line spans [first, last] of each entry in the file, or None when a hand-edited
    # layout (say, `entry = [...]`) hides them; then a replace rewrites the file.
    spans: tuple[tuple[int, int], ...] | None = None
    entries: tuple[Entry, ...] = ()  # every entry, oldest first (check-in before date night on a day)

    def find(self, ritual: str, date: dt.date) -> Entry | None:
        for e in self.entries:
            if e.ritual == ritual and e.date == date:
                return e
        return None

    def commitments(self) -> list[tuple[Entry, Commitment]]:
        return [(e, c) for e in self.entries for c in e.commitments]

    def kept_on(self) -> dict[str, dt.date]:
        """When each kept commitment was marked kept."""
        return {cid: e.date for e in self.entries for cid in e.kept}


Spans = tuple[tuple[int, int], ...] | None


def _history(path: Path | None, entries: Sequence[Entry], text: str, spans: Spans) -> History:
    ordered = tuple(sorted(entries, key=lambda e: (e.date, RITUALS.index(e.ritual))))
    return History(path, tuple(entries), text, spans, ordered)


def history_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


# --------------------------------------------------------------------------- reading

_cache: dict[Path, tuple[tuple[int, int, int, int], History]] = {}


def load(data_dir: Path, *, fresh: bool = False) -> History:
    """The couple's history; empty when there is no file yet.

    Cached by inode, size and times, since `export markdown --weeks 52` asks once per
    agenda; ``fresh`` (used under the lock, before writing) always reads the file.
    """
    path = history_path(data_dir)
    try:
        st = path.stat()
    except FileNotFoundError:
        return _history(None, (), "", ())
    except OSError:
        st = None  # let read_text turn it into a clear message
    stamp = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns) if st is not None else None
    if st is not None:
        hit = _cache.get(path)
        if hit and hit[0] == stamp and not fresh:
            return hit[1]
        if st.st_size > MAX_FILE_BYTES:
            raise FileProblemsError(
                str(path), [Problem("", f"is {st.st_size} bytes; a history file is at most {MAX_FILE_BYTES}")]
            )
    try:
        data = fsio.read_text(path, "history")
    except UnicodeDecodeError as exc:
        raw = path.read_bytes()
        line = raw[: exc.start].count(b"\n") + 1
        raise FileProblemsError(
            str(path), [Problem("", "is not UTF-8 text", line=line)], hint="save the file as UTF-8"
        ) from None
    hist = parse(data, path)
    if stamp is not None:
        _cache[path] = (stamp, hist)
    return hist


_ENTRY_HEAD = re.compile(r"^\s*\[\[\s*\"?entry\"?\s*\]\]\s*(#.*)?$")
_ENTRY_KEYS = ("ritual", "date", "status", "ratings", "commitments", "kept", "note", "reason", "unplanned")
_COMMIT_KEYS = ("id", "owner", "text")


def parse(text: str, path: Path | None = None) -> History:
    """Validate a history file's text; every problem is reported at once, with its line."""
    source = str(path) if path else FILE_NAME
    text = text.removeprefix("\ufeff")
    doc = filecheck.parse_toml(text, source, "history file", hint=_FIX_HINT)

    lines = text.splitlines()
    heads = [n for n, line in enumerate(lines, start=1) if _ENTRY_HEAD.match(line)]
    raw = doc.get("entry", [])
    spans: tuple[tuple[int, int], ...] | None = None
    if isinstance(raw, list) and len(heads) == len(raw):
        ends = [h - 1 for h in heads[1:]] + ([len(lines)] if heads else [])
        spans = tuple(zip(heads, ends, strict=True))
    checker = _Checker(lines, spans)

    for key in doc:
        if key not in ("version", "entry"):
            checker.add(key, None, _unknown(key, ("version", "entry")))
    version = doc.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION or isinstance(version, bool):
        checker.add("version", None, f"this ritual reads history version {FORMAT_VERSION}, got {version!r}")
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        checker.add("entry", None, "expected [[entry]] tables, one per check-in or date night")
        raise FileProblemsError(source, checker.problems, hint=_FIX_HINT)

    entries = [_entry(i, e, checker) for i, e in enumerate(raw)]
    _check_across(entries, checker)
    if checker.problems:
        problems = sorted(checker.problems, key=lambda p: p.line or 0)
        raise FileProblemsError(source, problems, hint=_FIX_HINT)
    return _history(path, [e for e in entries if e is not None], text, spans)


_FIX_HINT = "fix the line(s) above by hand (history.toml is plain TOML); nothing was changed"


class _Checker:
    def __init__(self, lines: list[str], spans: tuple[tuple[int, int], ...] | None) -> None:
        self.lines = lines
        self.spans = spans
        self.problems: list[Problem] = []

    def add(self, key: str, index: int | None, message: str, *, find: str | None = None) -> None:
        label = key if index is None else f"entry[{index + 1}].{key}" if key else f"entry[{index + 1}]"
        self.problems.append(Problem(label, message, line=self.locate(key, index, find)))

    def locate(self, key: str, index: int | None, find: str | None) -> int | None:
        """Best-effort line: the key (or the text ``find``) inside the entry, else its header."""
        if index is None:
            first, last = 1, len(self.lines)
        elif self.spans is not None:
            first, last = self.spans[index]
        else:
            return None
        parts = [p for p in key.split(".") if p]
        patterns = []
        if find:
            patterns.append(re.compile(re.escape(find)))
        for part in reversed(parts):
            patterns.append(re.compile(rf'^\s*"?{re.escape(part)}"?\s*='))
            patterns.append(re.compile(rf'[{{,]\s*"?{re.escape(part)}"?\s*='))
        for pattern in patterns:
            for n in range(first, last + 1):
                if pattern.search(self.lines[n - 1]):
                    return n
        return first if index is not None else None


def _unknown(key: str, options: Sequence[str]) -> str:
    near = difflib.get_close_matches(key, list(options), n=1, cutoff=0.6)
    tip = f"; did you mean {near[0]!r}?" if near else ""
    return f"unknown key{tip} (allowed here: {', '.join(options)})"


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected {what} as a string in quotes, got {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise ValueError(f"is {len(value)} characters; at most {MAX_TEXT}")
    return value


def _entry(i: int, raw: dict[str, Any], c: _Checker) -> Entry | None:
    for key in raw:
        if key not in _ENTRY_KEYS:
            c.add(key, i, _unknown(key, _ENTRY_KEYS))

    ritual = raw.get("ritual")
    if ritual not in RITUALS:
        c.add("ritual", i, f"expected one of {', '.join(RITUALS)}, got {ritual!r}")
    date = raw.get("date")
    if isinstance(date, str):
        with contextlib.suppress(ValueError):  # a quoted date is still a date
            date = dt.date.fromisoformat(date)
    if type(date) is not dt.date:
        c.add("date", i, f"expected a date like 2026-11-29 (YYYY-MM-DD), got {date!r}")
    status = raw.get("status", "held")
    if status not in STATUSES:
        c.add("status", i, f"expected held or skipped, got {status!r}")

    ratings: list[tuple[str, int]] = []
    raw_ratings = raw.get("ratings", {})
    if not isinstance(raw_ratings, dict):
        c.add("ratings", i, "expected a table of ratings, e.g. ratings = { Alex = 7, Sam = 8 }")
    else:
        for name, value in raw_ratings.items():
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10:
                c.add(f"ratings.{name}", i, f"{value!r} is not a rating: give a whole number from 1 to 10")
            else:
                ratings.append((name, value))
        if raw_ratings and status == "skipped":
            c.add("ratings", i, 'a skipped occurrence has no ratings; remove them or set status = "held"')

    commitments: list[Commitment] = []
    raw_commits = raw.get("commitments", [])
    if not isinstance(raw_commits, list) or not all(isinstance(x, dict) for x in raw_commits):
        c.add("commitments", i, 'expected a list of { id = "…", owner = "…", text = "…" }')
    else:
        for j, item in enumerate(raw_commits):
            commitments.extend(_commitment(i, j, item, c))

    kept: list[str] = []
    raw_kept = raw.get("kept", [])
    if not isinstance(raw_kept, list) or not all(isinstance(x, str) for x in raw_kept):
        c.add("kept", i, 'expected a list of commitment ids, e.g. kept = ["c-2026-11-22-1"]')
    else:
        kept = list(raw_kept)

    texts: dict[str, str] = {}
    for key in ("note", "reason"):
        try:
            texts[key] = _text(raw.get(key, ""), f"the {key}")
        except ValueError as exc:
            c.add(key, i, str(exc))
    unplanned = raw.get("unplanned", False)
    if not isinstance(unplanned, bool):
        c.add("unplanned", i, f"expected true or false, got {unplanned!r}")

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


def _commitment(i: int, j: int, item: dict[str, Any], c: _Checker) -> list[Commitment]:
    key = f"commitments[{j + 1}]"
    ok = True
    for k in item:
        if k not in _COMMIT_KEYS:
            c.add(f"{key}.{k}", i, _unknown(k, _COMMIT_KEYS), find=f"{k} =")
            ok = False
    values: dict[str, str] = {}
    for k in _COMMIT_KEYS:
        value = item.get(k)
        if not isinstance(value, str) or not value.strip():
            c.add(f"{key}.{k}", i, f"expected a non-empty {k} in quotes, got {value!r}", find="commitments")
            ok = False
        elif len(value) > MAX_TEXT:
            c.add(f"{key}.{k}", i, f"is {len(value)} characters; at most {MAX_TEXT}", find=value[:40])
            ok = False
        else:
            values[k] = value
    if ok and re.search(r"\s", values["id"]):
        c.add(f"{key}.id", i, f"{values['id']!r}: an id has no spaces", find=values["id"])
        ok = False
    return [Commitment(values["id"], values["owner"], values["text"])] if ok else []


def _check_across(entries: list[Entry | None], c: _Checker) -> None:
    """What no single entry can tell: duplicates, and kept ids that point nowhere."""
    seen: dict[tuple[dt.date, str], int] = {}
    made: dict[str, dt.date] = {}
    for i, e in enumerate(entries):
        if e is None:
            continue
        if e.key in seen:
            c.add("date", i, f"the {e.ritual} of {e.date} is already recorded in entry[{seen[e.key] + 1}]")
        seen.setdefault(e.key, i)
        for cm in e.commitments:
            if cm.id in made:
                c.add("commitments", i, f"id {cm.id!r} is used twice; ids must be unique", find=cm.id)
            made.setdefault(cm.id, e.date)
    kept_by: dict[str, int] = {}
    for i, e in enumerate(entries):
        if e is None:
            continue
        for cid in e.kept:
            if cid not in made:
                c.add("kept", i, f"{cid!r} is not the id of any commitment in this file", find=cid)
            elif made[cid] >= e.date:
                c.add("kept", i, f"{cid!r} was made on {made[cid]}, not before {e.date}", find=cid)
            elif cid in kept_by:
                c.add("kept", i, f"{cid!r} is already marked kept in entry[{kept_by[cid] + 1}]", find=cid)
            kept_by.setdefault(cid, i)


# --------------------------------------------------------------------------- writing


def _quote(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _quote(name)


def render_entry(e: Entry) -> str:
    """One ``[[entry]]`` as TOML, the way a person would write it."""
    lines = ["[[entry]]", f"ritual = {_quote(e.ritual)}", f"date = {e.date.isoformat()}"]
    lines.append(f"status = {_quote(e.status)}")
    if e.unplanned:
        lines.append("unplanned = true")
    if e.ratings:
        inner = ", ".join(f"{_key(n)} = {r}" for n, r in e.ratings)
        lines.append(f"ratings = {{ {inner} }}")
    if e.commitments:
        lines.append("commitments = [")
        for cm in e.commitments:
            lines.append(
                f"    {{ id = {_quote(cm.id)}, owner = {_quote(cm.owner)}, text = {_quote(cm.text)} }},"
            )
        lines.append("]")
    if e.kept:
        lines.append(f"kept = [{', '.join(_quote(k) for k in e.kept)}]")
    if e.reason:
        lines.append(f"reason = {_quote(e.reason)}")
    if e.note:
        lines.append(f"note = {_quote(e.note)}")
    return "\n".join(lines) + "\n"


def render(entries: Iterable[Entry]) -> str:
    return HEADER + "".join("\n" + render_entry(e) for e in entries)


class Draft(NamedTuple):
    """What `ritual done` / `ritual skip` want recorded; ids are given on recording."""

    ritual: str
    date: dt.date
    status: str = "held"
    ratings: tuple[tuple[str, int], ...] = ()
    commitments: tuple[tuple[str, str], ...] = ()  # (owner, text)
    kept: tuple[str, ...] = ()
    note: str = ""
    reason: str = ""
    unplanned: bool = False


def record(data_dir: Path, draft: Draft, *, replace_existing: bool = False) -> Entry:
    """Add (or with ``replace_existing``, rewrite) one entry, under the shared lock."""
    with fsio.locked(data_dir):
        hist = load(data_dir, fresh=True)
        old = hist.find(draft.ritual, draft.date)
        what = f"the {ritual_noun(draft.ritual)} of {draft.date}"
        if old is not None and not replace_existing:
            raise UsageError(
                f"{what} is already recorded ({old.status})",
                hint="to change it, run the same command again with --replace "
                f"(it rewrites that entry), or edit {history_path(data_dir)}",
            )
        others = [e for e in hist.in_file_order if e is not old]
        _check_kept(draft, others)
        entry = _with_ids(draft, old, others)
        _check_still_referenced(old, entry, others)
        text = _new_text(hist, old, entry)
        parse(text, history_path(data_dir))  # never write what we could not read back
        fsio.write_text_atomic(history_path(data_dir), text)
        _cache.pop(history_path(data_dir), None)
        return entry


def _check_kept(draft: Draft, others: list[Entry]) -> None:
    made = {c.id: (e, c) for e in others for c in e.commitments}
    kept_on = {cid: e.date for e in others for cid in e.kept}
    open_ids = sorted(cid for cid, (e, _) in made.items() if e.date < draft.date and cid not in kept_on)
    listing = ", ".join(open_ids) if open_ids else "none"
    for cid in draft.kept:
        if cid not in made:
            raise UsageError(
                f"--kept {cid}: no commitment has that id",
                hint=f"open before {draft.date}: {listing} (see `ritual commitments`)",
            )
        e, _ = made[cid]
        if e.date >= draft.date:
            raise UsageError(f"--kept {cid}: it was made on {e.date}, not before {draft.date}")
        if cid in kept_on:
            raise UsageError(f"--kept {cid}: already marked kept on {kept_on[cid]}")


def _with_ids(draft: Draft, old: Entry | None, others: list[Entry]) -> Entry:
    """Give each new commitment a short id, ``c-DATE-N``, never reusing one."""
    prefix = f"c-{draft.date.isoformat()}-"
    used = {c.id for e in others for c in e.commitments}
    numbers = [int(i[len(prefix) :]) for i in used if i.startswith(prefix) and i[len(prefix) :].isdigit()]
    if old is not None:
        numbers += [
            int(c.id[len(prefix) :])
            for c in old.commitments
            if c.id.startswith(prefix) and c.id[len(prefix) :].isdigit()
        ]
    nxt = max(numbers, default=0) + 1
    # A --replace keeps the id of a commitment that is still the same (owner, text).
    previous = {(c.owner, c.text): c.id for c in old.commitments} if old else {}
    commitments = []
    for owner, text in draft.commitments:
        cid = previous.pop((owner, text), None)
        if cid is None:
            cid, nxt = f"{prefix}{nxt}", nxt + 1
        commitments.append(Commitment(cid, owner, text))
    return Entry(
        ritual=draft.ritual,
        date=draft.date,
        status=draft.status,
        ratings=draft.ratings,
        commitments=tuple(commitments),
        kept=draft.kept,
        note=draft.note,
        reason=draft.reason,
        unplanned=draft.unplanned,
    )


def _check_still_referenced(old: Entry | None, new: Entry, others: list[Entry]) -> None:
    if old is None:
        return
    gone = {c.id for c in old.commitments} - {c.id for c in new.commitments}
    for e in others:
        for cid in e.kept:
            if cid in gone:
                raise UsageError(
                    f"{cid} (made on {old.date}) is marked kept on {e.date}; a replacement must keep it",
                    hint="repeat that --commit with the same owner and text, or edit history.toml by hand",
                )


def _new_text(hist: History, old: Entry | None, entry: Entry) -> str:
    """The file with ``entry`` appended, or put in the place of ``old``."""
    if hist.path is None or not hist.text.strip():
        return render([entry])
    if old is None:
        base = hist.text if hist.text.endswith("\n") else hist.text + "\n"
        return base + "\n" + render_entry(entry)
    index = hist.in_file_order.index(old)
    if hist.spans is None:
        return render([entry if e is old else e for e in hist.in_file_order])
    first, last = hist.spans[index]
    lines = hist.text.splitlines(keepends=True)
    trailing = "\n" if last < len(lines) else ""
    return "".join(lines[: first - 1]) + render_entry(entry) + trailing + "".join(lines[last:])


# --------------------------------------------------------------------------- follow-through


class CommitmentState(NamedTuple):
    id: str
    owner: str
    text: str
    made: dt.date
    made_at: str  # the ritual it was made at
    kept_on: dt.date | None
    carried: int  # held check-ins it was brought to unkept, up to the day asked about


def commitment_states(hist: History, before: dt.date) -> list[CommitmentState]:
    """Every commitment made before ``before``, as things stood then."""
    held_checkins = [e.date for e in hist.entries if e.ritual == "checkin" and e.held and e.date < before]
    kept_on = {cid: d for cid, d in hist.kept_on().items() if d < before}
    out = []
    for e, c in hist.commitments():
        if e.date >= before:
            continue
        until = kept_on.get(c.id, before)
        # brought to a check-in unkept: every held one after it was made, up to the one
        # that marked it kept (a kept one was still carried to that check-in).
        carried = sum(1 for d in held_checkins if e.date < d <= until and (d < until or c.id in kept_on))
        out.append(CommitmentState(c.id, c.owner, c.text, e.date, e.ritual, kept_on.get(c.id), carried))
    return out


def _open(state: CommitmentState, carried: int) -> OpenCommitment:
    return OpenCommitment(state.id, state.owner, state.text, state.made, carried)


def carry_over(prefs: Preferences, data_dir: Path | None, occ: Occurrence) -> CarryOver:
    """What the agenda of ``occ`` brings forward from earlier check-ins (no notes, ever)."""
    if data_dir is None:
        return CarryOver()
    hist = load(data_dir)
    this = 1 if occ.ritual == "checkin" else 0
    states = commitment_states(hist, occ.date)
    still_open = tuple(_open(s, s.carried + this) for s in states if s.kept_on is None)

    # Kept ones are celebrated at the first check-in after they were marked, then drop off.
    held = [e.date for e in hist.entries if e.ritual == "checkin" and e.held and e.date < occ.date]
    since = held[-1] if held else dt.date.min
    kept = tuple(_open(s, s.carried) for s in states if s.kept_on is not None and s.kept_on >= since)

    return CarryOver(
        open=still_open,
        kept=kept,
        unrecorded=unrecorded(prefs, hist, occ.date),
        support=support_signal(prefs, hist, occ.date, max((c.checkins_open for c in still_open), default=0)),
    )


def unrecorded(prefs: Preferences, hist: History, before: dt.date) -> tuple[dt.date, ...]:
    """Planned check-ins after the last recorded one (held or skipped) and before ``before``."""
    recorded = [e.date for e in hist.entries if e.ritual == "checkin" and e.date < before]
    if not recorded:
        return ()  # follow-through has not started: there is nothing to miss yet
    # Only the last few are shown: expand no further back than they can be (a monthly
    # ritual's slots are at most 31 days apart), so a long export stays linear.
    horizon = before - dt.timedelta(days=31 * UNRECORDED_SHOWN + 7)
    frm = max(recorded[-1] + dt.timedelta(days=1), horizon)
    if not prefs.checkin.enabled:
        return ()
    # Dates only: working out each occurrence's time cost ~0.2 ms an agenda of an export.
    return tuple(schedule.planned_dates(prefs, prefs.checkin, frm, before)[-UNRECORDED_SHOWN:])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


SUPPORT_SOURCES = (
    "How To Create Emotional Safety In Your Relationship",
    "Understanding how to create emotional safety is key to fostering meaningful connections "
    "and healthy relationships.",
)


def low_streak(prefs: Preferences, hist: History, before: dt.date) -> bool:
    """Has any partner rated at or below low_rating at each of their last low_streak check-ins?"""
    limit, streak = prefs.support.low_rating, prefs.support.low_streak
    rated = [e for e in hist.entries if e.ritual == "checkin" and e.held and e.date < before]
    names = {n for e in rated for n, _ in e.ratings}
    for name in names:
        mine = [r for e in rated if (r := e.rating(name)) is not None]
        if len(mine) >= streak and all(r <= limit for r in mine[-streak:]):
            return True
    return False


def support_signal(prefs: Preferences, hist: History, before: dt.date, most_carried: int) -> str | None:
    """A gentle, sourced suggestion of a couples therapist, or None. Never names who."""
    reasons = []
    if low_streak(prefs, hist, before):
        reasons.append(
            "at least one of you has felt less than safe to be open "
            f"(a rating of {prefs.support.low_rating} or less) at "
            + (
                "the last check-in"
                if prefs.support.low_streak == 1
                else f"each of the last {prefs.support.low_streak} check-ins"
            )
        )
    if most_carried >= prefs.support.carried:
        reasons.append(
            f"a commitment has been carried to {_plural(most_carried, 'check-in')} and is still open"
        )
    if not reasons:
        return None
    titles = " and ".join(f"“{t}”" for t in SUPPORT_SOURCES)
    return (
        f"A gentle note: {'; and '.join(reasons)}. That is nobody's fault, and it is not a verdict "
        "on the two of you. Sometimes a couple needs a bit of extra support, and talking with a "
        "couples therapist together can help you see how you work through things as a pair, not "
        f"only what is in the way. (Seek out support; consider couples therapy — from {titles})"
    )


__all__ = [
    "CarryOver",
    "Commitment",
    "Draft",
    "Entry",
    "History",
    "OpenCommitment",
    "carry_over",
    "commitment_states",
    "history_path",
    "load",
    "parse",
    "record",
    "render_entry",
    "support_signal",
    "unrecorded",
]
