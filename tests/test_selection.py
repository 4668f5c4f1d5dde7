"""Check-ins: the first month, the rotation, decks, the climb in depth, the couple's limits."""

from __future__ import annotations

import datetime as dt
import itertools
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ritualcli.core import agenda, firstmonth, history, library, preferences, schedule, selection
from ritualcli.core.history import History
from ritualcli.core.preferences import DEPTHS, PLACES, Preferences
from ritualcli.core.schedule import Occurrence

LIB = library.load()
START = dt.date(2026, 11, 23)
PATH = ["safe-space", "appreciation", "active-listening", "validation"]


def prefs_from(
    extra: str = "", partners: str = '["Alex", "Sam"]', start: dt.date | None = START
) -> Preferences:
    when = f"start = {start}\n" if start else ""
    text = f'version = 1\n[couple]\npartners = {partners}\ntimezone = "Europe/Berlin"\n{when}{extra}'
    return preferences.parse_bytes(text.encode())


def checkins(prefs: Preferences, n: int, frm: dt.date = START) -> list[Occurrence]:
    found = schedule.occurrences(prefs, frm, frm + dt.timedelta(days=7 * n + 400), ["checkin"])
    assert len(found) >= n
    return found[:n]


def focus_ids(prefs: Preferences, occs: list[Occurrence], began: dt.date = START) -> list[str]:
    found = [selection.focus(prefs, o, began) for o in occs]
    return [f.id for f in found if f]


# --------------------------------------------------------------------------- the first month


def test_the_first_four_checkins_walk_the_foundation_path_in_order() -> None:
    prefs = prefs_from('[conversation]\ndepth = "deep"\n')
    occs = checkins(prefs, 40)
    ids = focus_ids(prefs, occs)
    assert ids[:4] == PATH
    kinds = {p.id: p.kind for p in LIB.practices}
    assert {kinds[i] for i in ids[:4]} == {"foundation"}
    # Then the rotation: every practice once before any comes back, and not the
    # path's last practice twice in a row.
    n = len(LIB.practices)
    assert sorted(ids[4 : 4 + n]) == sorted(p.id for p in LIB.practices)
    assert ids[4] != ids[3]


def test_no_conflict_before_the_rotation_and_the_climb_in_depth() -> None:
    prefs = prefs_from('[conversation]\ndepth = "deep"\n[checkin]\nformat = "state-of-the-union"\n')
    occs = checkins(prefs, 8)
    deepest = []
    for i, occ in enumerate(occs):
        dealt = selection.prompts(prefs, occ, START)
        assert dealt
        deepest.append(max(q.level for q in dealt))
        if i < 4:
            assert not [q for q in dealt if "conflict" in q.tags], (i, dealt)
    # Light at the first two, medium at the next two, then the couple's setting.
    assert [DEPTHS[d] for d in deepest] == ["light"] * 2 + ["medium"] * 2 + ["deep"] * 4


def test_within_an_agenda_prompts_climb_one_level_at_a_time() -> None:
    prefs = prefs_from('[conversation]\ndepth = "deep"\n')
    for occ in checkins(prefs, 40):
        levels = [q.level for q in selection.prompts(prefs, occ, START)]
        assert levels == sorted(levels) and levels[0] == 0
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


def test_a_depth_left_empty_stops_the_climb_instead_of_jumping() -> None:
    bare = (
        library.Prompt("light one", "light", ()),
        library.Prompt("medium one", "medium", ("money",)),
        library.Prompt("deep one", "deep", ()),
    )
    kept = selection.climbing(bare, DEPTHS.index("deep"), frozenset({"money"}))
    assert [q.text for q in kept] == ["light one"]


def test_a_skipped_day_does_not_use_up_a_step_of_the_path() -> None:
    prefs = prefs_from("[skip]\ndates = [2026-12-06]\n")
    occs = checkins(prefs, 5)
    assert dt.date(2026, 12, 6) not in [o.date for o in occs]
    assert focus_ids(prefs, occs)[:4] == PATH


def test_without_a_start_the_first_recorded_checkin_begins_the_month() -> None:
    prefs = prefs_from(start=None)
    recorded = history.parse('[[entry]]\nritual = "checkin"\ndate = 2027-03-07\n')
    began = firstmonth.began(prefs, recorded)
    assert began == dt.date(2027, 3, 7)
    occs = checkins(prefs, 4, frm=began)
    assert focus_ids(prefs, occs, began) == PATH


# --------------------------------------------------------------------------- the rotation


def test_focus_order_is_the_couples_own() -> None:
    def rotation(partners: str) -> list[str]:
        prefs = prefs_from(partners=partners)
        return focus_ids(prefs, checkins(prefs, 12))[4:]

    a = rotation('["Alex", "Sam"]')
    assert a != rotation('["Kim", "Jo"]')
    assert a == rotation('["Sam", "Alex"]')  # the order of the names does not change the plan


@settings(max_examples=40, deadline=None)
@given(
    names=st.lists(st.text("abcdefghijklmnop", min_size=1, max_size=8), min_size=2, max_size=3, unique=True),
    off_limits=st.lists(st.sampled_from(LIB.topics), max_size=4, unique=True),
)
def test_after_the_first_month_conflict_and_repair_practices_are_spread_out(
    names: list[str], off_limits: list[str]
) -> None:
    """Never two conflict or repair practices in a row (wrapping round), and the rotation opens gently."""
    prefs = prefs_from(f"[conversation]\noff_limits = {json.dumps(off_limits)}\n", partners=json.dumps(names))
    kinds = {p.id: p.kind for p in LIB.practices}
    off = set(off_limits)
    # Every practice the couple's limits leave a question of, once each, then again in that order.
    usable = {
        p.id for p in LIB.practices if not off & set(p.tags) and any(not off & set(q.tags) for q in p.prompts)
    }
    n = len(usable)
    ids = focus_ids(prefs, checkins(prefs, 4 + 2 * n))[4:]
    assert sorted(ids[:n]) == sorted(usable) and ids[n:] == ids[:n]
    hard = [kinds[i] in ("conflict", "repair") for i in ids]
    assert hard[:n].count(True) * 2 <= n  # enough gentle ones here to spread them out
    assert not hard[0] and not hard[1]
    assert not any(a and b for a, b in itertools.pairwise(hard)), [kinds[i] for i in ids]


def test_prompts_do_not_repeat_until_their_deck_is_used_up() -> None:
    prefs = prefs_from('[conversation]\ndepth = "deep"\n')
    n = len(LIB.practices)
    occs = checkins(prefs, 4 + 6 * n)
    practice = selection.focus_practice(prefs, occs[4], START)
    assert practice is not None
    dealt: dict[str, list[str]] = {d: [] for d in DEPTHS}
    for visit in range(6):  # the same practice is the focus every n check-ins
        occ = occs[4 + visit * n]
        assert selection.focus_practice(prefs, occ, START) == practice
        for q in selection.prompts(prefs, occ, START):
            dealt[q.depth].append(q.text)
    for depth, texts in dealt.items():
        deck = [q.text for q in practice.prompts if q.depth == depth]
        size = len(deck)
        for start in range(0, len(texts) - size + 1):
            window = texts[start : start + size]
            assert sorted(window) == sorted(deck), (depth, window)  # each deck dealt whole before reuse


def test_quick_offers_only_light_and_medium_and_never_a_disagreement() -> None:
    prefs = prefs_from('[conversation]\ndepth = "deep"\n[checkin]\nformat = "quick"\n')
    for occ in checkins(prefs, 60):
        for q in selection.prompts(prefs, occ, START):
            assert q.depth in ("light", "medium") and "conflict" not in q.tags, q


# --------------------------------------------------------------------------- limits, as a property


TOPICS = LIB.topics
FORMATS = ("weekly", "state-of-the-union", "quick")


def _carries(prompts: list[library.Prompt], off: set[str], limit: int) -> set[str]:
    return {q.text for q in prompts if q.level > limit or off & set(q.tags)}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    depth=st.sampled_from(DEPTHS),
    off_limits=st.lists(st.sampled_from(TOPICS), max_size=6, unique=True),
    places=st.lists(st.sampled_from(PLACES), min_size=1, unique=True),
    budget=st.sampled_from([0, 20, 60, 200]),
    fmt=st.sampled_from(FORMATS),
    start=st.dates(dt.date(2024, 1, 1), dt.date(2035, 12, 31)),
)
def test_off_limits_and_depth_hold_for_a_year_of_every_agenda(
    depth: str, off_limits: list[str], places: list[str], budget: int, fmt: str, start: dt.date
) -> None:
    """No prompt with an excluded tag, or deeper than the setting, in a year of every kind of agenda."""
    quoted = json.dumps  # TOML arrays of strings read like JSON ones
    prefs = prefs_from(
        f'[checkin]\nformat = "{fmt}"\n'
        f'[date_night]\ncadence = "weekly"\nbudget = {budget}\nsettings = {quoted(places)}\n'
        f'[conversation]\ndepth = "{depth}"\noff_limits = {quoted(off_limits)}\n',
        start=start,
    )
    limit = DEPTHS.index(depth)
    off = set(off_limits)
    checkin_prompts = [q for p in LIB.practices for q in p.prompts]
    ruled_out = _carries(checkin_prompts, off, limit)
    ruled_out |= {q.text for p in LIB.practices if off & set(p.tags) for q in p.prompts}
    ruled_out |= _carries([q for i in LIB.ideas for q in i.prompts], off, limit)
    first_month_conflict = {q.text for q in checkin_prompts if "conflict" in q.tags}
    for occ in schedule.occurrences(prefs, start, start + dt.timedelta(days=365)):
        text = agenda.render(prefs, occ, user_dir=None, history=History())
        leaked = [t for t in ruled_out if t in text]
        if firstmonth.path_step(prefs, start, occ.date):
            leaked += [t for t in first_month_conflict if t in text]
        assert leaked == [], (occ.ritual, occ.date, leaked)
    repair = agenda.render_repair(prefs, user_dir=None)
    assert [t for t in _carries([q for s in LIB.repair for q in s.prompts], off, limit) if t in repair] == []


# --------------------------------------------------------------------------- time boxes


# --------------------------------------------------------------------------- the seed's digest
