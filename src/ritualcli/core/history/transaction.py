"""Changing the history: one ``Transaction`` per change, under the lock, with an undo record.

Under the lock that ``ritual weekly`` takes too, a change reads what it needs,
is checked as a reader would check it (never writing what could not be read
back), and writes its files and one journal record in one atomic batch. The
first change to an old single-file history splits it by year here.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from types import TracebackType

from .. import fsio
from . import journal, ledger, topics, yearfile
from .records import Ledger, Topic
from .store import (
    Layout,
    check_text,
    fold_years,
    read_file,
    read_if_present,
    read_year,
    split_by_year,
    start_of,
)


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
        found = read_year(self.lay, year, text)
        found.checker.raise_if_any()
        return found.parsed

    def ledger_before(self, year: int) -> Ledger:
        """Follow-through at the end of the years before ``year`` (a change touches one year)."""
        if self.migrated is None:
            return start_of(self.lay, self._years, year)
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
        return fold_years(start, [read_year(self.lay, y, self.text(y)) for y in years])

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
            before = read_if_present(self.lay.topics)
            files[self.lay.topics] = (before, topics.render(self.queue))
        if self.migrated is not None:
            legacy = read_file(self.lay.legacy)
            old_bak = read_if_present(self.lay.backup)
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
