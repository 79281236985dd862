"""Shared fixtures for the engine tests: plain pytest, no Django."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from workshop.engine import ProfileSpec, ScenarioSpec
from workshop.engine.textutil import words

FIXTURES = Path(__file__).parent / "fixtures"

# Small words that say nothing about who a participant is.
STOPWORDS = frozenset(
    "a an and the of in on at to for my me i was is it its his her their they them he she we our you your "
    "with from when then but not no so as by that this these those what who had have has been be were are "
    "did do does said told everyone nobody someone something new same just too up out into after before "
    "five minutes later every one".split()
)


def load_yaml(name: str):
    with open(FIXTURES / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="session")
def raw_scenarios() -> list[dict]:
    return load_yaml("scenarios.yaml")


@pytest.fixture(scope="session")
def scenarios(raw_scenarios) -> list[ScenarioSpec]:
    return [ScenarioSpec.model_validate(s) for s in raw_scenarios]


@pytest.fixture(scope="session")
def raw_profiles() -> dict[str, dict]:
    return load_yaml("profiles.yaml")


@pytest.fixture(scope="session")
def profiles(raw_profiles) -> dict[str, ProfileSpec]:
    return {name: ProfileSpec.model_validate(p) for name, p in raw_profiles.items()}


def scenario(scenarios: list[ScenarioSpec], slug: str) -> ScenarioSpec:
    return next(s for s in scenarios if s.slug == slug)


def profile_words(profile: ProfileSpec) -> set[str]:
    """The content words of a participant's own domains and memories."""
    texts = [*profile.domains, *(e.text for e in profile.experiences)]
    return {w for t in texts for w in words(t)} - STOPWORDS
