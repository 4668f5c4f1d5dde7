"""Commitments: made at a check-in, then kept, partly done, or let go; carried over to the
next agenda until then (`ritual commitments` lists them), and never with a note."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Invoke
from histories import FOLLOWED, SUNDAYS, D, carried, checkin, held, prefs_with, year_file
from ritualcli.core import agenda, history
from ritualcli.core.errors import InputError, UsageError
from ritualcli.core.history import CarryOver, Commitment, Draft, History
from ritualcli.core.preferences import Preferences


@pytest.fixture
def prefs() -> Preferences:
    return prefs_with()


# ------------------------------------------------------------------ kept, partly, let go


def test_kept_must_name_an_earlier_open_commitment(data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    with pytest.raises(InputError) as err:
        history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-9",)))
    # The core names the record; which flag it came from is the command's to say.
    assert err.value.message == "commitment c-2026-11-29-9: no open commitment has that id"
    assert (err.value.field, err.value.given) == ("kept", "c-2026-11-29-9")
    assert "c-2026-11-29-1" in (err.value.hint or "")  # the open ones are listed
    with pytest.raises(InputError, match="made on 2026-11-29, not before 2026-11-29"):
        history.record(data, held(SUNDAYS[0], kept=("c-2026-11-29-1",)))
    history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-1",)))
    with pytest.raises(UsageError, match="already marked kept on 2026-12-06"):
        history.record(data, held(SUNDAYS[2], kept=("c-2026-11-29-1",)))
    history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-1",)))  # said again: nothing new


def test_partly_stays_open_and_is_noted(prefs: Preferences, data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    change = history.record(data, held(SUNDAYS[1], partly=("c-2026-11-29-1",)))
    assert [c.text for c in change.partly] == ["walk"]
    (c,) = history.carry_over(prefs, history.load(data), checkin(prefs, SUNDAYS[2])).open
    assert (c.partly, c.checkins_open) == (SUNDAYS[1], 2)
    with pytest.raises(InputError, match="kept or partly done here"):
        history.record(data, held(SUNDAYS[2], kept=("c-2026-11-29-1",), let_go=("c-2026-11-29-1",)))
    history.record(data, held(SUNDAYS[2], kept=("c-2026-11-29-1",)))
    assert history.carry_over(prefs, history.load(data), checkin(prefs, SUNDAYS[3])).open == ()


def test_a_let_go_commitment_is_no_longer_carried(prefs: Preferences, data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"), ("Sam", "call"))))
    history.record(data, held(SUNDAYS[1], let_go=("c-2026-11-29-1",)))
    carry = history.carry_over(prefs, history.load(data), checkin(prefs, SUNDAYS[2]))
    assert [c.text for c in carry.open] == ["call"]
    assert [c.text for c in carry.let_go] == ["walk"]  # said once, with no blame…
    history.record(data, held(SUNDAYS[2]))
    carry = history.carry_over(prefs, history.load(data), checkin(prefs, SUNDAYS[3]))
    assert carry.let_go == () and [c.text for c in carry.open] == ["call"]  # …then it is gone
    assert '[[let_go]]\nid = "c-2026-11-29-1"\ndate = 2026-12-06\n' in year_file(data).read_text()
    with pytest.raises(InputError, match="already let go on 2026-12-06"):
        history.record(data, held(SUNDAYS[3], kept=("c-2026-11-29-1",)))


def test_letting_go_between_checkins(prefs: Preferences, data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    item, _ = history.let_go(data, "c-2026-11-29-1", "the weather turned", D(2026, 12, 2))
    assert item == Commitment("c-2026-11-29-1", "Alex", "walk")
    hist = history.load(data)
    assert hist.let_go[0].why == "the weather turned"
    assert history.carry_over(prefs, hist, checkin(prefs, SUNDAYS[1])).open == ()
    [state] = history.commitment_states(hist, D(2026, 12, 31))
    assert (state.state, state.on, state.why) == ("let-go", D(2026, 12, 2), "the weather turned")
    with pytest.raises(InputError, match="already let go on 2026-12-02"):
        history.let_go(data, "c-2026-11-29-1", "", D(2026, 12, 3))


def test_a_let_go_commitment_stops_being_carried(cli: Invoke, data: Path) -> None:
    cli("done", "checkin", "--commit", "Alex: walk every day", "--commit", "Sam: call")
    r = cli("commitments", "let-go", "c-2026-11-29-1", "--why", "too much at once")
    assert (
        r.stdout == "Let go of c-2026-11-29-1 (Alex: walk every day), with no blame. It is carried no more.\n"
    )
    agenda = cli("agenda", "checkin", "--date", "2026-12-06").stdout
    follow = agenda.split("## Since last time", 1)[1].split("\n## ", 1)[0]
    assert "Let go since last time, with no blame" in follow and "- Alex: walk every day" in follow
    assert "walk every day" not in follow.split("Still open", 1)[1]
    cli("done", "checkin", "--date", "2026-12-06", env={"RITUAL_TODAY": "2026-12-06"})
    later = cli("agenda", "checkin", "--date", "2026-12-13").stdout
    assert "walk every day" not in later and "- Sam: call (open for 2 check-ins now)" in later
    rows = json.loads(cli("commitments", "--all", "--format", "json").stdout)
    assert [(r["id"], r["status"], r["why"]) for r in rows] == [
        ("c-2026-11-29-1", "let-go", "too much at once"),
        ("c-2026-11-29-2", "open", None),
    ]
    assert "--let-go c-2026-11-29-1: already let go on 2026-12-02" in cli(
        "done", "checkin", "--date", "2026-12-06", "--let-go", "c-2026-11-29-1", code=2,
        env={"RITUAL_TODAY": "2026-12-06"},
    ).stderr  # fmt: skip


def test_commitments_lists_open_and_with_all_kept(cli: Invoke, data: Path) -> None:
    assert cli("commitments").stdout == "No open commitments.\n"
    cli("done", "checkin", "--date", "2026-11-29", "--commit", "Alex: walk", "--commit", "Sam: call")
    cli(
        "done", "checkin", "--date", "2026-12-06", "--kept", "c-2026-11-29-2",
        env={"RITUAL_TODAY": "2026-12-06"},
    )  # fmt: skip
    r = cli("commitments", env={"RITUAL_TODAY": "2026-12-07"})
    assert r.stdout.splitlines() == [
        "Open (1):",
        "  c-2026-11-29-1  Alex: walk  (made 2026-11-29; carried to 1 check-in)",
    ]
    assert "ritual done checkin --kept c-2026-11-29-1" in r.stderr
    r = cli("commitments", "--all", env={"RITUAL_TODAY": "2026-12-07"})
    assert "Kept (1):\n  c-2026-11-29-2  Sam: call  (made 2026-11-29; kept 2026-12-06)" in r.stdout
    rows = json.loads(
        cli("commitments", "--all", "--format", "json", env={"RITUAL_TODAY": "2026-12-07"}).stdout
    )
    assert [(r["id"], r["status"], r["kept_on"], r["carried"]) for r in rows] == [
        ("c-2026-11-29-1", "open", None, 1),
        ("c-2026-11-29-2", "kept", "2026-12-06", 1),
    ]


# ------------------------------------------------------------------ carried over


def test_no_history_carries_nothing(prefs: Preferences) -> None:
    assert history.carry_over(prefs, History(), checkin(prefs, SUNDAYS[3])) == CarryOver()


def test_carry_over_across_several_weeks(prefs: Preferences, data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"), ("Sam", "call"))))
    history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-2",), commitments=(("Sam", "cook"),)))
    history.record(data, held(SUNDAYS[2]))

    def state(i: int) -> tuple[list[tuple[str, str, int]], list[str]]:
        carry = carried(prefs, data, checkin(prefs, SUNDAYS[i]))
        return [(c.owner, c.text, c.checkins_open) for c in carry.open], [c.text for c in carry.kept]

    assert state(0) == ([], [])
    assert state(1) == ([("Alex", "walk", 1), ("Sam", "call", 1)], [])
    assert state(2) == ([("Alex", "walk", 2), ("Sam", "cook", 1)], ["call"])  # kept: celebrated
    assert state(3) == ([("Alex", "walk", 3), ("Sam", "cook", 2)], [])  # …once, then dropped
    carry = carried(prefs, data, checkin(prefs, SUNDAYS[1]))
    assert carry.open[0].made == SUNDAYS[0] and carry.open[0].id == "c-2026-11-29-1"


def test_kept_is_celebrated_at_the_next_held_checkin_even_after_a_skip(
    prefs: Preferences, data: Path
) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    history.record(data, held(SUNDAYS[1], kept=("c-2026-11-29-1",)))
    history.record(data, Draft("checkin", SUNDAYS[2], status="skipped"))
    kept = [c.text for c in carried(prefs, data, checkin(prefs, SUNDAYS[3])).kept]
    assert kept == ["walk"]
    history.record(data, held(SUNDAYS[3]))
    assert carried(prefs, data, checkin(prefs, SUNDAYS[4])).kept == ()


def test_skipped_checkins_carry_nothing(prefs: Preferences, data: Path) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    history.record(data, Draft("checkin", SUNDAYS[1], status="skipped", reason="travel"))
    (c,) = carried(prefs, data, checkin(prefs, SUNDAYS[2])).open
    assert c.checkins_open == 1  # a missed week is not counted against anyone


def test_unrecorded_checkins_are_named_not_hidden(prefs: Preferences, data: Path) -> None:
    assert carried(prefs, data, checkin(prefs, SUNDAYS[3])).unrecorded == ()  # not started
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    assert carried(prefs, data, checkin(prefs, SUNDAYS[1])).unrecorded == ()
    # An agenda made weeks ahead (export markdown, weekly) cannot know what comes before it.
    carry = carried(prefs, data, checkin(prefs, SUNDAYS[3]))
    assert carry.unrecorded == (SUNDAYS[1], SUNDAYS[2])
    assert [c.text for c in carry.open] == ["walk"]
    history.record(data, Draft("checkin", SUNDAYS[2], status="skipped"))
    assert carried(prefs, data, checkin(prefs, SUNDAYS[3])).unrecorded == ()
    many = carried(prefs, data, checkin(prefs, SUNDAYS[11])).unrecorded
    assert many == tuple(SUNDAYS[7:11])  # a long break is not a backlog: the latest few


def test_unrecorded_leaves_out_skip_dates(data: Path) -> None:
    prefs = prefs_with("[skip]\ndates = [2026-12-06]\n")
    history.record(data, held(SUNDAYS[0]))
    assert carried(prefs, data, checkin(prefs, SUNDAYS[2])).unrecorded == ()


def test_a_commitment_carried_long_asks_to_make_it_smaller_not_for_therapy(
    prefs: Preferences, data: Path
) -> None:
    history.record(data, held(SUNDAYS[0], commitments=(("Alex", "walk"),)))
    history.record(data, held(SUNDAYS[1]))
    history.record(data, Draft("checkin", SUNDAYS[2], status="skipped"))  # does not count
    history.record(data, held(SUNDAYS[3]))
    before = carried(prefs, data, checkin(prefs, SUNDAYS[4]))
    assert before.open[0].checkins_open == 3 and not before.open[0].long_open
    history.record(data, held(SUNDAYS[4]))
    now = carried(prefs, data, checkin(prefs, SUNDAYS[5]))
    assert now.open[0].checkins_open == 4 and now.open[0].long_open  # [support] carried = 4
    assert now.opening is None  # an unkept chore opens nothing and suggests no therapist
    custom = prefs_with("[support]\ncarried = 2\n")
    assert carried(custom, data, checkin(custom, SUNDAYS[2])).open[0].long_open


# ------------------------------------------------------------------ in the agenda, and nowhere a note


def follow_through(md: str) -> str:
    return md.split("## Since last time", 1)[1].split("\n## ", 1)[0]


def test_the_next_agenda_opens_with_open_commitments_and_no_notes(cli: Invoke, data: Path) -> None:
    cli(
        "done", "checkin", "--date", "2026-11-29", "--rating", "Alex=7",
        "--commit", "Alex: plan Saturday's walk", "--commit", "Sam: call my sister",
        "--note", "PRIVATE-NOTE",
    )  # fmt: skip
    cli(
        "done",
        "checkin",
        "--date",
        "2026-12-06",
        "--kept",
        "c-2026-11-29-2",
        env={"RITUAL_TODAY": "2026-12-06"},
    )
    agenda = cli("agenda", "checkin", "--date", "2026-12-13").stdout
    follow = agenda.split("## Since last time", 1)[1].split("\n## ", 1)[0]
    assert "- Sam: call my sister" in follow.split("Still open", 1)[0]  # kept: celebrated
    (walk,) = [line for line in follow.splitlines() if "Alex: plan Saturday's walk" in line]
    assert "2 check-ins" in walk
    assert "PRIVATE" not in agenda
    # Made ahead of time, the agenda says what it cannot know yet.
    ahead = cli("agenda", "checkin", "--date", "2026-12-27").stdout
    assert "Not recorded yet" in ahead and "2026-12-13, 2026-12-20" in ahead
    cli("done", "checkin", "--date", "2026-12-13", env={"RITUAL_TODAY": "2026-12-13"})
    later = cli("agenda", "checkin", "--date", "2026-12-20").stdout
    assert "call my sister" not in later  # celebrated once, then dropped
    assert "plan Saturday's walk" in later and "Not recorded yet" not in later


def test_notes_and_reasons_never_leave_history_toml(cli: Invoke, data: Path, tmp_path: Path) -> None:
    cli("done", "checkin", "--date", "2026-11-29", "--commit", "Alex: walk", "--note", "PRIVATE-NOTE")
    cli("skip", "date-night", "--date", "2026-12-04", "--reason", "PRIVATE-REASON")
    assert "PRIVATE-NOTE" in year_file(data).read_text()
    outputs = [
        cli("stats").stdout,
        cli("stats", "--format", "json").stdout,
        cli("commitments", "--all").stdout,
        cli("commitments", "--all", "--format", "json").stdout,
        cli("agenda", "checkin").stdout,
        cli("weekly", "--stdout").stdout,
    ]
    cli("export", "markdown", "--out", str(tmp_path / "md"), "--weeks", "3")
    cli("export", "ics", "--agendas", "3", "--out", str(tmp_path / "rituals.ics"))
    outputs += [p.read_text() for p in (tmp_path / "md").iterdir()]
    outputs.append((tmp_path / "rituals.ics").read_text())
    assert any("walk" in o for o in outputs)  # the commitment is carried over…
    for o in outputs:
        # …its note and the skip's reason never are (a calendar says CLASS:PRIVATE, by design)
        assert "PRIVATE-NOTE" not in o and "PRIVATE-REASON" not in o


def test_the_agenda_carries_commitments_over_and_says_what_it_cannot_know() -> None:
    prefs = prefs_with("[support]\nlow_streak = 2\ncarried = 2\n")
    occ, hist = checkin(prefs, D(2026, 12, 20)), history.parse(FOLLOWED)
    section = follow_through(agenda.render(prefs, occ, user_dir=None, history=hist))
    assert r"- Sam: plan the \*trip\* &lt;now&gt; (open for 2 check-ins now)" in section
    # Carried to [support] carried check-ins: make it smaller or let it go, never a therapist.
    assert "make it smaller, or let it go, with no blame" in section
    assert "`ritual commitments let-go c-1`" in section
    assert "therapist" not in section and "gentle note" not in section
    assert "Kept since last time" in section and "- Alex: walk after dinner" in section
    # 2026-12-13 was never recorded: the agenda says so instead of guessing its commitments.
    assert "the check-in of 2026-12-13" in section and "ritual done checkin --date 2026-12-13" in section
    assert "Nothing is carried over" not in section
    # Where others see it (a calendar, a mail), commitments still carry over.
    shared = agenda.render(prefs, occ, user_dir=None, history=hist, shared=True)
    assert "plan the" in follow_through(shared)


def test_no_template_can_show_a_note_or_a_rating(tmp_path: Path) -> None:
    """A template of the couple's own may print all a check-in's agenda is told about the
    check-ins before it (``carry``): it reads the same whatever the notes were, and whatever
    the ratings, as long as they open the agenda the same way (low, far apart, Alex first)."""
    prefs = prefs_with()
    mine = tmp_path / "templates"
    (mine / "checkin").mkdir(parents=True)
    (mine / "checkin" / "weekly.md.j2").write_text("{{ carry }}\n", encoding="utf-8")

    def printed(alex: int, sam: int, note: str) -> str:
        days = [
            f'date = {SUNDAYS[0]}\ncommitments = [{{ id = "c-1", owner = "Alex", text = "walk" }}]',
            f'date = {SUNDAYS[1]}\ncommitments = [{{ id = "c-2", owner = "Sam", text = "cook" }}]',
            f'date = {SUNDAYS[2]}\nkept = ["c-1"]',
        ]
        text = "".join(
            f'[[entry]]\nritual = "checkin"\n{day}\nratings = {{ Alex = {alex}, Sam = {sam} }}\n'
            f'note = "{note} {i}"\n\n'
            for i, day in enumerate(days)
        )
        return agenda.render(prefs, checkin(prefs, SUNDAYS[3]), user_dir=mine, history=history.parse(text))

    shown = printed(2, 9, "PRIVATE-NOTE")
    assert "walk" in shown and "cook" in shown and "support" in shown  # it is all printed
    assert shown == printed(1, 8, "something else altogether")
    assert "PRIVATE" not in shown
