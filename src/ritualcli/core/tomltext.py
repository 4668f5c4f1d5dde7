"""Reading TOML that a person wrote: a syntax error becomes a problem with its place."""

from __future__ import annotations

import re
from typing import Any

from .errors import FileProblemsError, Problem

_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


def loads(text: str, source: str, what: str, *, hint: str | None = None) -> dict[str, Any]:
    """``tomllib.loads``, raising FileProblemsError (exit 2) with line and column.

    ``what`` names the kind of file ("preferences file") for the messages.
    """
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _WHERE.search(msg)
        line = int(m.group(1)) if m else None
        col = int(m.group(2)) if m else None
        msg = _WHERE.sub("", msg) or "invalid TOML"
        if m is None and "end of document" in msg:
            line = text.count("\n") + 1
        problem = Problem("", f"TOML syntax: {msg}", line=line, column=col)
        raise FileProblemsError(source, [problem], hint=hint) from None
    except RecursionError:
        # tomllib recurses per nesting level; a hostile file can exhaust the stack.
        raise FileProblemsError(source, [Problem("", f"is nested too deeply to be a {what}")]) from None
