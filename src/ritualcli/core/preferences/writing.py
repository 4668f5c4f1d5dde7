"""Preferences as a document (for `config show --format json`) and as a commented
TOML file that explains itself (`config show`, and the file `ritual init` writes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from .. import tomlwrite
from .records import Preferences, SkipRange
from .schema import SETTINGS, TABLES, Setting

COMMENT_COLUMN = 34  # where the help beside a key starts, when the key leaves room


def value_of(prefs: Preferences, setting: Setting) -> Any:
    """The effective value of ``setting`` as a file would hold it (None: not set)."""
    return plain(getattr(getattr(prefs, setting.record), setting.key))


def plain(value: Any) -> Any:
    """A record's value in TOML's terms: a time as "HH:MM", tuples as arrays."""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, SkipRange):
        return {"from": value.start, "to": value.end, **({"note": value.note} if value.note else {})}
    if isinstance(value, tuple):
        return [plain(item) for item in value]
    return value


def to_document(prefs: Preferences) -> dict[str, Any]:
    """The effective settings as a TOML-ready document (every key, defaults filled)."""
    doc: dict[str, Any] = {"version": prefs.version}
    for table in TABLES:
        doc[table] = {}
    for setting in SETTINGS:
        value = value_of(prefs, setting)
        if value is not None:  # TOML has no null: a key not set is left out
            doc[setting.table][setting.key] = value
    return doc


def to_toml(prefs: Preferences, *, header: str | None = None, only: Collection[str] | None = None) -> str:
    """Render preferences as a commented TOML file.

    Every key is there with its help; with ``only`` (dotted keys), the others are
    commented out, showing the value they take now, so a default nobody chose stays
    a default (and follows, say, the check-in format's length when that changes).
    """
    lines: list[str] = []
    if header:
        lines += [f"# {line}" if line else "#" for line in header.splitlines()]
        lines.append("")
    lines.append(f"version = {prefs.version}")
    for table, note in TABLES.items():
        lines += ["", f"# {note}", f"[{table}]"]
        for setting in SETTINGS:
            if setting.table == table:
                chosen = only is None or setting.dotted in only
                lines.append(_line(setting, value_of(prefs, setting), chosen))
    return "\n".join(lines) + "\n"


def _line(setting: Setting, value: Any, chosen: bool) -> str:
    if value is None:
        assignment = f"# {setting.key}: not set"
    else:
        assignment = f"{setting.key} = {tomlwrite.value(value)}"
        if not chosen:
            assignment = "# " + assignment
    return f"{assignment:<{COMMENT_COLUMN - 2}}  # {setting.help}"
