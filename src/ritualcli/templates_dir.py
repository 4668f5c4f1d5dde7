"""Where templates come from: the user's folder first, then the ones shipped with ritual.

Only finds files; rendering (and the jinja2 import) lives in ``agenda``.
"""

from __future__ import annotations

import functools
from pathlib import Path

CHECKIN_DIR = "checkin"
SUFFIX = ".md.j2"


@functools.cache
def builtin_dir() -> Path:
    """The templates shipped in the package (the wheel's force-included copy).

    In a source checkout or editable install the package has no copy, so fall back
    to the repository's top-level ``templates/``. The wheel installs unzipped, so
    the package's own folder is a real path: no importlib.resources (a few ms).
    """
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def checkin_formats(user_dir: Path | None) -> tuple[str, ...]:
    names = {"weekly", "state-of-the-union", "quick"}
    for base in (builtin_dir(), user_dir):
        if base is None:
            continue
        folder = base / CHECKIN_DIR
        if folder.is_dir():
            names.update(p.name[: -len(SUFFIX)] for p in folder.glob(f"*{SUFFIX}"))
    return tuple(sorted(names))
