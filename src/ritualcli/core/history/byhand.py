"""Fixing the history by hand (`ritual history edit`) and taking a change back (`ritual undo`)."""

from __future__ import annotations

from pathlib import Path

from .. import fsio
from ..errors import InputError, UsageError
from . import journal
from .store import Layout, check_text, fold_years, read_file, read_year, start_of
from .transaction import Transaction


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
    records = [read_year(lay, year, text)] + [read_year(lay, y) for y in years if y > year]
    fold_years(start_of(lay, years, year), records)


def save_edit(data_dir: Path, path: Path, original: str, edited: str) -> Path | None:
    """Save a hand edit of ``path`` (checked again, journaled); where the journal record is."""
    lay = Layout(data_dir)
    with Transaction(data_dir, migrate=False) as tx:
        current = read_file(path)
        if current != original:
            raise InputError(
                f"{path} changed while you were editing it; nothing was saved",
                hint="`ritual history edit` again, to edit it as it is now",
            )
        if path == lay.legacy:
            tx.put_legacy(edited)
        else:
            tx.text(int(path.stem))
            tx.put(int(path.stem), edited)
        tx.what = f"edited {path.relative_to(data_dir).as_posix()} by hand"
    return tx.journal


def undo(data_dir: Path) -> tuple[journal.Record, int]:
    """Take back the last change to the history; and how many earlier ones can still be."""
    with fsio.locked(data_dir):
        rec = journal.undo(data_dir)
        return rec, journal.count(data_dir)
