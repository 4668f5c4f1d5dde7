"""Checking a file that a person wrote: every problem at once, each with its place.

One toolkit for every file ritual reads (preferences, history, calendar state, the
libraries), so they all fail the same way: exit 2, the file, the key, the line,
and a suggestion in one style. Nothing a file holds can turn into a traceback:

- ``read_text`` reads only a regular file (a FIFO would hang, a device never
  ends), at most ``max_bytes``, as UTF-8 (naming the line of the first bad byte),
  without a leading byte-order mark.
- ``parse_toml`` turns every way ``tomllib`` can fail into a problem: a syntax
  error with line and column, nesting too deep, an integer too long to convert.
- ``Lines`` finds where each key is, in one pass over the text, so checking a
  file with 50,000 problems stays linear in its size.
- ``Checker`` collects the problems and raises them together, in file order.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import FileProblemsError, Problem, WorkError, describe

# Suggestions cost a fuzzy match each; a runaway file gets them for its first problems only.
SUGGEST_LIMIT = 100


def did_you_mean(
    word: str, options: Iterable[str], *, prefix: str = "", full: Mapping[str, str] | None = None
) -> str:
    """``"did you mean checkin.day?"`` for the closest option, or ``""``: one style everywhere.

    ``prefix`` is put before the option (a table, for a key). The suggestion is written
    bare, as the user would type it in the file or on the command line. ``full``: the
    name to suggest for an option matched by a short one ("weekly" for "checkin/weekly").
    """
    # A fuzzy match is quadratic in the word's length: a runaway word matches nothing anyway.
    near = difflib.get_close_matches(word[:100], list(options), n=1, cutoff=0.6)
    if not near:
        return ""
    return f"did you mean {prefix}{full[near[0]] if full else near[0]}?"


def with_suggestion(message: str, word: str, options: Iterable[str], *, prefix: str = "") -> str:
    """``message``, then ``; did you mean X?`` when one option is close to ``word``."""
    tip = did_you_mean(word, options, prefix=prefix)
    return f"{message}; {tip}" if tip else message


def shown(value: object, limit: int = 40) -> str:
    """``value`` as a message quotes it: a long text cut short, a huge number not spelt out
    (turning one of more than 4,300 digits into text would itself fail)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value.bit_length() <= 64 else "a number far out of range"
    if isinstance(value, str) and len(value) > limit:
        return repr(value[:limit]) + "…"
    return repr(value)


# --------------------------------------------------------------------------- reading


def read_bytes(path: Path, what: str, max_bytes: int) -> bytes:
    """The bytes of a regular file, at most ``max_bytes`` (a file problem beyond that).

    Opened without blocking and checked with fstat, so a FIFO, a device or a socket at
    the path is refused instead of hanging or reading for ever. OS errors are
    ``WorkError`` (exit 1): the file is fine, the machine said no.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise WorkError(f"cannot read {what} {path}: it is a directory") from None
    except OSError as exc:
        raise WorkError(f"cannot read {what} {path}: {describe(exc)}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise WorkError(f"cannot read {what} {path}: it is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise WorkError(f"cannot read {what} {path}: it is {kind(info.st_mode)}, not a regular file")
        check_size(info.st_size, str(path), what, max_bytes)
        chunks = []
        size = 0
        while chunk := os.read(fd, 1 << 16):
            size += len(chunk)
            check_size(size, str(path), what, max_bytes)  # it may grow while we read
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise WorkError(f"cannot read {what} {path}: {describe(exc)}") from None
    finally:
        os.close(fd)


def kind(mode: int) -> str:
    """What a file that is not a regular file or a folder is, for a message."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def check_size(size: int, source: str, what: str, limit: int) -> None:
    """A file (``what``: "preferences file") of ``size`` bytes over ``limit`` is a file problem."""
    if size > limit:
        raise FileProblemsError(source, [Problem("", f"is {size} bytes; a {what} is at most {limit}")])


def decode(data: bytes, source: str) -> str:
    """UTF-8 text without a byte-order mark; a file problem naming the line otherwise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileProblemsError(
            source, [Problem("", "is not UTF-8 text", line=line)], hint="save the file as UTF-8"
        ) from None
    # Editors on Windows may prepend a byte-order mark; TOML itself does not allow it.
    return text.removeprefix("\ufeff")


def read_text(path: Path, what: str, max_bytes: int) -> str:
    """``read_bytes`` then ``decode``: the text of a file a person may have edited."""
    return decode(read_bytes(path, what, max_bytes), str(path))


def read_text_if_present(path: Path, what: str, max_bytes: int) -> str | None:
    """``read_text``, or None when nothing is at ``path`` (a dangling link is read, and refused)."""
    if not os.path.lexists(path):
        return None
    return read_text(path, what, max_bytes)


# --------------------------------------------------------------------------- TOML

_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_LONG_NUMBER = re.compile(r"\d{4000,}")
# int() refuses more than 4,300 digits (CVE-2020-10735): tomllib and jinja's compiler
# then fail with a ValueError. No setting or template has a use for such a number.
LONG_NUMBER = "a number is far too long (thousands of digits)"


def long_number_line(text: str) -> int | None:
    """The line of the first number in ``text`` too long for int(), if there is one."""
    found = _LONG_NUMBER.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def parse_toml(text: str, source: str, what: str, *, hint: str | None = None) -> dict[str, Any]:
    """``tomllib.loads``; any way it fails is a FileProblemsError (exit 2) with its place.

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
    except RecursionError:
        # tomllib recurses per nesting level; a hostile file can exhaust the stack.
        problem = Problem("", f"is nested too deeply to be a {what}")
    except ValueError:
        problem = Problem("", LONG_NUMBER, line=long_number_line(text))
    except Exception as exc:  # whatever else the parser trips on is still the file's fault
        problem = Problem("", f"cannot be read as TOML ({type(exc).__name__})")
    raise FileProblemsError(source, [problem], hint=hint) from None


# --------------------------------------------------------------------------- where keys are

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]\[#]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""")


def _parts(dotted_source: str) -> list[str]:
    return [p.strip("\"'") for p in _PART.findall(dotted_source)]


class Lines:
    """Where each key and table is in a TOML text, found in one pass.

    Keys are dotted paths as the checkers name them: ``checkin.time``; the Nth
    ``[[entry]]`` table is ``entry[N]`` (from 1), its keys ``entry[N].date``. Keys
    inside inline tables and arrays are not indexed: asking for one finds the line of
    the nearest enclosing key that is (``entry[3].commitments[2].text`` finds
    ``entry[3].commitments``), which is where a person would look.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.first: dict[str, int] = {}
        self.spans: dict[str, tuple[int, int]] = {}  # each table: its header to its last line
        counts: dict[str, int] = {}
        table = ""
        opened = 0
        multiline: str | None = None
        for number, line in enumerate(self.lines, start=1):
            if multiline is not None:  # inside a """ or ''' string: nothing here is a key
                if line.count(multiline) % 2 == 1:
                    multiline = None
                continue
            head = _HEADER.match(line)
            if head:
                if table:
                    self.spans[table] = (opened, number - 1)
                name = ".".join(_parts(head.group(2)))
                if head.group(1) == "[[":
                    counts[name] = counts.get(name, 0) + 1
                    name = f"{name}[{counts[name]}]"
                table, opened = name, number
                self.first.setdefault(name, number)
                continue
            key = _KEY.match(line)
            if key:
                dotted = ".".join(_parts(key.group(1)))
                self.first.setdefault(f"{table}.{dotted}" if table else dotted, number)
                rest = line[key.end() :]
                for quote in ('"""', "'''"):
                    if rest.count(quote) % 2 == 1:
                        multiline = quote
        if table:
            self.spans[table] = (opened, len(self.lines))

    def line(self, dotted: str) -> int | None:
        """The line of ``dotted``, else of the nearest enclosing key or table."""
        key = dotted
        while key:
            if key in self.first:
                return self.first[key]
            cut = max(key.rfind("."), key.rfind("["))
            key = key[:cut] if cut > 0 else ""
        return None

    def find(self, needle: str, within: str) -> int | None:
        """The first line of the table ``within`` that contains ``needle``."""
        span = self.spans.get(within)
        if span is None or not needle:
            return None
        for number in range(span[0], span[1] + 1):
            if needle in self.lines[number - 1]:
                return number
        return None


class Checker:
    """The problems of one file, each with its line; raised together, in file order."""

    def __init__(self, source: str, text: str = "", *, hint: str | None = None) -> None:
        self.source = source
        self.hint = hint
        self._text = text
        self._lines: Lines | None = None
        self.problems: list[Problem] = []

    @property
    def lines(self) -> Lines:
        if self._lines is None:  # only a file with a problem pays for the index
            self._lines = Lines(self._text)
        return self._lines

    def add(self, key: str, message: str, *, line: int | None = None, find: str | None = None) -> None:
        """A problem at ``key``: its line is ``line``, else where ``find`` appears
        inside ``key``'s table, else where the key (or its nearest parent) is."""
        if line is None and find:
            line = self.lines.find(find, key.split(".", 1)[0])
        if line is None and key:
            line = self.lines.line(key)
        self.problems.append(Problem(key, message, line=line))

    def unknown(self, key: str, allowed: Collection[str], *, find: str | None = None) -> None:
        """``key`` is not one of ``allowed`` (the keys of its table).

        The suggestion is what a person types: ``checkin.day`` for a table's key, but
        the bare ``status`` inside ``entry[3]`` (an array's element has no name to write).
        """
        table, _, leaf = key.rpartition(".")
        message = "unknown key"
        if len(self.problems) < SUGGEST_LIMIT:
            prefix = f"{table}." if table and not table.endswith("]") else ""
            message = with_suggestion(message, leaf, allowed, prefix=prefix)
        self.add(key, f"{message} (allowed here: {', '.join(allowed)})", find=find)

    def unknown_keys(
        self, at: str, table: Mapping[str, object], allowed: Collection[str], *, find_key: bool = False
    ) -> bool:
        """Every key of ``table`` (the table at ``at``; "" for the file itself) that is not
        one of ``allowed`` is a problem (``unknown``); True if there was one.

        ``find_key``: the table is inline, so each key is found by its own ``key =``.
        """
        found = False
        for key in table:
            if key not in allowed:
                self.unknown(f"{at}.{key}" if at else key, allowed, find=f"{key} =" if find_key else None)
                found = True
        return found

    def missing_keys(self, at: str, table: Mapping[str, object], required: Iterable[str]) -> None:
        """Each of ``required`` that ``table`` (at ``at``) lacks is a problem."""
        for key in required:
            if key not in table:
                self.add(f"{at}.{key}", "is missing")

    def __bool__(self) -> bool:
        return bool(self.problems)

    def error(self) -> FileProblemsError:
        # In the order of the file, so a person can fix them top to bottom.
        ordered = sorted(self.problems, key=lambda p: (p.line is None, p.line or 0))
        return FileProblemsError(self.source, ordered, hint=self.hint)

    def raise_if_any(self) -> None:
        if self.problems:
            raise self.error()
