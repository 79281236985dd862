"""Step 2: the participant's map: framing from traits, stakes from values, usable domains and memories."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from . import korean
from .grammar import domain_phrases
from .models import Experience, ProfileSpec
from .textutil import clean, stems, words
from .vocabulary import (
    VALUE_STAKES,
    avoid_patterns,
    domain_family,
    domain_role,
    domain_world,
    language_of,
    looks_like_instruction,
    mentions_avoided,
)

MEMORY_CAP = 2000
DOMAIN_CAP = 200


@dataclass(frozen=True)
class Framing:
    imaginative: bool
    concrete: bool
    group: bool
    quiet: bool
    gentle: bool
    agreeable: bool
    disagreeable: bool
    conscientious: bool


NEUTRAL_FRAMING = Framing(False, False, False, False, False, False, False, False)


@dataclass(frozen=True)
class Domain:
    text: str
    family: str
    world: str | None = None  # a more specific setting inside the family ("band", "dance")
    role: str | None = None  # the participant's role there ("coach", "parent", "organiser"...)
    noun: str = ""  # their own words as a second-person noun phrase: "your son's under-9 team"
    activity: str = ""  # and as a gerund phrase when they wrote one: "coaching your son's under-9 team"


@dataclass(frozen=True)
class Memory:
    text: str
    events: tuple[str, ...] = ()  # what happened, as the participant said (MEMORY_EVENTS ids)
    feelings: tuple[str, ...] = ()  # how it felt, as the participant said (emotion labels)


@dataclass(frozen=True)
class ParticipantMap:
    framing: Framing
    stakes: tuple[str, ...]
    domains: tuple[Domain, ...]  # usable: known family, no avoided topic, not an instruction
    memories: tuple[Memory, ...]  # usable memories, in the participant's order
    avoid: tuple[tuple[str, ...], ...]  # stem patterns of avoided topics
    own_words: frozenset[str]  # every word of this profile's own text
    rejected_texts: tuple[str, ...]  # profile texts that read like instructions: data, never used
    seed: str
    language: str = "en"  # the language the analogy is written in (vocabulary.LANGUAGES)


def _framing(profile: ProfileSpec) -> Framing:
    t = profile.traits
    return Framing(
        imaginative=t.openness >= 5,
        concrete=t.openness <= 3,
        group=t.extraversion >= 5,
        quiet=t.extraversion <= 3,
        gentle=t.neuroticism >= 5,
        agreeable=t.agreeableness >= 5.5,
        disagreeable=t.agreeableness <= 2.5,
        conscientious=t.conscientiousness >= 5.5,
    )


def profile_seed(profile: ProfileSpec) -> str:
    return hashlib.sha256(profile.model_dump_json().encode()).hexdigest()


def make_domain(text: str, family: str, language: str = "en") -> Domain:
    world = domain_world(text)
    if korean.has_hangul(text):
        noun, activity, _ = korean.domain_phrases(text)
    elif language == "ko":  # an English domain in a Korean analogy: their words as they typed them
        noun, activity = text.strip().rstrip(".!"), ""
    else:
        noun, activity = domain_phrases(text)
    return Domain(text, world[1] if world else family, world[0] if world else None, domain_role(text), noun,
                  activity)


def _memory(experience: Experience, text: str) -> Memory:
    return Memory(text, tuple(experience.events), tuple(experience.feelings))


def map_participant(profile: ProfileSpec) -> ParticipantMap:
    avoid = avoid_patterns(tuple(clean(a).lower() for a in profile.avoid))
    rejected: list[str] = []
    domains: list[Domain] = []
    for raw in _domain_texts(profile.domains):
        text = clean(raw, cap=DOMAIN_CAP)
        if looks_like_instruction(text):
            rejected.append(text)
            continue
        family = domain_family(text)
        if family and not mentions_avoided(text, avoid):
            domains.append(make_domain(text, family, language_of(profile.language)))
    memories: list[Memory] = []
    for experience in profile.experiences:
        text = clean(experience.text, cap=MEMORY_CAP)
        if looks_like_instruction(text):
            rejected.append(text)
        elif not mentions_avoided(text, avoid):
            memories.append(_memory(experience, text))
    own = [*profile.domains, *(e.text for e in profile.experiences), profile.name]
    own_words = {w for text in own for w in words(text)}
    own_words.update(t for text in own if korean.has_hangul(text) for t in stems(text))  # Korean: its morphemes
    stakes = tuple(dict.fromkeys(VALUE_STAKES[v] for v in profile.values))
    return ParticipantMap(
        framing=_framing(profile),
        stakes=stakes,
        domains=tuple(domains),
        memories=tuple(memories),
        avoid=avoid,
        own_words=frozenset(own_words),
        rejected_texts=tuple(rejected),
        seed=profile_seed(profile),
        language=language_of(profile.language),
    )


_LIST_MARK = re.compile(r"\s*[,、·/]\s*")


def _domain_texts(domains: list[str]) -> list[str]:
    """The domains as typed; a Korean entry that lists several ("합창단, 등산", as the suggestion chips write
    them) counts as one domain each."""
    out: list[str] = []
    for raw in domains:
        parts = _LIST_MARK.split(raw) if korean.has_hangul(raw) else [raw]
        out += [p for p in parts if p.strip()]
    return out


def generic_map(profile: ProfileSpec) -> ParticipantMap:
    """The comparison condition: nothing of the participant is used except what they asked us to avoid."""
    return ParticipantMap(
        framing=NEUTRAL_FRAMING, stakes=(), domains=(), memories=(),
        avoid=avoid_patterns(tuple(clean(a).lower() for a in profile.avoid)),
        own_words=frozenset(), rejected_texts=(), seed="", language=language_of(profile.language),
    )
