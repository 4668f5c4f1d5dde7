"""The practice and idea libraries: coverage, shape, sources, and the project's own words."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from ritualcli.core import library, library_check, templates_dir
from ritualcli.core.errors import FileProblemsError
from ritualcli.core.preferences import DEPTHS, PLACES

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = templates_dir.library_dir()
FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"  # the articles the practices come from, beside the repo


@pytest.fixture(scope="module")
def lib() -> library.Library:
    return library.load()


def test_every_practice_id_in_the_list_is_in_the_library(lib: library.Library) -> None:
    wanted = [
        line.strip() for line in (FIXTURES / "practice_ids.txt").read_text().splitlines() if line.strip()
    ]
    assert len(wanted) >= 17
    missing = sorted(set(wanted) - {p.id for p in lib.practices})
    assert missing == []


def test_every_prompt_has_a_depth_and_tags_in_the_file() -> None:
    # Checked on the raw TOML: the loader would otherwise fill a default.
    doc = tomllib.loads((TEMPLATES / "practices.toml").read_text(encoding="utf-8"))
    for practice in doc["practice"]:
        for prompt in practice["prompts"]:
            assert prompt.get("depth") in DEPTHS, (practice["id"], prompt)
            assert isinstance(prompt.get("tags"), list), (practice["id"], prompt)


def test_practices_have_graded_prompts_an_exercise_and_a_source(lib: library.Library) -> None:
    titles = set(
        re.findall(
            r"^\| `\d{3}_[0-9a-f]+\.txt` \| (.+?) \|",
            (templates_dir.content_root() / "SOURCES.md").read_text(),
            re.M,
        )
    )
    assert len(titles) == 4
    for p in lib.practices:
        assert len(p.prompts) >= 3, p.id
        assert {q.depth for q in p.prompts} == set(DEPTHS), p.id
        assert p.why and p.exercise and p.title
        assert p.sources and set(p.sources) <= titles, (p.id, p.sources)


def test_idea_library_is_big_enough_and_well_tagged(lib: library.Library) -> None:
    assert len(lib.ideas) >= 40
    assert {i.setting for i in lib.ideas} == set(PLACES)
    for i in lib.ideas:
        assert i.cost >= 0 and i.interests and i.description
        # Prompts deepen in order: light first, never shallower than the one before.
        levels = [q.level for q in i.prompts]
        assert len(levels) >= 2 and levels == sorted(levels) and levels[0] == 0, i.id


def test_ids_are_unique(lib: library.Library) -> None:
    ids = [p.id for p in lib.practices]
    assert len(ids) == len(set(ids))
    ideas = [i.id for i in lib.ideas]
    assert len(ideas) == len(set(ideas))


def _library(tmp_path: Path, practices: str) -> Path:
    (tmp_path / "practices.toml").write_text(practices, encoding="utf-8")
    (tmp_path / "ideas.toml").write_text(
        (TEMPLATES / "ideas.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return tmp_path


def test_a_broken_library_names_the_file_entry_and_line(tmp_path: Path) -> None:
    folder = _library(
        tmp_path,
        '[[practice]]\nid = "x"\ntitle = "X"\nwhy = "w"\nexercise = "e"\nsources = ["S"]\n'
        'prompts = [{ text = "a", depth = "shallow", tags = [] }, { text = "b", depth = "light", tags = [] },'
        ' { text = "c", depth = "deep" }]\n',
    )
    with pytest.raises(FileProblemsError) as info:
        library.load(folder)
    err = info.value
    assert err.source == str(tmp_path / "practices.toml")
    where = {p.key: p.line for p in err.problems}
    assert where["practice[1].prompts[1].depth"] == 7  # "shallow" is not a depth
    assert where["practice[1].prompts[3].tags"] == 7  # tags missing


def test_a_misspelt_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    folder = _library(
        tmp_path,
        '[[practice]]\nid = "x"\ntitle = "X"\nwhy = "w"\nexcercise = "e"\nsources = ["S"]\n'
        'prompts = [{ text = "a", depth = "light", tags = [] }, { text = "b", depth = "medium", tags = [] },'
        ' { text = "c", depth = "deep", tag = [] }]\n',
    )
    with pytest.raises(FileProblemsError) as info:
        library.load(folder)
    lines = info.value.lines()
    assert (
        f"  {tmp_path / 'practices.toml'}:5: practice[1].excercise: unknown key; did you mean practice[1].exercise?"
        in (line.split(" (allowed")[0] for line in lines)
    )
    assert any(
        "practice[1].prompts[3].tag: unknown key; did you mean practice[1].prompts[3].tags?" in line
        for line in lines
    )


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("\u2019", "'"))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles live beside the repository, not in it")
def test_content_is_in_the_projects_own_words(lib: library.Library) -> None:
    """No run of seven words from a seed article appears in a prompt, exercise or template."""
    n = 7
    grams: set[tuple[str, ...]] = set()
    for seed in SEEDS.glob("*.txt"):
        w = _words(seed.read_text(encoding="utf-8"))
        grams |= {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}
    texts = [t for p in lib.practices for t in (p.title, p.why, p.exercise, *(q.text for q in p.prompts))]
    texts += [t for i in lib.ideas for t in (i.description, *(q.text for q in i.prompts))]
    texts += [f.read_text(encoding="utf-8") for f in TEMPLATES.rglob("*.j2")]
    copied = []
    for text in texts:
        w = _words(text)
        copied += [" ".join(w[i : i + n]) for i in range(len(w) - n + 1) if tuple(w[i : i + n]) in grams]
    assert copied == []


def test_compiled_module_is_current() -> None:
    # library_compiled.py is what every start reads (no TOML parse, no json import);
    # it must hold exactly what the TOML says. Regenerate: python -m ritualcli.core.library
    folder = templates_dir.library_dir()
    assert library.COMPILED_MODULE.read_text(encoding="utf-8") == library_check.compile_module(folder), (
        "src/ritualcli/library_compiled.py is out of date: run `python -m ritualcli.core.library`"
    )


def test_compiled_module_loads_the_checked_records() -> None:
    # The compiled records are trusted without re-checking; they must be what checking the TOML gives.
    folder = templates_dir.library_dir()
    sources = library.read_sources(folder)
    compiled = library._compiled(library.fingerprint(sources))
    checked = library_check.checked(folder, sources)
    assert compiled is not None, "library_compiled.py did not load"
    assert compiled.practices == checked.practices
    assert compiled.ideas == checked.ideas
    assert len(checked.practices) >= 17 and len(checked.ideas) >= 50


def _own_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built-in TOML that library.load() treats as the built-in folder."""
    import shutil

    folder = templates_dir.library_dir()
    for name in (library.PRACTICES_FILE, library.IDEAS_FILE):
        shutil.copy(folder / name, tmp_path / name)
    monkeypatch.setattr(library, "_builtin_dir", lambda: tmp_path)
    library._load.cache_clear()
    monkeypatch.setattr(library, "_load", library._load.__wrapped__)
    return tmp_path


def test_a_stale_compiled_module_is_never_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _own_copy(tmp_path, monkeypatch)
    first_title = library.load().practices[0].title
    edited = (folder / library.PRACTICES_FILE).read_text(encoding="utf-8")
    (folder / library.PRACTICES_FILE).write_text(
        edited.replace(f'title = "{first_title}"', 'title = "Edited without regenerating"', 1),
        encoding="utf-8",
    )
    assert library.load().practices[0].title == "Edited without regenerating"


@pytest.mark.parametrize(
    "damage",
    [
        lambda m: setattr(m, "PRACTICES", tuple(p[1:] for p in m.PRACTICES)),  # a field missing
        lambda m: setattr(m, "IDEAS", tuple((*i, "extra") for i in m.IDEAS)),  # a field too many
        lambda m: setattr(m, "IDEAS", ((*m.IDEAS[0][:-1], (("only text",),)),)),  # a short prompt
        lambda m: delattr(m, "IDEAS"),
        lambda m: setattr(m, "FINGERPRINT", "from another version"),
    ],
    ids=["missing field", "extra field", "short prompt", "no ideas", "other fingerprint"],
)
def test_a_damaged_compiled_module_falls_back_to_the_toml(
    monkeypatch: pytest.MonkeyPatch, damage: Any
) -> None:
    from ritualcli.core import library_compiled

    checked = library_check.checked(
        templates_dir.library_dir(), library.read_sources(templates_dir.library_dir())
    )
    for name in ("FINGERPRINT", "PRACTICES", "IDEAS"):
        monkeypatch.setattr(library_compiled, name, getattr(library_compiled, name))  # restored afterwards
    damage(library_compiled)
    fingerprint = library.fingerprint(library.read_sources(templates_dir.library_dir()))
    assert library._compiled(fingerprint) is None
    monkeypatch.setattr(library, "_load", library._load.__wrapped__)
    lib = library.load()
    assert lib.practices == checked.practices and lib.ideas == checked.ideas


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short: a SyntaxError on import
        lambda text: text.replace("IDEAS = (", "IDEAS = ((", 1),  # an unclosed bracket
        lambda text: "\udcff" + text,  # not UTF-8 at all (written with surrogateescape)
        lambda text: text.replace("FINGERPRINT = ", "FINGERPRINT = undefined_name or ", 1),
    ],
    ids=["truncated", "unclosed", "not utf-8", "name error"],
)
def test_plan_works_with_a_damaged_compiled_module(tmp_path: Path, damage: Any) -> None:
    """An installed package whose library_compiled.py is broken still plans, from the TOML."""
    import os
    import shutil
    import subprocess
    import sys

    package = tmp_path / "site" / "ritualcli"
    shutil.copytree(Path(library.__file__).parents[1], package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(templates_dir.content_root(), package / "templates")  # as the wheel installs it
    compiled = package / "core" / "library_compiled.py"
    compiled.write_bytes(damage(compiled.read_text(encoding="utf-8")).encode("utf-8", "surrogateescape"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("RITUAL_CONFIG", None)
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv = ['ritual', 'plan']; from ritualcli.cli.app import main; main()"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "focus:" in proc.stdout and "idea:" in proc.stdout
