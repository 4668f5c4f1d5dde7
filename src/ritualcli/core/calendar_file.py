"""The calendar on disk: build it, write it (atomic, 0600), remember what it said.

``calendar-state.toml`` beside the preferences keeps every series the calendar
has published (see ``calendar_state``). The built-in example couple has no such
file and gets none.

Locking: the functions here read and write the state, so the caller holds
``fsio.locked(data_dir)`` around them (``ritual weekly`` already does, and
``flock`` on a second descriptor in the same process would wait for itself).
"""

from __future__ import annotations

import os
from pathlib import Path

from . import calendar_ics, calendar_state, clock, fsio, paths
from .calendar_ics import Export
from .calendar_state import CalendarState
from .history import History
from .preferences import Preferences


def state_path(config: Path) -> Path:
    return calendar_state.path_for(config)


def load_state(config: Path, prefs: Preferences) -> CalendarState:
    if prefs.is_example:
        return CalendarState()
    return calendar_state.load(state_path(config))


def build(
    config: Path, prefs: Preferences, history: History, agendas: int = 0, state: CalendarState | None = None
) -> Export:
    """The calendar for ``prefs`` given the remembered state (nothing is written).

    ``history`` is the couple's, loaded by the caller: the agendas of ``agendas``
    occurrences carry its open commitments forward. ``state`` replaces the one
    remembered for the file (``ritual sync`` passes what the server was given).
    """
    zone = prefs.zone
    return calendar_ics.build(
        prefs,
        load_state(config, prefs) if state is None else state,
        now=clock.now_utc(),
        today=clock.today(zone),
        agendas=agendas,
        user_dir=paths.user_templates_dir(config),
        history=history,
        fixed_stamp=bool(os.environ.get("SOURCE_DATE_EPOCH")),
    )


def remember(config: Path, prefs: Preferences, export: Export) -> None:
    """Keep the export's state for next time (never for the example couple)."""
    if prefs.is_example:
        return
    fsio.write_if_changed(state_path(config), calendar_state.to_toml(export.state).encode("utf-8"))


def write_calendar(config: Path, prefs: Preferences, history: History, path: Path, agendas: int = 0) -> bool:
    """Write the calendar to ``path`` if its bytes changed; True if written.

    The caller holds ``fsio.locked(data_dir)``.
    """
    return write_export(config, prefs, build(config, prefs, history, agendas), path)


def write_export(config: Path, prefs: Preferences, export: Export, path: Path) -> bool:
    """Write a built calendar and then its state (the caller holds the lock)."""
    # The calendar first: if the state then fails to write, the next export
    # recomputes the same SEQUENCE from the old state, which is still right.
    changed = fsio.write_if_changed(path, export.data)
    remember(config, prefs, export)
    return changed
