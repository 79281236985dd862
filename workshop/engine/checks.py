"""Step 6: deterministic checks run on every analogy before it is returned."""

from __future__ import annotations

import functools
import re
from typing import Any

from .profile_map import ParticipantMap
from .structure import ScenarioStructure
from .textutil import word_count, words
from .vocabulary import DATA_DIR, emotion_named, load_data, looks_like_instruction, mentions_avoided

MIN_WORDS = 80
MAX_WORDS = 250
_LEFTOVER = re.compile(r"[{}]|\bNone\b|\s{2}|\b(\w+) \1\b", re.IGNORECASE)


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return []


@functools.cache
def engine_vocabulary() -> frozenset[str]:
    """Every word the engine itself may contribute: all words in its data files."""
    names = [p.relative_to(DATA_DIR).as_posix() for p in sorted(DATA_DIR.rglob("*.yaml"))]
    return frozenset(w for name in names for s in _strings(load_data(name)) for w in words(s))


_SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "you're", "you've", "you'd", "you'll",
                            "were", "are"})


def _readable(text: str) -> bool:
    sentences = [s for s in re.split(r"(?<=[.!?…])\s+", text) if s]
    return (
        len(sentences) >= 3
        and text[:1].isupper()
        and text.rstrip()[-1:] in ".!?\"”"
        and not _LEFTOVER.search(text)
    )


def _no_instruction_followed(text: str, structure_words: set[str], pmap: ParticipantMap) -> bool:
    if looks_like_instruction(text):
        return False
    if not pmap.rejected_texts:
        return True
    allowed = engine_vocabulary() | structure_words
    plain = words(text)
    joined = " " + " ".join(plain) + " "
    for rejected in pmap.rejected_texts:
        rwords = words(rejected)
        if set(plain) & (set(rwords) - allowed):
            return False
        for i in range(len(rwords) - 3):
            if " " + " ".join(rwords[i:i + 4]) + " " in joined:
                return False
    return True


def run_checks(text: str, structure: ScenarioStructure, scenario_words: set[str],
               pmap: ParticipantMap, used_profile_words: set[str]) -> dict[str, bool]:
    """Every check and whether it passed. `used_profile_words`: words of the profile text actually used."""
    count = word_count(text)
    allowed = engine_vocabulary() | scenario_words | used_profile_words | _SECOND_PERSON
    return {
        "length": MIN_WORDS <= count <= MAX_WORDS,
        "emotions_carried": all(emotion_named(text, label) for label in structure.target_emotions),
        # The answer to the "after" question must not be in the text: no target label or its word forms.
        "no_target_label": not any(emotion_named(text, label) for label in structure.target_emotions),
        "no_avoided_topic": not mentions_avoided(text, pmap.avoid),
        "no_instruction_following": _no_instruction_followed(text, scenario_words, pmap),
        "readable_language": _readable(text),
        "own_text_only": set(words(text)) <= allowed,
    }
