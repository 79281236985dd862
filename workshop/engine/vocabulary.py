"""The engine's vocabularies, loaded once from the YAML files in data/."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

from .textutil import contains_phrase, stem, stems

DATA_DIR = Path(__file__).parent / "data"


@functools.cache
def load_data(name: str) -> Any:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


_vocab = load_data("vocabulary.yaml")
_families = load_data("families.yaml")

EMOTIONS: dict[str, str] = {label: info["family"] for label, info in _vocab["emotions"].items()}
EMOTION_ADJECTIVES: dict[str, str] = dict(_vocab["emotion_adjectives"])
EMOTION_FORMS: dict[str, tuple[str, ...]] = {
    label: (label, *info["forms"]) for label, info in _vocab["emotions"].items()
}
THEMES: dict[str, dict[str, Any]] = {tid: dict(info) for tid, info in _vocab["themes"].items()}
RELATIONAL_THEMES: tuple[str, ...] = tuple(t for t, info in THEMES.items() if info["relational"])
DOMAIN_FAMILIES: dict[str, str] = {fid: info["label"] for fid, info in _families.items()}
FAMILY_WORDS: dict[str, dict[str, str]] = {fid: dict(info["words"]) for fid, info in _families.items()}
VALUES: tuple[str, ...] = tuple(_vocab["value_stakes"])
VALUE_STAKES: dict[str, str] = dict(_vocab["value_stakes"])
STAKES: dict[str, str] = dict(_vocab["stakes"])
APPRAISAL_CUES: dict[str, dict[str, list[str]]] = _vocab["appraisal_cues"]
SCENARIO_ACTORS: tuple[str, ...] = tuple(_vocab["scenario_actors"])
SCENARIO_PLACES: tuple[str, ...] = tuple(_vocab["scenario_places"])
MEMORY_ACTORS: tuple[str, ...] = tuple(dict.fromkeys(_vocab["memory_actors"]))
AVOID_SYNONYMS: dict[str, list[str]] = _vocab["avoid_synonyms"]
INFERENCE: dict[str, Any] = load_data("inference.yaml")
EVOKE: dict[str, Any] = load_data("evoke.yaml")
WORLDS: dict[str, dict[str, Any]] = load_data("worlds.yaml")["worlds"]
ROLES: dict[str, dict[str, Any]] = load_data("worlds.yaml")["roles"]
FAMILY_ROLES: dict[str, dict[str, dict[str, str]]] = load_data("worlds.yaml")["family_roles"]
MEMORY_EVENTS: dict[str, dict[str, str]] = {eid: dict(info) for eid, info in _vocab["memory_events"].items()}
INSTRUCTION_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE | re.DOTALL) for p in _vocab["instruction_patterns"]
)


def phrase_stems(phrase: str) -> tuple[str, ...]:
    return tuple(stems(phrase))


_FAMILY_KEYWORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    fid: tuple(phrase_stems(k) for k in info["keywords"]) for fid, info in _families.items()
}


@functools.lru_cache(maxsize=4096)
def domain_family(text: str) -> str | None:
    """Map a participant's free-text life domain ("amateur football", "my guild") to a family id."""
    tokens = stems(text)
    best, best_score = None, 0
    for fid, keywords in _FAMILY_KEYWORDS.items():
        score = sum(len(k) for k in keywords if contains_phrase(tokens, k))
        if score > best_score:
            best, best_score = fid, score
    world = domain_world(text)
    if world and (best is None or _world_score(tokens, world[0]) >= best_score):
        return world[1]
    return best


def _world_score(tokens: list[str], wid: str) -> int:
    return sum(len(k) for k in _WORLD_KEYWORDS[wid] if contains_phrase(tokens, k))


_WORLD_KEYWORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    wid: tuple(phrase_stems(str(k)) for k in info["keywords"]) for wid, info in WORLDS.items()
}
_ROLE_PATTERNS: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = tuple(
    (rid, tuple(re.compile(p, re.IGNORECASE) for p in info["patterns"])) for rid, info in ROLES.items()
)


@functools.lru_cache(maxsize=4096)
def domain_world(text: str) -> tuple[str, str] | None:
    """(world id, family id) of the most specific setting a domain's words name, or None."""
    tokens = stems(text)
    best, best_score = None, 0
    for wid in _WORLD_KEYWORDS:
        score = _world_score(tokens, wid)
        if score > best_score:
            best, best_score = wid, score
    return (best, WORLDS[best]["family"]) if best else None


@functools.lru_cache(maxsize=4096)
def domain_role(text: str) -> str | None:
    """The participant's role in a domain, from how they wrote it ("I coach my son's team" -> coach)."""
    for rid, patterns in _ROLE_PATTERNS:
        if any(p.search(text) for p in patterns):
            return rid
    return None


def _anchors(pattern: str) -> tuple[str, ...]:
    """The literal words a pattern cannot match without (its leading word or alternatives), for a cheap test
    before the regular expression runs; () when the pattern has no such lead."""
    match = re.match(r"\\b\(([a-z|' ]+)\)", pattern) or re.match(r"\\b([a-z' ]+)", pattern)
    if match:
        words_ = match.group(1)
        if pattern[match.end():match.end() + 1] in "?*":  # "instructions?": the last letter is optional
            words_ = words_[:-1]
        return tuple(a.strip() for a in words_.split("|") if a.strip())
    if pattern.startswith("</?") or pattern.startswith("<"):
        return ("<",)
    if pattern.startswith("\\["):
        return ("[",)
    return ()


_INSTRUCTION_ANCHORS = tuple((p, _anchors(p.pattern)) for p in INSTRUCTION_PATTERNS)


@functools.lru_cache(maxsize=8192)
def looks_like_instruction(text: str) -> bool:
    """A profile text that addresses the system instead of telling a memory."""
    low = text.lower()
    return any((not anchors or any(a in low for a in anchors)) and p.search(text)
               for p, anchors in _INSTRUCTION_ANCHORS)


_topics = load_data("topics.yaml")
_IGNORE = frozenset(stems(" ".join(_topics["ignore"])))
TOPICS: dict[str, tuple[tuple[str, ...], ...]] = {
    name: tuple(sorted({ps for w in members if (ps := phrase_stems(w))})) for name, members in _topics["topics"].items()
}


def _prefix_ok(term: tuple[str, ...]) -> bool:
    return len(term) == 1 and len(term[0]) >= 5


def _in_topic(content: tuple[str, ...], members: tuple[tuple[str, ...], ...]) -> bool:
    for member in members:
        if len(member) > 1:
            if contains_phrase(list(content), member):
                return True
            continue
        for token in content:
            if token == member[0] or (_prefix_ok(member) and token.startswith(member[0])):
                return True
    return False


@functools.lru_cache(maxsize=1024)
def avoid_patterns(terms: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Stem sequences for avoided topics: the words of each request (less the filler), and the whole
    neighbourhood of every topic any of those words belongs to ("my father's illness" covers dad, hospital,
    diagnosis, treatment...). When unsure, more is avoided, not less."""
    wanted: set[tuple[str, ...]] = set()
    for raw in terms:
        content = tuple(t for t in phrase_stems(raw.lower()) if t not in _IGNORE)
        if not content:
            continue
        wanted.add(content)
        wanted.update((t,) for t in content if len(t) >= 3)
        for members in TOPICS.values():
            if _in_topic(content, members):
                wanted.update(members)
        for key, synonyms in AVOID_SYNONYMS.items():
            if _in_topic(content, (phrase_stems(key),)):
                wanted.update(phrase_stems(s) for s in synonyms)
    return tuple(sorted(p for p in wanted if p))


@functools.lru_cache(maxsize=1024)
def _avoid_matcher(patterns: tuple[tuple[str, ...], ...]) -> tuple[frozenset[str], tuple[str, ...],
                                                                   tuple[tuple[str, ...], ...]]:
    singles = frozenset(p[0] for p in patterns if len(p) == 1)
    prefixes = tuple(p[0] for p in patterns if _prefix_ok(p))
    phrases = tuple(p for p in patterns if len(p) > 1)
    return singles, prefixes, phrases


def mentions_avoided(text: str, patterns: tuple[tuple[str, ...], ...]) -> bool:
    if not patterns:
        return False
    singles, prefixes, phrases = _avoid_matcher(patterns)
    tokens = stems(text)
    if singles.intersection(tokens):
        return True
    if prefixes and any(t.startswith(prefixes) for t in tokens):
        return True
    return any(contains_phrase(tokens, p) for p in phrases)


_ALL_FORMS = {label: frozenset({stem(f) for f in forms}) for label, forms in EMOTION_FORMS.items()}
_LETTERS = re.compile(r"[^\W\d_]+")


@functools.lru_cache(maxsize=8192)
def _letter_tokens(text: str) -> tuple[frozenset[str], frozenset[str]]:
    tokens = frozenset(_LETTERS.findall(text.lower()))
    return tokens, frozenset(stem(t) for t in tokens)


def emotion_named(text: str, label: str) -> bool:
    """True when the text names the emotion by its label or one of its word forms (any script's words)."""
    tokens, token_stems = _letter_tokens(text)
    return any(form in tokens for form in EMOTION_FORMS[label]) or bool(_ALL_FORMS[label] & token_stems)
