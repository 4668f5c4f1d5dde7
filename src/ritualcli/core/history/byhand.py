"""Fixing the history by hand (`ritual history edit`) and taking a change back (`ritual undo`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import filecheck, fsio
from ..errors import FileProblemsError, InputError, UsageError
from ..preferences import name_key
from . import journal, yearfile
from .records import SHARED, Entry
from .store import Layout, check_text, fold_years, read_file, read_year, start_of
from .transaction import Transaction


def edit_target(data_dir: Path, year: int | None, *, this_year: int | None = None) -> Path:
    """The file `ritual history edit` opens: the old single file, or a year's: by default
    ``this_year``'s when it has one (a skip recorded ahead may have begun next year's
    file, which is not the one to fix), else the newest."""
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
        return lay.year(this_year if this_year in years else years[-1])
    if year not in years:
        raise UsageError(
            f"--year {year}: no history for {year}", hint=f"there is: {', '.join(map(str, years))}"
        )
    return lay.year(year)


def check_edit(
    data_dir: Path, path: Path, text: str, *, original: str | None = None, partners: tuple[str, ...] = ()
) -> None:
    """Would ``text``, in place of ``path``, still read as a history? FileProblemsError if not.

    A year's file is checked with what the years before add up to, and the years
    after it are read again with it: a commitment deleted here that a later year
    marks kept is a problem there. Then every record the edit adds or changes
    (against ``original``) must name only ``partners`` in its ratings and
    commitments: "Sma" for "Sam" would otherwise be a third person in `ritual stats`
    and the one who "felt least safe" in the next agenda. A name a record already had
    (the record of that day and ritual, as it was) is not held to today's names: a
    partner may have been renamed since, and fixing that record's note or a rating
    should not mean rewriting who was there.
    """
    lay = Layout(data_dir)
    if path == lay.legacy:
        edited = check_text(text, str(path))
    else:
        year = int(path.stem)
        years = lay.years()
        records = [read_year(lay, year, text)] + [read_year(lay, y) for y in years if y > year]
        fold_years(start_of(lay, years, year), records)
        edited = records[0].parsed
    if partners:
        _check_names(edited, _names_of(original, str(path)), partners, str(path), text)


def _names_of(text: str | None, source: str) -> dict[tuple[dt.date, str], set[str]]:
    """The names (``name_key``) each record of ``text``, as it was before the edit, gives
    in its ratings and commitments, by its day and ritual (none, if it did not read)."""
    if text is None:
        return {}
    try:
        parsed = yearfile.read(text, filecheck.Checker(source, text))
    except FileProblemsError:  # not TOML at all: every record of the edit counts as new
        return {}
    names: dict[tuple[dt.date, str], set[str]] = {}
    for _, entry in parsed.entries:
        names.setdefault(entry.key, set()).update(name_key(n) for _, n in _named(entry))
    return names


def _named(entry: Entry) -> list[tuple[str, str]]:
    """(field, name) for each person a record names: its ratings, its commitments' owners."""
    named = [("ratings", n) for n, _ in entry.ratings]
    return named + [("commitments", c.owner) for c in entry.commitments if not c.shared]


def _check_names(
    edited: yearfile.Parsed,
    before: dict[tuple[dt.date, str], set[str]],
    partners: tuple[str, ...],
    source: str,
    text: str,
) -> None:
    known = {name_key(p) for p in partners}
    check = filecheck.Checker(
        source,
        text,
        hint=f"write each name as [couple] partners does ({', '.join(partners)}), "
        f'or "{SHARED}" for a commitment you share',
    )
    for at, entry in edited.entries:
        had = before.get(entry.key, set())
        for field, name in _named(entry):
            if name_key(name) not in known and name_key(name) not in had:
                tip = filecheck.did_you_mean(name, partners)
                message = f"{name!r} is not one of the partners" + (f"; {tip}" if tip else "")
                check.add(f"{at}.{field}", message, find=name)
    check.raise_if_any()


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
