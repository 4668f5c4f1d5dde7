"""The toolkit every file ritual reads goes through (core/filecheck.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ritualcli.core import filecheck
from ritualcli.core.errors import FileProblemsError, WorkError


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "ritual.toml"
    os.mkfifo(fifo)
    with pytest.raises(WorkError, match="named pipe"):
        filecheck.read_text(fifo, "preferences", 1000)


def test_a_device_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkError, match="a device, not a regular file"):
        filecheck.read_text(Path("/dev/zero"), "history", 1000)


def test_size_cap_and_missing_file(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * 2000)
    with pytest.raises(FileProblemsError) as info:
        filecheck.read_text(big, "history", 1000)
    assert info.value.problems[0].message == "is 2000 bytes; a history is at most 1000"
    with pytest.raises(WorkError, match="No such file"):
        filecheck.read_text(tmp_path / "absent.toml", "history", 1000)


def test_not_utf8_names_the_line_and_a_bom_is_dropped(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"a = 1\nb = 2\nc = '\xff'\n")
    with pytest.raises(FileProblemsError) as info:
        filecheck.read_text(bad, "preferences", 1000)
    assert info.value.problems[0].line == 3
    good = tmp_path / "bom.toml"
    good.write_bytes("\ufeffa = 1\n".encode())
    assert filecheck.read_text(good, "preferences", 1000) == "a = 1\n"


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("a = 1\nb = [\n", 3, "TOML syntax"),
        ("a = 1\nb = " + "9" * 5000 + "\n", 2, "far too long"),
        ("x = " + "[" * 5000 + "]" * 5000, None, "nested too deeply"),
    ],
    ids=["syntax", "huge integer", "deep nesting"],
)
def test_every_parse_failure_is_a_file_problem(text: str, line: int | None, says: str) -> None:
    with pytest.raises(FileProblemsError) as info:
        filecheck.parse_toml(text, "f.toml", "preferences file")
    (problem,) = info.value.problems
    assert says in problem.message
    if line is not None:
        assert problem.line == line


def test_lines_finds_keys_tables_and_array_entries_and_skips_multiline_strings() -> None:
    text = (
        'version = 1\n[checkin]\nnote = """\ntime = "fake"\n[fake]\n"""\ntime = "25:00"\n'
        "[[entry]]\ndate = 1\nratings = { A = 1 }\n[[entry]]\ndate = 2\n"
    )
    lines = filecheck.Lines(text)
    assert lines.line("checkin.time") == 7
    assert lines.line("fake") is None
    assert lines.line("entry[2].date") == 12
    assert lines.line("entry[1].ratings.A") == 10  # inside an inline table: the key's line
    assert lines.line("entry[2].commitments[1].text") == 11  # absent: the entry's header
    assert lines.find("ratings", "entry[1]") == 10


def test_checker_reports_in_file_order_with_one_suggestion_style() -> None:
    checker = filecheck.Checker("f.toml", "[checkin]\ndya = 1\ntime = 2\n", hint="fix it")
    checker.add("checkin.time", "bad time")
    checker.unknown("checkin.dya", ("day", "time"))
    err = checker.error()
    assert [p.line for p in err.problems] == [2, 3]
    assert err.problems[0].message.startswith(
        "unknown key; did you mean checkin.day? (allowed here: day, time)"
    )
    assert filecheck.did_you_mean("helld", ["held", "skipped"]) == "did you mean held?"


def test_a_key_in_an_array_element_is_suggested_bare_as_it_is_typed() -> None:
    text = (
        '[[entry]]\ndate = 1\n[[entry]]\nstauts = "held"\ncommitments = [\n  { id = "a", onwer = "b" },\n]\n'
    )
    checker = filecheck.Checker("h.toml", text)
    checker.unknown("entry[2].stauts", ("date", "status"))
    checker.unknown("entry[2].commitments[1].onwer", ("id", "owner"), find="onwer =")
    assert [p.render("h.toml") for p in checker.error().problems] == [
        "h.toml:4: entry[2].stauts: unknown key; did you mean status? (allowed here: date, status)",
        "h.toml:6: entry[2].commitments[1].onwer: unknown key; did you mean owner? (allowed here: id, owner)",
    ]


def test_a_file_with_thousands_of_problems_shows_the_first_screenful() -> None:
    keys = "".join(f"k{i} = 1\n" for i in range(5000))
    checker = filecheck.Checker("f.toml", "[t]\n" + keys)
    for i in range(5000):
        checker.unknown(f"t.k{i}", ("a", "b"))
    lines = checker.error().lines()
    assert lines[0] == "error: f.toml: 5000 problems"
    assert lines[-1] == "  … and 4950 more"
    assert lines[1] == "  f.toml:2: t.k0: unknown key (allowed here: a, b)"


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=8),
        st.one_of(
            st.text(max_size=20),
            st.integers(),
            st.booleans(),
            st.dates(),
            st.lists(st.text(max_size=5), max_size=3),
            st.dictionaries(st.text(min_size=1, max_size=4), st.integers(), max_size=2),
        ),
        max_size=5,
    )
)
def test_written_toml_reads_back_exactly(doc: dict[str, object]) -> None:
    import tomllib

    from ritualcli.core import tomlwrite

    text = "".join(f"{tomlwrite.key(k)} = {tomlwrite.value(v)}\n" for k, v in doc.items())
    assert tomllib.loads(text) == doc


def test_a_huge_key_name_is_shortened_in_the_message() -> None:
    name = "k" * 500_000
    checker = filecheck.Checker("f.toml", f"[t]\n{name} = 1\n")
    checker.unknown(f"t.{name}", ("a",))
    (line,) = checker.error().lines()[1:]
    assert len(line) < 200 and line.startswith("  f.toml:2: t.kkk") and "…:" in line
