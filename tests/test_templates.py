"""Templates: the couple's own (`ritual templates`, their own check-in format), Markdown
autoescape, the sandbox and its limits, errors naming the template's file and line, and
the compiled-template cache.

Markdown is checked with an independent CommonMark parser (markdown-it, which rich
ships with): user text may never turn into a heading, a link, an image, HTML or
emphasis, whatever the template does with it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from agendas import BOX, user_template
from conftest import COUPLE, Invoke, WriteConfig
from ritualcli.core import agenda, library, preferences, schedule, templating
from ritualcli.core import text as usertext
from ritualcli.core.history import History

pytestmark = pytest.mark.usefixtures("pinned_today")


NAMES = ("# Alex [x](https://e.x) <img src=x>", "*Sam* `c` _u_ ~~s~~ \\| ![i](y)")


HOSTILE_COUPLE = f"""\
version = 1
[couple]
partners = ['{NAMES[0]}', '{NAMES[1]}']  # literal strings: no escapes in TOML
timezone = "America/Sao_Paulo"
start = 2026-11-23
"""


# Markdown that user text must never produce.
STRUCTURE = {"heading_open", "link_open", "image", "html_inline", "html_block", "em_open", "strong_open",
             "code_inline", "s_open", "bullet_list_open", "ordered_list_open", "blockquote_open"}  # fmt: skip


def tokens(markdown: str) -> list[str]:
    found = []
    for token in MarkdownIt("commonmark").parse(markdown):
        found.append(token.type)
        found += [child.type for child in token.children or []]
    return found


def render_mine(cli: Invoke, write_config: WriteConfig, template: str, *, code: int = 0) -> str:
    """`ritual agenda date-night` with ``template`` as the user's date-night template."""
    config = write_config(HOSTILE_COUPLE)
    path = config.parent / "templates" / "date-night.md.j2"
    path.parent.mkdir(exist_ok=True)
    path.write_text(template, encoding="utf-8")
    result = cli("agenda", "date-night", code=code)
    return result.stdout if code == 0 else result.stderr


# --------------------------------------------------------------------------- templates of your own


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


# --------------------------------------------------------------------------- autoescape


@settings(max_examples=150)
@given(st.text())
def test_markdown_escape_cannot_inject_structure(text: str) -> None:
    escaped = usertext.escape(text)
    assert "\n" not in escaped and "<" not in escaped and ">" not in escaped
    # every markup character is escaped
    for i, ch in enumerate(escaped):
        if ch in "*_[]`|~":
            assert i > 0 and escaped[i - 1] == "\\"
    assert not escaped.lstrip().startswith(("#", "-", "+", "=")) or escaped.lstrip().startswith("\\")


def test_markdown_escape_examples() -> None:
    assert usertext.escape("# Sam\n- <b>x</b> [a](http://e)") == (
        "\\# Sam - &lt;b&gt;x&lt;/b&gt; \\[a\\](http://e)"
    )
    assert usertext.escape("1. Zoë 💛") == "1\\. Zoë 💛"
    # the visible escape from clean() is itself escaped, so Markdown shows "\\u202e"
    assert usertext.escape("evil\u202etxt") == "evil\\\\u202etxt"


@pytest.mark.parametrize(
    "expr",
    [
        "partners[0]",
        "partners[1]",
        'partners|join(" & ")',
        'partners|join(", ")|upper',
        '"%s and %s" % (partners[0], partners[1])',
        '"{} and {}".format(partners[0], partners[1])',
        '"{a}".format_map({"a": partners[0]})',
        'partners[0] ~ " / " ~ partners[1]',
        "partners[0] + partners[1]",
        "partners[0][1:]",
        "(partners[0]|md)[1:]",
        "(partners[1]|md)|reverse",
        "partners",
        "partners|first|title",
        '"%s"|format(partners[0])',
        'partners[0]|replace("#", "##")',
        "partners[0]|trim",
    ],
)
def test_a_template_that_forgets_md_prints_no_user_markdown(
    cli: Invoke, write_config: WriteConfig, expr: str
) -> None:
    md = render_mine(cli, write_config, "{{ " + expr + " }}\n")
    found = set(tokens(md)) & STRUCTURE
    assert not found, f"{{{{ {expr} }}}} printed {found}: {md!r}"
    assert re.search("alex|sam|mas", md, re.I)  # mas: reversed


def test_md_is_never_applied_twice(cli: Invoke, write_config: WriteConfig) -> None:
    template = (
        "{{ partners[0]|md }}\n{{ partners[0] }}\n"
        '{{ partners|map("md")|join(" & ") }}\n{{ partners|join(" & ") }}\n'
        '{{ partners[1]|md ~ "." }}\n{{ partners[1] ~ "." }}\n'
        '{{ "%s."|format(partners[1]|md) }}\n{{ "{}.".format(partners[1]|md) }}\n'
        "{% macro name(p) %}{{ p|md }}{% endmacro %}{{ name(partners[0]) }}\n"
        "{% set both %}{{ partners|map('md')|join(' & ') }}{% endset %}{{ both }}\n"
    )
    lines = render_mine(cli, write_config, template).splitlines()
    assert lines[0] == lines[1] == lines[8]
    assert lines[2] == lines[3] == lines[9]
    assert lines[4] == lines[5] == lines[6] == lines[7]
    assert lines[0] == "\\# Alex \\[x\\](https://e.x) &lt;img src=x&gt;"
    assert " & " in lines[2] and "&amp;amp;" not in lines[2] and "\\\\" not in lines[0]


def test_the_templates_own_words_stay_markdown(cli: Invoke, write_config: WriteConfig) -> None:
    template = (
        '{{ "*Tonight*: " ~ partners[1] }}\n\n'
        "{% macro heading(p) %}## For {{ p }}{% endmacro %}{{ heading(partners[0]) }}\n\n"
        "{{ idea.title }} · {{ when.zone }} · {{ when.timezone }}\n"
    )
    md = render_mine(cli, write_config, template)
    assert md.startswith("*Tonight*: \\*Sam\\*")
    assert tokens(md).count("em_open") == 1 and tokens(md).count("heading_open") == 1
    heading = md.splitlines()[2]
    assert heading.startswith("## For \\# Alex \\[x\\]")
    titles = {idea.title for idea in library.load().ideas}
    title, zone, timezone = md.splitlines()[4].split(" · ")
    assert title in titles and zone == "-03" and timezone == "America/Sao_Paulo"


def test_avoided_tags_reach_the_date_night_note_escaped() -> None:
    """`> {{ idea_note }}` in the built-in template printed a tag as it was."""
    prefs = preferences.example()
    hostile = ("# big\n<img src=x>", "[link](https://evil.example)", "\x1b[5mblink\r")
    few = prefs.dates._replace(settings=("outdoors",), budget=0, avoid=("physical", "nature", *hostile))
    prefs = prefs._replace(dates=few)
    occ = next(iter(schedule.occurrences(prefs, dt.date(2026, 11, 23), dt.date(2027, 3, 1), ["date-night"])))
    md = agenda.render(prefs, occ, user_dir=None, history=History())
    note = next(line for line in md.splitlines() if line.startswith("> "))
    assert "avoiding physical, nature, \\# big &lt;img src=x&gt;, \\[link\\](https://evil.example)" in note
    assert "\x1b" not in md and "\r" not in md
    quote = md[md.index(note) : md.index(note) + len(note) + 1]
    assert set(tokens(quote)) & STRUCTURE == {"blockquote_open"}


# --------------------------------------------------------------------------- the sandbox, its limits, its errors


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


@pytest.mark.parametrize(
    ("weights", "says"),
    [
        ('{"talk": true, "close": 1}', "weights must be positive numbers"),
        ('{"talk": 0, "close": 1}', "weights must be positive numbers"),
        ('{"talk": [1]}', "weights must be positive numbers"),
        ("{}", "takes a mapping of segment names to weights"),
    ],
)
def test_weights_timebox_cannot_split_are_a_problem_naming_the_line(
    cli: Invoke, write_config: WriteConfig, weights: str, says: str
) -> None:
    path = user_template(
        write_config(), "checkin/weekly.md.j2", "# Ours\n{% set box = timebox(" + weights + ") %}\n"
    )
    err = cli("agenda", "checkin", code=2).stderr
    assert f"{path}:2: ValueError: timebox() {says}" in err and "Traceback" not in err


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


def test_a_render_that_runs_too_long_is_stopped_naming_the_line(
    cli: Invoke, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(templating, "RENDER_SECONDS", 0.3)
    loops = "# ok\n{% for i in range(10000) %}\n{% for j in range(10000) %}{% endfor %}\n{% endfor %}\n"
    err = render_mine(cli, write_config, loops, code=2)
    assert "took longer than 0.3 seconds" in err and "date-night.md.j2:3:" in err
    assert "Traceback" not in err


def test_the_time_limit_is_lifted_after_a_render(cli: Invoke, write_config: WriteConfig) -> None:
    import signal

    before = signal.getsignal(signal.SIGALRM)
    render_mine(cli, write_config, "{{ partners[0] }}\n")
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == before


# --------------------------------------------------------------------------- the compiled-template cache


def cache_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".cache")] if folder.exists() else []


def fresh_start(cache: Path, *args: str, before: str = "") -> str:
    """`ritual ARGS` in a new interpreter, as every run is, with its cache folder at
    ``cache``: what it printed. ``before``: Python to run first, in that interpreter."""
    code = f"{before}\nimport sys\nfrom ritualcli.cli.app import main\nsys.argv[0] = 'ritual'\nmain()\n"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


FULL_DISK = """\
import tempfile
def full_disk(*args, **kwargs):
    raise OSError(28, "No space left on device")
tempfile.NamedTemporaryFile = full_disk
"""


def test_compiled_templates_are_cached_privately_and_never_fail_a_render(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = fresh_start(cache, "agenda", "checkin", "--date", "2026-11-29")
    files = cache_files(cache / "ritual" / "templates")
    assert files and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert stat.S_IMODE((cache / "ritual").stat().st_mode) == 0o700
    # A cache that cannot be created or written costs time, never the agenda.
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the cache folder would go")
    assert fresh_start(blocker, "agenda", "checkin", "--date", "2026-11-29") == first
    full = tmp_path / "on-a-full-disk"
    assert fresh_start(full, "agenda", "checkin", "--date", "2026-11-29", before=FULL_DISK) == first
    assert not cache_files(full / "ritual" / "templates")


@pytest.mark.parametrize(
    "how", ["world-writable", "group-writable", "another owner", "parent world-writable"]
)
def test_a_cache_folder_others_can_write_is_not_used(
    write_config: WriteConfig, tmp_path: Path, how: str
) -> None:
    folder = tmp_path / "shared" / "ritual" / "templates"
    folder.mkdir(parents=True, mode=0o700)
    os.chmod(folder.parent, 0o700)
    if how == "world-writable":
        os.chmod(folder, 0o777)
    elif how == "group-writable":
        os.chmod(folder, 0o770)
    elif how == "parent world-writable":
        os.chmod(folder.parent, 0o777)
    else:
        if os.geteuid() != 0:
            pytest.skip("needs root to give the folder to another user")
        os.chown(folder, 54321, 54321)
    write_config()
    assert fresh_start(tmp_path / "shared", "agenda", "checkin").startswith("# Check-in:")
    assert not cache_files(folder)


def test_bytecode_planted_in_a_shared_cache_never_runs(write_config: WriteConfig, tmp_path: Path) -> None:
    """Replace the compiled code of the couple's template (jinja's checksum of its source
    kept), then open the folder to others: ritual must compile afresh."""
    from jinja2 import Environment, FileSystemBytecodeCache
    from jinja2.bccache import Bucket

    mine = user_template(write_config(), "date-night.md.j2", "safe: {{ partners|join(' & ') }}\n")
    cache = tmp_path / "cache"
    assert fresh_start(cache, "agenda", "date-night").startswith("safe: Alex & Sam")

    folder = cache / "ritual" / "templates"
    (planted,) = cache_files(folder)
    jinja = Environment()
    checksum = FileSystemBytecodeCache(str(tmp_path)).get_source_checksum(mine.read_text(encoding="utf-8"))
    bucket = Bucket(jinja, "its key is the file's name", checksum)
    bucket.code = jinja.compile("PLANTED {{ 6 * 7 }}\n", "date-night.md.j2", str(mine))
    planted.write_bytes(bucket.bytecode_to_string())
    assert fresh_start(cache, "agenda", "date-night").startswith(
        "PLANTED 42"
    )  # the plant works while private

    os.chmod(folder, 0o777)
    assert fresh_start(cache, "agenda", "date-night").startswith("safe: Alex & Sam")
