"""What the agenda tests share: reading an agenda's headings and time boxes, its safety
note, and writing a template of the couple's own."""

from __future__ import annotations

import re
from pathlib import Path

BOX = re.compile(r"^#+ .*\((\d+) min\)$", re.M)  # a heading's time box
HEADING = re.compile(r"^(#+) (.*?)(?: \(\d+ min\))?$", re.M)
HOTLINE = "1-800-799-7233"


def headings(md: str) -> list[str]:
    return [f"{level} {text}" for level, text in HEADING.findall(md)]


def ends_with_safety_note(md: str) -> bool:
    """The last part, after the last rule, is the safety note, and nothing follows it."""
    if "\n---\n" not in md:
        return False
    note = md[md.rindex("\n---\n") :]
    return HOTLINE in note and "afraid of your partner" in note and "\n#" not in note


def user_template(config: Path, name: str, text: str) -> Path:
    """The couple's own template ``name``, in the templates folder beside the preferences ``config``."""
    path = config.parent / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
