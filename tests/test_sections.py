"""What `ritual start` walks through: an agenda split into sections, each question placed once."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ritualcli.core import agenda, firstmonth, history, preferences, schedule, walkthrough
from ritualcli.core.preferences import FORMAT_MINUTES, Preferences
from ritualcli.core.sections import COMMITMENTS, FOLLOW_THROUGH, OPENING, RATINGS, TOPICS, Looks, split

DAY = dt.date(2026, 12, 6)  # the couple's third check-in: one before it is recorded
SECOND = "2026-11-29"  # a start that makes DAY the second check-in, whose focus is thanks


def couple(fmt: str = "weekly", extra: str = "", start: str = "2026-11-22") -> Preferences:
    text = (
        'version = 1\n[couple]\npartners = ["Alex", "Sam"]\ntimezone = "Europe/London"\n'
        f'start = {start}\n[checkin]\nformat = "{fmt}"\n[conversation]\ndepth = "deep"\n{extra}'
    )
    return preferences.parse_bytes(text.encode())


@pytest.fixture
def hist(tmp_path: Path) -> history.History:
    """Last week's check-in with a commitment of Sam's, and a topic of Alex's waiting."""
    history.record(
        tmp_path, history.Draft("checkin", dt.date(2026, 11, 29), commitments=(("Sam", "call my sister"),))
    )
    history.add_topic(tmp_path, "who cooks on weekdays", "Alex", dt.date(2026, 12, 1))
    return history.load(tmp_path)


def walk_of(prefs: Preferences, hist: history.History) -> tuple[walkthrough.Walk, str]:
    occ = schedule.occurrence_on(prefs, "checkin", DAY)
    assert occ is not None
    md = agenda.render(prefs, occ, user_dir=None, history=hist)
    return walkthrough.plan(
        prefs, md, ritual="checkin", minutes=prefs.checkin.duration, history=hist, day=DAY
    ), md


# At the second check-in the thanks practice opens the agenda in place of the appreciations,
# before the ratings: other headings in another order around what is asked.
@pytest.mark.parametrize("start", ["2026-11-22", SECOND])
@pytest.mark.parametrize("fmt", sorted(FORMAT_MINUTES))
def test_the_sections_are_the_agendas_own_and_every_question_has_one_place(
    fmt: str, start: str, hist: history.History
) -> None:
    prefs = couple(fmt, start=start)
    walk, md = walk_of(prefs, hist)
    if start == SECOND and fmt != "quick":  # (the quick format has the practice's question lead)
        assert walk.sections[1].title.startswith("Today's practice"), md  # the case this is here for
    headings = [re.sub(r" \((?:about )?\d+ min\)$", "", h) for h in re.findall(r"^## (.+)$", md, re.M)]
    assert [s.title for s in walk.sections] == [OPENING, *headings, "A note on safety"]
    assert sum(s.minutes or 0 for s in walk.sections) == walk.minutes == prefs.checkin.duration
    placed = [a for s in walk.sections for a in s.asks]
    # An agenda that leaves the couple's topic out (the quick format keeps them for a longer
    # check-in) has it asked at the end, as `ritual done` asks it.
    assert walk.wrap_up == (() if "who cooks on weekdays" in md else (TOPICS,))
    assert sorted(placed + list(walk.wrap_up)) == sorted([RATINGS, FOLLOW_THROUGH, TOPICS, COMMITMENTS])
    rated = next(s for s in walk.sections if RATINGS in s.asks)
    assert FOLLOW_THROUGH in rated.asks and "call my sister" in rated.body  # the list stays to read
    bodies = "\n".join(s.body for s in walk.sections)
    assert "/ 10" not in bodies  # blanks the guide fills in are left out…
    # …and it records: no `ritual done` command is left to type, nor the sentence leading to it
    assert "`ritual done" not in bodies and "record it:" not in bodies and "off the queue" not in bodies
    if "who cooks on weekdays" in md:
        assert "`ritual done checkin --discussed ID`" in md  # the printed agenda still says how
    assert not re.search(r"^- (Alex|Sam):\s*$", bodies, re.M)


def test_turns_come_from_the_speaker_lines_with_the_names_as_the_couple_wrote_them() -> None:
    md = "## Talk (12 min)\n\n1. Ana\\* speaks; Jo\\_Li listens and says back what they heard.\n" \
         "2. Jo\\_Li answers; Ana\\* listens, then says back what they heard.\n"  # fmt: skip
    _, (talk,) = split(md, Looks(("Ana*", "Jo_Li")))  # names Markdown escapes
    assert [(t.speaker, t.listener) for t in talk.turns] == [("Ana*", "Jo_Li"), ("Jo_Li", "Ana*")]
    assert talk.minutes == 12 and talk.asks == ()


def test_a_couples_own_template_is_shown_as_it_is_and_what_it_lacks_is_asked_at_the_end() -> None:
    md = """# Our evening

Hello, you two.

## Tea first (10 min)

Make tea. *Slowly.*

### While it brews
Say one kind thing.

```
## not a heading: inside a code block
```

## Talk (about 20 min)

Whatever is on your mind.

End with a hug. Afterwards, record it:
`ritual done checkin --rating NAME=N`

---

*Goodnight.* Sleep well.
"""
    walk = walkthrough.plan(couple(), md, ritual="checkin", minutes=None, history=history.History(), day=DAY)
    assert walk.title == "Our evening"
    assert [(s.title, s.minutes) for s in walk.sections] == [
        (OPENING, None),
        ("Tea first", 10),
        ("Talk", 20),
        ("Goodnight", None),
    ]
    tea = walk.sections[1].body
    assert "### While it brews" in tea and "## not a heading: inside a code block" in tea
    assert walk.sections[2].body == "Whatever is on your mind.\n\nEnd with a hug."
    assert all(s.asks == () and not s.turns for s in walk.sections)
    assert walk.wrap_up == (RATINGS, COMMITMENTS)  # no commitments open, no topics queued
    assert walk.minutes == 30  # without a planned length: the boxes'


@pytest.mark.parametrize("off", [(), ("family", "work", "intimacy")])
@pytest.mark.parametrize("depth", ["light", "deep"])
def test_a_date_nights_deck_never_repeats_and_keeps_the_couples_limits(
    off: tuple[str, ...], depth: str
) -> None:
    prefs = couple()
    prefs = prefs._replace(conversation=prefs.conversation._replace(depth=depth, off_limits=off))
    occ = schedule.next_occurrence(prefs, "date-night", dt.date(2027, 3, 1))
    assert occ is not None
    md = agenda.render(prefs, occ, user_dir=None, history=history.History())
    walk = walkthrough.plan(
        prefs,
        md,
        ritual="date-night",
        minutes=150,
        history=history.History(),
        day=occ.date,
        deck=agenda.date_deck(prefs, occ, history.History()),
    )
    listed = re.findall(r"^\d+\. (.+)$", md, re.M)  # the idea's, or the template's own question
    assert [q.text for q in walk.deck[: len(listed)]] == listed
    assert [s.title for s in walk.sections if s.deals] == ["Talk, a little deeper as the evening goes"]
    assert len({q.text for q in walk.deck}) == len(walk.deck) > 20
    level = firstmonth.level(prefs, firstmonth.began(prefs, None), occ.date)
    assert all(q.level <= level and not set(q.tags) & set(off) for q in walk.deck)
    # The printed agenda says how to record it; the guide records it itself.
    assert f"`ritual done date-night --date {occ.date}`" in md
    bodies = "\n".join(s.body for s in walk.sections)
    assert "`ritual done" not in bodies and "record it" not in bodies
