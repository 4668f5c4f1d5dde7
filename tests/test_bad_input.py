"""Property tests: whatever a user (or a corrupted disk) hands us, the answer is a
valid configuration or a user-facing error with exit code 2, never a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ritualcli.cli import output
from ritualcli.cli.app import app
from ritualcli.core import preferences
from ritualcli.core import text as usertext
from ritualcli.core.errors import FileProblemsError

PROFILE = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Each CLI example runs a whole command: fewer of them keep the suite quick.
CLI_PROFILE = settings(max_examples=60, deadline=None)

KEYS = [k for table in preferences.SCHEMA.values() for k in table] + ["version", "from", "to", "note", "x"]
scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.sampled_from(["19:00", "25:00", "monday", "weekly", "Europe/Berlin", "Mars/Base", "-1", ""]),
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(KEYS), children, max_size=4)
    ),
    max_leaves=12,
)
tables = st.dictionaries(st.sampled_from(KEYS), values, max_size=6)
documents = st.dictionaries(
    st.sampled_from([*preferences.SCHEMA, "version", "extra"]), st.one_of(tables, values), max_size=8
)


def outcome(data: bytes) -> str:
    try:
        prefs = preferences.parse_bytes(data, source=Path("p.toml"))
    except FileProblemsError as exc:
        assert exc.problems and exc.exit_code == 2
        for problem in exc.problems:
            assert problem.render("p.toml")
        return "error"
    assert len(prefs.couple.partners) >= 2
    return "ok"


@PROFILE
@given(documents)
def test_any_toml_document_is_valid_or_a_user_error(doc: dict) -> None:
    try:
        data = tomli_w.dumps(doc).encode()
    except (TypeError, ValueError):  # a document TOML cannot express
        return
    outcome(data)


@PROFILE
@given(st.binary(max_size=2000))
def test_any_bytes_are_valid_or_a_user_error(data: bytes) -> None:
    outcome(data)


@PROFILE
@given(st.sampled_from([b"\xef\xbb\xbf", b"", b"\xff\xfe"]), st.text(max_size=200))
def test_boms_and_text(prefix: bytes, text: str) -> None:
    outcome(prefix + text.encode("utf-8", "surrogatepass"))


def test_deeply_nested_and_huge_files() -> None:
    assert outcome(b"x = " + b"[" * 100_000 + b"]" * 100_000) == "error"
    assert outcome(b"a = {" * 5000 + b"}" * 5000) == "error"
    assert outcome(b"# " + b"x" * 2_000_000) == "error"


# ---------------------------------------------------------------- CLI options


def run(args: list[str], env: dict[str, str] | None = None) -> int:
    result = CliRunner().invoke(app, args, env=env)
    # exit 2 (usage) or 0; anything else, or a non-SystemExit exception, is a crash
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code


@CLI_PROFILE
@given(st.text(max_size=20))
def test_any_date_flag(text: str) -> None:
    code = run(["plan", "--from", text, "--weeks", "1", "--format", "json"])
    try:
        day = dt.date.fromisoformat(text.strip())
        expected = {0} if preferences.FIRST_DATE <= day <= preferences.LAST_DATE else {2}
    except ValueError:
        expected = {2}
    assert code in expected


@CLI_PROFILE
@given(st.dates())
@example(dt.date(1, 1, 1))
@example(dt.date(9999, 12, 31))
@example(preferences.LAST_DATE)
@example(preferences.FIRST_DATE)
def test_any_date_from_year_1_to_9999(day: dt.date) -> None:
    """Dates near either end of the calendar are refused clearly, not a traceback midway."""
    in_range = preferences.FIRST_DATE <= day <= preferences.LAST_DATE
    assert run(["plan", "--from", day.isoformat(), "--weeks", "520", "--format", "json"]) == (
        0 if in_range else 2
    )
    assert run(["plan", "--weeks", "520"], env={"RITUAL_TODAY": day.isoformat()}) == (0 if in_range else 2)
    assert run(["agenda", "checkin", "--date", day.isoformat(), "--out", "-"]) in (
        (0, 2) if in_range else (2,)
    )


@CLI_PROFILE
@given(st.one_of(st.integers(), st.text(max_size=8)))
def test_any_number_flag(value: object) -> None:
    assert run(["plan", "--weeks", str(value), "--format", "json"]) in (0, 2)


@CLI_PROFILE
@given(st.text(max_size=12), st.text(max_size=30), st.text(max_size=30))
def test_any_init_values(time_text: str, name: str, zone: str) -> None:
    code = run(["init", "--yes", "--config", "/nonexistent-dir-for-ritual/x.toml", "--checkin-time", time_text,
                "--partner", name, "--partner", "Sam", "--timezone", zone])  # fmt: skip
    # every combination either fails as usage, or is valid and then fails to write (exit 1)
    assert code in (1, 2)


# ---------------------------------------------------------------- rendering text safely


@PROFILE
@given(st.text())
def test_terminal_text_has_no_control_or_bidi_characters(text: str) -> None:
    shown = output.clean(text)
    for ch in shown:
        assert ch in "\n\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F and not 0x80 <= ord(ch) < 0xA0)
        assert ch not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"


def test_clean_skips_only_text_with_nothing_to_escape() -> None:
    """clean() returns printable text untouched without its regex: safe only if every
    character the regex escapes is non-printable. Checked over all of Unicode."""
    everything = "".join(map(chr, range(0x110000)))
    escaped = set(usertext._unsafe().findall(everything))
    assert len(escaped) == 75  # C0 controls but newline and tab (30), DEL and C1 (33), 12 bidi marks
    assert not any(ch.isprintable() for ch in escaped)
    assert output.clean("Zoë \u202eevil\u202c\tx\ny") == "Zoë \\u202eevil\\u202c\tx\ny"
    assert output.clean("Sun 19:00–19:30\nfocus: Zoë 💛") == "Sun 19:00–19:30\nfocus: Zoë 💛"


@PROFILE
@given(st.text())
def test_markdown_escape_cannot_inject_structure(text: str) -> None:
    escaped = usertext.escape(text)
    assert "\n" not in escaped and "<" not in escaped and ">" not in escaped
    # every markup character is escaped
    for i, ch in enumerate(escaped):
        if ch in "*_[]`|~":
            assert i > 0 and escaped[i - 1] == "\\"
    assert not escaped.lstrip().startswith(("#", "-", "+", "=")) or escaped.lstrip().startswith("\\")


def test_markdown_escape_examples() -> None:
    assert usertext.escape("# Sam\n- <b>x</b> [a](http://e)") == (
        "\\# Sam - &lt;b&gt;x&lt;/b&gt; \\[a\\](http://e)"
    )
    assert usertext.escape("1. Zoë 💛") == "1\\. Zoë 💛"
    # the visible escape from clean() is itself escaped, so Markdown shows "\\u202e"
    assert usertext.escape("evil\u202etxt") == "evil\\\\u202etxt"
