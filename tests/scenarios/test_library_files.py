"""The built-in scenario library files are well formed.

These tests read the YAML files in ``workshop/scenarios/library/`` directly and need no Django.
The vocabularies below are duplicated from DESIGN.md for now; once the engine exposes its own
vocabulary, these checks should validate against it instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

LIBRARY_DIR = Path(__file__).resolve().parents[2] / "workshop" / "scenarios" / "library"

EMOTIONS = frozenset(
    """anger frustration resentment sadness loneliness hurt disappointment shame embarrassment
    humiliation guilt anxiety fear insecurity helplessness confusion jealousy pride relief hope
    gratitude joy surprise disgust""".split()
)
RELATIONAL_THEMES = frozenset(
    """exclusion voice_and_credit underestimated stereotype loss_of_role insecurity_threat
    conflicting_duties guilt unfair_blame otherness""".split()
)
TOPIC_THEMES = frozenset(
    """caregiving parenthood age disability_neurodiversity language_accent religion_culture gender
    remote_work job_insecurity health class_background sexuality""".split()
)
THEMES = RELATIONAL_THEMES | TOPIC_THEMES

EXPECTED_KEYS = {"slug", "title", "narrative", "perspective", "emotions", "themes", "discussion_prompts"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

FILES = sorted(LIBRARY_DIR.glob("*.yaml")) + sorted(LIBRARY_DIR.glob("*.yml"))


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


SCENARIOS = {path.name: _load(path) for path in FILES}

each_file = pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])


def test_the_library_holds_at_least_twelve_scenario_files():
    assert len(FILES) >= 12, f"only {len(FILES)} scenario files in {LIBRARY_DIR}"


@each_file
def test_each_file_is_a_mapping_with_exactly_the_scenario_keys(path):
    data = SCENARIOS[path.name]
    assert isinstance(data, dict)
    assert set(data) == EXPECTED_KEYS


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
    data = SCENARIOS[path.name]
    assert isinstance(data["title"], str) and data["title"].strip()
    perspective = data["perspective"]
    assert isinstance(perspective, dict)
    assert set(perspective) == {"name", "role", "pronouns"}
    assert isinstance(perspective["name"], str) and perspective["name"].strip()
    assert isinstance(perspective["role"], str) and perspective["role"].strip()


PRONOUN_WORDS = {"she": ("she", "her"), "he": ("he", "him", "his"), "they": ("they", "them", "their")}


@each_file
def test_each_scenario_names_pronouns_its_narrative_uses(path):
    data = SCENARIOS[path.name]
    pronouns = data["perspective"]["pronouns"]
    assert pronouns in PRONOUN_WORDS, pronouns
    words = set(re.findall(r"[a-z]+", data["narrative"].lower()))
    assert words & set(PRONOUN_WORDS[pronouns]), f"{path.name}: the narrative never says {pronouns}"


@each_file
def test_each_narrative_is_between_80_and_250_words(path):
    narrative = SCENARIOS[path.name]["narrative"]
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
def test_each_theme_is_in_the_vocabulary_and_at_least_one_is_relational(path):
    themes = SCENARIOS[path.name]["themes"]
    assert isinstance(themes, list) and themes
    unknown = set(themes) - THEMES
    assert not unknown, f"unknown themes: {sorted(unknown)}"
    assert len(themes) == len(set(themes)), "a theme is listed twice"
    assert RELATIONAL_THEMES & set(themes), "no relational theme"


def test_the_library_covers_at_least_ten_distinct_themes():
    covered = {theme for data in SCENARIOS.values() for theme in data["themes"]}
    assert len(covered) >= 10, sorted(covered)


@each_file
def test_each_scenario_has_three_or_four_discussion_prompts(path):
    prompts = SCENARIOS[path.name]["discussion_prompts"]
    assert isinstance(prompts, list)
    assert 3 <= len(prompts) <= 4
    assert all(isinstance(p, str) and p.strip() for p in prompts)
