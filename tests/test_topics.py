"""Topics of your own: `ritual topic add` queues one, the next check-in offers the queue,
`done --discussed` or `topic drop` takes it off; it stays in the couple's own files only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import COUPLE, Invoke, WriteConfig
from histories import SUNDAYS, D, held
from ritualcli.core import history
from ritualcli.core.errors import InputError


def test_topics_queue_until_discussed_or_dropped(data: Path) -> None:
    a, _ = history.add_topic(data, "the holidays", "Alex", D(2026, 11, 30))
    b, _ = history.add_topic(data, "money <and> *stuff*", "", D(2026, 11, 30))
    assert (a.id, b.id) == ("t-2026-11-30-1", "t-2026-11-30-2")
    assert history.load(data).topics == (a, b)
    change = history.record(data, held(SUNDAYS[1], discussed=(a.id,)))
    assert change.discussed == (a,)
    hist = history.load(data)
    assert hist.topics == (b,) and hist.entries[0].discussed == (a,)  # kept in the history
    with pytest.raises(InputError, match="no queued topic has that id"):
        history.record(data, held(SUNDAYS[1], discussed=("t-9",)))
    with pytest.raises(
        InputError, match=f"talked about at the check-in of {SUNDAYS[1]}, so it is no longer queued"
    ):
        history.drop_topic(data, a.id)  # says when, not just "no such id"
    history.drop_topic(data, b.id)
    assert history.load(data).topics == ()
    history.undo(data)  # the drop, taken back
    assert history.load(data).topics == (b,)
    c, _ = history.add_topic(data, "later", "", D(2026, 11, 30))
    assert c.id == "t-2026-11-30-3"  # never the id of one discussed


def test_topics_wait_in_the_agenda_and_nowhere_else(
    cli: Invoke, data: Path, write_config: WriteConfig, tmp_path: Path
) -> None:
    write_config(COUPLE + "[calendar]\nprivate = false\n")  # agendas in the calendar too
    r = cli("topic", "add", "money <b>*overdraft*</b>", "--by", "sam")
    assert r.stdout.startswith("Queued t-2026-12-02-1: money <b>*overdraft*</b> (raised by Sam)")
    cli("topic", "add", "the ski trip")
    assert json.loads(cli("topic", "list", "--format", "json").stdout)[0] == {
        "id": "t-2026-12-02-1",
        "text": "money <b>*overdraft*</b>",
        "by": "Sam",
        "added": "2026-12-02",
    }
    agenda = cli("agenda", "checkin").stdout
    topic = agenda.split("## A topic, in turns", 1)[1].split("\n## ", 1)[0]
    assert "Choose one together; the others wait for another week" in topic
    assert r"- money &lt;b&gt;\*overdraft\*&lt;/b&gt; (raised by Sam) · id t-2026-12-02-1" in topic
    words = " ".join(topic.split())
    assert "speaker-listener technique, from PREP" in words and "Understand before solving" in words
    assert "call a time-out: at least twenty minutes apart" in words
    cli("weekly", "--out", str(tmp_path / "week"))
    assert "overdraft" in next((tmp_path / "week").iterdir()).read_text()  # the couple's own file
    mail = cli("weekly", "--stdout").stdout
    assert "overdraft" not in mail and "ski trip" not in mail
    assert "2 topics of your own are waiting: `ritual topic list` shows them." in mail
    cli("export", "ics", "--agendas", "3", "--out", str(tmp_path / "r.ics"))
    assert (
        "overdraft" not in (tmp_path / "r.ics").read_text()
        and "ski trip" not in (tmp_path / "r.ics").read_text()
    )
    cli("topic", "drop", "t-2026-12-02-2")
    assert (
        cli("topic", "list").stdout
        == "t-2026-12-02-1  money <b>*overdraft*</b> (raised by Sam)  (added 2026-12-02)\n"
    )
    assert "ID t-9: no queued topic has that id" in cli("topic", "drop", "t-9", code=2).stderr
