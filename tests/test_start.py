"""`ritual start` at a real pseudo-terminal, with the clock pinned (RITUAL_NOW: time moves only on `+`).

The full screen is driven with keys; the plain flow (TERM=dumb, NO_COLOR) with lines.
What it records is compared with what `ritual done` writes from the same answers as flags.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import textwrap
from pathlib import Path

import pexpect
import pytest

from conftest import COUPLE, Invoke
from ritualcli.core import history

TODAY = "2026-12-06"  # a Sunday: the couple's check-in day
# Every escape sequence a terminal program sends: CSI (colours, cursor), OSC (links, titles), charset.
ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")


def folder(root: Path, name: str) -> Path:
    """A preferences file and a history: one check-in held on 2026-11-29, one topic queued."""
    config = root / name / "ritual.toml"
    config.parent.mkdir()
    config.write_text(textwrap.dedent(COUPLE), encoding="utf-8")
    os.chmod(config, 0o600)
    history.record(
        config.parent,
        history.Draft("checkin", dt.date(2026, 11, 29), ratings=(("Alex", 6), ("Sam", 7)),
                      commitments=(("Sam", "call my sister"),)),
    )  # fmt: skip
    history.add_topic(config.parent, "the holidays", "Sam", dt.date.fromisoformat(TODAY))
    return config


def files(config: Path) -> dict[str, bytes]:
    """The history's own files (not the undo journal or the index, which keep times)."""
    return {p.name: p.read_bytes() for p in sorted((config.parent / "history").glob("*.toml"))}


def spawn(config: Path, *args: str, term: str = "xterm-256color", **env: str) -> pexpect.spawn:
    base = {**os.environ, "RITUAL_CONFIG": str(config), "RITUAL_TODAY": TODAY, "RITUAL_NOW": f"{TODAY}T19:00"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "ritualcli", "start", *args],
        env={**base, "TERM": term, **env},
        encoding="utf-8",
        timeout=15,
        dimensions=(40, 120),
    )
    # No pause before each key: every answer waits for its own prompt (see ``rating``).
    child.delaybeforesend = None
    return child


def shown(text: object) -> str:
    return ANSI.sub("", str(text))


def answer(child: pexpect.spawn, prompt: str, text: str) -> str:
    """Wait for ``prompt``, type ``text`` and Enter; what the terminal showed before the prompt."""
    child.expect_exact(prompt)
    before = shown(child.before)
    child.send(text + "\r")
    return before


def key(child: pexpect.spawn, wait_for: str, keys: str = "\r") -> None:
    child.expect_exact(wait_for)
    child.send(keys)


def ended(child: pexpect.spawn) -> tuple[int, str]:
    child.expect(pexpect.EOF)
    out = shown(child.before)
    child.close()
    return child.exitstatus, out


def rating(name: str) -> str:
    """The hidden prompt, to its last space: getpass prints that after it stops the echo
    and drops what was typed before, so an answer is sent only once it is there."""
    return f"{name}: how safe did you feel to be open this week? (1-10, not shown; Enter to skip): "


def rate_both(child: pexpect.spawn, alex: str, sam: str) -> None:
    """At the ratings section: each rating typed unseen, then both shown together."""
    key(child, "your ratings, each typed unseen")
    answer(child, "Pass the keyboard to Alex, then press Enter", "")
    answer(child, rating("Alex"), alex)
    after_alex = answer(child, "Pass the keyboard to Sam, then press Enter", "")
    assert alex not in after_alex  # not echoed
    answer(child, rating("Sam"), sam)
    child.expect_exact(f"All in. Ratings: Alex {alex}, Sam {sam}.")
    assert sam not in shown(child.before)


# --------------------------------------------------------------------------- full screen


def test_a_checkin_walked_to_the_end_records_what_done_records_from_flags(
    tmp_path: Path, cli: Invoke
) -> None:
    started, flagged = folder(tmp_path, "start"), folder(tmp_path, "done")
    child = spawn(started)
    key(child, "part 1 of 6")
    child.expect_exact("part 2 of 6")
    child.expect_exact("Since last time")
    rate_both(child, "7", "9")
    answer(child, "Sam: “call my sister” (c-2026-11-29-1): kept, partly, not yet, or let go?", "k")
    key(child, "✓ ratings Alex 7, Sam 9 · “call my sister” kept")  # both, once both are in
    key(child, "part 3 of 6")  # today's practice
    child.expect_exact("part 4 of 6")  # a topic, in turns
    key(child, "Sam speaks · Alex listens and reflects back")
    key(child, "Alex speaks · Sam listens and reflects back")
    answer(child, "Which did you talk about? (numbers, or Enter for none)", "1")
    key(child, "talked about the holidays")
    key(child, "part 5 of 6", "\r")  # one commitment each: Enter asks
    answer(child, "Alex: one small thing you will do before the next check-in", "cook on Friday")
    answer(child, "Sam: one small thing you will do before the next check-in", "we: book the holidays")
    key(child, "commitments Alex: cook on Friday; both: book the holidays")
    key(child, "A note on safety")
    key(child, "That's the whole agenda")
    answer(child, "A private note", "")
    code, out = ended(child)
    assert code == 0, out
    assert "Recorded the check-in of Sun 2026-12-06 as held." in out
    assert "ratings: saved for Alex and Sam" in out and "`ritual undo` takes this back." in out

    cli(
        "done", "checkin", "--date", TODAY, "--rating", "Alex=7", "--rating", "Sam=9",
        "--kept", "c-2026-11-29-1", "--discussed", "t-2026-12-06-1",
        "--commit", "Alex: cook on Friday", "--commit", "we: book the holidays",
        env={"RITUAL_CONFIG": str(flagged), "RITUAL_TODAY": TODAY},
    )  # fmt: skip
    assert files(started) == files(flagged)


def test_q_halfway_asks_and_records_nothing_when_told_no(tmp_path: Path) -> None:
    config = folder(tmp_path, "q")
    before = files(config)
    child = spawn(config)
    key(child, "part 1 of 6")
    rate_both(child, "3", "8")
    answer(child, "kept, partly, not yet, or let go?", "n")
    key(child, "✓ ratings Alex 3, Sam 8", "q")
    answer(child, "Leaving at part 2 of 6 (so far: ratings). Record it as held? [y/N]", "")
    code, out = ended(child)
    assert code == 0, out
    assert "Nothing recorded." in out
    assert files(config) == before


def test_ctrl_c_at_a_hidden_rating_then_again_leaves_everything_as_it_was(tmp_path: Path) -> None:
    config = folder(tmp_path, "ctrl-c")
    before = files(config)
    child = spawn(config)
    key(child, "part 1 of 6")
    key(child, "your ratings, each typed unseen")
    answer(child, "Pass the keyboard to Alex, then press Enter", "")
    key(child, rating("Alex"), "\x03")
    key(child, "Record what you have so far before leaving?", "\x03")
    code, out = ended(child)
    assert code == 130, out
    assert "interrupted: nothing recorded" in out
    assert files(config) == before
    assert not list((config.parent / "history").glob(".*.tmp*"))  # nothing half-written


def test_ctrl_c_records_what_there_is_only_when_confirmed(tmp_path: Path) -> None:
    config = folder(tmp_path, "confirmed")
    child = spawn(config)
    key(child, "part 1 of 6")
    rate_both(child, "5", "6")
    answer(child, "kept, partly, not yet, or let go?", "p")
    key(child, "✓ ratings Alex 5, Sam 6", "\x03")
    answer(child, "Record what you have so far before leaving?", "y")
    code, out = ended(child)
    assert code == 0, out
    e = history.load(config.parent).entries[-1]
    assert (e.date, e.ratings, e.partly, e.commitments) == (dt.date(2026, 12, 6), (("Alex", 5), ("Sam", 6)),
                                                           ("c-2026-11-29-1",), ())  # fmt: skip


def test_the_clock_counts_down_gently_and_never_moves_on_by_itself(tmp_path: Path) -> None:
    child = spawn(folder(tmp_path, "clock"))
    key(child, "part 1 of 6")
    key(child, "5:00 left of 5 min", "+")  # the pinned clock: one minute per +
    key(child, "4:00 left of 5 min", "p")
    key(child, "Paused: the clock stands still", "+")
    key(child, "Paused: the clock stands still", "p")  # paused, + moved nothing
    key(child, "4:00 left of 5 min", "++++")
    child.expect_exact("Time's up for this part. Finish your thought; Enter moves on when you're ready.")
    child.expect_exact("5:00 so far · 25:00 left of 30 min")
    assert "\x07" not in shown(child.before)  # a cue, not a bell
    child.setwinsize(30, 90)  # a resize redraws at once, with no key pressed…
    key(child, "part 2 of 6", "q")  # …still here: time shows, it never moves the couple on
    answer(child, "Record it as held? [y/N]", "")
    assert ended(child)[0] == 0


def test_a_repair_offers_a_twenty_minute_break_one_key_away(tmp_path: Path) -> None:
    child = spawn(folder(tmp_path, "repair"), "repair")
    key(child, "part 1 of 7")
    key(child, "1. What each of you felt", "p")
    child.expect_exact("A break of 20 minutes.")
    key(child, "Break: 20:00 left", "+")
    key(child, "Break: 19:00 left", "\r")  # Enter: back to the repair, where they were
    key(child, "What each of you felt", "q")
    code, out = ended(child)
    assert code == 0 and "Nothing is recorded for a repair" in out


# --------------------------------------------------------------------------- line by line


def test_a_date_night_draws_its_prompts_one_at_a_time_never_twice(tmp_path: Path, cli: Invoke) -> None:
    config = folder(tmp_path, "date")
    agenda = cli("agenda", "date-night", env={"RITUAL_CONFIG": str(config), "RITUAL_TODAY": TODAY}).stdout
    listed = re.findall(r"^\d+\. (.+)$", agenda, flags=re.M)
    child = spawn(config, "date-night", term="dumb")
    for part in ("Before you start", "Tonight:", "Phones away"):
        child.expect_exact(part)
        key(child, "> ")
    drawn = []
    for number in range(1, 41):
        child.expect(rf"Question {number}(?: \(the last in the deck\))?: ([^\r\n]+)")
        drawn.append(child.match.group(1))
        key(child, "> ", "n\r")
    key(child, "> ", "q\r")
    answer(child, "Record it as held? [y/N]", "")
    code, out = ended(child)
    assert code == 0
    assert drawn[: len(listed)] == listed  # first the agenda's own, in its order
    assert len(set(drawn)) == len(drawn) == 40
    assert "\x1b" not in str(child.before) + out


def test_no_color_gives_the_same_flow_line_by_line(tmp_path: Path) -> None:
    config = folder(tmp_path, "plain")
    child = spawn(config, NO_COLOR="1")
    child.expect_exact("== Before you start · part 1 of 6 ==")
    key(child, "> ")
    child.expect_exact("== Since last time (5 min) · part 2 of 6 ==")
    key(child, "> ", "+\r")
    child.expect_exact("4:00 left of 5 min · 1:00 so far · 29:00 left of 30 min")
    key(child, "> ", "\r")  # Enter: the ratings
    answer(child, "Pass the keyboard to Alex, then press Enter", "")
    answer(child, rating("Alex"), "4")
    after = answer(child, "Pass the keyboard to Sam, then press Enter", "")
    assert "4" not in after
    answer(child, rating("Sam"), "")
    child.expect_exact("All in. Ratings: Alex 4 (skipped: Sam).")
    answer(child, "kept, partly, not yet, or let go?", "l")
    key(child, "✓ ratings Alex 4 · “call my sister” let go")
    key(child, "> ", "q\r")
    answer(child, "Record it as held? [y/N]", "y")
    code, out = ended(child)
    assert code == 0, out
    assert "\x1b" not in out
    e = history.load(config.parent).entries[-1]
    assert (e.ratings, e.kept, e.partly) == ((("Alex", 4),), (), ())


def test_without_a_terminal_it_names_the_commands_for_scripts(cli: Invoke, write_config: object) -> None:
    r = cli("start", code=2)
    assert "`ritual start` runs the ritual with the two of you at a terminal" in r.stderr
    assert "`ritual agenda checkin`" in r.stderr and "`ritual done checkin" in r.stderr
    r = cli("start", "date-night", code=2)
    assert "`ritual agenda date-night`" in r.stderr and "`ritual done date-night" in r.stderr


@pytest.mark.parametrize("kind", ["checkin", "date-night"])
def test_it_starts_nothing_for_the_example_couple(tmp_path: Path, kind: str) -> None:
    child = spawn(tmp_path / "none" / "ritual.toml", kind)
    code, out = ended(child)
    assert code == 2 and "`ritual start` records the ritual into your own history" in out
