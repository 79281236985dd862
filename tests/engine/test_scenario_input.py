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


def test_it_rejects_an_unknown_theme(valid):
    valid["themes"] = ["exclusion", "weather"]
    assert error_for(valid) == "scenario.themes: unknown theme 'weather'"


def test_it_needs_a_relational_theme(valid):
    valid["themes"] = ["remote_work", "age"]
    assert error_for(valid).startswith("scenario.themes: needs at least one relational theme")


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
    assert structure.appraisal.causer_label == "their manager"


def test_topic_themes_point_at_relational_ones(scenarios):
    lunch = next(s for s in scenarios if s.slug == "lunch-without-priya")
    structure = analyze_scenario(lunch)
    assert structure.relational_themes[0] == "exclusion"
    assert "voice_and_credit" in structure.relational_themes  # from remote_work
    assert structure.topic_themes == ("remote_work",)


def test_the_structure_is_cached_per_scenario_version(raw_scenarios):
    first = analyze_scenario(ScenarioSpec.model_validate(raw_scenarios[0]))
    again = analyze_scenario(ScenarioSpec.model_validate(raw_scenarios[0]))
    changed = copy.deepcopy(raw_scenarios[0])
    changed["narrative"] += " It happened again the next week."
    assert again is first
    assert analyze_scenario(ScenarioSpec.model_validate(changed)) is not first
