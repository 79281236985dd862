"""The tone of a text, offline, in English and Korean: its valence (-1 unpleasant .. +1 pleasant) and the
feelings it names, from a lexicon written for this product (data/mood_*.yaml, plus the engine's own word
forms for every feeling label). docs/mood.md says why this lexicon and not another, and how well it does.

A lexicon is crude on purpose: it is fast, needs no model, is the same on every machine, and can be read and
corrected by anyone. It reads words, nothing else. It is meant for a room (the average of many people's
writing, workshop/learning/room_mood.py), never to judge one person's text.

Negation is simple: in English a negator ("not", "never", "didn't") turns the next three words; in Korean
안/못 turn the next content word, and -지 않다/못하다, 아니다 and 없다 the word before. A turned word counts with
its valence reversed and damped, and the feeling it names does not count ("not happy" is not joy). Words
before a contrast ("but", "하지만", "-지만") weigh less than the words after it. Pure Python: nothing here
imports Django."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from workshop.engine.korean import has_hangul, morphemes
from workshop.engine.textutil import clean, stem

DATA_DIR = Path(__file__).parent / "data"
_ENGINE_DATA = Path(__file__).resolve().parent.parent / "engine" / "data"


@functools.cache
def _load(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


_SETTINGS = _load(DATA_DIR / "mood.yaml")
FEELING_VALENCE: dict[str, float] = {label: float(v) for label, v in _SETTINGS["feelings"].items()}
# The room mood's fourteen feelings, in a fixed order (pleasant first).
MOOD_FEELINGS: tuple[str, ...] = tuple(FEELING_VALENCE)
FOLD: dict[str, str] = dict(_SETTINGS["fold"])
NEGATED = float(_SETTINGS["negated_valence"])
BEFORE_CONTRAST = float(_SETTINGS["before_contrast"])
AFTER_CONTRAST = float(_SETTINGS["after_contrast"])
NEGATION_REACH = 3  # English: how many words after a negator it turns


@dataclass(frozen=True)
class Entry:
    valence: float
    feeling: str | None
    weight: float = 1.0  # how much it says about the feeling: less for a situation (ignored) than a name (sad)
    negated: bool = False  # the phrase itself is negative (끼지 못하다): the text's negation is read against it


@dataclass(frozen=True)
class TextMood:
    """What a text's words say: ``valence`` in -1..1 (0 when no word in the lexicon was found), ``feelings``
    the weight of each feeling named, ``matches`` how many lexicon words and phrases were found."""

    valence: float = 0.0
    feelings: dict[str, float] = field(default_factory=dict)
    matches: int = 0

    @property
    def main_feeling(self) -> str | None:
        if not self.feelings:
            return None
        return max(self.feelings, key=lambda label: (self.feelings[label], -MOOD_FEELINGS.index(label)))

    @property
    def polarity(self) -> str:
        """positive / negative / neutral, as the labelled test set has it."""
        if self.valence >= POLARITY_THRESHOLD:
            return "positive"
        if self.valence <= -POLARITY_THRESHOLD:
            return "negative"
        return "neutral"


POLARITY_THRESHOLD = 0.1


def _feeling(label: str) -> str:
    label = FOLD.get(label, label)
    if label not in FEELING_VALENCE:
        raise ValueError(f"unknown mood feeling {label!r}")
    return label


def _entry(value: Any) -> Entry:
    """A lexicon value: a feeling label, a number, or [valence, feeling] or [valence, feeling, weight]."""
    if isinstance(value, str):
        return Entry(FEELING_VALENCE[_feeling(value)], _feeling(value))
    if isinstance(value, int | float):
        return Entry(float(value), None)
    valence, label, *weight = value
    return Entry(float(valence), _feeling(label), float(weight[0]) if weight else 1.0)


def _engine_forms(name: str) -> dict[str, Entry]:
    """The engine's word forms for each feeling label, under the mood feeling it folds into."""
    out: dict[str, Entry] = {}
    for label, info in _load(_ENGINE_DATA / name)["emotions"].items():
        mood_label = FOLD.get(label, label)
        if mood_label not in FEELING_VALENCE:
            continue
        forms = list(info.get("forms", []))
        if "/" not in name:  # the English file: the label itself is a word too
            forms.insert(0, label)
        for form in forms:
            out[str(form)] = Entry(FEELING_VALENCE[mood_label], mood_label)
    return out


class Lexicon:
    """Entries keyed by a tuple of normalised tokens (one token for a word, several for a phrase)."""

    def __init__(self, entries: dict[tuple[str, ...], Entry]):
        self.entries = entries
        self.longest = max((len(key) for key in entries), default=1)

    def __len__(self) -> int:
        return len(self.entries)


# --- English ---------------------------------------------------------------------------------------------

_EN_TOKEN = re.compile(r"[a-z]+(?:['’-][a-z]+)*|[.!?;,:]")
_BOUNDARY = frozenset(".!?;")
_PAUSE = frozenset(",:")


def _en_tokens(text: str) -> list[str]:
    return [t.replace("’", "'") for t in _EN_TOKEN.findall(text.lower())]


def _en_key(phrase: str) -> tuple[str, ...]:
    return tuple(stem(t) for t in _en_tokens(phrase) if t not in _BOUNDARY and t not in _PAUSE)


@functools.cache
def english() -> Lexicon:
    data = _load(DATA_DIR / "mood_en.yaml")
    raw = {**_engine_forms("vocabulary.yaml"), **{str(k): _entry(v) for k, v in data["words"].items()}}
    return Lexicon({_en_key(k): v for k, v in raw.items() if _en_key(k)})


@functools.cache
def _en_settings() -> tuple[frozenset[str], frozenset[str]]:
    data = _load(DATA_DIR / "mood_en.yaml")
    return frozenset(data["negators"]), frozenset(data["contrasts"])


def _is_negator(token: str, negators: frozenset[str]) -> bool:
    return token in negators or token.endswith("n't")


@dataclass
class _Hit:
    entry: Entry
    negated: bool
    weight: float = 1.0


def _english_hits(text: str) -> list[_Hit]:
    lexicon = english()
    negators, contrasts = _en_settings()
    tokens = _en_tokens(text)
    stems = [stem(t) for t in tokens]
    hits: list[_Hit] = []
    sentence: list[_Hit] = []  # this sentence's hits so far
    negation_left, weight = 0, 1.0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in _BOUNDARY or token in _PAUSE or token in contrasts:
            negation_left = 0
            if token in contrasts:  # what came before it in the sentence weighs less, what follows more
                for hit in sentence:
                    hit.weight *= BEFORE_CONTRAST
                weight = AFTER_CONTRAST
            elif token in _BOUNDARY:
                hits += sentence
                sentence, weight = [], 1.0
            i += 1
            continue
        size = next((n for n in range(min(lexicon.longest, len(tokens) - i), 0, -1)
                     if tuple(stems[i:i + n]) in lexicon.entries), 0)
        if size:
            entry = lexicon.entries[tuple(stems[i:i + size])]
            sentence.append(_Hit(entry, negated=negation_left > 0, weight=weight))
            negation_left = max(0, negation_left - size)
            i += size
            continue
        if _is_negator(token, negators):
            negation_left = NEGATION_REACH
        elif negation_left:
            negation_left -= 1
        i += 1
    return hits + sentence


# --- Korean ----------------------------------------------------------------------------------------------

_KO_CONTENT = frozenset({"NNG", "NNP", "XR", "VA", "VV", "MAG", "NP"})
_KO_LIGHT = frozenset({"되", "하"})  # 안 되다, 못 하다: the negation is of the word before
_KO_CONTRAST_TAGS = frozenset({"EC", "MAJ"})


def _ko_stem(form: str, tag: str) -> str:
    """A content morpheme as the lexicon keys it: 속상하 -> 속상 (the 하 of an adjective is dropped, as
    서운하다 is read 서운 + 하)."""
    if tag in ("VA", "VV") and len(form) > 2 and form.endswith("하"):
        return form[:-1]
    return form


@dataclass
class _KoToken:
    stem: str
    negated: bool = False
    weight: float = 1.0


@functools.cache
def _ko_settings() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    data = _load(DATA_DIR / "mood_ko.yaml")
    return frozenset(data["negators_before"]), frozenset(data["negators_after"]), frozenset(data["contrasts"])


def _korean_tokens(text: str) -> list[list[_KoToken]]:
    """The text's content morphemes, sentence by sentence, with negation and contrast weights applied."""
    before, after, contrasts = _ko_settings()
    sentences: list[list[_KoToken]] = []
    current: list[_KoToken] = []
    negate_next, weight = False, 1.0
    morphs = morphemes(text)
    for index, m in enumerate(morphs):
        if m.tag == "SF":
            sentences.append(current)
            current, negate_next, weight = [], False, 1.0
        elif m.tag in _KO_CONTRAST_TAGS and m.form in contrasts:
            for token in current:  # what came before it in the sentence weighs less, what follows more
                token.weight *= BEFORE_CONTRAST
            sentences.append(current)
            current, negate_next, weight = [], False, AFTER_CONTRAST
        elif m.tag == "MAG" and m.form in before:
            following = next((n for n in morphs[index + 1:] if n.tag in _KO_CONTENT), None)
            if following is not None and following.form in _KO_LIGHT and current:
                current[-1].negated = True  # 이해가 안 되다: 이해 is what is turned
            else:
                negate_next = True
        elif m.tag in ("VX", "VCN", "VA") and m.form in after:
            if current:
                current[-1].negated = not current[-1].negated
        elif m.tag in _KO_CONTENT:
            current.append(_KoToken(_ko_stem(m.form, m.tag), negated=negate_next, weight=weight))
            negate_next = False
    sentences.append(current)
    return [s for s in sentences if s]


@functools.cache
def korean() -> Lexicon:
    """Read on the first Korean text only: an entry is read into tokens as a text is, so a phrase that holds
    a negation (끼지 못하다, 어이가 없다) keeps it, and a text's negation is read against it."""
    data = _load(DATA_DIR / "mood_ko.yaml")
    raw = {**_engine_forms("ko/vocabulary.yaml"), **{str(k): _entry(v) for k, v in data["words"].items()}}
    entries: dict[tuple[str, ...], Entry] = {}
    for phrase, entry in raw.items():
        tokens = [t for sentence in _korean_tokens(phrase) for t in sentence]
        if tokens:
            entries[tuple(t.stem for t in tokens)] = replace(entry, negated=any(t.negated for t in tokens))
    return Lexicon(entries)


def _korean_hits(text: str) -> list[_Hit]:
    lexicon = korean()
    hits: list[_Hit] = []
    for sentence in _korean_tokens(text):
        stems = [t.stem for t in sentence]
        i = 0
        while i < len(sentence):
            found = _ko_match(lexicon, stems, i)
            if found is None:
                i += 1
                continue
            key, end = found
            entry = lexicon.entries[key]
            negated = any(t.negated for t in sentence[i:end]) != entry.negated  # 마음이 놓이지 않다
            hits.append(_Hit(entry, negated=negated, weight=sentence[end - 1].weight))
            i = end
    return hits


def _ko_match(lexicon: Lexicon, stems: list[str], i: int) -> tuple[tuple[str, ...], int] | None:
    """The longest entry starting at ``i``: contiguous, or with one word between a phrase's words
    (화가 많이 나다)."""
    for size in range(min(lexicon.longest, len(stems) - i), 0, -1):
        key = tuple(stems[i:i + size])
        if key in lexicon.entries:
            return key, i + size
    for size in range(min(lexicon.longest, len(stems) - i - 1), 1, -1):
        window = stems[i:i + size + 1]
        for gap in range(1, size):
            key = tuple(window[:gap] + window[gap + 1:])
            if key in lexicon.entries:
                return key, i + size + 1
    return None


# --- scoring ---------------------------------------------------------------------------------------------

def text_mood(text: str) -> TextMood:
    """The valence and feelings a text's words carry. Korean text (any Hangul) is read by morphemes."""
    text = clean(text or "", cap=5000)
    if not text:
        return TextMood()
    hits = _korean_hits(text) if has_hangul(text) else _english_hits(text)
    return score(hits)


def score(hits: list[_Hit]) -> TextMood:
    if not hits:
        return TextMood()
    total = sum(h.weight for h in hits)
    valence = sum(h.weight * (h.entry.valence * NEGATED if h.negated else h.entry.valence) for h in hits) / total
    feelings: dict[str, float] = {}
    for position, h in enumerate(hits):
        if h.entry.feeling and not h.negated:
            # a tie goes to the feeling named last: people tend to end on what they feel
            weight = h.weight * h.entry.weight * (1 + position / 1000)
            feelings[h.entry.feeling] = feelings.get(h.entry.feeling, 0.0) + weight
    return TextMood(valence=max(-1.0, min(1.0, valence)), feelings=feelings, matches=len(hits))
