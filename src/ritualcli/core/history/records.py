"""The history's records: an entry per occurrence, its commitments, the whole history.

Values only: ``store`` reads and writes them, ``followthrough`` reads them.
"""

import datetime as dt
from pathlib import Path
from typing import NamedTuple


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
    """The couple's history as one value: a command loads it once and passes it on."""

    path: Path | None = None  # None: no file (yet), or the example couple
    in_file_order: tuple[Entry, ...] = ()
    text: str = ""
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
