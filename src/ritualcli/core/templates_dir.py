"""Where shipped content lives, and where agenda templates come from.

The top-level ``templates/`` folder (shipped inside the wheel as ``ritualcli/templates``)
holds two kinds of content, apart: ``agendas/`` the Jinja2 agenda templates (a user's
``templates/`` folder beside the preferences mirrors this tree and wins over it), and
``library/`` the practice and date-idea libraries (TOML). Only finds files; rendering
(and the jinja2 import) lives in ``templating``.
"""

from __future__ import annotations

import functools
from pathlib import Path

CHECKIN_DIR = "checkin"
SUFFIX = ".md.j2"


@functools.cache
def content_root() -> Path:
    """The content shipped in the package (the wheel's force-included copy).

    In a source checkout or editable install the package has no copy, so fall back
    to the repository's top-level ``templates/``. The wheel installs unzipped, so
    the package's own folder is a real path: no importlib.resources (a few ms).
    """
    packaged = Path(__file__).resolve().parents[1] / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


def builtin_dir() -> Path:
    """The built-in agenda templates."""
    return content_root() / "agendas"


def library_dir() -> Path:
    """The built-in practice and idea libraries."""
    return content_root() / "library"


def checkin_formats(user_dir: Path | None) -> tuple[str, ...]:
    """The check-in formats there are: the built-in ones, and every template in a
    ``checkin/`` folder (the built-in one, the user's)."""
    from .preferences.records import FORMAT_MINUTES

    names = set(FORMAT_MINUTES)
    for base in (builtin_dir(), user_dir):
        if base is None:
            continue
        folder = base / CHECKIN_DIR
        if folder.is_dir():
            names.update(p.name[: -len(SUFFIX)] for p in folder.glob(f"*{SUFFIX}"))
    return tuple(sorted(names))
