"""History of held check-ins and date nights: ratings, commitments, notes.

Stub until the follow-through work lands: agendas ask it what to carry over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .preferences import Preferences
from .schedule import Occurrence


@dataclass(frozen=True)
class OpenCommitment:
    id: str
    owner: str
    text: str
    made: dt.date
    checkins_open: int  # how many check-ins it has been carried through


@dataclass(frozen=True)
class CarryOver:
    """What a check-in agenda's follow-through section opens with."""

    open: tuple[OpenCommitment, ...] = ()
    kept: tuple[OpenCommitment, ...] = ()  # kept since the last check-in: celebrate once
    unrecorded: tuple[dt.date, ...] = ()  # earlier check-ins not recorded yet: unknown commitments
    support: str | None = None  # a gentle suggestion to seek outside support, when it applies


def carry_over(prefs: Preferences, data_dir: Path | None, occ: Occurrence) -> CarryOver:
    return CarryOver()
