"""What each occurrence is about: the check-in's focus practice, the date night's idea.

Filled in by the agenda work; `ritual plan` shows whatever this returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from .preferences import Preferences
from .schedule import Occurrence


@dataclass(frozen=True)
class Pick:
    id: str
    title: str


def focus(prefs: Preferences, occ: Occurrence) -> Pick | None:
    return None


def idea(prefs: Preferences, occ: Occurrence) -> Pick | None:
    return None
