"""Step 1: the emotional structure of a scenario, computed once per scenario version."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .models import ScenarioSpec
from .textutil import clean, contains_phrase, stems
from .vocabulary import APPRAISAL_CUES, RELATIONAL_THEMES, SCENARIO_ACTORS, SCENARIO_PLACES, THEMES, load_data

_CAUSER_LABELS = {"group": "the people around them", "someone_else": "someone with a say over them",
                  "self": "they themselves", "circumstance": "circumstances outside their control"}


@dataclass(frozen=True)
class Appraisal:
    causer: str  # someone_else | group | self | circumstance
    causer_label: str  # who, in the scenario's own words where it names them
    fair: str  # unfair | fair | unclear
    control: str  # low | some
    stake: str  # recognition | belonging | fairness | security | autonomy | care


@dataclass(frozen=True)
class ScenarioStructure:
    slug: str
    person: str
    role_phrase: str
    target_emotions: tuple[str, ...]  # strongest first
    relational_themes: tuple[str, ...]  # explicit ones first, then those implied by topic themes
    explicit_themes: tuple[str, ...]  # the relational themes the scenario names itself
    topic_themes: tuple[str, ...]
    appraisal: Appraisal
    place: str
    happened: str


def _role_phrase(role: str) -> str:
    low = role.lower()
    if low.startswith(("a ", "an ", "the ", "their ", "his ", "her ")):
        return role
    if role[1:2].islower():
        role = role[0].lower() + role[1:]
    return f"the {role}"


def _has_cue(tokens: list[str], cues: list[str]) -> bool:
    return any(contains_phrase(tokens, tuple(stems(c))) for c in cues)


def _first_mentioned(tokens: list[str], candidates: tuple[str, ...]) -> str | None:
    for candidate in candidates:
        if contains_phrase(tokens, tuple(stems(candidate))):
            return candidate
    return None


def _build(scenario: ScenarioSpec) -> ScenarioStructure:
    explicit = [t for t in scenario.themes if t in RELATIONAL_THEMES]
    topics = tuple(t for t in scenario.themes if t in THEMES and t not in RELATIONAL_THEMES)
    implied = [r for t in topics for r in THEMES[t]["maps_to"]]
    relational = tuple(dict.fromkeys(explicit + implied)) or ("exclusion",)
    explicit = explicit or list(relational[:1])
    primary = relational[0]

    tokens = stems(scenario.narrative + " " + scenario.title)
    default = THEMES[primary]["appraisal"]
    fair, causer, control = default["fair"], default["causer"], default["control"]
    for value, cues in APPRAISAL_CUES["fair"].items():
        if _has_cue(tokens, cues):
            fair = value
            break
    for value, cues in APPRAISAL_CUES["causer"].items():
        if _has_cue(tokens, cues):
            causer = value
            break
    if _has_cue(tokens, APPRAISAL_CUES["control"]["some"]):
        control = "some"
    actor = _first_mentioned(tokens, SCENARIO_ACTORS)
    named = actor and causer in ("someone_else", "group")
    causer_label = f"their {actor}" if named else _CAUSER_LABELS[causer]
    place = _first_mentioned(tokens, SCENARIO_PLACES)

    emotions = sorted(scenario.emotions, key=lambda e: -e.intensity)
    bank = load_data(f"bank/{primary}.yaml")
    return ScenarioStructure(
        slug=scenario.slug,
        person=clean(scenario.perspective.name),
        role_phrase=_role_phrase(clean(scenario.perspective.role)),
        target_emotions=tuple(dict.fromkeys(e.label for e in emotions)),
        relational_themes=relational,
        explicit_themes=tuple(explicit),
        topic_themes=topics,
        appraisal=Appraisal(causer, causer_label, fair, control, default["stake"]),
        place=f"the {place} at work" if place else "at work",
        happened=bank["scenario_happened"],
    )


_CACHE: dict[tuple[str, str], ScenarioStructure] = {}
_CACHE_MAX = 1024


def scenario_hash(scenario: ScenarioSpec) -> str:
    return hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()


def analyze_scenario(scenario: ScenarioSpec) -> ScenarioStructure:
    """The scenario's emotional structure, cached per (slug, content hash)."""
    key = (scenario.slug, scenario_hash(scenario))
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        found = _CACHE[key] = _build(scenario)
    return found
