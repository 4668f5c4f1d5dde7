"""Reading a preferences file: bytes to TOML to checked settings to records.

The TOML is validated once, at the door, into immutable records; the rest of the
code never sees a raw dict. Every problem in a file is reported at once, each
naming the key and its line, with a suggestion for a misspelt key. Checking is
linear in the file's size: a runaway file with 50,000 unknown keys is reported,
not a hang.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from .. import filecheck
from ..filecheck import shown
from .checks import Context, Invalid, Vocabulary, type_name
from .records import FIXED, FORMAT_MINUTES, RECORDS, SCHEMA_VERSION, Preferences
from .schema import ACROSS, REQUIRED, SCHEMA, SETTINGS, TABLES, Computed

MAX_FILE_BYTES = 1_000_000  # a preferences file is a page of text; refuse a runaway one
KIND = "preferences file"  # how messages name it
HINT = "fix the file and run `ritual config validate` (see `ritual config show` for every key)"


def load(
    path: Path, *, formats: Collection[str] = tuple(FORMAT_MINUTES), vocabulary: Vocabulary | None = None
) -> Preferences:
    """The preferences in ``path``: a regular file, UTF-8, at most MAX_FILE_BYTES."""
    data = filecheck.read_bytes(path, KIND, MAX_FILE_BYTES)
    return parse_bytes(data, source=path, formats=formats, vocabulary=vocabulary)


def parse_bytes(
    data: bytes,
    *,
    source: Path | None = None,
    formats: Collection[str] = tuple(FORMAT_MINUTES),
    vocabulary: Vocabulary | None = None,
) -> Preferences:
    """Decode and validate a preferences file's bytes."""
    label = str(source) if source else "preferences"
    filecheck.check_size(len(data), label, KIND, MAX_FILE_BYTES)
    text = filecheck.decode(data, label)
    return parse_text(text, source=source, formats=formats, vocabulary=vocabulary)


def parse_text(
    text: str,
    *,
    source: Path | None = None,
    formats: Collection[str] = tuple(FORMAT_MINUTES),
    vocabulary: Vocabulary | None = None,
) -> Preferences:
    doc = filecheck.parse_toml(text, str(source) if source else "preferences", KIND)
    return from_mapping(doc, text=text, source=source, formats=formats, vocabulary=vocabulary)


def from_mapping(
    doc: Mapping[str, Any],
    *,
    text: str = "",
    source: Path | None = None,
    formats: Collection[str] = tuple(FORMAT_MINUTES),
    vocabulary: Vocabulary | None = None,
) -> Preferences:
    """Validate a parsed TOML document; raise FileProblemsError listing every problem."""
    checker = filecheck.Checker(str(source) if source else "preferences", text, hint=HINT)
    ctx = Context(formats, vocabulary)

    version = doc.get("version", SCHEMA_VERSION)
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        checker.add("version", f"this ritual reads schema version {SCHEMA_VERSION}, not {shown(version)}")
    checker.unknown_keys("", doc, ["version", *SCHEMA])

    values: dict[str, dict[str, Any]] = {table: {} for table in TABLES}
    present: set[str] = set()
    failed: set[str] = set()  # tables with a key that failed its own check
    for table, settings in SCHEMA.items():
        raw = doc.get(table, {})
        if not isinstance(raw, dict):
            checker.add(table, f"expected a table [{table}], got {type_name(raw)}")
            continue
        checker.unknown_keys(table, raw, list(settings))
        for key, setting in settings.items():
            if key not in raw:
                continue
            present.add(setting.dotted)
            try:
                values[table][key] = setting.check(raw[key], ctx)
            except Invalid as exc:
                failed.add(table)
                for message in exc.messages:
                    checker.add(setting.dotted, message)
    _fill_defaults(values, present, doc, checker)
    for dotted, check in ACROSS:
        table = dotted.partition(".")[0]
        if table in failed or table not in values:
            continue
        try:
            check(values[table])
        except Invalid as exc:
            for message in exc.messages:
                checker.add(dotted, message)
    checker.raise_if_any()
    return _records(values, source)


def check_value(dotted: str, value: object, *, formats: Collection[str] = tuple(FORMAT_MINUTES)) -> Any:
    """One setting's value as a file would give it (``"checkin.day"``, ``"Monday"``);
    ``Invalid`` (a ValueError) says what is wrong. For questions asked one at a time."""
    table, _, key = dotted.partition(".")
    return SCHEMA[table][key].check(value, Context(formats))


def _fill_defaults(
    values: dict[str, dict[str, Any]], present: set[str], doc: Mapping[str, Any], checker: filecheck.Checker
) -> None:
    computed = []
    for setting in SETTINGS:
        got = values[setting.table]
        if setting.dotted in present:
            continue
        if setting.default is REQUIRED:
            # A table that is not a table has said so already.
            if isinstance(doc.get(setting.table, {}), dict):
                checker.add(setting.dotted, f"is required: {setting.help}")
        elif isinstance(setting.default, Computed):
            computed.append(setting)
        else:
            got[setting.key] = setting.default
    for setting in computed:  # after the plain defaults they may depend on
        got = values[setting.table]
        got[setting.key] = setting.default.compute(got)


def _records(values: Mapping[str, Mapping[str, Any]], source: Path | None) -> Preferences:
    fields: dict[str, dict[str, Any]] = {record: dict(FIXED.get(record, {})) for record in RECORDS}
    for setting in SETTINGS:
        fields[setting.record][setting.key] = values[setting.table][setting.key]
    records = {name: RECORDS[name](**given) for name, given in fields.items()}
    return Preferences(**records, source=source)
