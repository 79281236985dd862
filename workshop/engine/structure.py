"""Step 1: the emotional structure of a scenario, computed once per scenario version.

Themes are free text: the facilitator's own words ("microaggression", "hybrid work") are read through the
theme-word table on stems, together with the narrative's event patterns and (weakly) the target feelings.
A word the engine does not know is a hint, never an error."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from .korean import has_hangul, morpheme_string
from .korean import memory_who as korean_memory_who
from .models import EngineInputError, ScenarioSpec
from .textutil import clean, contains_phrase, stems
from .vocabulary import (
    APPRAISAL_CUES,
    INFERENCE,
    RELATIONAL_THEMES,
    THEMES,
    appraisal_cue_stems,
    lang_data,
    language_of,
    theme_cues,
)

# How much each kind of evidence counts towards a relational theme.
W_NAMED = 6.0  # the scenario names the theme itself (its id or label)
W_THEME_WORD = 4.0  # a theme word maps to it
W_EVENT = 1.5  # a narrative event pattern of that theme
W_CUE = 0.5  # a narrative cue word of that theme
W_EMOTION = 0.75  # a target emotion that usually comes with it
SECONDARY = 0.45  # a theme with this share of the top score is kept as a secondary theme

_CAUSER_LABELS = {"group": "the people around {obj}", "someone_else": "someone with a say over {obj}",
                  "self": "{subj}self", "circumstance": "circumstances outside {poss} control"}
PRONOUNS = {
    "she": {"subj": "she", "obj": "her", "poss": "her", "poss_pronoun": "hers", "self": "herself",
            "is": "is", "was": "was", "has": "has", "s": "s", "es": "es"},
    "he": {"subj": "he", "obj": "him", "poss": "his", "poss_pronoun": "his", "self": "himself",
           "is": "is", "was": "was", "has": "has", "s": "s", "es": "es"},
    "they": {"subj": "they", "obj": "them", "poss": "their", "poss_pronoun": "theirs", "self": "themself",
             "is": "are", "was": "were", "has": "have", "s": "", "es": ""},
}


@dataclass(frozen=True)
class Appraisal:
    causer: str  # someone_else | group | self | circumstance
    causer_label: str  # who, in the scenario's own words where it names them
    fair: str  # unfair | fair | unclear
    control: str  # low | some
    stake: str  # recognition | belonging | fairness | security | autonomy | care
    found_out: str = ""  # afterwards | in_front_of_others | overheard | "" (not said)


@dataclass(frozen=True)
class ScenarioStructure:
    slug: str
    person: str
    role_phrase: str
    target_emotions: tuple[str, ...]  # strongest first
    relational_themes: tuple[str, ...]  # strongest first
    explicit_themes: tuple[str, ...]  # the themes the facilitator named, or the first a theme word of theirs means
    topic_themes: tuple[str, ...]  # the scenario's theme words, as written
    appraisal: Appraisal
    place: str
    happened: str
    pronouns: str = "they"  # she | he | they
    language: str = "en"
    # Who caused it and where, as the narrative names them (in its own language), for other languages' labels.
    actor: str = ""
    place_term: str = ""
    scores: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
    unknown_theme_words: tuple[str, ...] = ()

    def pronoun(self, key: str) -> str:
        return PRONOUNS[self.pronouns][key]

    def describe(self) -> dict[str, Any]:
        """What the engine inferred, for the `analogize` output and the facilitator."""
        return {
            "relational_themes": list(self.relational_themes),
            "causer": self.appraisal.causer,
            "causer_label": self.appraisal.causer_label,
            "happened": self.happened,
            "found_out": self.appraisal.found_out or "unknown",
            "stake": self.appraisal.stake,
            "fair": self.appraisal.fair,
            "control": self.appraisal.control,
            "pronouns": self.pronouns,
            "theme_words_not_known": list(self.unknown_theme_words),
        }


def fill_pronouns(template: str, pronouns: str, **slots: str) -> str:
    values = {**PRONOUNS[pronouns], **slots}
    text = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)
    return text


@functools.cache
def _theme_word_index(hangul: bool = False) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Theme words as stem sequences: the Latin ones, or (read only for a Korean word) the Hangul ones of both
    tables and the Korean theme labels."""
    out: list[tuple[tuple[str, ...], str]] = []
    korean = lang_data("inference.yaml", "ko")["theme_words"]
    for theme, entries in INFERENCE["theme_words"].items():
        for entry in [*entries, *korean.get(theme, [])]:
            if has_hangul(str(entry)) == hangul and (key := tuple(stems(str(entry)))):
                out.append((key, theme))
    for theme in RELATIONAL_THEMES:
        labels = [lang_data("vocabulary.yaml", "ko")["themes"][theme]["label"]] if hangul else [
            theme.replace("_", " "), THEMES[theme]["label"]]
        out += [(tuple(stems(label)), theme) for label in labels]
    return tuple(out)


def _theme_words_for(word: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    return _theme_word_index(False) + (_theme_word_index(True) if has_hangul(word) else ())


def _is_strong(pattern: str) -> bool:
    """A pattern over several words ("went ... without me") is strong evidence; one word ("idea") is weak, and
    so is a pattern marked with a leading ~."""
    return not pattern.startswith("~") and (r"\s" in pattern or " " in pattern)


def _morphemes_pattern(pattern: str) -> re.Pattern[str]:
    """A Korean pattern over whole morphemes of the morpheme string ("만 빼 고" does not match inside a word)."""
    return re.compile(r"(?<= )(?:" + pattern.lstrip("~") + r")(?= )")


@functools.cache
def _event_patterns(language: str = "en") -> dict[tuple[str, bool | None], tuple[re.Pattern[str], ...]]:
    """Each theme's event patterns: English ones over the lower-cased text, Korean ones over the morpheme string."""
    compile_ = _morphemes_pattern if language == "ko" else (lambda p: re.compile(p.lstrip("~")))
    out: dict[tuple[str, bool | None], tuple[re.Pattern[str], ...]] = {}
    for theme, patterns in lang_data("inference.yaml", language)["event_patterns"].items():
        out[(theme, None)] = tuple(compile_(p) for p in patterns)
        out[(theme, True)] = tuple(compile_(p) for p in patterns if _is_strong(p))
        out[(theme, False)] = tuple(compile_(p) for p in patterns if not _is_strong(p))
    return out


@functools.cache
def _found_out_patterns(language: str = "en") -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    compile_ = _morphemes_pattern if language == "ko" else re.compile
    return tuple((kind, tuple(compile_(p) for p in pats))
                 for kind, pats in lang_data("inference.yaml", language)["found_out"].items())


@functools.lru_cache(maxsize=8192)
def event_hits(text: str, theme: str, *, strong: bool | None = None) -> int:
    """How many of a theme's event patterns (all, only the strong or only the weak ones) the text carries; a text
    with Hangul is also read on its morphemes with the Korean patterns ("나만 빼고 갔다")."""
    low = text.lower()
    hits = sum(1 for p in _event_patterns().get((theme, strong), ()) if p.search(low))
    if has_hangul(text):
        morphs = morpheme_string(text)
        hits += sum(1 for p in _event_patterns("ko").get((theme, strong), ()) if p.search(morphs))
    return hits


def theme_word_themes(word: str) -> list[str]:
    """The relational themes a facilitator's theme word points at ("hybrid work" -> exclusion, ...)."""
    key = tuple(stems(word))
    if not key:
        return []
    found: list[str] = []
    index = _theme_words_for(word)
    for entry, theme in index:
        if entry == key or (len(entry) > 1 and contains_phrase(list(key), entry)) or (
                len(key) > 1 and contains_phrase(list(entry), key)) or (
                len(key) == 1 and len(entry) == 1 and len(key[0]) >= 6 and entry[0].startswith(key[0][:6])
                and len(entry[0]) >= 6):
            if theme not in found:
                found.append(theme)
    if not found and word in THEMES and not THEMES[word]["relational"]:
        found = list(THEMES[word]["maps_to"])
    if not found:
        for part in key:  # "subtle exclusion at lunch": any known word inside the phrase
            for entry, theme in index:
                if len(entry) == 1 and entry[0] == part and theme not in found:
                    found.append(theme)
    return found


def _has_cue(tokens: list[str], cues: list[str]) -> bool:
    return any(contains_phrase(tokens, tuple(stems(c))) for c in cues)


def _has_appraisal_cue(tokens: list[str], kind: str, value: str, text: str) -> bool:
    if _has_cue(tokens, APPRAISAL_CUES[kind].get(value, [])):
        return True
    return has_hangul(text) and any(contains_phrase(tokens, k) for k in appraisal_cue_stems(kind, value, True))


def _first_mentioned(text: str, candidates: list[str]) -> str | None:
    if has_hangul(text) and any(has_hangul(c) for c in candidates):
        tokens = stems(text)  # a Korean word carries its particles: 팀장이, 팀장님은
        firsts = [(tokens.index(k[0]), -len(c), c) for c in candidates if (k := tuple(stems(c)))
                  and contains_phrase(tokens, k)]
        return min(firsts)[2] if firsts else None
    low = text.lower()
    best: tuple[int, int, str] | None = None
    for candidate in candidates:
        match = re.search(r"\b" + re.escape(candidate) + r"\b", low)
        if match and (best is None or (match.start(), -len(candidate)) < best[:2]):
            best = (match.start(), -len(candidate), candidate)
    return best[2] if best else None


def _pronouns(scenario: ScenarioSpec) -> str:
    given = scenario.perspective.pronouns.lower().split("/")[0].strip()
    if given in PRONOUNS:
        return given
    tokens = re.findall(r"[a-z]+", scenario.narrative.lower())
    counts = {"she": sum(tokens.count(w) for w in ("she", "her", "hers", "herself")),
              "he": sum(tokens.count(w) for w in ("he", "him", "his", "himself"))}
    best = max(counts, key=counts.get)
    if counts[best] == 0 or counts["she"] == counts["he"]:
        return "they"
    return best


def _role_phrase(role: str) -> str:
    low = role.lower()
    if has_hangul(role):
        return role
    if low.startswith(("a ", "an ", "the ", "their ", "his ", "her ")):
        return role
    if role[1:2].islower():
        role = role[0].lower() + role[1:]
    article = "an" if role[:1].lower() in "aeiou" else "a"
    return f"{article} {role}"


def _causer_label(narrative: str, causer: str, pronouns: str) -> str:
    actor = _first_mentioned(narrative, list(INFERENCE["actors"]))
    if actor and causer in ("someone_else", "group"):
        return fill_pronouns(f"{{poss}} {actor}", pronouns)
    return fill_pronouns(_CAUSER_LABELS[causer], pronouns)


def _score_themes(scenario: ScenarioSpec) -> tuple[dict[str, float], set[str], set[str], list[str]]:
    scores = dict.fromkeys(RELATIONAL_THEMES, 0.0)
    direct: set[str] = set()
    named: set[str] = set()
    unknown: list[str] = []
    for rank, word in enumerate(scenario.themes):
        if word in RELATIONAL_THEMES:
            scores[word] += W_NAMED - min(rank, 3) * 0.5  # the facilitator's order counts
            direct.add(word)
            named.add(word)
            continue
        found = theme_word_themes(word)
        if not found:
            unknown.append(word)
        for position, theme in enumerate(found):
            scores[theme] += W_THEME_WORD * (1.0 if position == 0 else 0.6)
            direct.add(theme)
            if position == 0:
                named.add(theme)
    text = f"{scenario.title}. {scenario.narrative}"
    tokens = stems(text)
    for theme in RELATIONAL_THEMES:
        scores[theme] += W_EVENT * min(event_hits(text, theme), 4)
        scores[theme] += W_CUE * min(sum(1 for cue in theme_cues(theme, text) if contains_phrase(tokens, cue)), 4)
    for emotion in scenario.emotions:
        for theme in INFERENCE["emotion_themes"].get(emotion.label, []):
            scores[theme] += W_EMOTION * emotion.intensity
    return scores, direct, named, unknown


def _found_out(text: str) -> str:
    low = text.lower()
    for kind, patterns in _found_out_patterns():
        if any(p.search(low) for p in patterns):
            return kind
    if has_hangul(text):
        morphs = morpheme_string(text)
        for kind, patterns in _found_out_patterns("ko"):
            if any(p.search(morphs) for p in patterns):
                return kind
    return ""


def _build(scenario: ScenarioSpec) -> ScenarioStructure:
    scores, direct, named, unknown = _score_themes(scenario)
    ranked = sorted((t for t in RELATIONAL_THEMES if scores[t] > 0), key=lambda t: -scores[t])
    if not ranked or scores[ranked[0]] < 1.0:
        raise EngineInputError(
            "scenario: no relational structure found; add a theme word (for example 'left out', 'credit', "
            "'underestimated', 'blamed', 'caregiving') or say in the narrative what happened to the person")
    top = scores[ranked[0]]
    # The themes the facilitator named (directly or through their words) stay; others need a fair share.
    relational = tuple(t for t in ranked if t in direct or scores[t] >= SECONDARY * top)[:3]
    primary = relational[0]
    pronouns = _pronouns(scenario)

    text = f"{scenario.title}. {scenario.narrative}"
    tokens = stems(text)
    default = THEMES[primary]["appraisal"]
    fair, causer, control = default["fair"], default["causer"], default["control"]
    for value in APPRAISAL_CUES["fair"]:
        if _has_appraisal_cue(tokens, "fair", value, text):
            fair = value
            break
    for value in APPRAISAL_CUES["causer"]:
        if _has_appraisal_cue(tokens, "causer", value, text):
            causer = value
            break
    if _has_appraisal_cue(tokens, "control", "some", text):
        control = "some"
    place = _first_mentioned(scenario.narrative, list(INFERENCE["places"]))
    korean = lang_data("inference.yaml", "ko") if has_hangul(scenario.narrative) else None
    actor = _first_mentioned(scenario.narrative, list(INFERENCE["actors"]))
    if korean is not None:  # a Korean narrative names its people and places in Korean
        # who acts in it (a subject first), never the person's own title ("김하나 과장은")
        others = tuple(a for a in korean["actors"] if a not in scenario.perspective.role)
        actor = korean_memory_who(scenario.narrative, others) or actor
        place_term = _first_mentioned(scenario.narrative, korean["places"]) or place or ""
    else:
        place_term = place or ""
    emotions = sorted(scenario.emotions, key=lambda e: -e.intensity)
    happened = fill_pronouns(INFERENCE["happened"][primary][0], pronouns)
    return ScenarioStructure(
        slug=scenario.slug,
        person=clean(scenario.perspective.name),
        role_phrase=_role_phrase(clean(scenario.perspective.role)),
        pronouns=pronouns,
        target_emotions=tuple(dict.fromkeys(e.label for e in emotions)),
        relational_themes=relational,
        explicit_themes=tuple(t for t in relational if t in named) or relational[:1],
        topic_themes=tuple(scenario.themes),
        appraisal=Appraisal(causer, _causer_label(scenario.narrative, causer, pronouns), fair, control,
                            default["stake"], _found_out(text)),
        place=f"the {place}" if place else "at work",
        happened=happened,
        language=language_of(scenario.language),
        actor=actor or "",
        place_term=place_term,
        scores={t: round(scores[t], 2) for t in ranked},
        unknown_theme_words=tuple(unknown),
    )


_CACHE: dict[tuple[str, str], ScenarioStructure] = {}
_CACHE_MAX = 1024


def scenario_hash(scenario: ScenarioSpec) -> str:
    return hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()


def analyze_scenario(scenario: ScenarioSpec) -> ScenarioStructure:
    """The scenario's emotional structure, cached per (slug, content hash). Raises EngineInputError only when
    no relational structure can be read at all, with a message saying what to add."""
    key = (scenario.slug, scenario_hash(scenario))
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        found = _CACHE[key] = _build(scenario)
    return found
