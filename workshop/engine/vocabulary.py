"""The engine's vocabularies, loaded once from the YAML files in data/."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

from .korean import has_hangul
from .textutil import contains_phrase, stem, stems

DATA_DIR = Path(__file__).parent / "data"
# The languages the built-in engine writes. English data files are the structure of reference; a language's own
# files (data/<code>/...) carry the same keys and ids with that language's words.
LANGUAGES: dict[str, str] = {"en": "English", "ko": "한국어"}


@functools.cache
def load_data(name: str) -> Any:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def language_of(code: str) -> str:
    """The engine language for a profile's or scenario's language code: "ko", "ko-KR" -> "ko"; else "en"."""
    code = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else "en"


def lang_data(name: str, language: str) -> Any:
    """A data file in the given language: data/<name> for English, data/<language>/<name> otherwise."""
    return load_data(name) if language == "en" else load_data(f"{language}/{name}")


def _latin(items: Any) -> list[str]:
    return [str(i) for i in items if not has_hangul(str(i))]


def _hangul(items: Any) -> list[str]:
    return [str(i) for i in items if has_hangul(str(i))]


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


# Keywords are read per script: Latin ones at import, Hangul ones (which need the Korean analyser) on the first
# Korean text, so English never loads it.
_FAMILY_KEYWORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    fid: tuple(phrase_stems(k) for k in _latin(info["keywords"])) for fid, info in _families.items()
}


@functools.cache
def _hangul_family_keywords() -> dict[str, tuple[tuple[str, ...], ...]]:
    ko = lang_data("families.yaml", "ko")
    return {fid: tuple(phrase_stems(k) for k in [*_hangul(info["keywords"]), *ko.get(fid, {}).get("keywords", [])])
            for fid, info in _families.items()}


def _family_keywords(text: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    if not has_hangul(text):
        return _FAMILY_KEYWORDS
    korean = _hangul_family_keywords()
    return {fid: keys + korean[fid] for fid, keys in _FAMILY_KEYWORDS.items()}


@functools.lru_cache(maxsize=4096)
def domain_family(text: str) -> str | None:
    """Map a participant's free-text life domain ("amateur football", "my guild", "조기축구") to a family id."""
    tokens = stems(text)
    best, best_score = None, 0
    for fid, keywords in _family_keywords(text).items():
        score = sum(len(k) for k in keywords if contains_phrase(tokens, k))
        if score > best_score:
            best, best_score = fid, score
    world = domain_world(text)
    if world and (best is None or _world_score(tokens, world[0], text) >= best_score):
        return world[1]
    return best


def _world_score(tokens: list[str], wid: str, text: str = "") -> int:
    keywords = _WORLD_KEYWORDS[wid] + (_hangul_world_keywords()[wid] if has_hangul(text) else ())
    return sum(len(k) for k in keywords if contains_phrase(tokens, k))


_WORLD_KEYWORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    wid: tuple(phrase_stems(k) for k in _latin(info["keywords"])) for wid, info in WORLDS.items()
}


@functools.cache
def _hangul_world_keywords() -> dict[str, tuple[tuple[str, ...], ...]]:
    ko = lang_data("worlds.yaml", "ko")["worlds"]
    return {wid: tuple(phrase_stems(k) for k in [*_hangul(info["keywords"]), *ko.get(wid, {}).get("keywords", [])])
            for wid, info in WORLDS.items()}


_KO_ROLES: dict[str, dict[str, Any]] = lang_data("worlds.yaml", "ko")["roles"]
_ROLE_PATTERNS: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = tuple(
    (rid, tuple(re.compile(p, re.IGNORECASE) for p in [*info["patterns"], *_KO_ROLES.get(rid, {}).get("patterns", [])]))
    for rid, info in ROLES.items()
)


@functools.lru_cache(maxsize=4096)
def domain_world(text: str) -> tuple[str, str] | None:
    """(world id, family id) of the most specific setting a domain's words name, or None."""
    tokens = stems(text)
    best, best_score = None, 0
    for wid in _WORLD_KEYWORDS:
        score = _world_score(tokens, wid, text)
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


_KO_VOCAB: dict[str, Any] = lang_data("vocabulary.yaml", "ko")
_KO_INSTRUCTION_TRIGGER = re.compile(_KO_VOCAB["instruction_trigger"])
_KO_INSTRUCTION_PATTERNS = tuple(re.compile(p, re.DOTALL) for p in _KO_VOCAB["instruction_patterns"])


@functools.lru_cache(maxsize=8192)
def looks_like_instruction(text: str) -> bool:
    """A profile text that addresses the system instead of telling a memory (in English or Korean)."""
    low = text.lower()
    if any((not anchors or any(a in low for a in anchors)) and p.search(text) for p, anchors in _INSTRUCTION_ANCHORS):
        return True
    return bool(_KO_INSTRUCTION_TRIGGER.search(text)) and any(p.search(text) for p in _KO_INSTRUCTION_PATTERNS)


_topics = load_data("topics.yaml")
_IGNORE = frozenset(stems(" ".join(_latin(_topics["ignore"]))))
# The Latin members of each topic; the Hangul ones are read on the first Korean text (_hangul_topics).
TOPICS: dict[str, tuple[tuple[str, ...], ...]] = {
    name: tuple(sorted({ps for w in _latin(members) if (ps := phrase_stems(w))}))
    for name, members in _topics["topics"].items()
}


@functools.cache
def _hangul_topics() -> dict[str, tuple[tuple[str, ...], ...]]:
    ko = lang_data("topics.yaml", "ko")["topics"]
    return {name: tuple(sorted({ps for w in [*_hangul(members), *ko.get(name, [])] if (ps := phrase_stems(w))}))
            for name, members in _topics["topics"].items()}


@functools.cache
def _hangul_ignore() -> frozenset[str]:
    words_ = [*_hangul(_topics["ignore"]), *lang_data("topics.yaml", "ko")["ignore"]]
    return frozenset(t for w in words_ for t in stems(w))


def _prefix_ok(term: tuple[str, ...]) -> bool:
    """A member that also covers longer words it starts: five letters or more ("hospital" covers
    "hospitalised"), or two Hangul syllables or more ("입원" covers "입원실")."""
    return len(term) == 1 and (len(term[0]) >= 5 or (len(term[0]) >= 2 and has_hangul(term[0])))


def _covers(token: str, member: str) -> bool:
    if not token.startswith(member):
        return False
    # a Hangul member covers its compounds ("입원실"), not a longer word it happens to start ("아이" / "아이디어")
    return not has_hangul(member) or len(token) - len(member) <= 1


def _in_topic(content: tuple[str, ...], members: tuple[tuple[str, ...], ...]) -> bool:
    for member in members:
        if len(member) > 1:
            if contains_phrase(list(content), member):
                return True
            continue
        for token in content:
            if token == member[0] or (_prefix_ok(member) and _covers(token, member[0])):
                return True
    return False


@functools.lru_cache(maxsize=1024)
def avoid_patterns(terms: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Stem sequences for avoided topics: the words of each request (less the filler), and the whole
    neighbourhood of every topic any of those words belongs to ("my father's illness" covers dad, hospital,
    diagnosis, treatment...). When unsure, more is avoided, not less."""
    wanted: set[tuple[str, ...]] = set()
    for raw in terms:
        hangul = has_hangul(raw)
        ignore = _IGNORE | _hangul_ignore() if hangul else _IGNORE
        content = tuple(t for t in phrase_stems(raw.lower()) if t not in ignore)
        if not content:
            continue
        wanted.add(content)
        wanted.update((t,) for t in content if len(t) >= 3 or has_hangul(t))
        for name, members in TOPICS.items():
            korean = _hangul_topics()[name] if hangul else ()
            if _in_topic(content, members) or (korean and _in_topic(content, korean)):
                wanted.update(members)
                wanted.update(korean)
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


@functools.lru_cache(maxsize=1024)
def _with_hangul_neighbours(patterns: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """The patterns and the Hangul members of every topic they cover (an English request is read on Korean text
    too): a topic is covered when all its Latin members are avoided."""
    have = set(patterns)
    extra = {m for name, members in TOPICS.items() if members and set(members) <= have for m in _hangul_topics()[name]}
    return tuple(sorted(have | extra))


def mentions_avoided(text: str, patterns: tuple[tuple[str, ...], ...]) -> bool:
    if not patterns:
        return False
    hangul = has_hangul(text)
    singles, prefixes, phrases = _avoid_matcher(_with_hangul_neighbours(patterns) if hangul else patterns)
    tokens = stems(text)
    if singles.intersection(tokens):
        return True
    if prefixes and any(t.startswith(prefixes) and any(_covers(t, p) for p in prefixes if t.startswith(p))
                        for t in tokens):
        return True
    return any(contains_phrase(tokens, p) for p in phrases)


_ALL_FORMS = {label: frozenset({stem(f) for f in forms}) for label, forms in EMOTION_FORMS.items()}
_LETTERS = re.compile(r"[^\W\d_]+")


@functools.lru_cache(maxsize=8192)
def _letter_tokens(text: str) -> tuple[frozenset[str], frozenset[str]]:
    tokens = frozenset(_LETTERS.findall(text.lower()))
    return tokens, frozenset(stem(t) for t in tokens)


@functools.cache
def korean_emotion_forms() -> dict[str, tuple[frozenset[str], tuple[tuple[str, ...], ...]]]:
    """Per label, the morphemes of its Korean names (ko/vocabulary.yaml): single ones, and phrases
    ("마음이 아프다" -> 마음, 아프)."""
    out = {}
    for label, info in _KO_VOCAB["emotions"].items():
        keys = [tuple(stems(f)) for f in info["forms"]]
        out[label] = (frozenset(k[0] for k in keys if len(k) == 1), tuple(k for k in keys if len(k) > 1))
    return out


def korean_named(tokens: list[str], labels: tuple[str, ...] | None = None) -> bool:
    """True when Korean morphemes name one of the labels (all labels when None)."""
    forms = korean_emotion_forms()
    present = set(tokens)
    for label in labels if labels is not None else forms:
        singles, phrases = forms[label]
        if singles & present or any(contains_phrase(tokens, p) for p in phrases):
            return True
    return False


def emotion_named(text: str, label: str) -> bool:
    """True when the text names the emotion by its label or one of its word forms (any script's words; Korean on
    its morphemes: 외로웠다 and 외로움 name loneliness)."""
    tokens, token_stems = _letter_tokens(text)
    if any(form in tokens for form in EMOTION_FORMS[label]) or bool(_ALL_FORMS[label] & token_stems):
        return True
    return has_hangul(text) and korean_named(stems(text), (label,))


@functools.cache
def cue_stems(theme: str, hangul: bool) -> tuple[tuple[str, ...], ...]:
    """A theme's cue words as stem sequences: the English ones, or the Korean ones (ko/vocabulary.yaml)."""
    cues = _KO_VOCAB["themes"][theme]["cues"] if hangul else THEMES[theme]["cues"]
    return tuple(k for c in cues if (k := tuple(stems(str(c)))))


def theme_cues(theme: str, text: str) -> tuple[tuple[str, ...], ...]:
    """The cues to look for in this text: Korean ones too when it has Hangul."""
    return cue_stems(theme, False) + (cue_stems(theme, True) if has_hangul(text) else ())


@functools.cache
def appraisal_cue_stems(kind: str, value: str, hangul: bool) -> tuple[tuple[str, ...], ...]:
    cues = (_KO_VOCAB["appraisal_cues"] if hangul else APPRAISAL_CUES)[kind].get(value, [])
    return tuple(k for c in cues if (k := tuple(stems(str(c)))))


@functools.cache
def korean_memory_actors() -> tuple[str, ...]:
    return tuple(_KO_VOCAB["memory_actors"])
