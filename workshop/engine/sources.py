"""Step 3: candidate sources, best first: the participant's own memory, their domains, universal ones."""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from . import korean
from .grammar import second_person
from .profile_map import Domain, Memory, ParticipantMap
from .structure import ScenarioStructure, event_hits
from .textutil import contains_phrase, stems
from .vocabulary import (
    EMOTION_FORMS,
    EMOTIONS,
    FAMILY_ROLES,
    FAMILY_WORDS,
    MEMORY_ACTORS,
    MEMORY_EVENTS,
    ROLES,
    WORLDS,
    domain_family,
    domain_world,
    korean_memory_actors,
    korean_named,
    lang_data,
    theme_cues,
)

MEMORY_WORDS = 70
MIN_MEMORY_SCORE = 1.5  # a clear event pattern of the main theme (or one of the next with more), or their own tag
# {slot}, or {slot:이/가}: the slot with the Korean particle that agrees with what fills it.
_SLOT = re.compile(r"\{(\w+)(?::([^{}]+))?\}")


@dataclass(frozen=True)
class Candidate:
    kind: str  # own_experience | domain | universal
    family: str | None
    theme: str
    title: str
    story: str
    who: str  # who did it, in the analogy
    happened: str
    where: str
    world: str  # the part of the participant's life the story happens in, short: "the band", "" when unknown
    place: str  # where in it: "the back room of the pub"
    you: str = "you"  # the participant in that world, for the mapping: "you, the coach of ..."
    domain: Domain | None = None
    memory: Memory | None = None
    quotes: tuple[str, ...] = field(default=())  # participant text reused verbatim or paraphrased
    score: float = 0.0
    audience: str = "group"  # the story's scene: group (among several others) | one_to_one | mixed (a memory unread)


def bank(theme: str, language: str = "en") -> dict:
    return lang_data(f"bank/{theme}.yaml", language)


def fill(template: str, slots: dict[str, str]) -> str:
    def sub(match: re.Match[str]) -> str:
        key, spec = match.group(1), match.group(2)
        value = slots.get(key.lower())
        if value is None:
            return match.group(0)
        if spec:
            return korean.josa(value, spec)
        return value[:1].upper() + value[1:] if key[0].isupper() else value
    return _SLOT.sub(sub, template)


def family_words(family: str, language: str = "en") -> dict[str, str]:
    return FAMILY_WORDS[family] if language == "en" else lang_data("families.yaml", language)[family]["words"]


def world_words(domain: Domain, language: str = "en") -> dict[str, str]:
    """The family's words, then the world's, then the role's (generic, then for this family), in the language."""
    if language == "en":
        worlds, roles, family_roles = WORLDS, ROLES, FAMILY_ROLES
    else:
        data = lang_data("worlds.yaml", language)
        worlds, roles, family_roles = data["worlds"], data["roles"], data["family_roles"]
    slots = dict(family_words(domain.family, language))
    if domain.world:
        slots.update(worlds.get(domain.world, {}).get("words", {}))
    if domain.role:
        slots.update(roles.get(domain.role, {}).get("words", {}))
        slots.update(family_roles.get(domain.family, {}).get(domain.role, {}))
    return slots


def situations(theme: str, family: str, slots: dict[str, str] | None = None,
               language: str = "en") -> list[dict[str, str]]:
    """The bank's situations for one (theme, family) cell, rendered with the family's (or given) words, each with
    the audience of its scene."""
    slots = slots or family_words(family, language)
    slots = {**slots, "the_peer": definite(slots["peer"]) if language == "en" else slots["peer"]}
    return [{**{k: fill(v, slots) for k, v in frame.items()}, "audience": frame_audience(theme, frame, slots)}
            for frame in bank(theme, language)["frames"]]


def definite(phrase: str) -> str:
    """A second mention of someone met first with an article: "a teammate" -> "that teammate", "another coach" ->
    "the other coach"."""
    for article, instead in (("a ", "that "), ("an ", "that "), ("another ", "the other ")):
        if phrase.startswith(article):
            return instead + phrase[len(article):]
    return phrase


# --- the audience of a story's scene ----------------------------------------------------------------

AUDIENCES = ("group", "one_to_one")
# Heads of a noun phrase that name several people: "the club committee", "your own parents", "운영진".
_SEVERAL = frozenset("committee committees parents family others regulars team squad band group crew members people "
                     "friends staff board cast".split())
_SEVERAL_KO = ("들", "운영진", "부모님", "가족", "위원회", "임원진")


def one_person(phrase: str) -> bool:
    """Whether a filled slot names one person ("the coach", "the woman who runs the circle", "지휘자님"), not
    several ("the club committee", "your own parents", "운영진")."""
    if korean.has_hangul(phrase):
        return not phrase.strip().endswith(_SEVERAL_KO)
    head = re.split(r"\s+(?:who|that|which|of|with|from)\s+", phrase.strip().lower())[0].split()[-1:] or [""]
    word = head[0].removesuffix("'s")
    return word not in _SEVERAL and not (word.endswith("s") and not word.endswith(("ss", "us")))


@functools.cache
def _annotated(theme: str) -> dict[str, dict[str, str]]:
    return {f["id"]: f for f in bank(theme)["frames"] + bank(theme)["universal"]}


def frame_audience(theme: str, frame: dict[str, str], slots: dict[str, str]) -> str:
    """The scene a bank situation tells, from the English bank's annotation of its id (the Korean one is its
    translation): "one_to_one" only when the one other person in it (its `with` slot) is one person here."""
    english = _annotated(theme).get(frame.get("id", ""), frame)
    if english.get("audience") != "one_to_one":
        return "group"
    other = english.get("with")
    return "one_to_one" if other is None or one_person(slots.get(other, "")) else "group"


def audiences_for(structure: ScenarioStructure, audience: str | None = None) -> tuple[str, ...]:
    """The scenes an analogy for this scenario can tell (of them, the one asked for): a scenario where the people
    around the person did it, or where it happened in front of others, needs a group on the mapping's other side."""
    if structure.appraisal.causer == "group" or structure.appraisal.found_out == "in_front_of_others":
        possible: tuple[str, ...] = ("group",)
    else:
        possible = AUDIENCES
    return possible if audience is None else tuple(a for a in possible if a == audience)


_GROUP_MEMORY = re.compile(
    r"\b(?:team|teams|squad|everyone|everybody|the others|the rest of|in front of|whole|all of us|group|class|"
    r"classmates|colleagues|teammates|choir|band|crew|friends|cousins|we|us|our|they all|the other \w+s|nobody|"
    r"no one|party|wedding|meeting|birthday)\b",
    re.IGNORECASE)
_GROUP_MEMORY_KO = ("우리", "다들", "모두", "아무도", "회의", "모임", "파티", "생일", "모든 사람", "사람들", "팀",
                    "친구들", "앞에서", "단원들", "멤버들", "동료들", "선수들", "아이들")


def memory_audience(memory: Memory, who: str, language: str) -> str:
    """The scene of a participant's own memory, read on its actors: several people in it -> group; one named
    person and nobody else -> one_to_one; else "mixed" (we cannot tell)."""
    text = memory.text
    if korean.has_hangul(text):
        if any(marker in text for marker in _GROUP_MEMORY_KO):
            return "group"
        return "one_to_one" if who and who != _ko("people_there") and one_person(who) else "mixed"
    if _GROUP_MEMORY.search(text):
        return "group"
    return "one_to_one" if who != "the people there" and one_person(who) else "mixed"


# --- the participant's own memories -------------------------------------------------------------

MEMORY_WORDS_KO = 45  # Korean words (어절) carry more than English ones


def _english_sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", text)


def shorten(text: str, limit: int = MEMORY_WORDS, split: Callable[[str], list[str]] = _english_sentences) -> str:
    """The memory's first whole sentences within `limit` words, ending with sentence punctuation."""
    out: list[str] = []
    for sentence in split(text):
        if len(" ".join([*out, sentence]).split()) > limit:
            break
        out.append(sentence)
    if not out:
        out = [" ".join(text.split()[:limit]).rstrip(",;:") + "…"]
    result = " ".join(out)
    return result if result[-1:] in ".!?…\"”'" else result + "."


_OBJECT_PRONOUNS = frozenset({"me", "us", "him", "her", "them", "you"})


_ALL_FORMS = sorted({f for forms in EMOTION_FORMS.values() for f in forms}, key=len, reverse=True)
_NAMED_FEELING = re.compile(
    r"(?:,?\s*(?:and|so|which|that|but)?\s*)?\b(?:you|it|that|this|everyone)\s+(?:felt|feel|feels|were|was|are|is|"
    r"got|made you(?: feel)?|left you(?: feeling)?)\s+(?:so |really |very |quite |a bit |a little |totally |"
    r"completely |incredibly |deeply |pretty |kind of |more )?(?:" + "|".join(map(re.escape, _ALL_FORMS)) +
    r")\b[^,.!?;]*", re.IGNORECASE)


def without_named_feelings(retold: str) -> str:
    """The memory as told, less the clauses that name a feeling ("and you felt so hurt"): the analogy evokes the
    feelings, it never hands over their names."""
    text = _NAMED_FEELING.sub("", retold)
    text = re.sub(r"\s+([.!?,;])", r"\1", text)
    text = re.sub(r"(^|[.!?])\s*(?:[.!?,;]\s*)+", r"\1 ", text)
    text = re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text.strip())
    return re.sub(r"\s{2,}", " ", text)


def memory_score(memory: Memory | str, structure: ScenarioStructure) -> float:
    return memory_fit(memory, structure)[0]


def memory_fit(memory: Memory | str, structure: ScenarioStructure) -> tuple[float, str]:
    """How clearly a memory shares the scenario's structure: the participant's own account of what happened,
    event patterns ("went without me", "thanked someone else for my work"), cue words on stems, and the
    feelings they said it brought."""
    if isinstance(memory, str):
        memory = Memory(memory)
    tagged = {MEMORY_EVENTS[e]["theme"] for e in memory.events}
    tokens = [t for t in stems(memory.text) if t not in _OBJECT_PRONOUNS]
    score = 0.0
    best_theme, best_evidence = structure.relational_themes[0], 0.0
    for rank, theme in enumerate(structure.relational_themes):
        # The main theme counts fully, another theme the facilitator named nearly so, one only implied by
        # a topic word or the narrative half.
        weight = 1.0 if rank == 0 else (0.8 if theme in structure.explicit_themes else 0.5)
        evidence = 0.0
        if theme in tagged:
            evidence += 4.0
        evidence += min(event_hits(memory.text, theme, strong=True), 2) * 2.0
        evidence += min(event_hits(memory.text, theme, strong=False), 2) * 0.75
        evidence += min(sum(1 for cue in theme_cues(theme, memory.text) if contains_phrase(tokens, cue)), 3) * 0.5
        score += weight * evidence
        if weight * evidence > best_evidence:
            best_theme, best_evidence = theme, weight * evidence
    if memory.feelings:
        target = {EMOTIONS[e] for e in structure.target_emotions}
        score += 0.5 * len(target & {EMOTIONS[f] for f in memory.feelings})
    return score, best_theme


def _first_clause(text: str, limit: int = 18) -> str:
    """The memory's first sentence, cut at a comma if it runs long, for the mapping."""
    sentence = re.split(r"(?<=[.!?])\s+", text)[0].rstrip(".!?")
    if len(sentence.split()) > limit:
        sentence = sentence.split(",")[0]
    cut = sentence.split()
    return " ".join(cut[:limit]) + ("…" if len(cut) > limit else "")


_ACTOR_NP = re.compile(r"\b(the|my|our|a group of)\s+((?:[a-z][a-z'-]*\s+)?(" + "|".join(
    sorted(map(re.escape, MEMORY_ACTORS), key=len, reverse=True)) + r"))\b"
    r"(?!\s+(?:sheet|photo|photos|picture|list|chat|bag|bus|room|meeting|captain|kit|song|shirt|shed)\b)",
    re.IGNORECASE)
_ACTOR_MODIFIERS = frozenset("other new old pe best whole older younger head choir band club".split())


def _memory_who(memory: str) -> str:
    """Who did it in the memory, in the participant's own words: "the other coaches", "your best friend"."""
    for match in _ACTOR_NP.finditer(memory):
        det, phrase, actor = match.group(1).lower(), match.group(2), match.group(3)
        words_ = phrase.split()
        if len(words_) == 2 and words_[0].lower() not in _ACTOR_MODIFIERS:
            phrase = actor  # "the team sheet" style: a noun before the actor is not part of who
        if det in ("my", "our"):
            return f"your {phrase}"
        return f"{'a group of' if det == 'a group of' else 'the'} {phrase}"
    return "the people there"


_NP_STOP = frozenset("and but when while for of with that who which because so then as if to at in on by or "
                     "was were is are had has have did do".split())
_TIME_NOUNS = frozenset("morning evening night day week weekend year end time moment start middle beginning "
                        "summer winter spring autumn holidays".split())
# Nouns that name a place a story can happen in (the memory's own words are used only when they are one).
PLACE_NOUNS = frozenset("""park pitch field court hall room kitchen school classroom class office church mosque temple
pub bar club clubhouse studio gym pool stage house home flat garden shed allotment table bus car train station beach
camp campsite tent wall gig concert party meeting wedding rehearsal practice match game final showcase gala session
restaurant cafe café shop store street corridor playground canteen library lab ward farm yard lane track course
front row queue group chat dinner lunch barbecue festival show""".split())
_PLACE_NP = re.compile(r"\b(?:at|in|on|to|into|outside|inside|from|across)\s+((?:the|your)\s+[a-z][\w'-]*"
                       r"(?:\s+[a-z][\w'-]*)?)", re.IGNORECASE)


def memory_place(retold: str) -> str:
    """Where the memory happened, as a noun phrase from the participant's own words, or ""."""
    for match in _PLACE_NP.finditer(retold):
        parts = match.group(1).split()
        while len(parts) > 2 and parts[-1].lower() in _NP_STOP:
            parts.pop()
        if len(parts) == 3 and parts[2].lower() in _NP_STOP:
            parts = parts[:2]
        if parts[-1].lower() in _TIME_NOUNS or parts[1].lower() in _NP_STOP:
            continue
        if parts[-1].lower().strip("'s") not in PLACE_NOUNS:
            if len(parts) == 3 and parts[1].lower() in PLACE_NOUNS:
                parts = parts[:2]
            else:
                continue
        return " ".join(parts)
    return ""


_GROUP_NOUNS = frozenset("""team band choir club group guild circle class crew society league squad orchestra
congregation community school allotment garden cast ensemble""".split())


def short_world(noun: str) -> str:
    """The participant's domain, short, for a second mention: "your son's under-9 football team" -> "the team"."""
    head = re.split(r"\s+(?:with|in|at|of|for|on)\s+", noun)[0].split()
    last = head[-1].lower() if head else ""
    return f"the {last}" if last in _GROUP_NOUNS else noun


def _memory_world(memory: Memory, pmap: ParticipantMap, place: str) -> tuple[str | None, str, str]:
    """The memory's family, its world (the participant's own domain when the memory comes from it, else "") and
    its place (the one the memory names, else the domain's, else "that place")."""
    family = domain_family(memory.text)
    world = domain_world(memory.text)
    for domain in pmap.domains:
        # the same family, and not two different worlds of it (a swimming gala is not the cycling club)
        if family and domain.family == family and (world is None or domain.world in (None, world[0])):
            return family, world_name(domain, pmap.language), place or world_words(domain, pmap.language)["place"]
    return family, "", place or ("that place" if pmap.language == "en" else _ko("that_place"))


def world_name(domain: Domain, language: str) -> str:
    """The participant's domain, short, for later mentions."""
    return korean.short_world(domain.noun) if language == "ko" else short_world(domain.noun)


def _ko(key: str) -> str:
    return lang_data("phrases.yaml", "ko")[key]


def _retold(memory: Memory, language: str) -> str:
    """The memory in the second person, less the clauses that name a feeling, in the analogy's language."""
    if language == "ko" and korean.has_hangul(memory.text):
        return korean.without_named_feelings(korean.second_person(memory.text), korean_named)
    return without_named_feelings(second_person(memory.text))


def _korean_memory(memory: Memory, retold: str) -> tuple[str, str, str, str]:
    """(story, who, happened, place) of a memory told in Korean."""
    story = shorten(retold, MEMORY_WORDS_KO, split=korean.sentences)
    who = korean.memory_who(memory.text, korean_memory_actors()) or _ko("people_there")
    return story, who, korean.first_clause(retold), korean.memory_place(story)


def memory_candidates(structure: ScenarioStructure, pmap: ParticipantMap) -> list[Candidate]:
    scored = [(*memory_fit(m, structure), -i, m) for i, m in enumerate(pmap.memories)]
    out = []
    for score, theme, _, memory in sorted(scored, key=lambda item: (item[0], item[2]), reverse=True):
        named = theme == structure.relational_themes[0] or theme in structure.explicit_themes
        if score < MIN_MEMORY_SCORE or (not named and score < 2 * MIN_MEMORY_SCORE):
            continue  # a memory that only fits a theme the scenario implies must fit it twice as clearly
        retold = _retold(memory, pmap.language)
        if len(retold.split()) < (4 if pmap.language == "ko" else 6):
            continue  # little was left once the named feelings were taken out
        if pmap.language == "ko":
            story, who, happened, place = _korean_memory(memory, retold)
            title, where, you = _ko("memory_title"), place or _ko("that_moment"), _ko("memory_you")
        else:
            story, who, happened = shorten(retold), _memory_who(memory.text), _first_clause(retold)
            happened = happened[:1].lower() + happened[1:]
            place = memory_place(story)
            title, where, you = "Your own memory", place or "that moment", "you, in the memory you shared"
        family, world, place_in = _memory_world(memory, pmap, place)
        out.append(Candidate(
            kind="own_experience", family=family, theme=theme, title=title, story=story, who=who,
            happened=happened, where=where, world=world, place=place_in, you=you, memory=memory,
            quotes=(memory.text,), score=score, audience=memory_audience(memory, who, pmap.language),
        ))
    return out


# --- the participant's domains and the universal fallback -----------------------------------------

def _you_in(domain: Domain, language: str = "en") -> str:
    if language == "ko":
        role_word = korean.domain_phrases(domain.text)[2] if korean.has_hangul(domain.text) else ""
        if domain.activity and not role_word:  # "주말마다 딸과 한강에서 자전거 타기" says who they are there
            return fill(_ko("activity_you"), {"world": domain.noun})
        if domain.role or role_word:
            role = role_word or lang_data("worlds.yaml", "ko")["roles"][domain.role]["you"]
            return fill(_ko("role_you"), {"world": domain.noun, "role": role})
        return fill(_ko("member_you"), {"world": domain.noun})
    if domain.role:
        return f"you, {ROLES[domain.role]['you']} in {domain.noun}"
    return f"you, in {domain.noun}"


def domain_candidates(structure: ScenarioStructure, pmap: ParticipantMap,
                      rng: random.Random, audience: str | None = None) -> Iterator[Candidate]:
    """The participant's domains' situations; with an audience, only those whose scene it is. A scene the
    scenario's structure cannot map (audiences_for) is never offered."""
    domains = list(pmap.domains)
    rng.shuffle(domains)
    language = pmap.language
    allowed = audiences_for(structure, audience)
    for theme in structure.relational_themes:
        for domain in domains:
            slots = world_words(domain, language)
            cell = situations(theme, domain.family, slots, language)
            rng.shuffle(cell)
            for s in cell:
                if s["audience"] not in allowed:
                    continue
                yield Candidate(
                    kind="domain", family=domain.family, theme=theme, title=s["title"], story=s["text"],
                    who=s["who"], happened=s["happened"], where=s["where"], world=world_name(domain, language),
                    place=slots["place"],
                    you=_you_in(domain, language), domain=domain, quotes=(domain.text,), audience=s["audience"],
                )


def universal_candidates(structure: ScenarioStructure, rng: random.Random, language: str = "en",
                         audience: str | None = None) -> Iterator[Candidate]:
    allowed = audiences_for(structure, audience)
    for theme in structure.relational_themes:
        items = list(bank(theme, language)["universal"])
        rng.shuffle(items)
        for s in items:
            scene = frame_audience(theme, s, {})
            if scene not in allowed:
                continue
            yield Candidate(kind="universal", family=None, theme=theme, title=s["title"], story=s["text"],
                            who=s["who"], happened=s["happened"], where=s["where"], world="", place=s["where"],
                            audience=scene)

