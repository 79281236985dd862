"""Steps 4 and 5: tell the source in the second person, name the feelings, bridge back, map the pairs."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .models import MappingPair
from .profile_map import ParticipantMap
from .sources import Candidate
from .structure import ScenarioStructure
from .textutil import capitalise, join_words, word_count
from .vocabulary import EMOTION_ADJECTIVES, STAKES, load_data, mentions_avoided

MIN_WORDS = 80
MAX_WORDS = 250


@dataclass(frozen=True)
class Composition:
    title: str
    text: str
    bridge: str
    mapping: list[MappingPair]


def phrases() -> dict:
    return load_data("phrases.yaml")


def feelings(structure: ScenarioStructure) -> str:
    return join_words([EMOTION_ADJECTIVES[label] for label in structure.target_emotions])


def _pick(rng: random.Random, key: str, **slots: str) -> str:
    return rng.choice(phrases()[key]).format(**slots)


def _stake_lines(structure: ScenarioStructure, pmap: ParticipantMap, rng: random.Random) -> str:
    """The scenario's stake, and how it touches what this participant values."""
    scenario_stake = structure.appraisal.stake
    line = _pick(rng, "stake", stake=STAKES[scenario_stake])
    if scenario_stake in pmap.stakes:
        return line + " " + phrases()["stake_match"]
    if pmap.stakes:
        return line + " " + _pick(rng, "stake_own", stake=STAKES[pmap.stakes[0]])
    return line


def participant_stake(structure: ScenarioStructure, pmap: ParticipantMap) -> str:
    stake = structure.appraisal.stake
    return stake if stake in pmap.stakes or not pmap.stakes else pmap.stakes[0]


def _body(candidate: Candidate, structure: ScenarioStructure, pmap: ParticipantMap,
          rng: random.Random) -> tuple[list[str], list[str]]:
    """Fixed sentences (the story and the feelings) and optional ones, which go first when trimming."""
    f = pmap.framing
    if candidate.kind == "own_experience":
        intro = _pick(rng, "intro_memory")
    elif candidate.kind == "domain":
        intro = _pick(rng, "intro_domain", domain_ref=candidate.domain_ref)
    else:
        intro = _pick(rng, "intro_universal")
    fixed = [intro, candidate.story]
    optional: list[str] = []
    if f.imaginative:
        optional.append(_pick(rng, "imaginative", where=candidate.where))
    elif f.concrete:
        optional.append(_pick(rng, "concrete"))
    if f.group:
        optional.append(_pick(rng, "social_group"))
    elif f.quiet:
        optional.append(_pick(rng, "social_quiet"))
    if f.agreeable:
        optional.append(_pick(rng, "agreeable"))
    elif f.disagreeable:
        optional.append(_pick(rng, "disagreeable"))
    if f.conscientious:
        optional.append(_pick(rng, "conscientious"))
    fixed.append(_pick(rng, "feel_gentle" if f.gentle else "feel_direct", feelings=feelings(structure)))
    fixed.append(_stake_lines(structure, pmap, rng))
    return fixed, optional


def compose(candidate: Candidate, structure: ScenarioStructure, pmap: ParticipantMap,
            rng: random.Random) -> Composition:
    fixed, optional = _body(candidate, structure, pmap, rng)
    role = structure.role_phrase
    if mentions_avoided(role, pmap.avoid):  # the scenario's own job title may touch an avoided topic
        role = phrases()["no_role"]
    bridge = _pick(rng, "bridge", name=structure.person, role=role,
                   feelings=feelings(structure), happened=structure.happened)
    bridge = capitalise(bridge)
    extras = list(phrases()["extra"])
    rng.shuffle(extras)

    def assemble(opt: list[str]) -> str:
        # Feelings and stake stay right before the bridge; trait framing follows the story.
        return " ".join([*fixed[:2], *opt, *fixed[2:], bridge])

    text = assemble(optional)
    while word_count(text) < MIN_WORDS and extras:
        optional.append(extras.pop())
        text = assemble(optional)
    while word_count(text) > MAX_WORDS and optional:
        optional.pop()
        text = assemble(optional)
    stake = participant_stake(structure, pmap)
    mapping = [
        MappingPair(scenario=f"{structure.person}, {role}", analogy="you"),
        MappingPair(scenario=structure.appraisal.causer_label, analogy=candidate.who),
        MappingPair(scenario=structure.happened, analogy=candidate.happened),
        MappingPair(scenario=structure.place, analogy=candidate.where),
        MappingPair(scenario=STAKES[structure.appraisal.stake], analogy=STAKES[stake]),
        MappingPair(scenario=feelings(structure), analogy=feelings(structure)),
    ]
    return Composition(title=candidate.title, text=text, bridge=bridge, mapping=mapping)
