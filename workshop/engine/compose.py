"""Steps 4 and 5: tell the source as one story in the second person, evoke what it cost without naming the
feelings, bridge back to the scenario's person with their pronouns, and map the pairs."""

from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass

from . import korean_text
from .checks import MIN_EVOKED, WORD_BOUNDS, feeling_vector, template_vector, vector_similarity
from .mentions import Referent, referents, split_people, vary
from .models import MappingPair
from .profile_map import ParticipantMap
from .sources import Candidate, definite, fill, world_words
from .structure import ScenarioStructure, fill_pronouns
from .textutil import capitalise, word_count
from .vocabulary import EVOKE, INFERENCE, lang_data, mentions_avoided

MIN_WORDS, MAX_WORDS = WORD_BOUNDS["en"]


@dataclass(frozen=True)
class Composition:
    title: str
    text: str
    bridge: str
    mapping: list[MappingPair]


def phrases(language: str = "en") -> dict:
    return lang_data("phrases.yaml", language)


def evoke(language: str = "en") -> dict:
    return EVOKE if language == "en" else lang_data("evoke.yaml", language)


def participant_stake(structure: ScenarioStructure, pmap: ParticipantMap) -> str:
    stake = structure.appraisal.stake
    return stake if stake in pmap.stakes or not pmap.stakes else pmap.stakes[0]


def _intro(candidate: Candidate, pmap: ParticipantMap, rng: random.Random) -> str:
    """The opening: for a memory, a lead-in for this scenario's theme; for a domain, the participant in their
    world and role. Both end with a colon and run into the story's first sentence."""
    domain = candidate.domain
    language = pmap.language
    if candidate.kind == "own_experience":
        if language == "ko":
            return korean_text.memory_lead(candidate, rng)
        return rng.choice(phrases()["memory_lead"][candidate.theme])
    if domain is None:
        return ""  # a universal situation opens with its own first sentence
    slots = world_words(domain, language)
    role = domain.role if domain.role in phrases(language)["intro"] else None
    if language == "ko" and domain.activity and role == "parent":
        role = None  # "주말마다 딸과 한강에서 자전거 타기": what they do there already says who they are
    key = role or ("activity" if domain.activity else "member")
    pools = phrases(language)["intro"][key]
    if pmap.framing.imaginative:
        pool = pools["picture"]
    elif pmap.framing.concrete:
        pool = pools["plain"]
    else:
        pool = pools["picture"] + pools["plain"]
    own_bare = domain.noun
    text = fill(rng.choice(pool), {
        **slots, "own": domain.noun, "own_bare": own_bare, "activity": domain.activity,
        "regular": slots.get("activity", ""),
    })
    return capitalise(text) if language == "en" else text


_INSIDE = frozenset("""room hall kitchen studio shed chat house flat garden corridor library lab ward office pub bar
café cafe school church classroom class team band choir group circle car bus train tent memory place""".split())


def place_with_preposition(place: str) -> str:
    """"at the clubhouse", "in the back room of the pub": the preposition the place's head noun takes."""
    head = place.split(" of ")[0].split(" in ")[0].split(" where ")[0].split()[-1:] or [""]
    return ("in " if head[0].lower() in _INSIDE else "at ") + place


def _evoke(template: str, candidate: Candidate, language: str = "en") -> str:
    if language == "ko":
        return fill(template, {"who": candidate.who, "world": candidate.world or candidate.place,
                               "in_world": korean_text.in_world(candidate.place), "place": candidate.place})
    return capitalise(fill(template, {"who": candidate.who, "world": candidate.world or candidate.place,
                                      "in_world": place_with_preposition(candidate.place)}))


@functools.cache
def _group_scene(language: str) -> re.Pattern[str]:
    return re.compile("|".join(evoke(language)["group_scene"]))


def _usable(pool: list[str], candidate: Candidate, language: str = "en") -> list[str]:
    """Sentences that need the participant's world only when the story has one, and that put other people in the
    scene only when it has them (a one-to-one story is between the participant and one other person)."""
    usable = pool if candidate.world else [t for t in pool if "{world" not in t] or pool
    if candidate.audience == "one_to_one":
        usable = [t for t in usable if not _group_scene(language).search(t)] or usable
    return usable


def _costs(structure: ScenarioStructure, candidate: Candidate, pmap: ParticipantMap, base: str,
           rng: random.Random) -> list[str]:
    """One sentence per strongest target feeling (two at most; one for a participant who asked for gentleness).
    Among each feeling's variants, those that carry the target feelings best (by the lexicon, within a margin)
    are drawn from at random, so two people rarely get the same sentence."""
    wanted = 1 if pmap.framing.gentle else 2
    out: list[str] = []
    have = feeling_vector(base)
    targets = structure.target_emotions
    for label in targets:
        pool = _usable(evoke(pmap.language)["cost"].get(label, []), candidate, pmap.language)
        if not pool:
            continue
        options = list(pool)
        rng.shuffle(options)
        scored = [(vector_similarity(_plus(have, template_vector(t)), targets), t) for t in options]
        best = max(score for score, _ in scored)
        chosen = rng.choice([t for score, t in scored if score >= best - 0.2])
        have = _plus(have, template_vector(chosen))
        out.append(_evoke(chosen, candidate, pmap.language))
        if len(out) >= wanted:
            break
    return out


def _plus(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def _stake(structure: ScenarioStructure, candidate: Candidate, pmap: ParticipantMap,
           rng: random.Random) -> list[str]:
    scenario_stake = structure.appraisal.stake
    lines = evoke(pmap.language)
    out = [_evoke(rng.choice(_usable(lines["stake"][scenario_stake], candidate, pmap.language)), candidate,
                   pmap.language)]
    own = participant_stake(structure, pmap)
    if own != scenario_stake:
        out.append(_evoke(rng.choice(_usable(lines["stake_own"][own], candidate, pmap.language)), candidate,
                          pmap.language))
    return out


def _bridge(structure: ScenarioStructure, candidate: Candidate, pmap: ParticipantMap, rng: random.Random) -> str:
    if pmap.language == "ko":
        return korean_text.bridge(structure, candidate, pmap.avoid, rng)
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
    if pmap.language == "ko":
        return korean_text.mapping(structure, candidate, stake, pmap.avoid)
    pairs = [
        (f"{structure.person}, {structure.role_phrase}", candidate.you),
        (structure.appraisal.causer_label, candidate.who),
        (structure.happened, candidate.happened),
        (structure.place, candidate.where),
        (fill_pronouns(STAKE_LABELS[structure.appraisal.stake], structure.pronouns),
         STAKE_LABELS_YOU[stake].format(world=candidate.world or candidate.place)),
    ]
    return [MappingPair(scenario=a, analogy=b) for a, b in pairs if a.strip().lower() != b.strip().lower()]


STAKE_LABELS = {
    "recognition": "being seen for the work {subj} did",
    "belonging": "{poss} place among the people {subj} work{s} with",
    "fairness": "being treated by the same rules as everyone else", "security": "knowing where {subj} stand{s}",
    "autonomy": "a say in what happens to {obj}", "care": "being there for the people who count on {obj}",
}
STAKE_LABELS_YOU = {
    "recognition": "what you did for {world} being seen", "belonging": "your place in {world}",
    "fairness": "the same rules for you as for everyone in {world}", "security": "knowing {world} would hold",
    "autonomy": "your say in {world}", "care": "the people who count on you",
}


def _referents(candidate: Candidate, structure: ScenarioStructure, pmap: ParticipantMap) -> list[Referent]:
    """The story's people and places: who did it (each of several named together), where, and for a story from
    the participant's domain its words for the leader, a peer, the group, the place and its days (occasions, not
    places: never "there" or "그곳"); in Korean, the scenario's person in the bridge."""
    language = pmap.language
    people = _parts(candidate.who, language)
    places = [candidate.place, candidate.where]
    aliases: dict[str, tuple[str, ...]] = {}
    occasions: tuple[str, ...] = ()
    if candidate.domain is not None:
        slots = world_words(candidate.domain, language)
        people += [slots.get(key, "") for key in ("leader", "peer", "group")]
        places.append(slots.get("place", ""))
        occasions = tuple(slots.get(key, "") for key in ("big_day", "event", "activity"))
        places = [p for p in places if p not in occasions]
        # the story's own occasion first: it has the first claim on a short form ("그 모임")
        occasions = tuple(sorted(occasions, key=lambda o: o != candidate.where))
        if language == "en" and slots.get("peer") and definite(slots["peer"]) != slots["peer"]:
            aliases[slots["peer"]] = (definite(slots["peer"]),)  # the bank's own second mention, {the_peer}
    person = korean_text.person_names(structure, pmap.avoid)[1] if language == "ko" else ""
    return referents(people, places, language, aliases, worlds=(candidate.world,), occasions=occasions,
                     person=person)


def _parts(who: str, language: str) -> list[str]:
    """"a teammate and the squad" -> the whole (said later as "them", "all of them"), then each of them."""
    parts = split_people(who, language)
    return [who, *parts] if len(parts) > 1 else [who]


def compose(candidate: Candidate, structure: ScenarioStructure, pmap: ParticipantMap,
            rng: random.Random) -> Composition:
    intro = _intro(candidate, pmap, rng)
    costs = _costs(structure, candidate, pmap, f"{intro} {candidate.story}", rng)
    stake = _stake(structure, candidate, pmap, rng)
    bridge = _bridge(structure, candidate, pmap, rng)

    story = candidate.story
    if intro.endswith(":"):  # the opening leads straight into the story's first sentence
        story = intro + " " + (story if story.startswith(("I ", "I'")) else story[:1].lower() + story[1:])
        opening = ""
    else:
        opening = intro

    refs = _referents(candidate, structure, pmap)

    def assemble(cost: list[str], stakes: list[str]) -> str:
        """The parts in order, later mentions of the story's people and places varied (word counts are read on
        what the participant will see)."""
        text = " ".join(part for part in [opening, story, *cost, *stakes, bridge] if part)
        return vary(text, refs, pmap.language, bridge)

    text = assemble(costs, stake)
    language = pmap.language
    min_words, max_words = WORD_BOUNDS[language]
    pool = evoke(language)["cost"]
    spare = [t for label in structure.target_emotions for t in _usable(pool.get(label, []), candidate, language)]
    spare = [t for t in dict.fromkeys(spare) if _evoke(t, candidate, language) not in costs]
    rng.shuffle(spare)
    targets = structure.target_emotions
    # Too short, or the feelings too faint: one more sentence of what it cost, the one that carries them best.
    have = feeling_vector(text)
    while spare and (word_count(text) < min_words or (vector_similarity(have, targets) < MIN_EVOKED
                                                      and word_count(text) < max_words - 30)):
        extra = max(spare, key=lambda t: vector_similarity(_plus(have, template_vector(t)), targets))
        spare.remove(extra)
        costs.append(_evoke(extra, candidate, language))
        text = assemble(costs, stake)
        have = feeling_vector(text)
    while word_count(text) > max_words and (len(stake) > 1 or len(costs) > 1):
        if len(stake) > 1:
            stake.pop()
        else:
            costs.pop()
        text = assemble(costs, stake)
    return Composition(title=candidate.title, text=text, bridge=bridge,
                       mapping=_mapping(structure, candidate, pmap))
