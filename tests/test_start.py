"""`ritual start` at a real pseudo-terminal, with the clock pinned (RITUAL_NOW: time moves only on `+`).

The full screen is driven with keys; the plain flow (TERM=dumb, NO_COLOR) with lines.
What it records is compared with what `ritual done` writes from the same answers as flags.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import sys
import textwrap
from pathlib import Path

import pexpect
import pytest

from conftest import COUPLE, Invoke
from ritualcli.core import history, sections
from ritualcli.core.sections import COMMITMENTS, RATINGS, TOPICS

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
        # A shell starts a background job (CI, `pytest &`) with Ctrl-C ignored, and a child
        # inherits that: give it the terminal's usual Ctrl-C, as a couple's shell would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
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


# --------------------------------------------------------------------------- the agenda's sections
# Which practice leads, how many parts there are and where the ratings fall change with the
# day and the agenda's wording; the tests read them from the agenda `ritual agenda` prints
# for the same couple and day, split as `ritual start` splits it, and key on what a step is about.


def parts(cli: Invoke, config: Path, kind: str = "checkin") -> tuple[sections.Section, ...]:
    """The sections `ritual start` walks through for ``folder``'s couple, in order."""
    md = cli("agenda", kind, env={"RITUAL_CONFIG": str(config), "RITUAL_TODAY": TODAY}).stdout
    looks = sections.Looks(("Alex", "Sam"), open=("call my sister",), topics=("the holidays",))
    found = sections.split(md, looks)[1]
    assert found[0].title == sections.OPENING and found[-1].title == "A note on safety", md
    return found


def where(found: tuple[sections.Section, ...], asks: str) -> int:
    """The part that asks ``asks`` (sections.RATINGS …)."""
    return next(i for i, s in enumerate(found) if asks in s.asks)


def part(found: tuple[sections.Section, ...], i: int) -> str:
    """How the full screen names part ``i`` (from 0) in its header."""
    return f"part {i + 1} of {len(found)}"


def plain_part(found: tuple[sections.Section, ...], i: int) -> str:
    """The heading the line-by-line flow prints for part ``i``."""
    box = f" ({found[i].minutes} min)" if found[i].minutes else ""
    return f"== {found[i].title}{box} · {part(found, i)} =="


def turn(t: sections.Turn) -> str:
    return f"{t.speaker} speaks · {t.listener} listens and reflects back"


PROMPT = "\n> "  # the line-by-line flow's prompt, at the start of a line


def onward(
    child: pexpect.spawn, found: tuple[sections.Section, ...], here: int, there: int, *, plain: bool = False
) -> None:
    """Enter, turn by turn, from part ``here`` (shown, at its last turn, its questions answered)
    until part ``there`` is shown; none of the parts between asks anything. Each key waits for
    the screen (or, line by line, the prompt) it answers."""
    heading = plain_part if plain else part
    for i in range(here, there):
        if i > here:
            assert not found[i].asks, f"{found[i].title} asks {found[i].asks}"
            child.expect_exact(heading(found, i))
            for n, t in enumerate(found[i].turns, 1):
                child.expect_exact(turn(t))
                if n < len(found[i].turns):
                    enter(child, plain=plain)
        enter(child, plain=plain)
    child.expect_exact(heading(found, there))


def enter(child: pexpect.spawn, *, plain: bool) -> None:
    """Enter: at once on the full screen (its keys wait in cbreak mode), at the prompt line by line."""
    if plain:
        key(child, PROMPT)
    else:
        child.send("\r")


# --------------------------------------------------------------------------- full screen


def test_a_checkin_walked_to_the_end_records_what_done_records_from_flags(
    tmp_path: Path, cli: Invoke
) -> None:
    started, flagged = folder(tmp_path, "start"), folder(tmp_path, "done")
    found = parts(cli, started)
    rated, talked, committed = where(found, RATINGS), where(found, TOPICS), where(found, COMMITMENTS)
    child = spawn(started)
    child.expect_exact(part(found, 0))
    onward(child, found, 0, rated)
    child.expect_exact(found[rated].title)
    rate_both(child, "7", "9")
    answer(child, "Sam: “call my sister” (c-2026-11-29-1): kept, partly, not yet, or let go?", "k")
    child.expect_exact("✓ ratings Alex 7, Sam 9 · “call my sister” kept")  # both, once both are in
    onward(child, found, rated, talked)  # today's practice, wherever it falls, shown on the way
    for t in found[talked].turns:  # a topic, in turns
        key(child, turn(t))
    answer(child, "Which did you talk about? (numbers, or Enter for none)", "1")
    child.expect_exact("talked about the holidays")
    onward(child, found, talked, committed)
    key(child, ": your commitments")  # one commitment each: Enter asks
    answer(child, "Alex: one small thing you will do before the next check-in", "cook on Friday")
    answer(child, "Sam: one small thing you will do before the next check-in", "we: book the holidays")
    child.expect_exact("commitments Alex: cook on Friday; both: book the holidays")
    onward(child, found, committed, len(found) - 1)
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


def test_q_halfway_asks_and_records_nothing_when_told_no(tmp_path: Path, cli: Invoke) -> None:
    config = folder(tmp_path, "q")
    found, before = parts(cli, config), files(config)
    rated = where(found, RATINGS)
    child = spawn(config)
    child.expect_exact(part(found, 0))
    onward(child, found, 0, rated)
    rate_both(child, "3", "8")
    answer(child, "kept, partly, not yet, or let go?", "n")
    key(child, "✓ ratings Alex 3, Sam 8", "q")
    answer(child, f"Leaving at {part(found, rated)} (so far: ratings). Record it as held? [y/N]", "")
    code, out = ended(child)
    assert code == 0, out
    assert "Nothing recorded." in out
    assert files(config) == before


def test_ctrl_c_at_a_hidden_rating_then_again_leaves_everything_as_it_was(
    tmp_path: Path, cli: Invoke
) -> None:
    config = folder(tmp_path, "ctrl-c")
    found, before = parts(cli, config), files(config)
    child = spawn(config)
    child.expect_exact(part(found, 0))
    onward(child, found, 0, where(found, RATINGS))
    key(child, "your ratings, each typed unseen")
    answer(child, "Pass the keyboard to Alex, then press Enter", "")
    key(child, rating("Alex"), "\x03")
    key(child, "Record what you have so far before leaving?", "\x03")
    code, out = ended(child)
    assert code == 130, out
    assert "interrupted: nothing recorded" in out
    assert files(config) == before
    assert not list((config.parent / "history").glob(".*.tmp*"))  # nothing half-written


def test_ctrl_c_records_what_there_is_only_when_confirmed(tmp_path: Path, cli: Invoke) -> None:
    config = folder(tmp_path, "confirmed")
    found = parts(cli, config)
    child = spawn(config)
    child.expect_exact(part(found, 0))
    onward(child, found, 0, where(found, RATINGS))
    rate_both(child, "5", "6")
    answer(child, "kept, partly, not yet, or let go?", "p")
    key(child, "✓ ratings Alex 5, Sam 6", "\x03")
    answer(child, "Record what you have so far before leaving?", "y")
    code, out = ended(child)
    assert code == 0, out
    e = history.load(config.parent).entries[-1]
    assert (e.date, e.ratings, e.partly, e.commitments) == (dt.date(2026, 12, 6), (("Alex", 5), ("Sam", 6)),
                                                           ("c-2026-11-29-1",), ())  # fmt: skip


def test_the_clock_counts_down_gently_and_never_moves_on_by_itself(tmp_path: Path, cli: Invoke) -> None:
    config = folder(tmp_path, "clock")
    found = parts(cli, config)
    boxed = next(i for i, s in enumerate(found) if s.minutes)  # the first part with a time box
    box, total = found[boxed].minutes or 0, sum(s.minutes or 0 for s in found)
    child = spawn(config)
    child.expect_exact(part(found, 0))
    onward(child, found, 0, boxed)
    key(child, f"{box}:00 left of {box} min", "+")  # the pinned clock: one minute per +
    key(child, f"{box - 1}:00 left of {box} min", "p")
    key(child, "Paused: the clock stands still", "+")
    key(child, "Paused: the clock stands still", "p")  # paused, + moved nothing
    key(child, f"{box - 1}:00 left of {box} min", "+" * (box - 1))
    child.expect_exact("Time's up for this part. Finish your thought; Enter moves on when you're ready.")
    child.expect_exact(f"{box}:00 so far · {total - box}:00 left of {total} min")
    assert "\x07" not in shown(child.before)  # a cue, not a bell
    child.setwinsize(30, 90)  # a resize redraws at once, with no key pressed…
    key(child, part(found, boxed), "q")  # …still here: time shows, it never moves the couple on
    answer(child, "Record it as held? [y/N]", "")
    assert ended(child)[0] == 0


def test_a_repair_offers_a_twenty_minute_break_one_key_away(tmp_path: Path, cli: Invoke) -> None:
    config = folder(tmp_path, "repair")
    found = parts(cli, config, "repair")
    first = found[1].title  # the first step, after the opening
    child = spawn(config, "repair")
    child.expect_exact(part(found, 0))
    onward(child, found, 0, 1)
    key(child, first, "p")
    child.expect_exact("A break of 20 minutes.")
    key(child, "Break: 20:00 left", "+")
    key(child, "Break: 19:00 left", "\r")  # Enter: back to the repair, where they were
    key(child, first, "q")
    code, out = ended(child)
    assert code == 0 and "Nothing is recorded for a repair" in out


# --------------------------------------------------------------------------- line by line


def test_a_date_night_draws_its_prompts_one_at_a_time_never_twice(tmp_path: Path, cli: Invoke) -> None:
    config = folder(tmp_path, "date")
    agenda = cli("agenda", "date-night", env={"RITUAL_CONFIG": str(config), "RITUAL_TODAY": TODAY}).stdout
    listed = re.findall(r"^\d+\. (.+)$", agenda, flags=re.M)
    found = parts(cli, config, "date-night")
    talk = next(i for i, s in enumerate(found) if listed[0] in s.body)  # where the questions are
    child = spawn(config, "date-night", term="dumb")
    child.expect_exact(plain_part(found, 0))
    onward(child, found, 0, talk, plain=True)  # the idea, phones away…
    drawn = []
    for number in range(1, 41):
        child.expect(rf"Question {number}(?: \(the last in the deck\))?: ([^\r\n]+)")
        drawn.append(child.match.group(1))
        key(child, PROMPT, "n\r")
    key(child, PROMPT, "q\r")
    answer(child, "Record it as held? [y/N]", "")
    code, out = ended(child)
    assert code == 0
    assert drawn[: len(listed)] == listed  # first the agenda's own, in its order
    assert len(set(drawn)) == len(drawn) == 40
    assert "\x1b" not in str(child.before) + out


def test_no_color_gives_the_same_flow_line_by_line(tmp_path: Path, cli: Invoke) -> None:
    config = folder(tmp_path, "plain")
    found = parts(cli, config)
    rated = where(found, RATINGS)
    box, total = found[rated].minutes or 0, sum(s.minutes or 0 for s in found)
    child = spawn(config, NO_COLOR="1")
    child.expect_exact(plain_part(found, 0))
    onward(child, found, 0, rated, plain=True)
    key(child, PROMPT, "next\r")  # a word is no key: said, and nothing moves
    child.expect_exact("'next' is not a key: type one of these, then Enter")
    key(child, PROMPT, "+\r")
    child.expect_exact(f"{box - 1}:00 left of {box} min · 1:00 so far · {total - 1}:00 left of {total} min")
    key(child, PROMPT, "\r")  # Enter: the ratings
    answer(child, "Pass the keyboard to Alex, then press Enter", "")
    answer(child, rating("Alex"), "4")
    after = answer(child, "Pass the keyboard to Sam, then press Enter", "")
    assert "4" not in after
    answer(child, rating("Sam"), "")
    child.expect_exact("All in. Ratings: Alex 4 (skipped: Sam).")
    answer(child, "kept, partly, not yet, or let go?", "l")
    child.expect_exact("✓ ratings Alex 4 · “call my sister” let go")
    key(child, PROMPT, "q\r")
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
    r = cli("start", "repair", code=2)  # nothing is recorded for a repair: no `done` to suggest
    assert "`ritual agenda repair`" in r.stderr and "ritual done" not in r.stderr


@pytest.mark.parametrize("kind", ["checkin", "date-night"])
def test_it_starts_nothing_for_the_example_couple(tmp_path: Path, kind: str) -> None:
    child = spawn(tmp_path / "none" / "ritual.toml", kind)
    code, out = ended(child)
    assert code == 2 and "`ritual start` records the ritual into your own history" in out
