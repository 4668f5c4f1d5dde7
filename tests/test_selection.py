"""Selection: rotation, decks, date ideas, the couple's limits, and time boxes."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ritualcli.core import agenda, date_ideas, library, preferences, schedule, selection
from ritualcli.core.history import History
from ritualcli.core.preferences import DEPTHS, PLACES, Preferences
from ritualcli.core.schedule import Occurrence

LIB = library.load()
START = dt.date(2026, 11, 23)


def prefs_from(extra: str = "", partners: str = '["Alex", "Sam"]', start: dt.date = START) -> Preferences:
    text = (
        f'version = 1\n[couple]\npartners = {partners}\ntimezone = "Europe/Berlin"\nstart = {start}\n{extra}'
    )
    return preferences.parse_bytes(text.encode())


def slot(kind: str, index: int) -> Occurrence:
    """An occurrence with a given slot number (selection looks only at ritual and slot)."""
    day = START + dt.timedelta(weeks=index)
    start = dt.datetime.combine(day, dt.time(19), tzinfo=dt.UTC)
    return Occurrence(kind, day, start, start + dt.timedelta(minutes=30), index)


def year_of(prefs: Preferences, kind: str) -> list[Occurrence]:
    return schedule.occurrences(prefs, START, START + dt.timedelta(days=366), [kind])


# --------------------------------------------------------------------------- check-ins


def test_focus_walks_through_every_practice_before_any_repeats() -> None:
    prefs = prefs_from('[conversation]\ndepth = "deep"\n')
    n = len(LIB.practices)
    first = [selection.focus(prefs, slot("checkin", i)) for i in range(n)]
    second = [selection.focus(prefs, slot("checkin", i)) for i in range(n, 2 * n)]
    assert {p.id for p in first if p} == {p.id for p in LIB.practices}
    assert first == second  # the same walk again, in the same order


def test_focus_order_is_the_couples_own() -> None:
    a = [selection.focus(prefs_from(), slot("checkin", i)) for i in range(8)]
    b = [selection.focus(prefs_from(partners='["Kim", "Jo"]'), slot("checkin", i)) for i in range(8)]
    assert a != b
    swapped = [selection.focus(prefs_from(partners='["Sam", "Alex"]'), slot("checkin", i)) for i in range(8)]
    assert a == swapped  # the order of the names does not change the plan


def test_prompts_do_not_repeat_until_their_deck_is_used_up() -> None:
    prefs = prefs_from('[conversation]\ndepth = "deep"\n')
    n = len(LIB.practices)
    practice = selection.focus_practice(prefs, slot("checkin", 0))
    assert practice is not None
    dealt: dict[str, list[str]] = {d: [] for d in DEPTHS}
    for visit in range(6):  # the same practice is the focus every n check-ins
        occ = slot("checkin", visit * n)
        assert selection.focus_practice(prefs, occ) == practice
        for q in selection.prompts(prefs, occ):
            dealt[q.depth].append(q.text)
    for depth, texts in dealt.items():
        deck = [q.text for q in practice.prompts if q.depth == depth]
        size = len(deck)
        for start in range(0, len(texts) - size + 1):
            window = texts[start : start + size]
            assert sorted(window) == sorted(deck), (depth, window)  # each deck dealt whole before reuse


def test_speaking_order_alternates_week_by_week() -> None:
    prefs = prefs_from()
    firsts = [selection.speakers(prefs, o)[0] for o in year_of(prefs, "checkin")[:6]]
    assert firsts == ["Alex", "Sam", "Alex", "Sam", "Alex", "Sam"]
    three = prefs_from(partners='["A", "B", "C"]')
    assert [selection.speakers(three, slot("checkin", i))[0] for i in range(4)] == ["A", "B", "C", "A"]


# --------------------------------------------------------------------------- limits, as a property


TOPICS = LIB.topics


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    depth=st.sampled_from(DEPTHS),
    off_limits=st.lists(st.sampled_from(TOPICS), max_size=6, unique=True),
    places=st.lists(st.sampled_from(PLACES), min_size=1, unique=True),
    budget=st.sampled_from([0, 20, 60, 200]),
    start=st.dates(dt.date(2024, 1, 1), dt.date(2035, 12, 31)),
)
def test_off_limits_and_depth_hold_for_a_year(
    depth: str, off_limits: list[str], places: list[str], budget: int, start: dt.date
) -> None:
    quoted = json.dumps  # TOML arrays of strings read like JSON ones
    prefs = prefs_from(
        f'[checkin]\nformat = "state-of-the-union"\n'
        f'[date_night]\ncadence = "weekly"\nbudget = {budget}\nsettings = {quoted(places)}\n'
        f'[conversation]\ndepth = "{depth}"\noff_limits = {quoted(off_limits)}\n',
        start=start,
    )
    limit = DEPTHS.index(depth)
    off = set(off_limits)
    too_deep_or_off = {
        q.text
        for p in LIB.practices
        for q in p.prompts
        if q.level > limit or off & set(q.tags) or off & set(p.tags)
    } | {q.text for i in LIB.ideas for q in i.prompts if q.level > limit}
    for occ in schedule.occurrences(prefs, start, start + dt.timedelta(days=365)):
        if occ.ritual == "checkin":
            practice = selection.focus_practice(prefs, occ)
            assert practice is None or not off & set(practice.tags)
            for q in selection.prompts(prefs, occ):
                assert q.level <= limit and not off & set(q.tags), q
        else:
            chosen = date_ideas.idea_fit(prefs, occ).idea
            assert chosen is None or (chosen.setting in places and chosen.cost <= budget)
        text = agenda.render(prefs, occ, user_dir=None, history=History())
        leaked = [t for t in too_deep_or_off if t in text]
        assert leaked == [], (occ.date, leaked)


# --------------------------------------------------------------------------- time boxes


@given(
    weights=st.dictionaries(
        st.text("abcdefgh", min_size=1, max_size=6), st.integers(1, 20), min_size=1, max_size=9
    ),
    total=st.integers(5, 720),
)
def test_time_boxes_add_up_to_the_duration(weights: dict[str, int], total: int) -> None:
    boxes = agenda.timebox(weights, total)
    assert list(boxes) == list(weights)
    assert sum(boxes.values()) == total
    if total >= len(weights):
        assert min(boxes.values()) >= 1
    whole = sum(weights.values())
    for name, minutes in boxes.items():  # each box is close to its share
        assert abs(minutes - total * weights[name] / whole) < 2 or total < len(weights) * 2


def test_time_boxes_keep_the_templates_own_proportions() -> None:
    weekly = {
        "appreciations": 4,
        "safety": 3,
        "practice": 7,
        "topic": 8,
        "follow": 3,
        "commit": 3,
        "close": 2,
    }
    assert list(agenda.timebox(weekly, 30).values()) == [4, 3, 7, 8, 3, 3, 2]
    assert list(agenda.timebox(weekly, 60).values()) == [8, 6, 14, 16, 6, 6, 4]


# --------------------------------------------------------------------------- the seed's digest


@given(st.text())
def test_builtin_sha256_is_hashlibs(text: str) -> None:
    """digest skips hashlib (OpenSSL, ~4 ms at start-up); the seeds must not change for it."""
    import hashlib

    from ritualcli.core.digest import sha256_hex

    assert sha256_hex(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
