"""The Korean pieces the composer writes around a story: the scenario's person by name (Korean has no gendered
pronouns in such text: the name with 씨, or their title), the bridge back to them, and the mapping pairs. The
scenario may be Korean (its own name, role, people and places) or English only (its people and places in Korean
words, its role left out)."""

from __future__ import annotations

import random

from .korean import connect, has_hangul
from .models import MappingPair
from .sources import Candidate, fill
from .structure import ScenarioStructure
from .vocabulary import lang_data, mentions_avoided

# A name that already ends in a title or an honorific takes no 씨.
_TITLES = ("씨", "님", "대리", "과장", "차장", "부장", "팀장", "실장", "주임", "사원", "선생님", "교수", "간호사",
           "선배", "매니저", "책임", "선임", "수석", "본부장", "대표", "이사")


def phrases() -> dict:
    return lang_data("phrases.yaml", "ko")


def person_names(structure: ScenarioStructure, avoid: tuple[tuple[str, ...], ...]) -> tuple[str, str]:
    """(first mention, later mentions) of the scenario's person: "마케팅팀 대리 김지은 씨", "김지은 씨". The role
    is named only when the scenario gives it in Korean, and never when it touches an avoided topic."""
    name = structure.person
    short = name if name.endswith(_TITLES) else f"{name} {phrases()['name_suffix']}"
    role = structure.role_phrase
    if has_hangul(role) and not mentions_avoided(role, avoid):
        return f"{role} {short}", short
    return short, short


def happened(structure: ScenarioStructure, name: str, rng: random.Random | None = None) -> str:
    pool = lang_data("inference.yaml", "ko")["happened"][structure.relational_themes[0]]
    return fill(rng.choice(pool) if rng else pool[0], {"name": name})


def bridge(structure: ScenarioStructure, candidate: Candidate, avoid: tuple[tuple[str, ...], ...],
           rng: random.Random) -> str:
    first, short = person_names(structure, avoid)
    found = fill(phrases()["found_out"].get(structure.appraisal.found_out, ""), {"name": short})
    event = happened(structure, short, rng)
    if found:  # one sentence, so that it carries the story's place with it (a sentence of its own would be stock)
        event = f"{connect(event)}, {found}"
    where = candidate.where
    text = fill(rng.choice(phrases()["bridge"]), {
        "person": first, "name": short, "where": where, "event": event, "event_and": connect(event),
        "where_at": where if where in _MOMENTS else f"{where}에서",
    })
    return " ".join(text.split())


_MOMENTS = frozenset({"그 순간", "그때", "그날"})


def _causer(structure: ScenarioStructure, short: str) -> str:
    actor = structure.actor
    names = lang_data("inference.yaml", "ko")["actor_names"]
    if actor and structure.appraisal.causer in ("someone_else", "group"):
        korean = actor if has_hangul(actor) else names.get(actor, "")
        if korean:
            return f"{short}의 {korean}"
    return fill(phrases()["causer_labels"][structure.appraisal.causer], {"name": short})


def _place(structure: ScenarioStructure) -> str:
    term = structure.place_term
    if term and has_hangul(term):
        return term
    return lang_data("inference.yaml", "ko")["place_names"].get(term, phrases()["at_work"])


def mapping(structure: ScenarioStructure, candidate: Candidate, stake: str,
            avoid: tuple[tuple[str, ...], ...]) -> list[MappingPair]:
    """The same pairs as in English (who, who caused it, what happened, where, what was at stake), in Korean."""
    first, short = person_names(structure, avoid)
    role = structure.role_phrase if first != short else ""
    world = candidate.world or candidate.place
    pairs = [
        (f"{short}, {role}" if role else short, candidate.you),
        (_causer(structure, short), candidate.who),
        (happened(structure, short).rstrip("."), candidate.happened),
        (_place(structure), candidate.where),
        (fill(phrases()["stake_labels"][structure.appraisal.stake], {"name": short}),
         fill(phrases()["stake_labels_you"][stake], {"world": world})),
    ]
    return [MappingPair(scenario=a, analogy=b) for a, b in pairs if a.strip() != b.strip()]


def memory_lead(candidate: Candidate, rng: random.Random) -> str:
    """The sentence before a retold memory: it names who did it, or else where it happened, in the participant's
    own words."""
    leads = phrases()
    if candidate.who == leads["people_there"]:
        if candidate.where != leads["that_moment"]:
            return fill(rng.choice(leads["memory_lead_plain"][candidate.theme]), {"place": candidate.where})
        return rng.choice(leads["memory_lead_bare"][candidate.theme])
    return fill(rng.choice(leads["memory_lead"][candidate.theme]), {"who": candidate.who})


def in_world(place: str) -> str:
    """Where it happened, with its particle: "연습실에서"."""
    return f"{place}에서" if place else place
