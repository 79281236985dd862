"""The built-in scenario library files are well formed, in English and in Korean.

These tests read the YAML files in ``workshop/scenarios/library/`` directly and need no database. Each file is
written in one language (``language``, English unless it says ``ko``) and carries the other one in a block under
its code: ``ko:`` for the English-first scenarios, ``en:`` for those written for Korean workplaces first. The
English checks run on each file's English version, the Korean ones on its Korean version.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from workshop.engine import EMOTIONS as ENGINE_EMOTIONS
from workshop.engine import THEMES as ENGINE_THEMES
from workshop.scenarios.languages import hangul_share

LIBRARY_DIR = Path(__file__).resolve().parents[2] / "workshop" / "scenarios" / "library"

EMOTIONS = frozenset(ENGINE_EMOTIONS)
RELATIONAL_THEMES = frozenset(t for t, info in ENGINE_THEMES.items() if info.get("relational"))
THEMES = frozenset(ENGINE_THEMES)

SPEC_KEYS = {"slug", "title", "narrative", "perspective", "emotions", "themes", "discussion_prompts"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

FILES = sorted(LIBRARY_DIR.glob("*.yaml")) + sorted(LIBRARY_DIR.glob("*.yml"))


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


SCENARIOS = {path.name: _load(path) for path in FILES}


def in_language(data: dict, language: str) -> dict:
    """The file's scenario in ``language``: its own fields, or those of its block for that language on top."""
    if data.get("language", "en") == language:
        return data
    block = data[language]
    return {**data, **block, "perspective": {**data["perspective"], **block.get("perspective", {})}}


def english(path: Path) -> dict:
    return in_language(SCENARIOS[path.name], "en")


def korean(path: Path) -> dict:
    return in_language(SCENARIOS[path.name], "ko")


def without_quotes(text: str) -> str:
    """The narrator's text: what people say in quotation marks left out (their speech has its own register)."""
    return re.sub(r"\"[^\"]*\"|“[^”]*”|'[^']*'", " ", text)


each_file = pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
KOREAN_FIRST = [p for p in FILES if SCENARIOS[p.name].get("language") == "ko"]


def test_the_library_holds_at_least_twelve_scenario_files():
    assert len(FILES) >= 12, f"only {len(FILES)} scenario files in {LIBRARY_DIR}"


def test_at_least_four_scenarios_are_written_for_korean_workplaces_first():
    assert len(KOREAN_FIRST) >= 4, [p.name for p in KOREAN_FIRST]


@each_file
def test_each_file_has_the_scenario_keys_and_a_block_for_its_other_language(path):
    data = SCENARIOS[path.name]
    assert isinstance(data, dict)
    language = data.get("language", "en")
    assert language in ("en", "ko")
    other = "ko" if language == "en" else "en"
    activity_keys = {"when_asked", "witness"}  # optional texts for activities, in both languages when written
    assert set(data) - activity_keys == SPEC_KEYS | {other} | ({"language"} if "language" in data else set())
    block = data[other]
    assert set(block) <= {"title", "narrative", "perspective", "themes", "discussion_prompts", *activity_keys}
    assert set(data) & activity_keys == set(block) & activity_keys
    assert set(block.get("perspective", {})) <= {"name", "role", "pronouns"}


@each_file
def test_each_slug_is_lowercase_with_hyphens_and_equals_the_filename_stem(path):
    slug = SCENARIOS[path.name]["slug"]
    assert isinstance(slug, str) and SLUG_RE.fullmatch(slug), slug
    assert slug == path.stem


def test_slugs_are_unique_across_the_library():
    slugs = [data["slug"] for data in SCENARIOS.values()]
    assert len(slugs) == len(set(slugs))


@each_file
def test_each_scenario_has_a_title_and_a_perspective_with_name_and_role(path):
    data = english(path)
    assert isinstance(data["title"], str) and data["title"].strip()
    perspective = data["perspective"]
    assert isinstance(perspective, dict)
    assert set(perspective) == {"name", "role", "pronouns"}
    assert isinstance(perspective["name"], str) and perspective["name"].strip()
    assert isinstance(perspective["role"], str) and perspective["role"].strip()


PRONOUN_WORDS = {"she": ("she", "her"), "he": ("he", "him", "his"), "they": ("they", "them", "their")}


@each_file
def test_each_scenario_names_pronouns_its_english_narrative_uses(path):
    data = english(path)
    pronouns = data["perspective"]["pronouns"]
    assert pronouns in PRONOUN_WORDS, pronouns
    words = set(re.findall(r"[a-z]+", data["narrative"].lower()))
    assert words & set(PRONOUN_WORDS[pronouns]), f"{path.name}: the narrative never says {pronouns}"


@each_file
def test_each_english_narrative_is_between_80_and_250_words(path):
    narrative = english(path)["narrative"]
    assert isinstance(narrative, str)
    words = len(narrative.split())
    assert 80 <= words <= 250, f"{path.name}: {words} words"


@each_file
def test_each_scenario_has_two_to_four_emotions_from_the_vocabulary_with_intensity_0_to_1(path):
    emotions = SCENARIOS[path.name]["emotions"]
    assert isinstance(emotions, list)
    assert 2 <= len(emotions) <= 4
    labels = []
    for emotion in emotions:
        assert set(emotion) == {"label", "intensity"}
        assert emotion["label"] in EMOTIONS, emotion["label"]
        intensity = emotion["intensity"]
        assert isinstance(intensity, (int, float)) and not isinstance(intensity, bool)
        assert 0 <= intensity <= 1
        labels.append(emotion["label"])
    assert len(labels) == len(set(labels)), "an emotion is listed twice"


@each_file
def test_each_scenario_names_a_relational_theme_the_engine_knows(path):
    """English-first scenarios use the engine's theme ids only; Korean-first ones name at least one relational id
    next to their own words, so the engine reads the same structure in both languages."""
    data = SCENARIOS[path.name]
    themes = data["themes"]
    assert isinstance(themes, list) and themes
    assert len(themes) == len(set(themes)), "a theme is listed twice"
    if data.get("language", "en") == "en":
        unknown = set(themes) - THEMES
        assert not unknown, f"unknown themes: {sorted(unknown)}"
    assert RELATIONAL_THEMES & set(themes), "no relational theme"


def test_the_library_covers_at_least_ten_distinct_themes():
    covered = {theme for data in SCENARIOS.values() for theme in data["themes"] if theme in THEMES}
    assert len(covered) >= 10, sorted(covered)


@each_file
def test_each_scenario_has_three_or_four_discussion_prompts_in_each_language(path):
    for version in (english(path), korean(path)):
        prompts = version["discussion_prompts"]
        assert isinstance(prompts, list)
        assert 3 <= len(prompts) <= 4
        assert all(isinstance(p, str) and p.strip() for p in prompts)


# --- the Korean version ----------------------------------------------------------------------------------

MOSTLY_HANGUL = 0.85


@each_file
def test_each_scenario_has_a_korean_title_narrative_perspective_and_prompts_mostly_in_hangul(path):
    data = korean(path)
    texts = {"title": data["title"], "narrative": data["narrative"], "perspective.name": data["perspective"]["name"],
             "perspective.role": data["perspective"]["role"],
             **{f"prompt {i + 1}": p for i, p in enumerate(data["discussion_prompts"])}}
    for field, text in texts.items():
        assert isinstance(text, str) and text.strip(), f"{path.name}: no Korean {field}"
        assert hangul_share(text) >= MOSTLY_HANGUL, f"{path.name}: the Korean {field} is not mostly Hangul: {text!r}"


@each_file
def test_each_korean_narrative_is_a_story_of_the_usual_length(path):
    narrative = korean(path)["narrative"]
    letters = len(re.sub(r"\s", "", narrative))
    assert 250 <= letters <= 900, f"{path.name}: {letters} characters"


@each_file
def test_each_korean_narrative_is_told_in_the_plain_written_style(path):
    """해라체 (…다.) throughout: the narrator never slips into 해요체; only quoted speech may."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", without_quotes(korean(path)["narrative"])) if s.strip()]
    polite = [s for s in sentences if re.search(r"(요|니다)[.!?]$", s)]
    assert not polite, f"{path.name}: the narrator switches register: {polite}"
    plain = [s for s in sentences if s.endswith("다.")]
    assert len(plain) >= 0.8 * len(sentences), f"{path.name}: {len(plain)} of {len(sentences)} sentences end in 다."


@each_file
def test_each_korean_prompt_is_a_question_in_the_polite_style(path):
    """Prompts speak to the room in 해요체 and ask something."""
    for prompt in korean(path)["discussion_prompts"]:
        assert prompt.endswith("?"), prompt
        assert re.search(r"요\?$", prompt), f"{path.name}: not 해요체: {prompt!r}"


@each_file
def test_each_korean_version_has_its_own_theme_words(path):
    themes = korean(path)["themes"]
    assert isinstance(themes, list) and 1 <= len(themes) <= 12
    assert all(t in THEMES or hangul_share(t) >= MOSTLY_HANGUL for t in themes), themes
    assert any(hangul_share(t) >= MOSTLY_HANGUL for t in themes), "no Korean theme word"


@pytest.mark.parametrize("path", KOREAN_FIRST, ids=[p.name for p in KOREAN_FIRST])
def test_each_korean_first_scenario_has_an_english_version_with_its_own_perspective(path):
    block = SCENARIOS[path.name]["en"]
    assert {"title", "narrative", "perspective", "themes", "discussion_prompts"} <= set(block)
    assert hangul_share(block["narrative"]) == 0 and hangul_share(block["title"]) == 0
    assert block["perspective"]["name"] and block["perspective"]["role"]
    assert SCENARIOS[path.name]["perspective"]["pronouns"] in PRONOUN_WORDS
