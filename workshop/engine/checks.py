"""Step 6: deterministic checks run on every analogy before it is returned."""

from __future__ import annotations

import functools
import re
from typing import Any

from . import korean
from .korean import has_hangul
from .profile_map import ParticipantMap
from .structure import ScenarioStructure
from .textutil import word_count, words
from .vocabulary import (
    DATA_DIR,
    EMOTIONS,
    EVOKE,
    emotion_named,
    lang_data,
    load_data,
    looks_like_instruction,
    mentions_avoided,
)

# Length in words, per language: a Korean word (어절) carries its particles and endings, so the same story is
# about two thirds as many words.
WORD_BOUNDS: dict[str, tuple[int, int]] = {"en": (80, 250), "ko": (55, 180)}
MIN_WORDS, MAX_WORDS = WORD_BOUNDS["en"]
# Template leftovers: a slot brace, a Python None or a doubled space (doubled words are checked on tokens).
_LEFTOVER = re.compile(r"[{}]|\bNone\b|\s{2}")


def _doubled_word(text: str) -> bool:
    tokens = text.lower().split()
    return any(a == b and a.isalpha() for a, b in zip(tokens, tokens[1:], strict=False))


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
    from .structure import PRONOUNS, fill_pronouns

    names = [p.relative_to(DATA_DIR).as_posix() for p in sorted(DATA_DIR.rglob("*.yaml"))]
    texts = [s for name in names for s in _strings(load_data(name))]
    # Templates are written with pronoun slots ("work{s}"): every way they can be filled is the engine's own.
    filled = [fill_pronouns(t, p) for t in texts if "{" in t for p in PRONOUNS]
    return frozenset(w for s in texts + filled for w in words(s))


_SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "you're", "you've", "you'd", "you'll",
                            "were", "are"})
_SLOTS = re.compile(r"\{\w+(?::[^{}]*)?\}")


@functools.cache
def engine_morphemes() -> frozenset[str]:
    """The Korean morphemes the engine itself may contribute: those of every Hangul text in its data files
    (read with the slots taken out)."""
    from .textutil import stems

    names = [p.relative_to(DATA_DIR).as_posix() for p in sorted(DATA_DIR.rglob("*.yaml"))]
    texts = [s for name in names for s in _strings(load_data(name)) if has_hangul(s)]
    return frozenset(t for s in texts for part in _SLOTS.split(s) for t in stems(part) if has_hangul(t))


@functools.cache
def _engine_korean_text() -> str:
    names = [p.relative_to(DATA_DIR).as_posix() for p in sorted(DATA_DIR.rglob("*.yaml"))]
    return "\n".join(s for name in names for s in _strings(load_data(name)) if has_hangul(s))


def _korean_explained(unit: str, own_texts: str) -> bool:
    """A Korean morpheme the analyser cut differently in this sentence than in the text it came from ("보드" of
    "보드게임") still comes from that text."""
    return has_hangul(unit) and (unit in own_texts or unit in _engine_korean_text())


def lexical_units(text: str) -> set[str]:
    """What the own-text check accounts for: every word, and for Korean text its Hangul words as morphemes
    (합창단에서 -> 합창단), so a particle or an ending never makes a participant's word look new."""
    if not has_hangul(text):
        return set(words(text))
    from .textutil import stems
    return set(_NOT_HANGUL_WORD.findall(text.lower())) | {t for t in stems(text) if has_hangul(t)}


# A word of any other script inside Korean text, where particles attach to it directly ("football과").
_NOT_HANGUL_WORD = re.compile(r"[^\W\d_\uac00-\ud7a3\u3131-\u318e]+(?:['’][^\W\d_\uac00-\ud7a3]+)*")


def _readable(text: str) -> bool:
    sentences = [s for s in re.split(r"(?<=[.!?…])\s+", text) if s]
    return (
        len(sentences) >= 3
        and text[:1].isupper()
        and text.rstrip()[-1:] in ".!?\"”"
        and not _LEFTOVER.search(text)
        and not _doubled_word(text)
    )


def _readable_korean(text: str, exempt: set[str]) -> bool:
    """Korean reads as Korean: three sentences or more ending in sentence punctuation, no template or particle
    leftovers ("이/가"), particles that agree with the word before them, and at least 90% of the letters Hangul
    apart from the names and words the participant (or the facilitator) typed."""
    sentences = [s for s in re.split(r"(?<=[.!?…])\s+", text) if s]
    return (
        len(sentences) >= 3
        and text.rstrip()[-1:] in ".!?\"”’'…"
        and not _LEFTOVER.search(text)
        and not korean.PARTICLE_LEFTOVER.search(text)
        and not korean.particles_disagree(text)
        and not _doubled_word(text)
        and korean.hangul_share(text, tuple(w for w in exempt if not has_hangul(w))) >= MIN_HANGUL
    )


MIN_HANGUL = 0.9


def _no_instruction_followed(text: str, structure_words: set[str], pmap: ParticipantMap,
                             structure: ScenarioStructure | None = None) -> bool:
    own = text
    if structure is not None:  # the scenario's own words ("accounts assistant: ...") are trusted, not profile text
        for trusted in (structure.role_phrase, structure.person):
            own = own.replace(trusted, " ")
    if looks_like_instruction(own):
        return False
    if not pmap.rejected_texts:
        return True
    plain = words(text)
    joined = " " + " ".join(plain) + " "
    units = lexical_units(text)
    for rejected in pmap.rejected_texts:
        rwords = words(rejected)
        if set(plain) & (set(rwords) - engine_vocabulary() - structure_words):
            return False
        if has_hangul(rejected) and units & (lexical_units(rejected) - engine_morphemes() - structure_words):
            return False
        for i in range(len(rwords) - 3):
            if " " + " ".join(rwords[i:i + 4]) + " " in joined:
                return False
    return True


FAMILIES = ("joy", "trust", "fear", "surprise", "sadness", "disgust", "anger", "anticipation")
MIN_EVOKED = 0.6  # cosine between the text's feeling families (lexicon) and the targets'


@functools.cache
def _lexicon(hangul: bool = False) -> tuple[dict[str, list[str]], tuple[tuple[tuple[str, ...], str], ...]]:
    """Single-word entries as stem -> families, and the phrases: the Latin entries, or (read only for Korean text)
    the Hangul ones of both lexicons, on morphemes."""
    from .textutil import stems
    single: dict[str, list[str]] = {}
    phrases: list[tuple[tuple[str, ...], str]] = []
    korean = lang_data("evoke.yaml", "ko")["lexicon"]
    for family, entries in EVOKE["lexicon"].items():
        for entry in [*entries, *korean.get(family, [])]:
            if has_hangul(str(entry)) != hangul:
                continue
            key = tuple(stems(str(entry)))
            if len(key) == 1:
                single.setdefault(key[0], []).append(family)
            elif key:
                phrases.append((key, family))
    return single, tuple(phrases)


@functools.lru_cache(maxsize=8192)
def _sentence_profile(sentence: str) -> tuple[float, ...]:
    from .textutil import contains_phrase, stems
    tokens = stems(sentence)
    counts = dict.fromkeys(FAMILIES, 0.0)
    for single, phrases in [_lexicon(False), *([_lexicon(True)] if has_hangul(sentence) else [])]:
        for token in set(tokens):
            for family in single.get(token, ()):
                counts[family] += 1.0
        for key, family in phrases:
            if contains_phrase(tokens, key):
                counts[family] += 1.0
    return tuple(counts[f] for f in FAMILIES)


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])\s+")


def feeling_vector(text: str) -> tuple[float, ...]:
    """How strongly the text carries each Plutchik family (FAMILIES order), by our own lexicon of words that evoke,
    not labels: counted per sentence, each entry once, so the composer can weigh one sentence at a time."""
    total = [0.0] * len(FAMILIES)
    for sentence in _SENTENCE_SPLIT.split(text):
        for i, value in enumerate(_sentence_profile(sentence)):
            total[i] += value
    return tuple(total)


@functools.lru_cache(maxsize=512)
def _target_vector(target_emotions: tuple[str, ...]) -> tuple[float, ...]:
    want = dict.fromkeys(FAMILIES, 0.0)
    for rank, label in enumerate(target_emotions):
        want[EMOTIONS[label]] += 1.0 / (1 + 0.5 * rank)
    return tuple(want[f] for f in FAMILIES)


def vector_similarity(have: tuple[float, ...], target_emotions: tuple[str, ...]) -> float:
    want = _target_vector(target_emotions)
    dot = sum(h * w for h, w in zip(have, want, strict=True))
    norm = (sum(v * v for v in have) ** 0.5) * (sum(v * v for v in want) ** 0.5)
    return dot / norm if norm else 0.0


def evoked_similarity(text: str, target_emotions: tuple[str, ...]) -> float:
    """Cosine between the text's family profile and the target feelings' families (strongest first weighs more)."""
    return vector_similarity(feeling_vector(text), target_emotions)


def template_vector(template: str) -> tuple[float, ...]:
    """A sentence template's family counts without its slots: what the engine's own words carry (cached)."""
    return _sentence_profile(_SLOT_MARK.sub(" ", template))


_SLOT_MARK = re.compile(r"\{\w+(?::[^{}]*)?\}")


def run_checks(text: str, structure: ScenarioStructure, scenario_words: set[str],
               pmap: ParticipantMap, used_profile_words: set[str]) -> dict[str, bool]:
    """Every check and whether it passed. `used_profile_words`: words of the profile text actually used."""
    count = word_count(text)
    korean_text = pmap.language == "ko" or has_hangul(text)
    unexplained = lexical_units(text) - engine_vocabulary() - scenario_words - used_profile_words - _SECOND_PERSON
    if korean_text:
        unexplained -= engine_morphemes()
        own_texts = "\n".join([*(d.text for d in pmap.domains), *(m.text for m in pmap.memories),
                               structure.person, structure.role_phrase])
        unexplained = {u for u in unexplained if not _korean_explained(u, own_texts)}
    low, high = WORD_BOUNDS[pmap.language]
    readable = _readable_korean(text, scenario_words | used_profile_words) if pmap.language == "ko" else _readable(text)
    return {
        "length": low <= count <= high,
        # The target feelings are evoked by what happened and what it cost (read by the lexicon)...
        "emotions_carried": evoked_similarity(text, structure.target_emotions) >= MIN_EVOKED,
        # The answer to the "after" question must not be in the text: no target label or its word forms.
        "no_target_label": not any(emotion_named(text, label) for label in structure.target_emotions),
        "no_avoided_topic": not mentions_avoided(text, pmap.avoid),
        "no_instruction_following": _no_instruction_followed(text, scenario_words, pmap, structure),
        "readable_language": readable,
        "own_text_only": not unexplained,
    }
