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
    return best


def looks_like_instruction(text: str) -> bool:
    """A profile text that addresses the system instead of telling a memory."""
    return any(p.search(text) for p in INSTRUCTION_PATTERNS)


def _inflections(term: str) -> set[str]:
    """hike -> hiking, hiked: the forms the small stemmer does not bring together on its own."""
    if " " in term or not term.endswith("e"):
        return {term}
    return {term, term[:-1] + "ing", term[:-1] + "ed"}


@functools.lru_cache(maxsize=1024)
def avoid_patterns(terms: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Stem sequences for avoided topics, widened by the synonym table and simple inflections."""
    wanted: set[str] = set()
    for raw in terms:
        term = raw.lower().strip()
        if not term:
            continue
        wanted |= _inflections(term)
        term_stem = phrase_stems(term)
        for key, synonyms in AVOID_SYNONYMS.items():
            if phrase_stems(key) == term_stem:
                wanted.update(synonyms)
            elif any(phrase_stems(s) == term_stem for s in synonyms):
                wanted.add(key)  # "dad" also avoids "father", not everything "father" stands for
    return tuple(sorted({ps for term in wanted if (ps := phrase_stems(term))}))


def mentions_avoided(text: str, patterns: tuple[tuple[str, ...], ...]) -> bool:
    if not patterns:
        return False
    tokens = stems(text)
    return any(contains_phrase(tokens, p) for p in patterns)


def emotion_named(text: str, label: str) -> bool:
    """True when the text names the emotion by its label or one of its word forms."""
    tokens = set(w.lower() for w in re.findall(r"[A-Za-z]+", text))
    return any(form in tokens for form in EMOTION_FORMS[label]) or stem(label) in {stem(t) for t in tokens}
