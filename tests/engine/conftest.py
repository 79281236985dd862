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


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def _engine_prose() -> frozenset[str]:
    """Words the engine writes on its own: its sentences, situations and family words (not keywords)."""
    data = Path(__file__).resolve().parents[2] / "workshop" / "engine" / "data"
    texts = []
    for path in [data / "phrases.yaml", *sorted((data / "bank").glob("*.yaml"))]:
        texts += _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    families = yaml.safe_load((data / "families.yaml").read_text(encoding="utf-8"))
    texts += [w for info in families.values() for w in info["words"].values()]
    vocab = yaml.safe_load((data / "vocabulary.yaml").read_text(encoding="utf-8"))
    texts += [f for info in vocab["emotions"].values() for f in info["forms"]] + list(vocab["emotions"])
    return frozenset(w for t in texts for w in words(t))


ENGINE_PROSE = _engine_prose()


def profile_words(profile: ProfileSpec) -> set[str]:
    """The content words of a participant's own domains and memories."""
    texts = [*profile.domains, *(e.text for e in profile.experiences)]
    return {w for t in texts for w in words(t)} - STOPWORDS


@pytest.fixture
def llm(llm_server):
    """An LLMConfig pointed at the local server, with its own analysis cache and short waits."""
    from workshop.engine import LLMConfig

    return LLMConfig(base_url=llm_server.base_url, model="fake-model", timeout_s=2, backoff_base_s=0.01,
                     backoff_max_s=2)
