"""The calendar on disk: build it, write it (atomic, 0600), remember what it said.

``calendar-state.toml`` beside the preferences keeps, per ritual, the SEQUENCE,
fingerprints of the last export and the day of the first export (see
``calendar_ics``). The built-in example couple has no such file and gets none.

Locking: the functions here read and write the state, so the caller holds
``fsio.locked(data_dir)`` around them (``ritual weekly`` already does, and
``flock`` on a second descriptor in the same process would wait for itself);
``export_locked`` is the way in for callers that do not.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from . import calendar_ics, clock, filecheck, fsio, paths
from .calendar_ics import CalendarState, Export
from .preferences import Preferences

STATE_NAME = paths.CALENDAR_STATE_NAME
STATE_MAX_BYTES = 1_000_000  # two small tables; anything near this size is not ours


def state_path(config: Path) -> Path:
    return paths.data_dir(config) / STATE_NAME


def load_state(config: Path, prefs: Preferences) -> CalendarState:
    if prefs.is_example:
        return CalendarState()
    path = state_path(config)
    if not os.path.lexists(path):  # anything else there is read, and refused if not a file
        return CalendarState()
    # filecheck: a file that is not UTF-8 is a file problem naming its line, not a traceback.
    return calendar_ics.parse_state(filecheck.read_text(path, "calendar state", STATE_MAX_BYTES), str(path))


def build(config: Path, prefs: Preferences, agendas: int = 0) -> Export:
    """The calendar for ``prefs`` given the remembered state (nothing is written)."""
    zone = prefs.zone
    return calendar_ics.build(
        prefs,
        load_state(config, prefs),
        now=clock.now_utc(),
        today=clock.today(zone),
        agendas=agendas,
        user_dir=paths.user_templates_dir(config),
        data_dir=None if prefs.is_example else paths.data_dir(config),
        fixed_stamp=bool(os.environ.get("SOURCE_DATE_EPOCH")),
    )


def remember(config: Path, prefs: Preferences, export: Export) -> None:
    """Keep the export's state for next time (never for the example couple)."""
    if prefs.is_example:
        return
    fsio.write_if_changed(state_path(config), calendar_ics.state_toml(export.state).encode("utf-8"))


def write_calendar(config: Path, prefs: Preferences, path: Path, agendas: int = 0) -> bool:
    """Write the calendar to ``path`` if its bytes changed; True if written.

    The caller holds ``fsio.locked(data_dir)``.
    """
    return write_export(config, prefs, build(config, prefs, agendas), path)


def write_export(config: Path, prefs: Preferences, export: Export, path: Path) -> bool:
    """Write a built calendar and then its state (the caller holds the lock)."""
    # The calendar first: if the state then fails to write, the next export
    # recomputes the same SEQUENCE from the old state, which is still right.
    changed = fsio.write_if_changed(path, export.data)
    remember(config, prefs, export)
    return changed


@contextlib.contextmanager
def export_locked(config: Path, prefs: Preferences) -> Iterator[None]:
    """Hold the data-dir lock, except for the example couple, whose folder may not exist."""
    if prefs.is_example:
        yield
        return
    with fsio.locked(paths.data_dir(config)):
        yield
