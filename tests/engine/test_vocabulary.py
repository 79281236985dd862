"""The vocabularies other engineers write scenario files against: exact ids, and domain matching."""

from __future__ import annotations

import pytest

from workshop.engine import DOMAIN_FAMILIES, EMOTIONS, THEMES, domain_family

RELATIONAL = ["exclusion", "voice_and_credit", "underestimated", "stereotype", "loss_of_role",
              "insecurity_threat", "conflicting_duties", "guilt", "unfair_blame", "otherness"]
TOPICS = ["caregiving", "parenthood", "age", "disability_neurodiversity", "language_accent",
          "religion_culture", "gender", "remote_work", "job_insecurity", "health", "class_background",
          "sexuality"]


def test_it_knows_every_emotion_label_with_a_plutchik_family():
    labels = ("anger frustration resentment sadness loneliness hurt disappointment shame embarrassment "
              "humiliation guilt anxiety fear insecurity helplessness confusion jealousy pride relief hope "
              "gratitude joy surprise disgust").split()
    assert set(labels) <= set(EMOTIONS)
    plutchik = {"joy", "trust", "fear", "surprise", "sadness", "disgust", "anger", "anticipation"}
    assert set(EMOTIONS.values()) <= plutchik


def test_relational_and_topic_themes_keep_their_ids():
    assert [t for t, info in THEMES.items() if info["relational"]] == RELATIONAL
    assert [t for t, info in THEMES.items() if not info["relational"]] == TOPICS


def test_every_topic_theme_points_at_relational_themes():
    for topic in TOPICS:
        assert THEMES[topic]["maps_to"] and set(THEMES[topic]["maps_to"]) <= set(RELATIONAL)


def test_there_are_thirteen_life_domain_families():
    assert list(DOMAIN_FAMILIES) == [
        "team_sport", "individual_sport", "music_performing", "arts_crafts", "games_online",
        "school_university", "family_caregiving", "friends", "cooking_food", "faith",
        "community_volunteering", "moving_travel", "nature_pets_outdoors"]


@pytest.mark.parametrize(("text", "family"), [
    ("amateur football", "team_sport"),
    ("my guild in an online game", "games_online"),
    ("choir", "music_performing"),
    ("knitting", "arts_crafts"),
    ("my grandmother", "family_caregiving"),
    ("Swimming at 6am", "individual_sport"),
    ("the mosque in my neighbourhood", "faith"),
    ("volunteering at the food bank", "community_volunteering"),
    ("sourdough baking", "cooking_food"),
    ("moving to Lisbon", "moving_travel"),
    ("walking my dogs", "nature_pets_outdoors"),
    ("pub quiz with my mates", "friends"),
    ("university chemistry lab", "school_university"),
])
def test_it_maps_free_text_domains_to_families(text, family):
    assert domain_family(text) == family


def test_it_returns_none_for_a_domain_it_does_not_know():
    assert domain_family("astrophotography") is None
