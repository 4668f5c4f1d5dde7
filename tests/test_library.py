"""The practice and idea libraries: coverage, shape, sources, the project's own words, and
`ritual practices`, which shows them."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import Invoke
from ritualcli.core import library, templates_dir, vocabulary
from ritualcli.core.errors import FileProblemsError
from ritualcli.core.preferences import DEPTHS, PLACES

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = templates_dir.library_dir()
FIXTURES = Path(__file__).parent / "fixtures"
SOURCES_MD = templates_dir.content_root() / "SOURCES.md"
# The articles the practices come from live beside the repository (or beside the folder of
# work trees it is checked out in), not in it.
_PLACES = (ROOT.parent / "shared" / "seeds", ROOT.parents[1] / "shared" / "seeds")
SEEDS = next((d for d in _PLACES if d.is_dir()), _PLACES[0])


def _raw(name: str) -> dict[str, Any]:
    """A library file as TOML says it, before the loader fills or checks anything."""
    return tomllib.loads((TEMPLATES / name).read_text(encoding="utf-8"))


def _sources_table() -> dict[str, tuple[set[str], set[str]]]:
    """SOURCES.md's table of seeds: title -> (practice ids, repair step ids)."""
    rows = re.findall(
        r"^\| `\d{3}_[0-9a-f]+\.txt` \| (.+?) \| .+? \| (.*?) \| (.*?) \|$", SOURCES_MD.read_text(), re.M
    )
    return {
        title: ({i for i in ids.split(", ") if i}, {i for i in steps.split(", ") if i})
        for title, ids, steps in rows
    }


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
    entries = [*_raw("practices.toml")["practice"], *_raw("ideas.toml")["idea"], *_raw("repair.toml")["step"]]
    for entry in entries:
        for prompt in entry["prompts"]:
            assert prompt.get("depth") in DEPTHS, (entry["id"], prompt)
            assert isinstance(prompt.get("tags"), list), (entry["id"], prompt)
            assert set(prompt["tags"]) <= set(vocabulary.TOPICS), (entry["id"], prompt)


# The exercises write their minutes in words, up to the 15 a practice may take.
NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
NUMBERS += ("eleven", "twelve", "thirteen", "fourteen", "fifteen")


def test_every_practice_declares_its_minutes_kind_and_origin() -> None:
    for practice in _raw("practices.toml")["practice"]:
        assert isinstance(practice.get("minutes"), int) and 1 <= practice["minutes"] <= 15, practice["id"]
        assert practice.get("kind") in vocabulary.KINDS, practice["id"]
        assert isinstance(practice.get("origin"), str) and practice["origin"], practice["id"]
        # The exercise tells the couple the same time it declares: "… About eight minutes."
        said = re.findall(r"[Aa]bout (\w+) minutes", practice["exercise"])
        assert said and NUMBERS.index(said[-1]) == practice["minutes"], (practice["id"], said)


def test_every_idea_declares_when_it_works() -> None:
    for idea in _raw("ideas.toml")["idea"]:
        assert isinstance(idea.get("minutes"), int) and idea["minutes"] >= 30, idea["id"]
        assert idea.get("when") and set(idea["when"]) <= set(vocabulary.TIMES_OF_DAY), idea["id"]
        assert idea.get("seasons") and set(idea["seasons"]) <= set(vocabulary.SEASONS), idea["id"]
        assert isinstance(idea.get("needs_phone"), bool), idea["id"]
        assert set(idea["interests"]) <= set(vocabulary.INTERESTS), idea["id"]
        assert set(idea["tags"]) <= set(vocabulary.AVOID), idea["id"]


def test_practices_have_graded_prompts_an_exercise_and_a_source(lib: library.Library) -> None:
    table = _sources_table()
    assert len(table) == 4
    for p in lib.practices:
        assert len(p.prompts) >= 3, p.id
        assert {q.depth for q in p.prompts} == set(DEPTHS), p.id
        assert p.why and p.exercise and p.title and p.origin
        assert p.sources and set(p.sources) <= set(table), (p.id, p.sources)
    for step in lib.repair:
        assert set(step.sources) <= set(table), (step.id, step.sources)
    # SOURCES.md lists, for each article, exactly the practices and steps that name it.
    for title, (ids, steps) in table.items():
        assert ids == {p.id for p in lib.practices if title in p.sources}, title
        assert steps == {s.id for s in lib.repair if title in s.sources}, title


def test_the_first_checkins_walk_the_foundation_path(lib: library.Library) -> None:
    path = sorted((p for p in lib.practices if p.path), key=lambda p: p.path)
    assert [p.id for p in path] == ["safe-space", "appreciation", "active-listening", "validation"]
    assert {p.kind for p in path} == {"foundation"}
    # The first month can always deal a prompt at each depth that is not about a disagreement.
    for p in path:
        for depth in DEPTHS:
            assert [q for q in p.prompts if q.depth == depth and "conflict" not in q.tags], (p.id, depth)
    # Conflict and repair practices exist, and are kept apart from the path by their kind.
    kinds = {p.kind for p in lib.practices}
    assert {"conflict", "repair", "connection"} <= kinds


def test_no_focus_repeats_a_section_every_checkin_already_has(lib: library.Library) -> None:
    """The ratings and the review of commitments are sections of their own (issue 13)."""
    acknowledge, follow = lib.practice("acknowledge"), lib.practice("follow-through")
    assert acknowledge is not None and follow is not None
    assert not re.search(
        r"1 to 10|1-10|scale", acknowledge.exercise + " ".join(q.text for q in acknowledge.prompts)
    )
    assert "last time's commitments" not in follow.exercise


def test_an_exercise_about_a_friction_between_you_is_tagged_conflict(lib: library.Library) -> None:
    """A couple whose off_limits name conflict never gets asked to pick a friction, an
    irritation or something the other did that bothered them, whatever its prompts say."""
    about_friction = re.compile(
        r"friction|irritation|bothered|after a disagreement|when a conversation feels threat"
    )
    untagged = [p.id for p in lib.practices if about_friction.search(p.exercise) and "conflict" not in p.tags]
    assert untagged == []
    assert {p.id for p in lib.practices if about_friction.search(p.exercise)} >= {"two-sides", "i-statements"}


def test_every_word_of_each_vocabulary_is_used_and_documented(lib: library.Library) -> None:
    prompts = [q for p in lib.practices for q in p.prompts] + [q for i in lib.ideas for q in i.prompts]
    assert {t for q in prompts for t in q.tags} == set(vocabulary.TOPICS)
    assert {t for i in lib.ideas for t in i.interests} == set(vocabulary.INTERESTS)
    assert {t for i in lib.ideas for t in i.tags} == set(vocabulary.AVOID)
    header = (TEMPLATES / "ideas.toml").read_text(encoding="utf-8").split("[[idea]]")[0]
    for word in [*vocabulary.TOPICS, *vocabulary.INTERESTS, *vocabulary.AVOID]:
        assert re.search(rf"\b{re.escape(word)}\b", header), word
    for name in vocabulary.__dict__:
        if name.isupper():
            assert all(re.fullmatch(r"[a-z0-9-]+", w) for w in getattr(vocabulary, name)), name


def test_idea_library_is_big_enough_and_well_tagged(lib: library.Library) -> None:
    assert len(lib.ideas) >= 120
    assert {i.setting for i in lib.ideas} == set(PLACES)
    assert sum(i.cost == 0 for i in lib.ideas) >= 40
    for i in lib.ideas:
        assert i.cost >= 0 and i.interests and i.description
        # Prompts deepen in order: light first, never shallower than the one before, deep last.
        levels = [q.level for q in i.prompts]
        assert len(levels) >= 3 and levels == sorted(levels) and levels[0] == 0 and levels[-1] == 2, i.id
        # A date turns the two of you towards each other: no grievance to open mid-evening.
        assert not [q.text for q in i.prompts if "conflict" in q.tags], i.id


def test_every_slot_of_the_year_has_plenty_of_ideas(lib: library.Library) -> None:
    """Weekly date nights rarely repeat: at least 15 ideas fit any time of day, any season,
    within 2½ hours; the evening, when most dates are, has far more, also at home."""
    for season in vocabulary.SEASONS:
        for time in vocabulary.TIMES_OF_DAY:
            fit = [i for i in lib.ideas if season in i.seasons and time in i.when and i.minutes <= 150]
            assert len(fit) >= 15, (season, time, len(fit))
        evening = [i for i in lib.ideas if season in i.seasons and "evening" in i.when and i.minutes <= 150]
        assert len(evening) >= 60 and sum(i.setting == "home" for i in evening) >= 30, season


def test_ideas_that_use_a_phone_say_so(lib: library.Library) -> None:
    for i in lib.ideas:
        mentions = re.search(r"\b(app|phones?|playlist)\b", i.description)
        if i.needs_phone:
            assert mentions, i.id  # the couple can see why the phone stays out
        else:
            assert not re.search(r"\b(app|playlist)\b", i.description), i.id


def test_ids_are_unique(lib: library.Library) -> None:
    ids = [p.id for p in lib.practices]
    assert len(ids) == len(set(ids))
    ideas = [i.id for i in lib.ideas]
    assert len(ideas) == len(set(ideas))


def _copy_library(folder: Path, **replace: str) -> Path:
    for name in library.LIBRARY_FILES:
        (folder / name).write_text(
            replace.get(name.split(".")[0], (TEMPLATES / name).read_text(encoding="utf-8"))
        )
    return folder


def test_a_broken_library_names_the_file_and_entry(tmp_path: Path) -> None:
    practices = (
        '[[practice]]\nid = "x"\ntitle = "X"\nwhy = "w"\nexercise = "e"\nsources = ["S"]\n'
        'origin = "o"\nkind = "fondation"\nminutes = 90\ntags = ["exes"]\n'
        'prompts = [{ text = "a", depth = "shallow", tags = [] }, { text = "b", depth = "light", tags = ["mony"] },'
        ' { text = "c", depth = "deep" }]\n'
    )
    with pytest.raises(FileProblemsError) as info:
        library.load(_copy_library(tmp_path, practices=practices))
    err = info.value
    assert err.source == str(tmp_path / "practices.toml")
    problems = {p.key: p.message for p in err.problems}
    assert "practice[1].prompts[1].depth" in problems  # "shallow" is not a depth
    assert "practice[1].prompts[3].tags" in problems  # tags missing
    assert "'fondation' is not one of foundation" in problems["practice[1].kind"]
    assert "1 to 60" in problems["practice[1].minutes"]
    assert "unknown topic 'mony'; did you mean money?" in problems["practice[1].prompts[2].tags"]
    assert "known: children, conflict" in problems["practice[1].tags"]  # "exes": no near word, the list


def test_a_broken_idea_or_repair_step_names_the_field(tmp_path: Path) -> None:
    idea = (TEMPLATES / "ideas.toml").read_text(encoding="utf-8")
    first = idea.index("[[idea]]")
    end = idea.index("[[idea]]", first + 1)
    broken = idea[first:end].replace("needs_phone = false", 'needs_phone = "no"', 1)
    broken = broken.replace('when = ["', 'when = ["night", "', 1).replace(
        "seasons = [", 'seasons = ["winer", ', 1
    )
    broken = broken.replace('interests = ["', 'interests = ["board games", "', 1)
    with pytest.raises(FileProblemsError) as info:
        library.load(_copy_library(tmp_path, ideas=idea[:first] + broken))
    problems = {p.key: p.message for p in info.value.problems}
    assert set(problems) == {"idea[1].needs_phone", "idea[1].when", "idea[1].seasons", "idea[1].interests"}
    assert "did you mean winter?" in problems["idea[1].seasons"]
    assert "unknown time of day 'night'" in problems["idea[1].when"]

    repair = (TEMPLATES / "repair.toml").read_text(encoding="utf-8")
    steps = repair.split("[[step]]")
    reordered = "[[step]]".join([steps[0], steps[1], steps[-1], *steps[2:-1]])  # plan before hear
    with pytest.raises(FileProblemsError) as info:
        library.load(_copy_library(tmp_path, repair=reordered))
    assert info.value.source == str(tmp_path / "repair.toml")
    assert "pause → hear → own → plan" in info.value.problems[0].message


def test_an_unknown_light_is_refused_with_its_line_and_the_word_meant(tmp_path: Path) -> None:
    ideas = (TEMPLATES / "ideas.toml").read_text(encoding="utf-8")
    first = ideas.index("[[idea]]")
    at = ideas.index("\n", ideas.index("needs_phone = ", first)) + 1
    with pytest.raises(FileProblemsError) as info:
        library.load(_copy_library(tmp_path, ideas=ideas[:at] + 'light = "sunst"\n' + ideas[at:]))
    assert info.value.source == str(tmp_path / "ideas.toml")
    (problem,) = info.value.problems
    assert problem.key == "idea[1].light" and problem.line == ideas[:at].count("\n") + 1
    assert "unknown light 'sunst'; did you mean sunset? (known: sunrise, sunset, dark)" in problem.message


def test_ideas_that_need_the_sun_or_the_dark_say_so(lib: library.Library) -> None:
    """An idea about a sunrise, a sunset or the night sky carries the light it needs,
    so it is never dealt to a date night that cannot have it."""
    needs = {
        "sunrise": r"sun comes up|sunrise",
        "sunset": r"sun (go|goes) down|sunset|as the light goes",
        "dark": r"constellation|shooting star|moonlight|telescope|winter lights",
    }
    for i in lib.ideas:
        said = [light for light, words in needs.items() if re.search(words, i.description, re.I)]
        assert said == ([i.light] if i.light else []), i.id
        assert i.light in ("", *vocabulary.LIGHT), i.id


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("\u2019", "'"))


SEVEN = 7
# One-way fingerprints of every run of seven words in the seed articles: the articles
# are not ours to copy into the repository, but CI must still catch a copied sentence.
SEED_RUNS = FIXTURES / "seed_runs.txt"


def _run_key(words: tuple[str, ...]) -> str:
    import hashlib

    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:16]


def _runs(text: str) -> list[tuple[str, ...]]:
    w = _words(text)
    return [tuple(w[i : i + SEVEN]) for i in range(len(w) - SEVEN + 1)]


def test_the_seed_fingerprints_are_those_of_the_articles() -> None:
    """Where the articles are at hand (beside the repository), the fingerprints are
    exactly theirs; RITUAL_REGEN_SEEDS=1 rewrites them after the articles change."""
    import os

    if not SEEDS.is_dir():
        assert len(SEED_RUNS.read_text().split()) > 3000  # the fixture stands in for them
        return
    made = sorted(
        {_run_key(r) for seed in SEEDS.glob("*.txt") for r in _runs(seed.read_text(encoding="utf-8"))}
    )
    if os.environ.get("RITUAL_REGEN_SEEDS"):
        SEED_RUNS.write_text("\n".join(made) + "\n")
    assert SEED_RUNS.read_text().split() == made


def test_content_is_in_the_projects_own_words(lib: library.Library) -> None:
    """No run of seven words from a seed article appears in a prompt, exercise or template."""
    seeds = set(SEED_RUNS.read_text().split())
    texts = [
        t for p in lib.practices for t in (p.title, p.origin, p.why, p.exercise, *(q.text for q in p.prompts))
    ]
    texts += [t for s in lib.repair for t in (s.title, s.origin, s.guide, *(q.text for q in s.prompts))]
    texts += [t for i in lib.ideas for t in (i.title, i.description, *(q.text for q in i.prompts))]
    texts += [f.read_text(encoding="utf-8") for f in templates_dir.builtin_dir().rglob("*.j2")]
    # Naming an article by its title is citing it, not copying it.
    for title in _sources_table():
        texts = [" ".join(text.split()).replace(title, "") for text in texts]
    copied = [" ".join(r) for text in texts for r in _runs(text) if _run_key(r) in seeds]
    assert copied == []


def test_the_own_words_check_catches_a_copied_sentence() -> None:
    seeds = set(SEED_RUNS.read_text().split())
    copied = "Emotional safety is the foundation for a loving and healthy relationship."
    assert any(_run_key(r) in seeds for r in _runs(copied))


# American spellings the content must not use: the product writes British English.
AMERICAN = (
    r"\b(colors?|favorites?|flavors?|behaviors?|honors?|honored|neighbors?|centers?|armor|humor|savor\w*"
    r"|realiz\w+|recogniz\w+|organiz\w+|apologiz\w+|criticiz\w+|analyz\w+|traveler|traveling|defense"
    r"|gray|cozy|cozier|mom|vacation|pajamas|skeptic\w*|theater|jewelry|toward)\b"
)


def test_content_is_in_british_spelling() -> None:
    texts = {name: (TEMPLATES / name).read_text(encoding="utf-8") for name in library.LIBRARY_FILES}
    texts["SOURCES.md"] = SOURCES_MD.read_text(encoding="utf-8")
    found = {name: sorted(set(re.findall(AMERICAN, text, re.I))) for name, text in texts.items()}
    assert {name: words for name, words in found.items() if words} == {}


def test_library_problems_name_their_line_and_a_misspelt_key(tmp_path: Path) -> None:
    practices = (
        '[[practice]]\nid = "x"\ntitle = "X"\nwhy = "w"\nexcercise = "e"\nsources = ["S"]\n'
        'prompts = [{ text = "a", depth = "shallow", tags = [] }, { text = "b", depth = "medium", tags = [] },'
        ' { text = "c", depth = "deep", tag = [] }]\n'
    )
    with pytest.raises(FileProblemsError) as info:
        library.load(_copy_library(tmp_path, practices=practices))
    where = {p.key: p.line for p in info.value.problems}
    assert where["practice[1].prompts[1].depth"] == 7  # "shallow" is not a depth
    lines = [line.split(" (allowed")[0] for line in info.value.lines()]
    assert (
        f"  {tmp_path / 'practices.toml'}:5: practice[1].excercise: unknown key; did you mean exercise?"
        in lines
    )
    assert any("practice[1].prompts[3].tag: unknown key; did you mean tags?" in line for line in lines)


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
