"""Where the history lives, and reading it: all of it, or from a day on.

Beside the preferences file::

    history/2026.toml     one file per year: [[entry]] and [[let_go]] of that year
    history/topics.toml   the queue of the couple's own topics
    history/.index.json   a cache: follow-through at the end of each closed year
    history/.undo/        the undo journal: the last 20 changes' previous versions

One file per year because most commands need only the recent past: an agenda, a
`done`, the cron job read this year's file and the index (see ``index``), so
twenty years of history cost them what one year does, and an old year's file is
never rewritten (so a hand edit there stays as it is). Each file stays plain TOML
that a person can read and fix.

An older ritual kept everything in ``history.toml``. It still loads as it is; the
first change splits it by year, keeps it as ``history.toml.bak``, and says so.

Every change goes through ``transaction.Transaction``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import NamedTuple

from .. import filecheck, paths
from ..errors import UsageError
from . import index, ledger, topics, yearfile
from .records import Entry, History, Ledger, Topic

FOLDER = paths.HISTORY_FOLDER
LEGACY = paths.HISTORY_NAME
MAX_FILE_BYTES = 5_000_000  # a year is ~20 KB; the old single file held decades in a few hundred
_YEAR = re.compile(r"(\d{4})\.toml")


class Layout(NamedTuple):
    data_dir: Path

    @property
    def folder(self) -> Path:
        return self.data_dir / FOLDER

    @property
    def legacy(self) -> Path:
        return self.data_dir / LEGACY

    @property
    def backup(self) -> Path:
        return self.data_dir / (LEGACY + ".bak")

    @property
    def topics(self) -> Path:
        return self.folder / topics.NAME

    def year(self, year: int) -> Path:
        return self.folder / yearfile.file_name(year)

    def years(self) -> list[int]:
        try:
            names = os.listdir(self.folder)
        except OSError:
            return []
        return sorted(int(m.group(1)) for n in names if (m := _YEAR.fullmatch(n)))

    def uses_legacy(self, years: list[int]) -> bool:
        """Is the single old file the history? (Refuses a history in both places.)"""
        if not self.legacy.exists():
            return False
        if not years:
            return True
        raise UsageError(
            f"the history is in two places: {self.legacy} and {self.folder}/",
            hint=f"ritual moved {LEGACY} into {FOLDER}/ (one file per year) and kept it as {LEGACY}.bak; "
            f"if {self.legacy} is that old copy, move it away",
        )


def history_path(data_dir: Path) -> Path:
    """Where the history is: the folder of year files (or the old single file, while it is that)."""
    lay = Layout(data_dir)
    return lay.legacy if lay.legacy.exists() and not lay.years() else lay.folder


def load_topics(data_dir: Path) -> tuple[Topic, ...]:
    """The topic queue alone (`ritual topic list`): no year file is read."""
    return topics.load(Layout(data_dir).topics)


def read_file(path: Path) -> str:
    return filecheck.read_text(path, "history file", MAX_FILE_BYTES)


def read_if_present(path: Path) -> str | None:
    """``read_file``, or None when there is no file at ``path``."""
    return filecheck.read_text_if_present(path, "history file", MAX_FILE_BYTES)


# --------------------------------------------------------------------------- reading


def load(data_dir: Path, since: dt.date | None = None) -> History:
    """The couple's history: all of it, or from the start of ``since``'s year on.

    Loaded from a day, the years before it are summed up from the index (``History.start``).
    Every file read is checked; a problem in one is an error naming its line (exit 2).
    """
    lay = Layout(data_dir)
    queue = topics.load(lay.topics)
    years = lay.years()
    if lay.uses_legacy(years):
        parsed = check_text(read_file(lay.legacy), str(lay.legacy))
        return _history(lay.legacy, None, Ledger(), parsed, queue)
    if not years:
        return History(topics=queue) if queue else History()
    first = max(since.year, years[0]) if since else years[0]
    start = start_of(lay, years, first)
    records = [read_year(lay, y) for y in years if y >= first]
    fold_years(start, records)
    parsed = yearfile.Parsed(
        [e for r in records for e in r.parsed.entries], [g for r in records for g in r.parsed.let_go]
    )
    return _history(lay.folder, dt.date(first, 1, 1) if first > years[0] else None, start, parsed, queue)


class YearRecords(NamedTuple):
    """One file's records, as events to fold, with the checker that holds its problems."""

    parsed: yearfile.Parsed
    events: list[ledger.Event]
    checker: filecheck.Checker


def read_year(lay: Layout, year: int, text: str | None = None) -> YearRecords:
    """A year's file (or ``text`` in its place), read and checked on its own."""
    source = str(lay.year(year))
    text = read_file(lay.year(year)) if text is None else text
    checker = filecheck.Checker(source, text, hint=yearfile.FIX_HINT)
    parsed = yearfile.read(text, checker, year=year)
    return YearRecords(parsed, ledger.events(parsed.entries, parsed.let_go, checker), checker)


def fold_years(start: Ledger, records: list[YearRecords]) -> ledger.Fold:
    """Fold the records onto ``start`` in date order; every problem of every file is raised."""
    evs = [ev for r in records for ev in r.events]
    fold = ledger.Fold(start)
    fold.later = {c.id: ev.date for ev in evs if isinstance(ev.record, Entry) for c in ev.record.commitments}
    for ev in ledger.ordered(evs):
        fold.add(ev)
    for r in records:
        r.checker.raise_if_any()
    return fold


def start_of(lay: Layout, years: list[int], first: int) -> Ledger:
    """What the years before ``first`` add up to: from the index, reading only what changed."""
    return index.start_of(
        lay.folder, years, first, lambda y, led: fold_years(led, [read_year(lay, y)]).ledger()
    )


def check_text(text: str, source: str) -> yearfile.Parsed:
    """A whole history in one file (the old layout), checked: every problem at once."""
    checker = filecheck.Checker(source, text, hint=yearfile.FIX_HINT)
    parsed = yearfile.read(text, checker)
    fold_years(
        Ledger(), [YearRecords(parsed, ledger.events(parsed.entries, parsed.let_go, checker), checker)]
    )
    return parsed


def parse(text: str, source: str = LEGACY) -> History:
    """A whole history written as one file (the README's example, a test's), checked."""
    return _history(Path(source), None, Ledger(), check_text(text, source), ())


def _history(
    where: Path,
    since: dt.date | None,
    start: Ledger,
    parsed: yearfile.Parsed,
    queue: tuple[Topic, ...],
) -> History:
    from ..preferences import RITUALS

    entries = sorted((e for _, e in parsed.entries), key=lambda e: (e.date, RITUALS.index(e.ritual)))
    lets = sorted((g for _, g in parsed.let_go), key=lambda g: g.date)
    return History(where, since, start, tuple(entries), tuple(lets), queue)


def split_by_year(text: str, parsed: yearfile.Parsed) -> dict[int, str]:
    """The old single file as one file per year; each record keeps its own lines (and comments)."""
    spans = record_spans(text)
    lines = text.splitlines(keepends=True)
    by_year: dict[int, list[str]] = {}
    records: list[tuple[str, dt.date]] = [(at, e.date) for at, e in parsed.entries]
    records += [(at, g.date) for at, g in parsed.let_go]
    rendered = {at: yearfile.render_entry(e) for at, e in parsed.entries}
    rendered |= {at: yearfile.render_let_go(g) for at, g in parsed.let_go}
    for at, day in records:
        if at in spans:
            first, last = spans[at]
            chunk = "".join(lines[first - 1 : last]).rstrip("\n") + "\n"
        else:  # a layout the spans cannot follow: written afresh
            chunk = rendered[at]
        by_year.setdefault(day.year, []).append(chunk)
    return {
        y: yearfile.header(y) + "".join("\n" + c for c in chunks) for y, chunks in sorted(by_year.items())
    }


def record_spans(text: str) -> dict[str, tuple[int, int]]:
    """Each ``[[entry]]`` / ``[[let_go]]`` table's lines [first, last], by its key ``entry[N]``."""
    index_ = filecheck.Lines(text)
    return {k: v for k, v in index_.spans.items() if k.startswith(("entry[", "let_go["))}
