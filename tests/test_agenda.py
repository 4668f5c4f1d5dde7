"""Agendas through the CLI: sections, time boxes, plan agreement, templates, safety, export."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import COUPLE, Invoke
from ritualcli.core import history, library

WriteConfig = Callable[..., Path]
BOX = re.compile(r"^#+ .*\((\d+) min\)$", re.M)
HEADING = re.compile(r"^(#+) (.*?)(?: \(\d+ min\))?$", re.M)
HOTLINE = "1-800-799-7233"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RITUAL_TODAY", "2026-11-24")


def headings(md: str) -> list[str]:
    return [f"{level} {text}" for level, text in HEADING.findall(md)]


def ends_with_safety_note(md: str) -> bool:
    """The last part, after the last rule, is the safety note, and nothing follows it."""
    if "\n---\n" not in md:
        return False
    note = md[md.rindex("\n---\n") :]
    return HOTLINE in note and "afraid of your partner" in note and "\n#" not in note


# --------------------------------------------------------------------------- check-ins


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
def test_time_boxes_add_up_to_the_duration(
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


def test_time_boxes_are_timeboxs_own_and_each_template_gets_its_own() -> None:
    from ritualcli.core import agenda

    boxes = agenda._boxes(30)
    weights = {"appreciations": 4, "safety": 3, "practice": 7, "topic": 8}
    first = boxes(weights)
    assert first == agenda.timebox(weights, 30)
    first["safety"] = 99  # a template may change its own boxes...
    assert boxes(weights) == agenda.timebox(weights, 30)  # ...and no other agenda sees it
    assert agenda._boxes(45)(weights) == agenda.timebox(weights, 45)
    assert boxes({"a": 1, "b": 1}) == {"a": 15, "b": 15}
    with pytest.raises(ValueError, match="positive numbers"):
        boxes({"a": True, "b": 1})  # equal to the weights above, and still refused
    with pytest.raises(ValueError, match="positive numbers"):
        boxes({"a": [1]})  # unhashable: no shortcut, the same error
    assert boxes({"a": 1.0, "b": 1}) == agenda.timebox({"a": 1.0, "b": 1}, 30)


def test_speaking_order_alternates_week_by_week(cli: Invoke, write_config: WriteConfig) -> None:
    write_config()
    firsts = []
    for day in ("2026-11-29", "2026-12-06", "2026-12-13"):
        md = cli("agenda", "checkin", "--date", day).stdout
        turns = re.findall(r"^1\. (\w+) speaks; (\w+) listens", md, re.M)
        assert len(turns) == 1
        firsts.append(turns[0])
    assert firsts == [("Alex", "Sam"), ("Sam", "Alex"), ("Alex", "Sam")]


def test_agenda_shows_the_focus_and_idea_that_plan_shows(cli: Invoke, write_config: WriteConfig) -> None:
    write_config(COUPLE + '[date_night]\ncadence = "biweekly"\ninterests = ["music"]\n')
    rows = json.loads(cli("plan", "--format", "json", "--weeks", "6").stdout)
    kinds = {r["ritual"] for r in rows}
    assert kinds == {"checkin", "date-night"}
    for r in rows:
        md = cli("agenda", r["ritual"], "--date", r["date"]).stdout
        if r["ritual"] == "checkin":
            assert r["focus"] and f"## Today's practice: {r['focus']['title']} (" in md
        else:
            assert r["idea"] and f"## Tonight: {r['idea']['title']}\n" in md


FOLLOWED = """\
[[entry]]
ritual = "checkin"
date = 2026-11-29
ratings = { Alex = 3, Sam = 8 }
commitments = [
    { id = "c-1", owner = "Sam", text = "plan the *trip* <now>" },
    { id = "c-2", owner = "Alex", text = "walk after dinner" },
]

[[entry]]
ritual = "checkin"
date = 2026-12-06
ratings = { Alex = 2, Sam = 8 }
kept = ["c-2"]
"""


def follow_through(md: str) -> str:
    return md.split("## Since last time", 1)[1].split("\n## ", 1)[0]


def test_follow_through_renders_the_carry_over() -> None:
    import datetime as dt

    from ritualcli.core import agenda, preferences, schedule

    prefs = preferences.parse_bytes((COUPLE + "[support]\nlow_streak = 2\ncarried = 2\n").encode())
    occ = schedule.occurrence_on(prefs, "checkin", dt.date(2026, 12, 20))
    assert occ is not None
    hist = history.parse(FOLLOWED)
    md = agenda.render(prefs, occ, user_dir=None, history=hist)
    section = follow_through(md)
    assert r"- Sam: plan the \*trip\* &lt;now&gt; (open for 2 check-ins now)" in section
    # Carried to [support] carried check-ins: make it smaller or let it go, never a therapist.
    assert "make it smaller, or let it go, with no blame" in section
    assert "`ritual commitments let-go c-1`" in section
    assert "therapist" not in section and "gentle note" not in section
    assert "Kept since last time" in section and "- Alex: walk after dinner" in section
    # 2026-12-13 was never recorded: the agenda says so instead of guessing its commitments.
    assert "the check-in of 2026-12-13" in section and "ritual done checkin --date 2026-12-13" in section
    assert "Nothing is carried over" not in section

    # Low ratings open the agenda, before the appreciations, with support in the right order.
    opening = md[md.index("## First, how you are") : md.index("## Appreciations")]
    assert md.index("## First, how you are") < md.index("## Appreciations")
    assert "Alex was the one who felt least safe to be open" in opening
    assert "set the rest of this agenda aside" in opening
    note = opening.split("> A gentle note", 1)[1]
    assert "(a rating of 4 or less) at each of the last 2 check-ins." in note
    trusted, own, couples = (
        note.index(w) for w in ("someone you trust", "therapist of your own", "couples therapist")
    )
    assert trusted < own < couples and "if you both want it" in note
    assert "afraid of the other" in note and "note on safety" in note
    assert "Alex" not in note and "Sam" not in note  # the note never says who

    # Where others see it (a calendar, a mail), commitments still carry over; the opening does not.
    shared = agenda.render(prefs, occ, user_dir=None, history=hist, shared=True)
    assert "plan the" in follow_through(shared)
    assert "First, how you are" not in shared and "gentle note" not in shared and "least safe" not in shared


def test_a_first_low_rating_already_says_where_to_turn_when_less_safe_means_afraid() -> None:
    """Before any streak, the opening asks the one who felt least safe what would help, in
    front of the other; if that is fear, the agenda must not be the way through it."""
    import datetime as dt

    from ritualcli.core import agenda, preferences, schedule

    prefs = preferences.parse_bytes(COUPLE.encode())
    occ = schedule.occurrence_on(prefs, "checkin", dt.date(2026, 12, 20))
    assert occ is not None
    md = agenda.render(prefs, occ, user_dir=None, history=history.parse(FOLLOWED))
    opening = md[md.index("## First, how you are") : md.index("## Appreciations")]
    assert "gentle note" not in opening  # no streak yet
    assert "being afraid" in opening and "the note on safety at the end says" in opening
    assert "abuse, physical or emotional" in md[md.index("A note on safety") :]


def test_the_support_note_is_worded_by_its_template(tmp_path: Path) -> None:
    import datetime as dt

    from ritualcli.core import agenda, preferences, schedule

    prefs = preferences.parse_bytes((COUPLE + "[support]\nlow_streak = 2\n").encode())
    occ = schedule.occurrence_on(prefs, "checkin", dt.date(2026, 12, 13))
    assert occ is not None
    hist = history.parse(FOLLOWED)
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "_support.md.j2").write_text("Talk to someone ({{ support.low_streak }}).\n", encoding="utf-8")
    assert "\n> Talk to someone (2).\n" in agenda.render(prefs, occ, user_dir=mine, history=hist)


# --------------------------------------------------------------------------- date nights, repair


def test_date_night_agenda(cli: Invoke, write_config: WriteConfig) -> None:
    write_config(COUPLE + '[conversation]\ndepth = "light"\n')
    md = cli("agenda", "date-night", "--date", "2026-12-04").stdout
    hs = headings(md)
    assert hs[0] == "# Date night: Friday 4 December 2026"
    assert hs[1].startswith("## Tonight: ")
    assert hs[2:] == [
        "## Phones away",
        "## Talk, a little deeper as the evening goes",
        "## Close with thanks",
    ]
    talk = md[md.index("## Talk") : md.index("## Close")]
    assert len(re.findall(r"^\d\. ", talk, re.M)) == 1  # light: only the first, lightest prompt
    assert "19:30–22:00 EST · 2 h 30 min" in md
    assert ends_with_safety_note(md)


def test_when_no_idea_fits_the_agenda_says_what_to_widen(cli: Invoke, write_config: WriteConfig) -> None:
    write_config(
        COUPLE
        + '[date_night]\nbudget = 0\nsettings = ["out"]\navoid = ["crowds", "reading", "volunteering"]\n'
    )
    result = cli("agenda", "date-night")
    md = result.stdout
    assert "## Tonight: your choice" in md
    assert "No date idea in the library fits this date night (settings out; budget 0" in md
    assert re.search(r'add "(home|outdoors)" to date_night\.settings', md)
    assert len(re.findall(r"^\d\. ", md, re.M)) >= 1  # still something to talk about
    rows = json.loads(cli("plan", "--format", "json").stdout)
    assert [r["idea"] for r in rows if r["ritual"] == "date-night"] == [None]


def test_few_free_outings_are_named_and_widening_suggested(cli: Invoke, write_config: WriteConfig) -> None:
    write_config(COUPLE + '[date_night]\nbudget = 0\nsettings = ["out"]\n')
    md = cli("agenda", "date-night").stdout
    assert "Cost: free" in md
    assert re.search(r"> Only \d+ date ideas fit this date night .*date_night\.settings", md)


def test_repair_agenda_follows_its_own_deck_in_order(cli: Invoke, write_config: WriteConfig) -> None:
    write_config(COUPLE + '[conversation]\ndepth = "deep"\noff_limits = ["family"]\n')
    md = cli("agenda", "repair").stdout
    lib = library.load()
    steps = [s for s in lib.repair if s.stage != "pause"]
    assert headings(md) == [
        "# Repair, after a hard conversation",
        *[f"## {n}. {s.title} (about {s.minutes} min)" for n, s in enumerate(steps, 1)],
    ]
    # The pause rule comes first, before any step, where a glance finds it.
    pause = next(s for s in lib.repair if s.stage == "pause")
    assert md.index(pause.guide) < md.index("## 1.")
    # Hear, then own, then plan.
    order = [md.index(s.guide) for s in steps]
    assert order == sorted(order) and [s.stage for s in steps][-2:] == ["own", "plan"]
    # Its own deck only: nothing from the weekly decks, nothing on an off-limits topic.
    weekly = {q.text for p in lib.practices for q in p.prompts}
    assert not [t for t in weekly if t in md]
    family = [q.text for s in lib.repair for q in s.prompts if "family" in q.tags]
    assert family and not [t for t in family if t in md]
    assert ends_with_safety_note(md)
    assert "not tied to a date" in cli("agenda", "repair", "--date", "2026-12-01", code=2).stderr


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


# --------------------------------------------------------------------------- dates and files


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


# --------------------------------------------------------------------------- user templates


def user_template(config: Path, name: str, text: str) -> Path:
    path = config.parent / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_sandbox_refuses_python_internals(cli: Invoke, write_config: WriteConfig) -> None:
    config = write_config()
    path = user_template(config, "checkin/weekly.md.j2", "# {{ when.long }}\n{{ ''.__class__.__mro__ }}\n")
    err = cli("agenda", "checkin", code=2).stderr
    assert f"{path}:2:" in err and "sandbox" in err
    assert "Traceback" not in err and "object" not in cli("agenda", "checkin", code=2).stdout


@pytest.mark.parametrize(
    "expr",
    [
        "when.__class__.__mro__",
        "when._asdict()",
        "focus.__class__",
        "focus.prompts[0].__class__.__base__",
        "carry.__class__.__init__.__globals__",
        "carry.open.__class__",
        "box.__class__.__mro__",
        "box.__init__",
        "timebox.__globals__",
    ],
)
def test_the_sandbox_still_guards_the_fields_agendas_read(
    cli: Invoke, write_config: WriteConfig, expr: str
) -> None:
    config = write_config()
    path = user_template(
        config,
        "checkin/weekly.md.j2",
        "{% set box = timebox({'a': 1}) %}{{ when.long }}\n{{ " + expr + " }}\n",
    )
    err = cli("agenda", "checkin", code=2).stderr
    assert f"{path}:2:" in err and "sandbox" in err


def test_broken_user_template_names_file_and_line(cli: Invoke, write_config: WriteConfig) -> None:
    config = write_config()
    path = user_template(config, "date-night.md.j2", "# ok\n\n{% for x in partners %}\n{{ x }}\n")
    err = cli("agenda", "date-night", code=2).stderr
    assert str(path) in err and re.search(rf"{re.escape(str(path))}:\d+: template syntax", err)
    path.write_text("# ok\n\n{{ partner_names }}\n", encoding="utf-8")
    err = cli("agenda", "date-night", code=2).stderr
    assert f"{path}:3: 'partner_names' is undefined" in err


def test_an_included_users_safety_note_is_the_file_blamed(cli: Invoke, write_config: WriteConfig) -> None:
    config = write_config()
    path = user_template(config, "_safety.md.j2", "---\n\n{{ hotline.number }}\n")
    err = cli("agenda", "repair", code=2).stderr
    assert f"{path}:3:" in err


def test_templates_list_show_copy_and_override(cli: Invoke, write_config: WriteConfig) -> None:
    config = write_config()
    listed = cli("templates", "list").stdout
    for name in (
        "checkin/weekly",
        "checkin/state-of-the-union",
        "checkin/quick",
        "date-night",
        "repair",
        "_safety",
    ):
        assert re.search(rf"^{re.escape(name)} +built-in$", listed, re.M), name
    shown = cli("templates", "show", "weekly").stdout
    assert "timebox(" in shown and '{% include "_safety.md.j2" %}' in shown

    copied = Path(cli("templates", "copy", "weekly").stdout.strip())
    assert copied == config.parent / "templates" / "checkin" / "weekly.md.j2"
    assert stat.S_IMODE(copied.stat().st_mode) == 0o600
    copied.write_text(copied.read_text(encoding="utf-8").replace("## Appreciations", "## Thanks, out loud"))
    assert re.search(
        r"^checkin/weekly +yours, overrides the built-in one", cli("templates", "list").stdout, re.M
    )
    md = cli("agenda", "checkin").stdout
    assert "## Thanks, out loud (4 min)" in md and "## Appreciations" not in md
    assert "Thanks, out loud" in cli("templates", "show", "checkin/weekly").stdout
    assert "Thanks, out loud" not in cli("templates", "show", "weekly", "--builtin").stdout

    assert "--force" in cli("templates", "copy", "weekly", code=2).stderr
    cli("templates", "copy", "weekly", "--force")
    assert "## Appreciations (4 min)" in cli("agenda", "checkin").stdout
    assert "did you mean" in cli("templates", "show", "weeky", code=2).stderr


def test_a_users_own_checkin_format(cli: Invoke, write_config: WriteConfig) -> None:
    config = write_config(COUPLE + '[checkin]\nformat = "walk"\n')
    user_template(
        config,
        "checkin/walk.md.j2",
        '{% set box = timebox({"out": 1, "back": 1}) %}# Walk with {{ partners|map("md")|join(", ") }}\n'
        "## Out ({{ box.out }} min)\n## Back ({{ box.back }} min)\n",
    )
    md = cli("agenda", "checkin").stdout
    assert md.startswith("# Walk with Alex, Sam\n") and [int(b) for b in BOX.findall(md)] == [15, 15]


# --------------------------------------------------------------------------- practices


def test_practices_lists_the_library_with_sources(cli: Invoke) -> None:
    data = json.loads(cli("practices", "--format", "json").stdout)
    ids = {p["id"] for p in data}
    wanted = (Path(__file__).resolve().parent / "fixtures" / "practice_ids.txt").read_text().split()
    assert set(wanted) <= ids
    assert all(p["sources"] and p["prompts"] for p in data)
    lib = {p.id: p for p in library.load().practices}
    for p in data:
        assert (p["kind"], p["minutes"], p["origin"]) == (
            lib[p["id"]].kind,
            lib[p["id"]].minutes,
            lib[p["id"]].origin,
        )
    assert [p["id"] for p in data if p["path"]] == [
        "safe-space",
        "appreciation",
        "active-listening",
        "validation",
    ]
    text = cli("practices").stdout
    assert "validation: Validate your partner's experience" in text
    assert "  foundation, step 4 of the first month · 8 min\n" in text
    assert "  the idea: validate your partner's experience\n" in text
    assert "  conflict · 10 min\n" in text  # problem-solving
    assert "from: How To Create Emotional Safety In Your Relationship" in text
    one = cli("practices", "curiosity").stdout
    assert "exercise:" in one and "[deep]" in one
    assert "did you mean curiosity?" in cli("practices", "curiousity", code=2).stderr


def test_compiled_templates_are_cached_privately_and_never_fail_a_render(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stat
    import tempfile

    from ritualcli.core import templating

    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    templating._environment.cache_clear()
    first = cli("agenda", "checkin", "--date", "2026-11-29").stdout
    files = list((cache / "ritual" / "templates").iterdir())
    assert files and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert stat.S_IMODE((cache / "ritual").stat().st_mode) == 0o700

    # A cache that cannot be created or written costs time, never the agenda.
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    templating._environment.cache_clear()
    assert cli("agenda", "checkin", "--date", "2026-11-29").stdout == first

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other"))
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", full_disk)
    templating._environment.cache_clear()
    assert cli("agenda", "checkin", "--date", "2026-11-29").stdout == first
    templating._environment.cache_clear()
