"""What ritual prints, and where it goes wrong: help and --version; at a real terminal, a
table or a formatted agenda (colour unless NO_COLOR, plain lines for TERM=dumb), markup in
a name shown and never obeyed, no control or bidi character; a full disk, a reader that
left, a closed stream, a locale that cannot show a dash.

Most run the installed `ritual` in a subprocess (or at a pseudo-terminal, with pexpect):
standard streams are what is being tested.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import COUPLE, Invoke
from ritualcli import __version__
from ritualcli.cli import output

RITUAL = Path(sys.executable).with_name("ritual")


MARKUP_NAMES = ["[link=https://evil.example]Alex[/link]", "[blink]Sam[/]"]


# an SGR foreground colour (30-38, 90-97), not bold (1) or italic (3)
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])[;m]")


def env(home: Path, **extra: str) -> dict[str, str]:
    """A bare environment; the session's cache folder spares each run compiling the library."""
    base = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "RITUAL_TODAY": "2026-11-23"}
    return base | {"XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]} | extra


def run(home: Path, args: list[str], **kw: object) -> subprocess.CompletedProcess[bytes]:
    """`ritual ARGS`, its streams piped unless given."""
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE} | kw
    today = str(streams.pop("today", "2026-11-23"))
    return subprocess.run(  # type: ignore[call-overload,no-any-return]
        [str(RITUAL), *args], env=env(home, RITUAL_TODAY=today), timeout=120, check=False, **streams
    )


# --------------------------------------------------------------------------- help and version


def test_version(cli: Invoke) -> None:
    assert cli("--version").stdout.strip() == f"ritual {__version__}"


def test_no_args_shows_help(cli: Invoke) -> None:
    # bare `ritual` is a usage mistake: help on stderr, exit 2 (click's convention)
    result = cli(code=2)
    assert "Usage: ritual" in result.stderr and "plan" in result.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["plan", "--format", "csv"], "Invalid value for '--format' / '-f': 'csv' is not one of"),
        (["plan", "--weeks", "abc"], "'abc' is not a valid int"),
        (["stats", "--bogus"], "No such option: --bogus"),
        (["bogus"], "No such command 'bogus'"),
        (["init", "--yes", "--partner", "A", "--partner", "B", "--budget", "-5"], "-5 is not in the range"),
    ],
)
def test_a_bad_option_unattended_is_one_line_like_every_error(
    cli: Invoke, args: list[str], said: str
) -> None:
    """Cron mails stderr: one line, `error: … (hint: …)`, exit 2; Typer's usage block only
    at a terminal."""
    (line,) = cli(*args, code=2).stderr.splitlines()
    assert line.startswith("error: ") and said in line and "--help`)" in line, line


@pytest.mark.parametrize(
    ("args", "said", "where"),
    [
        (["--bogus", "plan"], "No such option: --bogus", "ritual"),  # ritual's own options
        (["-c"], "Option '-c' requires an argument.", "ritual"),
        (["plan", "--weeks"], "Option '--weeks' requires an argument.", "ritual plan"),
        (["export", "ics", "--out"], "Option '--out' requires an argument.", "ritual export ics"),
        (["done"], "Missing argument 'checkin|date-night'. Choose from: checkin, date-night", "ritual done"),
    ],
)
def test_every_usage_error_unattended_is_one_line_naming_the_commands_help(
    cli: Invoke, args: list[str], said: str, where: str
) -> None:
    """The root's options too, a Choice's list of values too, and the hint names the command
    the error is in even when the parser does not say (an option missing its value)."""
    (line,) = cli(*args, code=2).stderr.splitlines()
    assert line == f"error: {said} (hint: see `{where} --help`)", line


def test_a_group_without_its_command_still_shows_its_help(cli: Invoke) -> None:
    result = cli("export", code=2)
    assert "Usage: ritual export" in result.stderr and "ics" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["plan"],
        ["init"],
        ["config", "edit"],
        ["config", "validate"],
        ["export", "ics"],
        ["agenda"],
        ["weekly"],
    ],
)
def test_every_command_explains_its_options(cli: Invoke, args: list[str]) -> None:
    text = cli(*args, "--help").stdout
    assert "--config" in text
    assert "Usage: ritual" in text


# --------------------------------------------------------------------------- at a terminal


def at_terminal(home: Path, *args: str, **extra: str) -> tuple[int, str]:
    """`ritual ARGS` at a pseudo-terminal 120 columns wide: its exit code and what it showed."""
    terminal = env(home, **({"TERM": "xterm-256color", "COLUMNS": "120"} | extra))
    child = pexpect.spawn(
        str(RITUAL), list(args), env=terminal,
        encoding="utf-8", dimensions=(50, 120), timeout=120,
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus or 0, child.before or ""


def shown_at_terminal(home: Path, *args: str, **extra: str) -> str:
    code, shown = at_terminal(home, *args, **extra)
    assert code == 0, shown
    return shown


def test_terminal_gets_a_coloured_table(tmp_path: Path) -> None:
    shown = shown_at_terminal(tmp_path, "plan", "--from", "2026-11-23")
    assert "Rituals for Alex & Sam" in shown
    assert COLOUR.search(shown)
    assert "━" in shown or "─" in shown or "┃" in shown  # a drawn table


def test_no_color_keeps_the_table_without_colour(tmp_path: Path) -> None:
    shown = shown_at_terminal(tmp_path, "plan", "--from", "2026-11-23", NO_COLOR="1")
    assert "Rituals for Alex & Sam" in shown
    assert not COLOUR.search(shown)


def test_dumb_terminal_gets_plain_lines(tmp_path: Path) -> None:
    shown = shown_at_terminal(tmp_path, "plan", "--from", "2026-11-23", TERM="dumb")
    assert "\x1b[" not in shown
    assert "Sun 2026-11-29  19:00–19:30 EST    Check-in" in shown


def test_an_agenda_at_a_terminal_is_formatted_not_markdown(tmp_path: Path) -> None:
    shown = shown_at_terminal(tmp_path, "agenda", "checkin", "--date", "2026-11-29", NO_COLOR="1")
    assert "Appreciations" in shown and "Alex" in shown
    assert "\\_" not in shown and "## " not in shown and "**" not in shown
    # Asked for the Markdown itself (--out -), a terminal gets it as it is.
    raw = shown_at_terminal(tmp_path, "agenda", "checkin", "--date", "2026-11-29", "--out", "-")
    assert "## Appreciations" in raw and "\\_\\_ / 10" in raw


def test_markup_in_names_is_shown_not_obeyed_at_a_terminal(tmp_path: Path) -> None:
    config = tmp_path / "ritual.toml"
    names = ", ".join(f'"{n}"' for n in MARKUP_NAMES)
    config.write_text(COUPLE.replace('["Alex", "Sam"]', f"[{names}]"), encoding="utf-8")
    rated = run(tmp_path, ["--config", str(config), "done", "checkin", "--date", "2026-11-29",
                           "--rating", f"{MARKUP_NAMES[0]}=7", "--rating", f"{MARKUP_NAMES[1]}=8"],
                today="2026-12-01")  # fmt: skip
    assert rated.returncode == 0, rated.stderr
    for command in (["plan", "--from", "2026-11-23"], ["stats"]):
        code, shown = at_terminal(tmp_path, *command, RITUAL_CONFIG=str(config), RITUAL_TODAY="2026-12-01")
        assert code == 0, shown
        assert "\x1b[" in shown  # rich did draw: the test looks at a real terminal's output
        assert "\x1b]8;" not in shown  # no OSC 8 hyperlink
        assert "\x1b[5m" not in shown and ";5m" not in shown  # no blink
        assert "Traceback" not in shown and "MarkupError" not in shown
        assert "[link=https://evil.example]Alex[/link]" in shown and "[blink]Sam[/]" in shown


def test_an_unclosed_tag_in_a_name_is_not_an_error(tmp_path: Path) -> None:
    config = tmp_path / "ritual.toml"
    config.write_text(COUPLE.replace('["Alex", "Sam"]', '["Alex[/]", "Sam"]'), encoding="utf-8")
    code, shown = at_terminal(tmp_path, "plan", RITUAL_CONFIG=str(config), RITUAL_TODAY="2026-12-01")
    assert code == 0 and "Rituals for Alex[/] & Sam" in shown and "Traceback" not in shown


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"


def safe_to_show(ch: str) -> bool:
    """Not a control character (C0 but newline and tab, DEL, C1), nor a bidi mark."""
    code = ord(ch)
    control = (code < 0x20 and ch not in "\n\t") or code == 0x7F or 0x80 <= code < 0xA0
    return not control and ch not in BIDI


@settings(max_examples=150)
@given(st.text())
def test_terminal_text_has_no_control_or_bidi_characters(text: str) -> None:
    assert all(safe_to_show(ch) for ch in output.clean(text))


def test_printable_text_is_shown_as_it_is_and_the_rest_as_its_code() -> None:
    """Over all of Unicode: what is printable (and newline, tab) is left alone; a control
    character or a bidi mark is shown as its code."""
    everything = "".join(map(chr, range(0x110000)))
    printable = "".join(ch for ch in everything if ch.isprintable() or ch in "\n\t")
    assert output.clean(printable) == printable
    assert all(safe_to_show(ch) for ch in output.clean(everything))
    assert output.clean("Zoë \u202eevil\u202c\tx\ny") == "Zoë \\u202eevil\\u202c\tx\ny"
    assert output.clean("Sun 19:00–19:30\nfocus: Zoë 💛") == "Sun 19:00–19:30\nfocus: Zoë 💛"


# --------------------------------------------------------------------------- when writing fails


COMMANDS = [["plan"], ["--help"], ["--version"], ["plan", "--help"], ["agenda", "checkin"],
            ["export", "ics", "--out", "-"], ["config", "path"], ["practices"]]  # fmt: skip


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(tmp_path: Path, args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = run(tmp_path, args, stdout=full, stderr=subprocess.PIPE)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    errors = [line for line in err.splitlines() if not line.startswith("note: ")]
    assert errors == ["error: cannot write the output: no space left on the device"]


@pytest.mark.parametrize("args", [*COMMANDS, ["plan", "--weeks", "520"]], ids=" ".join)
def test_a_reader_that_left_gets_silence(tmp_path: Path, args: list[str]) -> None:
    """`ritual plan | head -1`: the pipe has no reader when ritual writes (made so
    before it starts, so the test does not race), and stderr says nothing at all."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = run(tmp_path, args, stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    err = done.stderr.decode()
    assert done.returncode == 1
    assert [line for line in err.splitlines() if not line.startswith("note: ")] == [], err


def test_closed_streams_are_exit_1_without_a_traceback(tmp_path: Path) -> None:
    no_stdout = run(tmp_path, ["plan"], stdout=subprocess.DEVNULL)
    assert no_stdout.returncode == 0  # the control: devnull is a fine place to write
    code = "import os, sys; os.close(1); os.execv(sys.argv[1], sys.argv[1:])"
    closed = subprocess.run(
        [sys.executable, "-c", code, str(RITUAL), "plan"],
        env=env(tmp_path), stderr=subprocess.PIPE, timeout=120, check=False,
    )  # fmt: skip
    assert closed.returncode == 1
    assert (
        closed.stderr.decode().splitlines()[-1] == "error: cannot write the output: standard output is closed"
    )
    both = "import os, sys; os.close(1); os.close(2); os.execv(sys.argv[1], sys.argv[1:])"
    done = subprocess.run([sys.executable, "-c", both, str(RITUAL), "plan"], env=env(tmp_path), timeout=120)
    assert done.returncode == 1


def test_a_locale_that_cannot_show_a_dash_still_gets_the_plan(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(RITUAL), "plan"],
        env=env(tmp_path, PYTHONIOENCODING="latin-1"), capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert b"19:00\\u201319:30" in done.stdout  # "–", shown as its code
