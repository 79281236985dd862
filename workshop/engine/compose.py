"""Steps 4 and 5: tell the source as one story in the second person, evoke what it cost without naming the
feelings, bridge back to the scenario's person with their pronouns, and map the pairs."""

from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass

from . import korean_text
from .checks import MIN_EVOKED, WORD_BOUNDS, feeling_vector, template_vector, vector_similarity
from .models import MappingPair
from .profile_map import ParticipantMap
from .sources import Candidate, fill, world_words
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


_SHORTEN = (re.compile(r"^(the|your|a)\s+[\w' -]+?\s+of\s+(the|your)\s+(.+)$", re.I),
            re.compile(r"^(.+?)\s+(?:where|who|that|in the|at the|on the|after the)\s+.+$", re.I),
            re.compile(r"^(.+?)\s+and\s+.+$", re.I))


def short_form(phrase: str) -> str:
    """A second mention of a long phrase: "the back room of the pub" -> "the pub", "the café corner where the
    circle meets" -> "the café corner", "the club's organiser and another walker" -> "the club's organiser"."""
    if len(phrase.split()) < 4:
        return phrase
    match = _SHORTEN[0].match(phrase)
    if match:
        return f"{match.group(2)} {match.group(3)}"
    for pattern in _SHORTEN[1:]:
        match = pattern.match(phrase)
        if match and len(match.group(1).split()) >= 2 and match.group(1).split()[-1].lower() not in _VAGUE:
            return match.group(1)
    return phrase


_VAGUE = frozenset("one ones woman man person people friend someone".split())


def _second_mentions(text: str, phrases: list[str], keep: str) -> str:
    """Keep the first mention of each long phrase; later ones take the short form (the bridge is left whole)."""
    body = text[: len(text) - len(keep)] if keep and text.endswith(keep) else text
    for phrase in sorted({p for p in phrases if p and len(p.split()) >= 4}, key=len, reverse=True):
        short = short_form(phrase)
        if short == phrase:
            continue
        for variant in (phrase, capitalise(phrase)):
            first = body.find(variant)
            if first < 0:
                continue
            head, tail = body[: first + len(variant)], body[first + len(variant):]
            tail = tail.replace(variant, short if variant == phrase else capitalise(short))
            body = head + tail
    return body + (text[len(body):] if keep and text.endswith(keep) else "")


# When a memory names nobody, "the people there" stands in for whoever did it; said four times it reads like a
# form. Later mentions take these in turn (the Korean ones end like the first, so the particles still agree).
_UNNAMED = {"en": ("the people there", ("everyone there", "the others")),
            "ko": ("그 자리의 사람들", ("그곳 사람들", "다른 사람들"))}


def _vary_unnamed(text: str, who: str, language: str) -> str:
    first, others = _UNNAMED.get(language, _UNNAMED["en"])
    if who != first:
        return text
    count = -1

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        if count == 0:
            return match.group(0)
        word = others[(count - 1) % len(others)]
        return word[:1].upper() + word[1:] if match.group(0)[:1].isupper() else word

    return re.sub(re.escape(first), swap, text, flags=re.IGNORECASE)


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

    def assemble(cost: list[str], stakes: list[str]) -> str:
        return " ".join(part for part in [opening, story, *cost, *stakes, bridge] if part)

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
    if language == "en":
        text = _second_mentions(text, [candidate.who, candidate.place, candidate.where], bridge)
    text = _vary_unnamed(text, candidate.who, language)
    return Composition(title=candidate.title, text=text, bridge=bridge,
                       mapping=_mapping(structure, candidate, pmap))
