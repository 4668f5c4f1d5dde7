"""The preferences file (schema version 1): read, checked, described and written.

- ``records``: the immutable records the rest of the code reads (``Preferences`` …).
- ``schema``: every setting, declared once (key, check, default, help).
- ``checks`` and ``values``: the checks a setting is declared with, and the parsers
  of single values (times, dates, zones, names) the commands use too.
- ``reading``: bytes to records, every problem at once; ``writing``: records to a
  document or a commented TOML file; ``example``: the built-in example couple;
  ``reference``: the README's table of settings.

Everything other modules use is importable from here.
"""

from __future__ import annotations

from .checks import Invalid, Vocabulary
from .example import EXAMPLE_TOML, example
from .reading import KIND, MAX_FILE_BYTES, check_value, from_mapping, load, parse_bytes, parse_text
from .records import (
    CADENCES,
    DEPTHS,
    FORMAT_MINUTES,
    PLACES,
    RITUALS,
    SCHEMA_VERSION,
    TITLES,
    WEEKDAYS,
    Calendar,
    Conversation,
    Couple,
    DateNight,
    Preferences,
    Ritual,
    Skip,
    SkipRange,
    Support,
    Sync,
    ritual_noun,
    ritual_title,
)
from .schema import SCHEMA, SETTINGS, TABLES, Setting
from .values import (
    FIRST_DATE,
    LAST_DATE,
    check_date_range,
    check_name,
    check_zone,
    local_zone_name,
    name_key,
    parse_date,
    parse_time,
)
from .writing import to_document, to_toml

__all__ = [
    "CADENCES",
    "DEPTHS",
    "EXAMPLE_TOML",
    "FIRST_DATE",
    "FORMAT_MINUTES",
    "KIND",
    "LAST_DATE",
    "MAX_FILE_BYTES",
    "PLACES",
    "RITUALS",
    "SCHEMA",
    "SCHEMA_VERSION",
    "SETTINGS",
    "TABLES",
    "TITLES",
    "WEEKDAYS",
    "Calendar",
    "Conversation",
    "Couple",
    "DateNight",
    "Invalid",
    "Preferences",
    "Ritual",
    "Setting",
    "Skip",
    "SkipRange",
    "Support",
    "Sync",
    "Vocabulary",
    "check_date_range",
    "check_name",
    "check_value",
    "check_zone",
    "example",
    "from_mapping",
    "load",
    "local_zone_name",
    "name_key",
    "parse_bytes",
    "parse_date",
    "parse_text",
    "parse_time",
    "ritual_noun",
    "ritual_title",
    "to_document",
    "to_toml",
]
