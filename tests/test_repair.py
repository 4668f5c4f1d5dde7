"""`ritual agenda repair`: after a hard conversation, its own deck, in order (pause, hear,
own, plan), never a weekly prompt or an off-limits topic."""

from __future__ import annotations

from agendas import ends_with_safety_note, headings
from conftest import COUPLE, Invoke, WriteConfig
from ritualcli.core import library, vocabulary

LIB = library.load()


def test_repair_agenda_follows_its_own_deck_in_order(cli: Invoke, write_config: WriteConfig) -> None:
    write_config(COUPLE + '[conversation]\ndepth = "deep"\noff_limits = ["family"]\n')
    md = cli("agenda", "repair").stdout
    steps = [s for s in LIB.repair if s.stage != "pause"]
    assert headings(md) == [
        "# Repair, after a hard conversation",
        *[f"## {n}. {s.title} (about {s.minutes} min)" for n, s in enumerate(steps, 1)],
    ]
    # The pause rule comes first, before any step, where a glance finds it.
    pause = next(s for s in LIB.repair if s.stage == "pause")
    assert md.index(pause.guide) < md.index("## 1.")
    # Hear, then own, then plan.
    order = [md.index(s.guide) for s in steps]
    assert order == sorted(order) and [s.stage for s in steps][-2:] == ["own", "plan"]
    # Its own deck only: nothing from the weekly decks, nothing on an off-limits topic.
    weekly = {q.text for p in LIB.practices for q in p.prompts}
    assert not [t for t in weekly if t in md]
    family = [q.text for s in LIB.repair for q in s.prompts if "family" in q.tags]
    assert family and not [t for t in family if t in md]
    assert ends_with_safety_note(md)
    assert "not tied to a date" in cli("agenda", "repair", "--date", "2026-12-01", code=2).stderr


def test_the_repair_deck_stays_on_the_incident_in_order() -> None:
    stages = [s.stage for s in LIB.repair]
    assert stages[0] == "pause" and stages == sorted(stages, key=list(vocabulary.REPAIR_STAGES).index)
    assert [s for s in stages if s != "pause"][:3] == ["hear", "hear", "hear"]
    pause = LIB.repair[0]
    assert pause.sources == () and "own addition" in pause.origin and "twenty minutes" in pause.guide
    own = next(s for s in LIB.repair if s.stage == "own")
    assert "only if" in own.guide.lower()
    deck = {q.text for s in LIB.repair for q in s.prompts}
    weekly = {q.text for p in LIB.practices for q in p.prompts}
    assert not deck & weekly  # nothing from the general decks right after a fight
    for step in LIB.repair:
        if step.stage != "pause":  # a couple at depth "light" still gets a question in every step
            assert [q for q in step.prompts if q.depth == "light" and not q.tags], step.id
