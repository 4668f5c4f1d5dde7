"""The practice and idea libraries: coverage, shape, sources, and the project's own words."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from ritualcli import library, templates_dir
from ritualcli.errors import FileProblemsError
from ritualcli.preferences import DEPTHS, PLACES

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = templates_dir.builtin_dir()
SEEDS = ROOT.parent / "shared" / "seeds"  # the articles the practices come from, beside the repo


@pytest.fixture(scope="module")
def lib() -> library.Library:
    return library.load()


def test_every_practice_id_in_the_list_is_in_the_library(lib: library.Library) -> None:
    wanted = [
        line.strip() for line in (TEMPLATES / "practice_ids.txt").read_text().splitlines() if line.strip()
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
        re.findall(r"^\| `\d{3}_[0-9a-f]+\.txt` \| (.+?) \|", (TEMPLATES / "SOURCES.md").read_text(), re.M)
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


def test_a_broken_library_names_the_file_and_entry(tmp_path: Path) -> None:
    (tmp_path / "practices.toml").write_text(
        '[[practice]]\nid = "x"\ntitle = "X"\nwhy = "w"\nexercise = "e"\nsources = ["S"]\n'
        'prompts = [{ text = "a", depth = "shallow", tags = [] }, { text = "b", depth = "light", tags = [] },'
        ' { text = "c", depth = "deep" }]\n',
        encoding="utf-8",
    )
    (tmp_path / "ideas.toml").write_text(
        (TEMPLATES / "ideas.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(FileProblemsError) as info:
        library.load(tmp_path)
    err = info.value
    assert err.source == str(tmp_path / "practices.toml")
    keys = {p.key for p in err.problems}
    assert "practice[1].prompts[1].depth" in keys  # "shallow" is not a depth
    assert "practice[1].prompts[3].tags" in keys  # tags missing


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


def test_compiled_json_is_current() -> None:
    # library.json is what every start reads (JSON parses ~30x faster than TOML);
    # it must hold exactly what the TOML says. Regenerate: python -m ritualcli.library
    folder = templates_dir.builtin_dir()
    assert (folder / library.COMPILED_FILE).read_text(encoding="utf-8") == library.compile_json(folder), (
        "templates/library.json is out of date: run `python -m ritualcli.library`"
    )


def test_stale_json_is_never_used(tmp_path: Path) -> None:
    import shutil

    folder = templates_dir.builtin_dir()
    for name in (library.PRACTICES_FILE, library.IDEAS_FILE, library.COMPILED_FILE):
        shutil.copy(folder / name, tmp_path / name)
    edited = (tmp_path / library.PRACTICES_FILE).read_text(encoding="utf-8")
    first_title = library.load(folder).practices[0].title
    (tmp_path / library.PRACTICES_FILE).write_text(
        edited.replace(f'title = "{first_title}"', 'title = "Edited without regenerating"', 1),
        encoding="utf-8",
    )
    assert library.load(tmp_path).practices[0].title == "Edited without regenerating"


def test_compiled_json_loads_the_checked_records() -> None:
    # The JSON is trusted without re-checking; it must give exactly what checking the TOML gives.
    folder = templates_dir.builtin_dir()
    sources = library._sources(folder)
    from_json = library._compiled(folder, library._checksum(sources))
    from_toml = library._checked(folder, sources)
    assert from_json is not None, "library.json did not load"
    assert from_json.practices == from_toml.practices
    assert from_json.ideas == from_toml.ideas
    assert len(from_toml.practices) >= 17 and len(from_toml.ideas) >= 50


@pytest.mark.parametrize(
    "damage",
    [
        lambda body: body["practices"][0].pop("why"),
        lambda body: body["ideas"][0].update(mood="calm"),
        lambda body: body["ideas"][0].update(prompts=[["only text"]]),
        lambda body: body.pop("ideas"),
    ],
    ids=["missing field", "unknown field", "short prompt", "no ideas"],
)
def test_damaged_json_falls_back_to_the_toml(tmp_path: Path, damage: Any) -> None:
    import json
    import shutil

    folder = templates_dir.builtin_dir()
    for name in (library.PRACTICES_FILE, library.IDEAS_FILE):
        shutil.copy(folder / name, tmp_path / name)
    body = json.loads((folder / library.COMPILED_FILE).read_text(encoding="utf-8"))
    damage(body)
    (tmp_path / library.COMPILED_FILE).write_text(json.dumps(body), encoding="utf-8")
    assert library._compiled(tmp_path, library._checksum(library._sources(tmp_path))) is None
    lib = library.load(tmp_path)
    assert lib.practices == library.load().practices and lib.ideas == library.load().ideas
