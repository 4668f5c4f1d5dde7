"""The README's table of settings, made from the declarations.

``python -m ritualcli.core.preferences.reference README.md`` rewrites the table
between its markers; the suite fails while the README and the declarations disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .. import tomlwrite
from .schema import SETTINGS, Computed, Required, Setting
from .writing import plain

BEGIN = "<!-- settings: made from src/ritualcli/core/preferences/schema.py -->"
END = "<!-- /settings -->"


def default_text(setting: Setting) -> str:
    """The default as a person reads it: a TOML value, or what decides it."""
    default = setting.default
    if isinstance(default, Computed | Required):
        return default.text
    if default is None:
        return "not set"
    return f"`{tomlwrite.value(plain(default))}`"


def markdown_table() -> str:
    rows = ["| key | default | meaning |", "|---|---|---|"]
    for setting in SETTINGS:
        meaning = setting.help.replace("|", "\\|")
        rows.append(f"| `{setting.dotted}` | {default_text(setting)} | {meaning} |")
    return "\n".join(rows)


def in_readme(readme: str) -> str:
    """``readme`` with the table between the markers replaced by the current one."""
    head, begin, rest = readme.partition(BEGIN)
    _, end, tail = rest.partition(END)
    if not begin or not end:
        raise ValueError(f"the README has no {BEGIN} … {END} markers")
    return f"{head}{BEGIN}\n{markdown_table()}\n{END}{tail}"


def main(argv: list[str]) -> int:
    # The README is the repository's file, not a couple's: written as it is, with its
    # own mode (fsio would make it private, 0600).
    path = Path(argv[0] if argv else "README.md")
    text = path.read_text(encoding="utf-8")
    path.write_text(in_readme(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
