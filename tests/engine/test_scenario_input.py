"""Scenario input: what is accepted, and errors that name the field and the problem."""

from __future__ import annotations

import copy

import pytest

from workshop.engine import EngineInputError, ScenarioSpec, analyze_scenario, parse_scenario


@pytest.fixture
def valid(raw_scenarios) -> dict:
    return copy.deepcopy(raw_scenarios[0])


def error_for(data: dict) -> str:
    with pytest.raises(EngineInputError) as info:
        parse_scenario(data)
    return str(info.value)


def test_it_accepts_a_valid_scenario(valid):
    spec = parse_scenario(valid)
    assert spec.slug == "lunch-without-priya"
    assert spec.emotions[0].label == "loneliness"


def test_it_names_an_unknown_emotion_label(valid):
    valid["emotions"][0]["label"] = "sadd"
    assert error_for(valid) == "scenario.emotions[0].label: unknown emotion 'sadd'"


def test_it_names_a_missing_field(valid):
    del valid["perspective"]
    assert error_for(valid) == "scenario.perspective: missing field"


def test_it_names_a_missing_nested_field(valid):
    del valid["perspective"]["role"]
    assert error_for(valid) == "scenario.perspective.role: missing field"


def test_it_rejects_unknown_fields(valid):
    valid["mood"] = "grim"
    assert error_for(valid) == "scenario.mood: unknown field"


def test_it_rejects_an_intensity_outside_zero_to_one(valid):
    valid["emotions"][1]["intensity"] = 1.5
    assert error_for(valid).startswith("scenario.emotions[1].intensity:")


def test_a_theme_word_the_engine_does_not_know_is_a_hint_never_an_error(valid):
    valid["themes"] = ["Microaggression", "hybrid work", "weather"]
    spec = parse_scenario(valid)
    assert spec.themes == ["microaggression", "hybrid work", "weather"]
    structure = analyze_scenario(spec)
    assert {"stereotype", "exclusion"} <= set(structure.relational_themes)
    assert structure.describe()["theme_words_not_known"] == ["weather"]


def test_it_reads_free_theme_words_with_synonyms_inflections_and_phrases():
    from workshop.engine.structure import theme_word_themes
    assert theme_word_themes("ageism")[0] == "underestimated"
    assert "stereotype" in theme_word_themes("microaggressions")
    assert theme_word_themes("Excluded")[0] == "exclusion"
    assert theme_word_themes("taking credit")[0] == "voice_and_credit"
    assert theme_word_themes("subtle exclusion at lunch")[0] == "exclusion"


def test_it_refuses_only_a_scenario_with_no_structure_and_says_what_to_add(valid):
    valid.update(themes=["weather"], narrative="Sam had a cup of tea.", title="Tea")
    valid["emotions"] = [{"label": "joy", "intensity": 0.4}]
    with pytest.raises(EngineInputError, match="add a theme word"):
        analyze_scenario(parse_scenario(valid))
    valid["themes"] = []  # no theme at all is fine when the narrative says what happened
    valid["narrative"] = "The team went to lunch without Sam again, and he found out from the photos."
    assert analyze_scenario(parse_scenario(valid)).relational_themes[0] == "exclusion"


def test_it_rejects_a_slug_with_spaces(valid):
    valid["slug"] = "lunch without priya"
    assert error_for(valid).startswith("scenario.slug:")


def test_it_rejects_more_than_eight_emotions(valid):
    valid["emotions"] = [{"label": "hurt", "intensity": 0.5}] * 9
    assert error_for(valid).startswith("scenario.emotions:")


def test_it_rejects_an_overlong_narrative(valid):
    valid["narrative"] = "word " * 2000
    assert error_for(valid).startswith("scenario.narrative:")


def test_it_reads_the_emotional_structure(scenarios):
    blame = next(s for s in scenarios if s.slug == "blamed-for-the-outage")
    structure = analyze_scenario(blame)
    assert structure.relational_themes == ("unfair_blame",)
    assert structure.target_emotions == ("anger", "helplessness", "shame")
    assert structure.appraisal.fair == "unfair"
    assert structure.appraisal.causer == "someone_else"
    assert structure.appraisal.causer_label == f"{structure.pronoun('poss')} manager"  # his, her or their


def test_topic_themes_point_at_relational_ones(scenarios):
    lunch = next(s for s in scenarios if s.slug == "lunch-without-priya")
    structure = analyze_scenario(lunch)
    assert structure.relational_themes[0] == "exclusion"
    assert "voice_and_credit" in structure.relational_themes  # from remote_work
    assert structure.topic_themes == tuple(lunch.themes)  # the words as the facilitator wrote them


def test_the_structure_is_cached_per_scenario_version(raw_scenarios):
    first = analyze_scenario(ScenarioSpec.model_validate(raw_scenarios[0]))
    again = analyze_scenario(ScenarioSpec.model_validate(raw_scenarios[0]))
    changed = copy.deepcopy(raw_scenarios[0])
    changed["narrative"] += " It happened again the next week."
    assert again is first
    assert analyze_scenario(ScenarioSpec.model_validate(changed)) is not first
