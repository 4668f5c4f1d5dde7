"""Fuzzing the files ritual reads (issue 17): valid preferences, history and calendar
state, mutated byte by byte and value by value, go through the real CLI. Every run
ends with exit 0 or 2, never a traceback.

About 2,300 examples a run, in-process (CliRunner), time-boxed by max_examples: a
few milliseconds each, under 20 s of CPU in all. Hypothesis picks new examples every run and prints the blob
that reproduces a failure.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from ritualcli.cli.app import app
from ritualcli.core import preferences

TODAY = "2026-12-20"
FUZZ = settings(
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def invoke(args: tuple[str, ...] | list[str], env: dict[str, str]) -> Result:
    return CliRunner().invoke(app, list(args), env=env)


def ends_well(result: Result, args: tuple[str, ...]) -> None:
    import traceback

    crash = result.exception is not None and not isinstance(result.exception, SystemExit)
    detail = "".join(traceback.format_exception(result.exception)) if crash and result.exception else ""
    assert not crash and result.exit_code in (0, 2), (
        f"ritual {' '.join(args)} exited {result.exit_code}\n{result.stderr}\n{detail}"
    )
    assert "Traceback" not in result.stderr


class Couple:
    """A couple's folder with every file filled in, made once; each example rewrites one file."""

    def __init__(self, root: Path) -> None:
        self.folder = root / "cfg"
        self.folder.mkdir()
        self.prefs = self.folder / "ritual.toml"
        self.history = self.folder / "history" / "2026.toml"  # one file per year
        self.topics = self.folder / "history" / "topics.toml"
        self.state = self.folder / "calendar-state.toml"
        self.ics = root / "rituals.ics"
        self.prefs.write_text(preferences.EXAMPLE_TOML, encoding="utf-8")
        self.env = {"RITUAL_CONFIG": str(self.prefs), "RITUAL_TODAY": TODAY}
        for args in (
            ["done", "checkin", "--date", "2026-11-29", "--rating", "Alex=7", "--rating", "Sam=4",
             "--commit", "Alex: call mum", "--commit", "Sam: fix the shelf", "--note", "private"],
            ["skip", "date-night", "--date", "2026-12-04", "--reason", "sick"],
            ["done", "checkin", "--date", "2026-12-06", "--rating", "Alex=8", "--rating", "Sam=6",
             "--commit", "Sam: a walk"],
            ["topic", "add", "who cooks on weekdays", "--by", "Sam"],
            ["export", "ics", "--out", str(self.ics)],
        ):  # fmt: skip
            result = invoke(args, self.env)
            assert result.exit_code == 0, result.stderr
        self.good = {path: path.read_bytes() for path in (self.prefs, self.history, self.topics, self.state)}

    def run(self, path: Path, data: bytes, commands: list[tuple[str, ...]]) -> None:
        for original, text in self.good.items():
            original.write_bytes(data if original == path else text)
        for args in commands:
            ends_well(invoke(args, self.env), args)


@pytest.fixture(scope="module")
def couple() -> Iterator[Couple]:
    with tempfile.TemporaryDirectory() as root:
        yield Couple(Path(root))


# --------------------------------------------------------------------------- mutations

SNIPPETS = [
    b"\x00", b"\xff", b"\xe9", b"\r", b"\x1b[5m", "\u202e".encode(), b"\xef\xbb\xbf", b"9" * 4400,
    b"[" * 1200, b"]", b'"""', b"'''", b"'", b'"', b"=", b"{", b"}", b"#", b",", b"\\", b"\\u0000",
    b"[[entry]]\n", b"\n[checkin]\n", b"\n[couple]\n", b"-1", b"99999999999999999999999", b"nan",
    b"-inf", b"1e400", b"0001-01-01T00:00:00+14:00", b"9999-12-31T23:59:59-12:00", b"0000-00-00",
    b"2026-02-30", b"24:00", b"true", b"[]", b"{}", b"x.y.z = 1\n", "Zoë\u200b".encode(),
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with a few byte-level changes: flips, cuts, repeats, hostile snippets."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["flip", "insert", "delete", "snippet", "repeat-line", "truncate"]))
        if op == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "snippet":
            data[at:at] = draw(st.sampled_from(SNIPPETS))
        elif op == "repeat-line":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            line = bytes(data[start : end + 1 if end >= 0 else len(data)])
            data[start:start] = line * draw(st.integers(1, 3))
        elif op == "truncate":
            del data[at:]
    return bytes(data)


OFFSETS = [dt.UTC, dt.timezone(dt.timedelta(hours=14)), dt.timezone(dt.timedelta(hours=-12))]
values = st.one_of(
    st.integers(min_value=-(2**64), max_value=2**64),
    st.sampled_from([0, -1, 1, 2**31, 2**31 - 1, 10**400, 10**4000, -(10**4000)]),
    st.floats(),
    st.booleans(),
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\u200b",
            "\u202e",
            "[blink]x[/]",
            "# h",
            "25:00",
            "Mars/Base",
            "-1",
            "monday",
            "weekly",
            "deep",
            "home",
            "x" * 5000,
        ]
    ),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(timezones=st.sampled_from(OFFSETS)),
    st.datetimes(),
    st.times(),
    st.lists(st.one_of(st.text(max_size=10), st.integers(), st.dates()), max_size=4),
    st.dictionaries(st.sampled_from(["from", "to", "note", "x", "Alex"]), st.integers(-5, 20), max_size=3),
)


def paths(doc: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key (and list index) in a parsed TOML document, tables and lists included."""
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for key, value in items:
        yield (*prefix, key)
        yield from paths(value, (*prefix, key))


@st.composite
def revalued(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` parsed, with a key given a hostile value, removed, or added, and written again."""
    doc = tomllib.loads(base.decode("utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        keys = list(paths(doc))
        if not keys:  # everything deleted already
            break
        where = draw(st.sampled_from(keys))
        parent = doc
        for key in where[:-1]:
            parent = parent[key]
        op = draw(st.sampled_from(["set", "set", "set", "delete", "add"]))
        if op == "delete" and isinstance(parent, dict):
            del parent[where[-1]]
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["x", "Version", "sequence", "ratings", "dayy"]))] = draw(values)
        else:
            parent[where[-1]] = draw(values)
    try:
        return tomli_w.dumps(doc).encode("utf-8")
    except (TypeError, ValueError):  # a value TOML cannot hold: the file as it was
        return base


# --------------------------------------------------------------------------- the fuzz tests

PREFS_COMMANDS = [("plan",), ("agenda", "checkin"), ("agenda", "date-night")]
HISTORY_COMMANDS = [("agenda", "checkin"), ("stats",), ("commitments",)]
# Each example runs two of these (~3-5 ms each): ~2,300 examples, under 20 s of CPU.


def test_the_base_files_are_valid(couple: Couple) -> None:
    couple.run(couple.prefs, couple.good[couple.prefs], PREFS_COMMANDS)
    assert b"[[entry]]" in couple.good[couple.history] and b"sequence" in couple.good[couple.state]


@settings(FUZZ, max_examples=650)
@given(data=st.data())
def test_mutated_preferences_bytes(couple: Couple, data: st.DataObject) -> None:
    couple.run(couple.prefs, data.draw(mutated(couple.good[couple.prefs])), PREFS_COMMANDS[:2])


@settings(FUZZ, max_examples=600)
@given(data=st.data())
def test_mutated_preferences_values(couple: Couple, data: st.DataObject) -> None:
    couple.run(couple.prefs, data.draw(revalued(couple.good[couple.prefs])), PREFS_COMMANDS[::2])


@settings(FUZZ, max_examples=400)
@given(data=st.data())
def test_mutated_history_bytes(couple: Couple, data: st.DataObject) -> None:
    couple.run(couple.history, data.draw(mutated(couple.good[couple.history])), HISTORY_COMMANDS[:2])


@settings(FUZZ, max_examples=400)
@given(data=st.data())
def test_mutated_history_values(couple: Couple, data: st.DataObject) -> None:
    couple.run(couple.history, data.draw(revalued(couple.good[couple.history])), HISTORY_COMMANDS[::2])


@settings(FUZZ, max_examples=150)
@given(data=st.data())
def test_mutated_topics(couple: Couple, data: st.DataObject) -> None:
    base = couple.good[couple.topics]
    changed = data.draw(st.one_of(mutated(base), revalued(base)))
    couple.run(couple.topics, changed, [("topic", "list"), ("agenda", "checkin")])


@settings(FUZZ, max_examples=250)
@given(data=st.data())
def test_mutated_calendar_state(couple: Couple, data: st.DataObject) -> None:
    base = couple.good[couple.state]
    changed = data.draw(st.one_of(mutated(base), revalued(base)))
    couple.run(couple.state, changed, [("export", "ics", "--out", str(couple.ics))])
