"""The index: follow-through at the end of each closed year, so old years are not read.

Twenty years of weekly check-ins and monthly dates is ~1,100 entries, ~400 KB of
TOML: parsing it all cost an agenda 2.5x its time. An agenda needs only what the
years before its own add up to (the commitments still open, how many check-ins
each was carried to, the last ratings), and that is small: ``Ledger``. So
``history/.index.json`` keeps, for each year before the newest, the ledger at its
end, with the size and modification time of that year's file when it was read. A year whose file changed (a hand edit, a `done --date` last December), and
every year after it, is read again and the index rewritten; otherwise no old file
is opened. The newest year is never kept here: it changes with every `done`, and
is read anyway.

It is a cache: the year files are the history. Deleting it costs one slower run;
a damaged one is ignored. It holds what the files hold (ratings, commitment
texts), so it is written like them: 0600, atomically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import filecheck, fsio
from ..errors import RitualError, WorkError
from . import yearfile
from .records import Closed, Ledger, Open, Rated

NAME = ".index.json"
MAX_BYTES = 16_000_000  # twenty years take ~60 KB
VERSION = 3  # 3: the ledger holds first_held

Signature = tuple[int, int]
ReadYear = Callable[[int, Ledger], Ledger]  # a year's file folded onto the ledger before it


def signature(path: Path) -> Signature | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    # Size and modification time, not the inode: a copy (a backup restored, a move to
    # another disk) keeps both, and every change ritual or an editor makes changes one.
    return (st.st_size, st.st_mtime_ns)


def start_of(folder: Path, years: list[int], first: int, read: ReadYear) -> Ledger:
    """The ledger at the end of every year before ``first`` (an empty one if none).

    ``years`` are the year files present, oldest first; ``read`` folds one of them.
    """
    before = [y for y in years if y < first]
    if not before:
        return Ledger()
    sigs = {y: signature(folder / yearfile.file_name(y)) for y in before}
    cached = _load(folder)
    valid = 0
    for (year, sig, _), want in zip(cached, before, strict=False):
        if year != want or sig != sigs[want]:
            break
        valid += 1
    ledger = Ledger()
    if valid:
        try:
            ledger = _ledger(json.loads(cached[valid - 1][2]))
        except (ValueError, KeyError, TypeError, AttributeError):
            valid = 0  # a damaged entry: read the years again
    if valid == len(before):
        return ledger
    fresh = cached[:valid]
    keep = True
    for year in before[valid:]:
        ledger = read(year, ledger)
        # Kept only for a closed year whose file did not change while it was read.
        keep = keep and year < years[-1] and signature(folder / yearfile.file_name(year)) == sigs[year]
        if keep and sigs[year] is not None:
            fresh.append(
                (year, sigs[year], json.dumps(_plain(ledger), ensure_ascii=False, separators=(",", ":")))
            )
    if len(fresh) > valid:
        _save(folder, fresh)
    return ledger


# (year, signature, the ledger at its end as JSON text). Each ledger stays text until
# it is the one asked for: twenty of them decoded into records cost an agenda ~10 ms.
Cached = list[tuple[int, Any, str]]


def _load(folder: Path) -> Cached:
    try:
        raw = json.loads(filecheck.read_bytes(folder / NAME, "history index", MAX_BYTES))
        if raw.get("version") != VERSION:
            return []
        found = [(int(y["year"]), tuple(y["sig"]), y["end"]) for y in raw["years"]]
        if not all(isinstance(end, str) for _, _, end in found):
            return []
        return found
    except (RitualError, ValueError, KeyError, TypeError, AttributeError):
        return []  # absent, damaged or not a file: read the years again


def _save(folder: Path, cached: Cached) -> None:
    doc = {
        "version": VERSION,
        "about": "ritual's cache of the history files beside it; safe to delete",
        "years": [{"year": y, "sig": list(sig), "end": end} for y, sig, end in cached],
    }
    # A cache: when it cannot be written (a read-only folder), the next run reads again.
    with contextlib.suppress(WorkError, OSError):
        fsio.write_text_atomic(folder / NAME, json.dumps(doc, ensure_ascii=False, separators=(",", ":")))


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _plain(ledger: Ledger) -> dict[str, Any]:
    return {
        "open": [
            [o.id, o.owner, o.text, o.made.isoformat(), o.made_at, o.carried, _iso(o.partly)]
            for o in ledger.open
        ],
        "closed": [
            [c.id, c.owner, c.text, c.made.isoformat(), c.made_at, c.how, c.on.isoformat(), c.carried, c.why]
            for c in ledger.closed
        ],
        "last_recorded": _iso(ledger.last_recorded),
        "last_held": _iso(ledger.last_held),
        "rated": [[r.date.isoformat(), [list(x) for x in r.ratings]] for r in ledger.rated],
        "first_held": _iso(ledger.first_held),
    }


def _ledger(raw: dict[str, Any]) -> Ledger:
    return Ledger(
        open=tuple(
            Open(str(i), str(w), str(t), dt.date.fromisoformat(m), str(a), int(n), _day(p))
            for i, w, t, m, a, n, p in raw["open"]
        ),
        closed=tuple(
            Closed(
                str(i),
                str(w),
                str(t),
                dt.date.fromisoformat(m),
                str(a),
                str(h),
                dt.date.fromisoformat(on),
                int(n),
                str(y),
            )
            for i, w, t, m, a, h, on, n, y in raw["closed"]
        ),
        last_recorded=_day(raw["last_recorded"]),
        last_held=_day(raw["last_held"]),
        rated=tuple(
            Rated(dt.date.fromisoformat(d), tuple((str(n), int(r)) for n, r in ratings))
            for d, ratings in raw["rated"]
        ),
        first_held=_day(raw["first_held"]),
    )
