"""Where the history lives, reading it (all of it, or from a day on), and changing it.

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

Every change goes through ``Transaction``: under the lock that ``ritual weekly``
takes too, it reads what it needs, checks the result as a reader would (never
writing what could not be read back), and writes the files and an undo record in
one atomic batch.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from pathlib import Path
from types import TracebackType
from typing import NamedTuple

from .. import filecheck, fsio
from ..errors import UsageError
from . import index, journal, ledger, topics, yearfile
from .records import Entry, History, Ledger, LetGo, Topic

FOLDER = "history"
LEGACY = "history.toml"
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
        return self.folder / f"{year}.toml"

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
    start = index.start_of(lay.folder, years, first, lambda y, led: _read_year(lay, y, led)[1])
    evs: list[ledger.Event] = []
    checkers = []
    entries: list[tuple[str, Entry]] = []
    lets: list[tuple[str, LetGo]] = []
    for year in (y for y in years if y >= first):
        text = read_file(lay.year(year))
        checker = filecheck.Checker(str(lay.year(year)), text, hint=yearfile.FIX_HINT)
        parsed = yearfile.read(text, checker, year=year)
        evs += ledger.events(parsed.entries, parsed.let_go, checker)
        checkers.append(checker)
        entries += parsed.entries
        lets += parsed.let_go
    _check(start, evs, checkers)
    since_day = dt.date(first, 1, 1) if first > years[0] else None
    return _history(lay.folder, since_day, start, yearfile.Parsed(entries, lets), queue)


def check_text(text: str, source: str) -> yearfile.Parsed:
    """A whole history in one file (the old layout), checked: every problem at once."""
    checker = filecheck.Checker(source, text, hint=yearfile.FIX_HINT)
    parsed = yearfile.read(text, checker)
    _check(Ledger(), ledger.events(parsed.entries, parsed.let_go, checker), [checker])
    return parsed


def parse(text: str, source: str = LEGACY) -> History:
    """A whole history written as one file (the README's example, a test's), checked."""
    return _history(Path(source), None, Ledger(), check_text(text, source), ())


def _read_year(lay: Layout, year: int, start: Ledger) -> tuple[yearfile.Parsed, Ledger]:
    text = read_file(lay.year(year))
    checker = filecheck.Checker(str(lay.year(year)), text, hint=yearfile.FIX_HINT)
    parsed = yearfile.read(text, checker, year=year)
    fold = _check(start, ledger.events(parsed.entries, parsed.let_go, checker), [checker])
    return parsed, fold.ledger()


def _check(start: Ledger, evs: list[ledger.Event], checkers: list[filecheck.Checker]) -> ledger.Fold:
    """Fold the records in date order; every problem of every file is raised, file by file."""
    fold = ledger.Fold(start)
    fold.later = {c.id: ev.date for ev in evs if isinstance(ev.record, Entry) for c in ev.record.commitments}
    for ev in ledger.ordered(evs):
        fold.add(ev)
    for checker in checkers:
        checker.raise_if_any()
    return fold


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


# --------------------------------------------------------------------------- changing


class Transaction:
    """One change to the history, under the lock: read, change, check, write with an undo record.

    ``with Transaction(data_dir) as tx:`` then ``tx.text(year)`` / ``tx.put(year, text)``,
    ``tx.queue`` / ``tx.put_queue(...)``, and ``tx.what = "…"`` (what `ritual undo` will
    name). Leaving the block without an exception writes it all; with one, nothing.
    """

    def __init__(self, data_dir: Path, *, migrate: bool = True) -> None:
        self.data_dir = data_dir
        self._migrate = migrate  # False: leave an old single file as it is (`history edit` of it)
        self._legacy: str | None = None  # the old single file's new text, when that is the change
        self.lay = Layout(data_dir)
        self.what = ""
        self.migrated: Path | None = None  # the old single file, split by year in this change
        self.journal: Path | None = None
        self._lock = fsio.locked(data_dir)
        self._texts: dict[int, str] = {}  # every year read or changed, as it is now in this change
        self._original: dict[int, str | None] = {}  # as it was on disk (None: no file)
        self._changed: set[int] = set()
        self._queue: tuple[Topic, ...] | None = None
        self._queue_changed = False
        self._cancelled = False

    def __enter__(self) -> Transaction:
        self._lock.__enter__()
        try:
            self._years = self.lay.years()
            self.legacy = self.lay.uses_legacy(self._years)
            if self.legacy and self._migrate:
                self._split_legacy()
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        return self

    def cancel(self) -> None:
        """Leave every file as it is (a change that turned out to change nothing)."""
        self._cancelled = True

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if kind is None and not self._cancelled:
                self._commit()
        finally:
            self._lock.__exit__(kind, exc, tb)

    # ------------------------------------------------------------------ what it reads

    def text(self, year: int) -> str:
        """The year's file as it stands in this change ("" when there is none)."""
        if year not in self._texts:
            self._texts[year] = self._on_disk(year) or ""
        return self._texts[year]

    def _on_disk(self, year: int) -> str | None:
        if year not in self._original:
            self._original[year] = read_file(self.lay.year(year)) if year in self._years else None
        return self._original[year]

    def parsed(self, year: int) -> yearfile.Parsed:
        text = self.text(year)
        checker = filecheck.Checker(str(self.lay.year(year)), text, hint=yearfile.FIX_HINT)
        found = yearfile.read(text, checker, year=year) if text else yearfile.Parsed([], [])
        checker.raise_if_any()
        return found

    def ledger_before(self, year: int) -> Ledger:
        """Follow-through at the end of the years before ``year`` (a change touches one year)."""
        if self.migrated is None:
            return index.start_of(
                self.lay.folder, self._years, year, lambda y, led: _read_year(self.lay, y, led)[1]
            )
        return self._fold([y for y in self._all_years() if y < year], Ledger()).ledger()

    @property
    def queue(self) -> tuple[Topic, ...]:
        if self._queue is None:
            self._queue = topics.load(self.lay.topics)
        return self._queue

    # ------------------------------------------------------------------ what it changes

    def put(self, year: int, text: str) -> None:
        self._texts[year] = text
        self._changed.add(year)

    def put_legacy(self, text: str) -> None:
        """The old single file's new text (only in a Transaction that does not migrate it)."""
        assert self.legacy and not self._migrate
        self._legacy = text

    def put_queue(self, queue: tuple[Topic, ...]) -> None:
        self._queue = queue
        self._queue_changed = True

    def _split_legacy(self) -> None:
        text = read_file(self.lay.legacy)
        parsed = check_text(text, str(self.lay.legacy))
        for year, part in split_by_year(text, parsed).items():
            self.put(year, part)
        self.migrated = self.lay.backup

    def _all_years(self) -> list[int]:
        return sorted(set(self._years) | set(self._texts))

    def _fold(self, years: list[int], start: Ledger) -> ledger.Fold:
        evs, checkers = [], []
        for y in years:
            text = self.text(y)
            checker = filecheck.Checker(str(self.lay.year(y)), text, hint=yearfile.FIX_HINT)
            parsed = yearfile.read(text, checker, year=y) if text.strip() else yearfile.Parsed([], [])
            evs += ledger.events(parsed.entries, parsed.let_go, checker)
            checkers.append(checker)
        return _check(start, evs, checkers)

    def check(self) -> None:
        """Read the changed files back as any command would; a FileProblemsError if that fails."""
        if self._changed:
            first = min(self._changed)
            self._fold([y for y in self._all_years() if y >= first], self.ledger_before(first))
        if self._legacy is not None:
            check_text(self._legacy, str(self.lay.legacy))

    def _commit(self) -> None:
        if not (self._changed or self._queue_changed or self._legacy is not None):
            return
        self.check()  # never write what could not be read back
        files: dict[Path, tuple[str | None, str | None]] = {}
        if self._legacy is not None:
            files[self.lay.legacy] = (read_file(self.lay.legacy), self._legacy)
        for year in sorted(self._changed):
            path = self.lay.year(year)
            files[path] = (self._on_disk(year), self._texts[year])
        if self._queue_changed:
            before = read_file(self.lay.topics) if self.lay.topics.exists() else None
            files[self.lay.topics] = (before, topics.render(self.queue))
        if self.migrated is not None:
            legacy = read_file(self.lay.legacy)
            old_bak = read_file(self.lay.backup) if self.lay.backup.exists() else None
            files[self.lay.backup] = (old_bak, legacy)
            files[self.lay.legacy] = (legacy, None)
        self.journal, record = journal.record(self.data_dir, self.what or "a change to the history", files)
        with fsio.Batch() as batch:
            for path, (before, after) in files.items():
                if after is not None and after != before:
                    batch.write(path, after.encode("utf-8"))
            batch.write(self.journal, record)
        for path, (_, after) in files.items():
            if after is None:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
        journal.trim(self.data_dir)


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


# --------------------------------------------------------------------------- editing by hand


def edit_target(data_dir: Path, year: int | None) -> Path:
    """The file `ritual history edit` opens: the old single file, or a year's (the newest by default)."""
    lay = Layout(data_dir)
    years = lay.years()
    if lay.uses_legacy(years):
        if year is not None:
            raise UsageError(
                f"--year {year}: your history is still one file, {lay.legacy}",
                hint="leave --year out; the next `ritual done` splits it by year",
            )
        return lay.legacy
    if not years:
        raise UsageError("no history yet: `ritual done` records the first entry")
    if year is None:
        return lay.year(years[-1])
    if year not in years:
        raise UsageError(
            f"--year {year}: no history for {year}", hint=f"there is: {', '.join(map(str, years))}"
        )
    return lay.year(year)


def check_edit(data_dir: Path, path: Path, text: str) -> None:
    """Would ``text``, in place of ``path``, still read as a history? FileProblemsError if not.

    A year's file is checked with what the years before add up to, and the years
    after it are read again with it: a commitment deleted here that a later year
    marks kept is a problem there.
    """
    lay = Layout(data_dir)
    if path == lay.legacy:
        check_text(text, str(path))
        return
    year = int(path.stem)
    years = lay.years()
    start = index.start_of(lay.folder, years, year, lambda y, led: _read_year(lay, y, led)[1])
    checker = filecheck.Checker(str(path), text, hint=yearfile.FIX_HINT)
    parsed = yearfile.read(text, checker, year=year)
    evs = ledger.events(parsed.entries, parsed.let_go, checker)
    checkers = [checker]
    for later in (y for y in years if y > year):
        later_text = read_file(lay.year(later))
        c = filecheck.Checker(str(lay.year(later)), later_text, hint=yearfile.FIX_HINT)
        p = yearfile.read(later_text, c, year=later)
        evs += ledger.events(p.entries, p.let_go, c)
        checkers.append(c)
    _check(start, evs, checkers)
