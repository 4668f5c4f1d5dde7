"""Check-in agendas: each format's sections and time boxes, who speaks first, the safety
note at the end, and where agendas are written (`--out`, `export markdown`)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agendas import BOX, ends_with_safety_note, headings, user_template
from conftest import COUPLE, Invoke, WriteConfig
from ritualcli.core import agenda, library, preferences, schedule, selection
from ritualcli.core.history import History
from ritualcli.core.preferences import FORMAT_MINUTES, Preferences

pytestmark = pytest.mark.usefixtures("pinned_today")

# --------------------------------------------------------------------------- the weekly check-in


def test_weekly_checkin_has_its_sections_names_and_boxes(cli: Invoke, write_config: WriteConfig) -> None:
    write_config()
    md = cli("agenda", "checkin", "--date", "2026-11-29").stdout  # the couple's first
    assert headings(md) == [
        "# Check-in: Sunday 29 November 2026",
        "## Today's practice: Agree the ground rules of your check-ins",  # the ground rules first
        "## Appreciations",
        "## Where you are starting from",
        "## A topic, in turns",
        "## One commitment each, and close",
    ]
    assert "Your first month, check-in 1 of 4." in md
    assert "Alex & Sam · 19:00–19:30 EST · 30 minutes" in md
    assert re.search(r"^- Alex: \\_\\_ / 10$", md, re.M) and re.search(r"^- Sam: \\_\\_ / 10$", md, re.M)
    # The practice gets the eight minutes its exercise needs; the topic what is left.
    assert [int(b) for b in BOX.findall(md)] == [8, 4, 5, 10, 3]
    assert "**." not in md and "This week" not in md
    assert ends_with_safety_note(md)


@pytest.mark.parametrize(
    ("partners", "turns"),
    [
        (["Alex", "Sam"], [[("Alex", "Sam")], [("Sam", "Alex")], [("Alex", "Sam")]]),
        (["Ana", "Bo", "Cy"], [[("Ana", "Bo")], [("Bo", "Cy")], [("Cy", "Ana")]]),
    ],
)
def test_who_speaks_first_turns_at_every_checkin(
    cli: Invoke, write_config: WriteConfig, partners: list[str], turns: list[list[tuple[str, str]]]
) -> None:
    write_config(COUPLE.replace('["Alex", "Sam"]', json.dumps(partners)))
    for day, expected in zip(("2026-11-29", "2026-12-06", "2026-12-13"), turns, strict=True):
        md = cli("agenda", "checkin", "--date", day).stdout
        assert re.findall(r"^1\. (\w+) speaks; (\w+) listens", md, re.M) == expected, day


WHEN_PROBE = """\
import datetime as dt, json, locale
from zoneinfo import ZoneInfo
from ritualcli.core.agenda import When
from ritualcli.core.schedule import Occurrence
zone = ZoneInfo("America/New_York")
whens = []
for start in (dt.datetime(2026, 11, 1, 19, 0, tzinfo=zone), dt.datetime(2027, 7, 4, 9, 5, tzinfo=zone)):
    occ = Occurrence("checkin", start.date(), start, start + dt.timedelta(minutes=95), 0)
    whens.append(When.of(occ, "America/New_York"))
try:  # what the locale in the environment would have named the day, had ritual asked for it
    locale.setlocale(locale.LC_ALL, "")
    local = f"{dt.date(2026, 11, 1):%A}"
except locale.Error:  # not installed here: the C locale, as ritual always has
    local = None
print(json.dumps({"whens": whens, "local": local}))
"""


def test_when_names_days_and_months_in_english_whatever_the_locale() -> None:
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "LC_ALL": "de_DE.UTF-8", "LANG": "de_DE.UTF-8"}
    proc = subprocess.run(
        [sys.executable, "-c", WHEN_PROBE], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert got["whens"] == [
        ["2026-11-01", "Sunday", "Sunday 1 November 2026", "19:00", "20:35", "EST", "America/New_York"],
        ["2027-07-04", "Sunday", "Sunday 4 July 2027", "09:05", "10:40", "EDT", "America/New_York"],
    ]
    # Where German is installed, the environment really asked for it ("Sonntag").
    assert got["local"] in (None, "Sonntag")


@pytest.mark.parametrize("fmt", ["weekly", "state-of-the-union", "quick"])
def test_every_checkin_format_ends_with_the_safety_note(
    cli: Invoke, write_config: WriteConfig, fmt: str
) -> None:
    write_config(COUPLE + f'[checkin]\nformat = "{fmt}"\n')
    assert ends_with_safety_note(cli("agenda", "checkin").stdout)


def test_names_and_locations_cannot_inject_markdown(cli: Invoke, write_config: WriteConfig) -> None:
    write_config(
        'version = 1\n[couple]\npartners = ["<b>Al</b>", "# Sam*"]\ntimezone = "UTC"\n'
        '[checkin]\nlocation = "[click](http://x) | table"\n'
    )
    md = cli("agenda", "checkin").stdout
    assert "<b>" not in md and "&lt;b&gt;Al&lt;/b&gt;" in md
    assert not re.search(r"^# Sam", md, re.M) and r"\# Sam\*" in md
    assert r"\[click\](http://x) \| table" in md


# --------------------------------------------------------------------------- time boxes


@pytest.mark.parametrize(
    ("fmt", "duration", "most"),
    [
        ("weekly", 30, 5),
        ("weekly", 45, 5),
        ("weekly", 20, 5),
        ("state-of-the-union", 60, 6),
        ("state-of-the-union", 90, 6),
        ("quick", 15, 4),
        ("quick", 10, 4),
    ],
)
def test_each_formats_boxes_add_up_to_its_duration(
    cli: Invoke, write_config: WriteConfig, fmt: str, duration: int, most: int
) -> None:
    write_config(COUPLE + f'[checkin]\nformat = "{fmt}"\nduration = {duration}\n')
    # The second check-in (appreciation: its section gives way), then others.
    for day in ("2026-12-06", "2026-12-13", "2027-02-07"):
        md = cli("agenda", "checkin", "--date", day).stdout
        boxes = [int(b) for b in BOX.findall(md)]
        assert most - 1 <= len(boxes) <= most, (day, boxes)
        assert sum(boxes) == duration
        assert min(boxes) >= 1
        assert f"{duration} minutes" in md


@given(
    weights=st.dictionaries(
        st.text("abcdefgh", min_size=1, max_size=6), st.integers(1, 20), min_size=1, max_size=9
    ),
    total=st.integers(5, 720),
)
def test_timebox_shares_any_duration_by_the_weights(weights: dict[str, int], total: int) -> None:
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


# --------------------------------------------------------------------------- the formats: each exercise in a box long enough for it


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


# --------------------------------------------------------------------------- where agendas are written


def test_out_writes_a_private_file_with_the_same_text(
    cli: Invoke, write_config: WriteConfig, tmp_path: Path
) -> None:
    write_config()
    shown = cli("agenda", "checkin", "--out", "-").stdout
    target = tmp_path / "agenda.md"
    cli("agenda", "checkin", "--out", str(target))
    assert target.read_text(encoding="utf-8") == shown
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    folder = tmp_path / "agendas"
    folder.mkdir()
    cli("agenda", "date-night", "--out", str(folder))
    assert [p.name for p in folder.iterdir()] == ["2026-12-04-date-night.md"]


def test_export_markdown_writes_one_file_each_and_reruns_touch_nothing(
    cli: Invoke, write_config: WriteConfig, tmp_path: Path
) -> None:
    write_config()
    out = tmp_path / "md"
    first = cli("export", "markdown", "--out", str(out), "--weeks", "3").stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "2026-11-29-checkin.md",
        "2026-12-04-date-night.md",
        "2026-12-06-checkin.md",
        "2026-12-13-checkin.md",
    ]
    assert first.count("wrote") == 4
    assert (out / "2026-12-06-checkin.md").read_text(encoding="utf-8") == cli(
        "agenda", "checkin", "--date", "2026-12-06"
    ).stdout
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir()}
    second = cli("export", "markdown", "--out", str(out), "--weeks", "3").stdout
    assert second.count("unchanged") == 4 and "wrote" not in second
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir()} == before
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in out.iterdir())


def test_export_markdown_with_a_broken_template_changes_no_file(
    cli: Invoke, write_config: WriteConfig, tmp_path: Path
) -> None:
    config = write_config()
    checkin = user_template(config, "checkin/weekly.md.j2", "# check-in {{ when.date }}\n")
    date_night = user_template(config, "date-night.md.j2", "# date night {{ when.date }}\n")
    out = tmp_path / "md"
    cli("export", "markdown", "--out", str(out), "--weeks", "3")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # the check-ins would change, the date night (the second agenda) fails: all or nothing
    checkin.write_text("# changed check-in {{ when.date }}\n", encoding="utf-8")
    date_night.write_text("{{ no_such_variable }}\n", encoding="utf-8")
    assert "no_such_variable" in cli("export", "markdown", "--out", str(out), "--weeks", "3", code=2).stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # and no temp file left


def test_export_markdown_refuses_dash(cli: Invoke, tmp_path: Path) -> None:
    assert "weekly --stdout" in cli("export", "markdown", "--out", "-", code=2).stderr


def test_same_agenda_in_processes_with_different_hash_seeds(write_config: WriteConfig) -> None:
    write_config(
        COUPLE + '[date_night]\ninterests = ["music", "nature", "food"]\navoid = ["crowds", "alcohol"]\n'
        '[conversation]\ndepth = "deep"\noff_limits = ["family", "money", "work"]\n'
    )
    script = (
        "from typer.testing import CliRunner\nfrom ritualcli.cli.app import app\n"
        "for args in (['plan', '--format', 'json', '--weeks', '10'],"
        " ['agenda', 'checkin', '--date', '2026-12-13'], ['agenda', 'date-night']):\n"
        "    r = CliRunner().invoke(app, args)\n    print(r.exit_code, r.stdout)\n"
    )

    def run(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    one, two = run("1"), run("4242")
    assert one == two
    assert one.count("0 ") >= 3 and '"focus": {' in one
