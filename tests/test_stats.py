"""`ritual stats`: the rhythm (held, skipped, not recorded), the ratings and the gap between
them, the commitments, and support where the ratings call for it; never a note."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import Invoke
from histories import D, year_file
from ritualcli.core import history
from ritualcli.core.history import Commitment, Entry

TODAY = D(2027, 11, 27)  # a Saturday: 52 Sundays since 2026-11-29


SKIPPED = {10, 20, 30, 40}


UNRECORDED = {5, 15, 25, 35, 45}


FIRST_FRIDAYS = [D(2026, 12, 4)] + [
    D(2027, m, d)
    for m, d in [(1, 1), (2, 5), (3, 5), (4, 2), (5, 7), (6, 4), (7, 2), (8, 6), (9, 3), (10, 1), (11, 5)]
]


def a_year(data: Path, layout: str = "by year") -> None:
    """52 weekly check-ins and 12 monthly date nights, some skipped, some never recorded.

    ``layout``: "by year" (history/2026.toml, history/2027.toml) or "one file", as an
    older ritual kept it (history.toml), which still loads as it is.
    """
    out: list[Entry] = []
    for i in range(52):
        day = D(2026, 11, 29) + dt.timedelta(weeks=i)
        if i in UNRECORDED:
            continue
        if i in SKIPPED:
            out.append(Entry("checkin", day, "skipped", reason="PRIVATE-REASON"))
            continue
        sam = 4 if i >= 49 else 6  # the last three: low
        commits = (Commitment(f"c-{day}-1", "Alex", f"promise {i}"),) if i in (0, 1, 2, 51) else ()
        kept = (f"c-{day - dt.timedelta(weeks=1)}-1",) if i in (1, 2, 3) else ()
        out.append(
            Entry(
                "checkin",
                day,
                ratings=(("Alex", 8), ("Sam", sam)),
                commitments=commits,
                kept=kept,
                note=f"PRIVATE-NOTE-{i}",
            )
        )
    out.append(Entry("checkin", D(2027, 3, 10), unplanned=True))
    for d in FIRST_FRIDAYS:
        if d == D(2027, 7, 2):
            out.append(Entry("date-night", d, "skipped"))
        elif d != D(2027, 11, 5):
            out.append(Entry("date-night", d, note="PRIVATE-DATE-NOTE"))
    if layout == "one file":
        (data / "history.toml").write_text(history.render(None, out))
        return
    (data / "history").mkdir()
    for year in (2026, 2027):
        year_file(data, year).write_text(history.render(year, [e for e in out if e.date.year == year]))


@pytest.mark.parametrize("layout", ["by year", "one file"])
def test_stats_over_a_year_of_history(cli: Invoke, data: Path, layout: str) -> None:
    a_year(data, layout)
    env = {"RITUAL_TODAY": TODAY.isoformat()}
    s = json.loads(cli("stats", "--weeks", "52", "--format", "json", env=env).stdout)
    assert (s["from"], s["to"]) == ("2026-11-29", "2027-11-27")
    assert s["weeks"] == 52 and s["since_start"] is False
    cut = json.loads(
        cli("stats", "--weeks", "12", "--format", "json", env={"RITUAL_TODAY": "2026-12-20"}).stdout
    )
    assert cut["since_start"] is True and cut["from"] > "2026-09-27"  # the window began before the couple did
    assert s["rhythm"] == {
        "checkin": {"planned": 52, "held": 43, "skipped": 4, "not_recorded": 5, "unplanned": 1},
        "date-night": {"planned": 12, "held": 10, "skipped": 1, "not_recorded": 1, "unplanned": 0},
    }
    assert len(s["ratings"]["Alex"]["points"]) == 43
    assert s["ratings"]["Alex"]["average"] == 8.0
    assert s["ratings"]["Sam"]["average"] == 5.9  # (40 × 6 + 3 × 4) / 43
    assert s["average_gap"] == 2.1  # (40 × 2 + 3 × 4) / 43
    assert len(s["gaps"]) == 43 and s["gaps"][-1] == {"date": "2027-11-21", "gap": 4}
    assert s["commitments"] == {"made": 4, "kept": 3, "let_go": 0, "open": 1}
    assert "last 3 check-ins" in s["support"] and "couples therapist" in s["support"]
    assert "carried" not in s["support"]  # the one open commitment is brand new

    text = cli("stats", "--weeks", "52", env=env).stdout
    assert "Check-in    43 held · 4 skipped · 5 not recorded  (of 52 planned)  + 1 unplanned" in text
    assert "Date night  10 held · 1 skipped · 1 not recorded  (of 12 planned)" in text
    assert "not a failure" in text and "streak" not in text.lower()
    assert "  Alex  " + "▆" * 43 + "  latest 8 · average 8.0 · lowest 8 · highest 8" in text
    assert "  Sam   " + "▅" * 40 + "▃▃▃  latest 4 · average 5.9 · lowest 4 · highest 6" in text
    assert (
        "Gap between your ratings: latest 4 (2027-11-21) · average 2.1 · widest 4 · 4 or more at 3 check-ins "
        "(at 43 check-ins where everyone rated)"
    ) in text
    assert "Commitments made: 4 · kept: 3 · still open: 1" in text
    assert "couples therapist" in text and "someone you trust" in text
    assert "A note on safety." in text and "1-800-799-7233" in text  # the note every agenda ends with
    assert "\x1b[" not in text and "PRIVATE" not in text


def test_stats_over_the_last_twelve_weeks_shows_the_numbers_too(cli: Invoke, data: Path) -> None:
    a_year(data)
    text = cli("stats", env={"RITUAL_TODAY": TODAY.isoformat()}).stdout
    assert text.startswith("Your rhythm, 2027-09-05 to 2027-11-27 (12 weeks)\n")
    assert "Check-in    10 held · 1 skipped · 1 not recorded  (of 12 planned)\n" in text
    assert "  Sam   ▅▅▅▅▅▅▅▃▃▃  latest 4" in text
    assert "        6 6 6 6 6 6 6 4 4 4\n" in text
    assert "  gap   2 2 2 2 2 2 2 4 4 4\n" in text  # the gap at each check-in, not only on average
    assert "Commitments made: 1 · kept: 0 · still open: 1" in text


def test_stats_rejects_a_silly_window(cli: Invoke, data: Path) -> None:
    assert "--weeks 0" in cli("stats", "--weeks", "0", code=2).stderr


def test_commitments_and_stats_on_the_example_couple(cli: Invoke) -> None:
    assert cli("commitments").stdout == "No open commitments.\n"
    r = cli("stats", env={"RITUAL_TODAY": "2026-12-31"})
    assert "built-in example couple" in r.stderr
    assert "No safety ratings in this window yet" in r.stdout


def test_stats_all_reads_every_year(cli: Invoke, data: Path) -> None:
    cli("done", "checkin", "--rating", "Alex=7", "--rating", "Sam=3")
    s = json.loads(cli("stats", "--all", "--format", "json", env={"RITUAL_TODAY": "2028-06-01"}).stdout)
    assert s["from"] <= "2026-11-29" and s["gaps"] == [{"date": "2026-11-29", "gap": 4}]


def test_stats_at_a_terminal_has_a_row_for_the_gap(
    cli: Invoke, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ritualcli.cli import output

    cli("done", "checkin", "--rating", "Alex=2", "--rating", "Sam=9")
    monkeypatch.setattr(output, "is_terminal", lambda stream=None: True)
    text = cli("stats").stdout
    assert "│ gap " in text and "│ 7 " in text
    assert "Gap between your ratings: latest 7 (2026-11-29)" in " ".join(text.split())
