"""Steps 4 and 5: tell the source as one story in the second person, evoke what it cost without naming the
feelings, bridge back to the scenario's person with their pronouns, and map the pairs."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .models import MappingPair
from .profile_map import ParticipantMap
from .sources import Candidate, fill, world_words
from .structure import ScenarioStructure, fill_pronouns
from .textutil import capitalise, word_count
from .vocabulary import EVOKE, INFERENCE, STAKES, load_data, mentions_avoided

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


def participant_stake(structure: ScenarioStructure, pmap: ParticipantMap) -> str:
    stake = structure.appraisal.stake
    return stake if stake in pmap.stakes or not pmap.stakes else pmap.stakes[0]


def _intro(candidate: Candidate, pmap: ParticipantMap, rng: random.Random) -> str:
    domain = candidate.domain
    if domain is None:
        return ""  # a memory or a universal situation opens with its own first sentence
    slots = world_words(domain)
    role = domain.role if domain.role in phrases()["intro"] else None
    key = role or ("activity" if domain.activity else "member")
    pools = phrases()["intro"][key]
    if pmap.framing.imaginative:
        pool = pools["picture"]
    elif pmap.framing.concrete:
        pool = pools["plain"]
    else:
        pool = pools["picture"] + pools["plain"]
    own_bare = domain.noun
    return capitalise(fill(rng.choice(pool), {
        **slots, "own": domain.noun, "own_bare": own_bare, "activity": domain.activity,
        "regular": slots.get("activity", ""),
    }))


def _evoke(template: str, candidate: Candidate) -> str:
    return capitalise(fill(template, {"who": candidate.who, "world": candidate.world}))


def _costs(structure: ScenarioStructure, candidate: Candidate, pmap: ParticipantMap,
           rng: random.Random) -> list[str]:
    """One sentence per strongest target feeling (two at most; one for a participant who asked for gentleness)."""
    wanted = 1 if pmap.framing.gentle else 2
    out: list[str] = []
    for label in structure.target_emotions:
        pool = EVOKE["cost"].get(label)
        if not pool:
            continue
        out.append(_evoke(rng.choice(pool), candidate))
        if len(out) >= wanted:
            break
    return out


def _stake(structure: ScenarioStructure, candidate: Candidate, pmap: ParticipantMap,
           rng: random.Random) -> list[str]:
    scenario_stake = structure.appraisal.stake
    lines = [_evoke(rng.choice(EVOKE["stake"][scenario_stake]), candidate)]
    own = participant_stake(structure, pmap)
    if own != scenario_stake:
        lines.append(rng.choice(EVOKE["stake_own"][own]))
    return lines


def _bridge(structure: ScenarioStructure, candidate: Candidate, pmap: ParticipantMap, rng: random.Random) -> str:
    role = structure.role_phrase
    if mentions_avoided(role, pmap.avoid):  # the scenario's own job title may touch an avoided topic
        role = phrases()["no_role"]
    happened_pool = INFERENCE["happened"][structure.relational_themes[0]]
    happened = fill_pronouns(rng.choice(happened_pool), structure.pronouns)
    found = phrases()["found_out"].get(structure.appraisal.found_out, "")
    template = rng.choice(phrases()["bridge"])
    slots = {"Name": structure.person, "name": structure.person, "role": role, "where": candidate.where,
             "found": fill_pronouns(found, structure.pronouns), "happened": happened,
             "Happened": capitalise(happened), "Subj": capitalise(structure.pronoun("subj"))}
    text = fill_pronouns(template, structure.pronouns, **slots)
    return capitalise(text)


def _mapping(structure: ScenarioStructure, candidate: Candidate, pmap: ParticipantMap) -> list[MappingPair]:
    """Pairs that carry meaning: who, who caused it, what happened, where, what it cost. Never a phrase mapped to
    itself; the feelings are not listed (they are shown only after the participant's "after" answers)."""
    stake = participant_stake(structure, pmap)
    pairs = [
        (f"{structure.person}, {structure.role_phrase}", candidate.you),
        (structure.appraisal.causer_label, candidate.who),
        (structure.happened, candidate.happened),
        (structure.place, candidate.where),
        (fill_pronouns(STAKE_LABELS[structure.appraisal.stake], structure.pronouns),
         STAKE_LABELS_YOU[stake].format(world=candidate.world)),
    ]
    return [MappingPair(scenario=a, analogy=b) for a, b in pairs if a.strip().lower() != b.strip().lower()]


STAKE_LABELS = {
    "recognition": "being seen for the work {subj} did", "belonging": "{poss} place among the people {subj} work{s} with",
    "fairness": "being treated by the same rules as everyone else", "security": "knowing where {subj} stand{s}",
    "autonomy": "a say in what happens to {obj}", "care": "being there for the people who count on {obj}",
}
STAKE_LABELS_YOU = {
    "recognition": "what you did for {world} being seen", "belonging": "your place in {world}",
    "fairness": "the same rules for you as for everyone in {world}", "security": "knowing {world} would hold",
    "autonomy": "your say in {world}", "care": "the people who count on you",
}


def compose(candidate: Candidate, structure: ScenarioStructure, pmap: ParticipantMap,
            rng: random.Random) -> Composition:
    intro = _intro(candidate, pmap, rng)
    costs = _costs(structure, candidate, pmap, rng)
    stake = _stake(structure, candidate, pmap, rng)
    bridge = _bridge(structure, candidate, pmap, rng)

    def assemble(cost: list[str], stakes: list[str]) -> str:
        return " ".join(part for part in [intro, candidate.story, *cost, *stakes, bridge] if part)

    text = assemble(costs, stake)
    spare = [s for label in structure.target_emotions for s in EVOKE["cost"].get(label, [])]
    rng.shuffle(spare)
    while word_count(text) < MIN_WORDS and spare:
        extra = _evoke(spare.pop(), candidate)
        if extra not in costs:
            costs.append(extra)
            text = assemble(costs, stake)
    while word_count(text) > MAX_WORDS and (len(stake) > 1 or len(costs) > 1):
        if len(stake) > 1:
            stake.pop()
        else:
            costs.pop()
        text = assemble(costs, stake)
    return Composition(title=candidate.title, text=text, bridge=bridge,
                       mapping=_mapping(structure, candidate, pmap))
