"""Step 3: candidate sources, best first: the participant's own memory, their domains, universal ones."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .profile_map import ParticipantMap
from .structure import ScenarioStructure
from .textutil import capitalise, contains_phrase, stems, words
from .vocabulary import (
    APPRAISAL_CUES,
    EMOTION_FORMS,
    FAMILY_WORDS,
    MEMORY_ACTORS,
    THEMES,
    domain_family,
    load_data,
)

MEMORY_WORDS = 70
MIN_MEMORY_SCORE = 2  # a theme cue and an appraisal/feeling cue, or two theme cues
_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Candidate:
    kind: str  # own_experience | domain | universal
    family: str | None
    theme: str
    title: str
    story: str
    who: str
    happened: str
    where: str
    domain_ref: str = ""  # the participant's own domain, as "your amateur football"
    quotes: tuple[str, ...] = field(default=())  # participant text reused verbatim or paraphrased


def bank(theme: str) -> dict:
    return load_data(f"bank/{theme}.yaml")


def fill(template: str, slots: dict[str, str]) -> str:
    def sub(match: re.Match[str]) -> str:
        key = match.group(1)
        value = slots.get(key.lower())
        if value is None:
            return match.group(0)
        return capitalise(value) if key[0].isupper() else value
    return _SLOT.sub(sub, template)


def situations(theme: str, family: str) -> list[dict[str, str]]:
    """The bank's situations for one (theme, family) cell, rendered with the family's words."""
    slots = FAMILY_WORDS[family]
    return [{k: fill(v, slots) for k, v in frame.items()} for frame in bank(theme)["frames"]]


# --- the participant's own memories -------------------------------------------------------------

_SWAPS = [
    (re.compile(r"\bI(?:'|’)m\b"), "you're"), (re.compile(r"\bI(?:'|’)ve\b"), "you've"),
    (re.compile(r"\bI(?:'|’)d\b"), "you'd"), (re.compile(r"\bI(?:'|’)ll\b"), "you'll"),
    (re.compile(r"\bI was\b"), "you were"), (re.compile(r"\bI am\b"), "you are"),
    (re.compile(r"\bI\b"), "you"), (re.compile(r"\bme\b", re.I), "you"),
    (re.compile(r"\bmy\b", re.I), "your"), (re.compile(r"\bmine\b", re.I), "yours"),
    (re.compile(r"\bmyself\b", re.I), "yourself"),
]
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")


def second_person(text: str) -> str:
    """Retell a first-person memory in the second person, keeping every other word as written."""
    for pattern, repl in _SWAPS:
        text = pattern.sub(repl, text)
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def shorten(text: str, limit: int = MEMORY_WORDS) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", text)
    out: list[str] = []
    for sentence in sentences:
        if len(" ".join([*out, sentence]).split()) > limit:
            break
        out.append(sentence)
    if not out:
        out = [" ".join(text.split()[:limit]).rstrip(",;:") + "…"]
    result = " ".join(out)
    return result if result[-1:] in ".!?…\"”'" else result + "."


_OBJECT_PRONOUNS = frozenset({"me", "us", "him", "her", "them", "you"})


def memory_score(memory: str, structure: ScenarioStructure) -> int:
    """How well a memory carries the scenario's themes, appraisal and feelings.

    Object pronouns are dropped first, so "left me out" meets the cue "left out".
    """
    tokens = [t for t in stems(memory) if t not in _OBJECT_PRONOUNS]
    score = 0
    for theme in structure.relational_themes:
        hits = sum(1 for cue in THEMES[theme]["cues"] if contains_phrase(tokens, tuple(stems(cue))))
        if theme == structure.explicit_themes[0]:
            score += 3 * hits
        elif theme in structure.explicit_themes:
            score += 2 * hits
        else:
            score += hits  # implied by a topic tag only: a weaker match
    if not any(contains_phrase(tokens, tuple(stems(cue)))
               for theme in structure.explicit_themes for cue in THEMES[theme]["cues"]):
        return 0  # the memory must carry one of the scenario's own relational themes
    fair_cues = APPRAISAL_CUES["fair"].get(structure.appraisal.fair, [])
    score += sum(1 for cue in fair_cues if contains_phrase(tokens, tuple(stems(cue))))
    plain = set(words(memory))
    score += sum(1 for label in structure.target_emotions if plain & set(EMOTION_FORMS[label]))
    return score


def _first_clause(text: str, limit: int = 18) -> str:
    """The memory's first sentence, cut at a comma if it runs long, for the mapping."""
    sentence = re.split(r"(?<=[.!?])\s+", text)[0].rstrip(".!?")
    if len(sentence.split()) > limit:
        sentence = sentence.split(",")[0]
    cut = sentence.split()
    return " ".join(cut[:limit]) + ("…" if len(cut) > limit else "")


def _memory_who(memory: str) -> str:
    plain = words(memory)
    for actor in MEMORY_ACTORS:
        if actor in plain:
            return f"your {actor}" if contains_phrase(plain, ("my", actor)) else f"the {actor}"
    return "the people around you"


def memory_candidates(structure: ScenarioStructure, pmap: ParticipantMap) -> list[Candidate]:
    scored = [(memory_score(m, structure), -i, m) for i, m in enumerate(pmap.memories)]
    out = []
    for score, _, memory in sorted(scored, reverse=True):
        if score < MIN_MEMORY_SCORE:
            continue
        story = shorten(second_person(memory))
        happened = _first_clause(second_person(memory))
        out.append(Candidate(
            kind="own_experience", family=domain_family(memory), theme=structure.relational_themes[0],
            title="Your own memory", story=story, who=_memory_who(memory),
            happened=happened[:1].lower() + happened[1:], where="the moment you described",
            quotes=(memory,),
        ))
    return out


# --- the participant's domains and the universal fallback -----------------------------------------

def domain_ref(text: str) -> str:
    """The participant's domain as a second-person noun phrase: "my guild" -> "your guild"."""
    text = second_person(text)
    low = text.lower()
    for prefix in ("your ", "our "):
        if low.startswith(prefix):
            return "your " + text[len(prefix):]
    if low.startswith("the "):
        return "t" + text[1:]
    first = text[:1].lower() if text[1:2].islower() or len(text) == 1 else text[:1]
    return "your " + first + text[1:]


def domain_candidates(structure: ScenarioStructure, pmap: ParticipantMap,
                      rng: random.Random) -> Iterator[Candidate]:
    domains = list(pmap.domains)
    rng.shuffle(domains)
    for theme in structure.relational_themes:
        for domain in domains:
            cell = situations(theme, domain.family)
            rng.shuffle(cell)
            for s in cell:
                yield Candidate(
                    kind="domain", family=domain.family, theme=theme, title=s["title"], story=s["text"],
                    who=s["who"], happened=s["happened"], where=s["where"],
                    domain_ref=domain_ref(domain.text), quotes=(domain.text,),
                )


def universal_candidates(structure: ScenarioStructure, rng: random.Random) -> Iterator[Candidate]:
    for theme in structure.relational_themes:
        items = list(bank(theme)["universal"])
        rng.shuffle(items)
        for s in items:
            yield Candidate(kind="universal", family=None, theme=theme, title=s["title"], story=s["text"],
                            who=s["who"], happened=s["happened"], where=s["where"])


def candidates(structure: ScenarioStructure, pmap: ParticipantMap, rng: random.Random) -> Iterator[Candidate]:
    yield from memory_candidates(structure, pmap)
    yield from domain_candidates(structure, pmap, rng)
    yield from universal_candidates(structure, rng)
