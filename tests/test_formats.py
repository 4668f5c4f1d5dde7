"""The check-in formats: each exercise in a box long enough for it, no part doing another's work."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ritualcli.core import agenda, library, preferences, schedule, selection
from ritualcli.core.history import History
from ritualcli.core.preferences import FORMAT_MINUTES, Preferences

LIB = library.load()
START = dt.date(2026, 11, 23)
SECTION = re.compile(r"^## (.*?)(?: \((\d+) min\))?$", re.M)


def prefs_for(fmt: str) -> Preferences:
    text = (
        'version = 1\n[couple]\npartners = ["Alex", "Sam"]\ntimezone = "Europe/London"\n'
        f'start = {START}\n[checkin]\nformat = "{fmt}"\n[conversation]\ndepth = "deep"\n'
    )
    return preferences.parse_bytes(text.encode())


def sections(md: str) -> list[tuple[str, int | None, str]]:
    """(heading, box minutes or None, body) of each ## section."""
    found = list(SECTION.finditer(md))
    out = []
    for n, m in enumerate(found):
        end = found[n + 1].start() if n + 1 < len(found) else len(md)
        out.append((m.group(1), int(m.group(2)) if m.group(2) else None, md[m.end() : end]))
    return out


def a_season(fmt: str) -> list[tuple[schedule.Occurrence, str]]:
    """The first month and a whole rotation after it: every practice is the focus once."""
    prefs = prefs_for(fmt)
    occs = schedule.occurrences(prefs, START, START + dt.timedelta(weeks=len(LIB.practices) + 6), ["checkin"])
    return [(o, agenda.render(prefs, o, user_dir=None, history=History())) for o in occs]


@pytest.mark.parametrize("fmt", sorted(FORMAT_MINUTES))
def test_every_exercise_gets_a_box_at_least_as_long_as_it_needs(fmt: str) -> None:
    prefs = prefs_for(fmt)
    assert prefs.checkin.duration == FORMAT_MINUTES[fmt]  # the format's own length
    seen = set()
    for occ, md in a_season(fmt):
        focus = selection.focus_practice(prefs, occ, START)
        assert focus is not None
        seen.add(focus.id)
        for heading, box, body in sections(md):
            if focus.exercise in body:
                assert box is not None and box >= focus.minutes, (fmt, occ.date, heading, box, focus.id)
    assert seen == {p.id for p in LIB.practices}


@pytest.mark.parametrize("fmt", sorted(FORMAT_MINUTES))
def test_no_section_repeats_the_work_of_the_focus(fmt: str) -> None:
    prefs = prefs_for(fmt)
    for occ, md in a_season(fmt):
        focus = selection.focus_practice(prefs, occ, START)
        assert focus is not None
        heads = [h for h, _, _ in sections(md)]
        assert len(heads) == len(set(heads))
        if focus.id == "appreciation":  # the practice is the appreciations
            assert not [h for h in heads if "ppreciation" in h or "going well" in h], heads
        if focus.id == "active-listening":  # the practice is the speaker and listener turns
            assert "A topic, in turns" not in heads
            assert md.count("says back what they heard.") == len(prefs.couple.partners)
        if fmt == "weekly":
            assert len(heads) <= 6


def test_state_of_the_union_is_the_published_shape() -> None:
    _, md = a_season("state-of-the-union")[6]
    heads = [h for h, _, _ in sections(md)]
    assert heads[0] == "What is going well"
    assert "The practical side, and good times" in heads
    topic = next(b for h, _, b in sections(md) if h == "One topic, in depth")
    assert "Postpone persuasion" in topic and "compromise" in topic
    assert topic.index("Postpone persuasion") < topic.index("compromise")
    assert '"What can I do to make you feel loved this week?"' in md
    assert heads[-1] == "What can I do to make you feel loved?"


def test_quick_has_no_exercise() -> None:
    prefs = prefs_for("quick")
    for occ, md in a_season("quick"):
        focus = selection.focus_practice(prefs, occ, START)
        assert focus is not None and focus.exercise not in md


@pytest.mark.parametrize("fmt", sorted(FORMAT_MINUTES))
def test_thanks_open_the_checkin_when_they_are_its_focus(fmt: str) -> None:
    """Berger's and Gottman's meetings open with appreciation: when thanks are the focus,
    they come before the ratings, not after them."""
    prefs = prefs_for(fmt)
    season = a_season(fmt)
    thanks = LIB.practice("appreciation")
    found = [md for occ, md in season if selection.focus_practice(prefs, occ, START) == thanks]
    assert found
    for md in found:
        heads = [h for h, _, _ in sections(md)]
        ratings = next(
            i for i, h in enumerate(heads) if h in ("Since last time", "Where you are starting from")
        )
        assert ratings == 1, heads


def test_a_quick_first_checkin_agrees_the_ground_rules_it_reads_aloud_later() -> None:
    season = a_season("quick")
    first, second = season[0][1], season[1][1]
    question = next(b for h, _, b in sections(first) if h == "One question")
    assert "ground rules" in question and "pause" in question
    assert "reading your ground rules aloud" in second
