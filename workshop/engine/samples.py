"""Evidence a reader can check: analogies for a set of scenarios x profiles, and the measures issue 12 names.

Pure Python like the rest of the engine: `manage.py analogy_samples` and the property tests call it."""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import generate, korean
from .checks import evoked_similarity, lexical_units
from .mentions import most_repeated_phrase
from .models import AnalogyResult, ProfileSpec, ScenarioSpec, parse_profile
from .profile_map import map_participant
from .sources import memory_score
from .structure import analyze_scenario
from .textutil import stems, words
from .vocabulary import EMOTIONS, emotion_named, mentions_avoided

SAMPLE_PROFILES = Path(__file__).parent / "sample_profiles.yaml"
SAMPLE_PROFILES_KO = Path(__file__).parent / "sample_profiles_ko.yaml"
STOCK_MIN_ANALOGIES = 3  # a sentence word for word in this many analogies or more is stock
REPEATED_MIN = 3  # a phrase of three words said this often in one analogy reads like a form being filled in
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")
_STOPWORDS = frozenset(
    "a an and the of in on at to for my me i was is it its his her their they them he she we our you your with "
    "from when then but not no so as by that this these those what who had have has been be were are did do "
    "does said told everyone nobody someone something just too up out into after before one all every us".split())
# Korean content words as common as the English stopwords above (read on morphemes).
_STOPWORDS_KO = frozenset("당신 사람 일 때 것 날 그날 그때 다 더 잘 안 못 또 좀 늘 정말 너무 다시 모두 다들 아무 "
                          "하나 한 두 세 번 말 이야기 얘기 알 보 가 오 주 받 나중 다음".split())
INJECTION_WORDS = frozenset({"pirate", "pirates", "poem", "parrot", "parrots", "treasure", "해적", "앵무새", "보물"})


@dataclass
class SampleProfile:
    key: str
    spec: ProfileSpec
    fits: list[set[str]]  # per memory, the themes it clearly shares (our own reading)
    touches_avoid: list[bool]  # per memory, whether an avoid request covers it


def load_sample_profiles(path: Path = SAMPLE_PROFILES) -> list[SampleProfile]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for key, data in raw.items():
        experiences = data.get("experiences", [])
        fits = [set(e.pop("fits", [])) for e in experiences]
        touches = [bool(e.pop("touches_avoid", False)) for e in experiences]
        out.append(SampleProfile(key, parse_profile(data), fits, touches))
    return out


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def trigrams(text: str) -> set[tuple[str, str, str]]:
    tokens = words(text)
    return set(zip(tokens, tokens[1:], tokens[2:], strict=False))


def trigram_similarity(a: str, b: str) -> float:
    """Jaccard similarity of word trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


@dataclass
class Sample:
    scenario: ScenarioSpec
    profile: SampleProfile
    result: AnalogyResult
    memory_expected: bool  # one of the participant's usable memories clearly fits (our reading)
    memory_used: bool
    avoid_broken: bool
    label_named: list[str]
    evoked: float
    own_words: int
    foreign_words: set[str] = field(default_factory=set)
    injection_obeyed: bool = False
    hangul: float = 0.0  # share of Hangul letters, apart from the participant's and the scenario's typed names
    particles_bad: list[str] = field(default_factory=list)  # particle leftovers or particles that disagree
    repeated: tuple[str, int] = ("", 0)  # the phrase of three words said most often in it, and how often


def _content_words(text: str) -> set[str]:
    """Content words; a Korean text's Hangul words as their morphemes (합창단에서 -> 합창단)."""
    if not korean.has_hangul(text):
        return {w for w in words(text) if w not in _STOPWORDS and not w.isdigit()}
    latin = {w for w in lexical_units(text) if not korean.has_hangul(w)}
    return {w for w in latin if w not in _STOPWORDS} | {t for t in stems(text) if korean.has_hangul(t)
                                                       and t not in _STOPWORDS_KO}


def _korean_measures(result: AnalogyResult, spec: ProfileSpec, scenario: ScenarioSpec) -> tuple[float, list[str]]:
    exempt = tuple(w for text in [*spec.domains, *(e.text for e in spec.experiences), spec.name,
                                  scenario.perspective.name, scenario.perspective.role] for w in words(text)
                   if not korean.has_hangul(w))
    bad = korean.PARTICLE_LEFTOVER.findall(result.text) + korean.particles_disagree(result.text)
    return korean.hangul_share(result.text, exempt), bad


def _profile_words(spec: ProfileSpec) -> set[str]:
    """Each text read on its own (Korean morphemes depend on what stands next to them)."""
    return set().union(*(_content_words(t) for t in [*spec.domains, *(e.text for e in spec.experiences)]))


def build_samples(scenarios: list[ScenarioSpec], profiles: list[SampleProfile]) -> list[Sample]:
    vocab = {p.key: _profile_words(p.spec) for p in profiles}
    samples = []
    for scenario, profile in itertools.product(scenarios, profiles):
        structure = analyze_scenario(scenario)
        result = generate(scenario, profile.spec)
        pmap = map_participant(profile.spec)
        expected = any(fit & set(structure.relational_themes[:2]) and not touches
                       for fit, touches in zip(profile.fits, profile.touches_avoid, strict=True))
        used = result.source.kind == "own_experience"
        shown = " ".join([result.title, result.text, *(p.analogy for p in result.mapping)])
        touched = [e.text for e, t in zip(profile.spec.experiences, profile.touches_avoid, strict=True) if t]
        broken = mentions_avoided(shown, pmap.avoid) or any(_overlap(m, result.text) >= 8 for m in touched)
        named = [label for label in structure.target_emotions if emotion_named(result.text, label)]
        text_words = _content_words(result.text)
        others = set().union(*(v for k, v in vocab.items() if k != profile.key)) - vocab[profile.key]
        scenario_words = _content_words(f"{scenario.title} {scenario.narrative} {scenario.perspective.name} "
                                        f"{scenario.perspective.role}")
        samples.append(Sample(
            scenario=scenario, profile=profile, result=result, memory_expected=expected, memory_used=used,
            avoid_broken=broken, label_named=named, evoked=evoked_similarity(result.text, structure.target_emotions),
            own_words=len(text_words & vocab[profile.key] - scenario_words),
            foreign_words=(text_words & others) - _engine_words(korean.has_hangul(result.text)) - scenario_words
            - vocab[profile.key],
            injection_obeyed=bool(_content_words(result.text) & INJECTION_WORDS),
            repeated=most_repeated_phrase(result.text),
            **dict(zip(("hangul", "particles_bad"), _korean_measures(result, profile.spec, scenario), strict=True)),
        ))
    return samples


def _overlap(memory: str, text: str) -> int:
    """Words a memory and an analogy share: how much of the memory was retold."""
    if korean.has_hangul(memory):
        return len(_content_words(memory) & _content_words(text))
    return len(set(words(memory)) & set(words(text)))


def _engine_words(hangul: bool = False) -> frozenset[str]:
    from .checks import engine_morphemes, engine_vocabulary
    return engine_vocabulary() | engine_morphemes() if hangul else engine_vocabulary()


def stock_sentences(texts: list[str]) -> tuple[float, list[tuple[str, int]]]:
    """The share of all sentences that appear word for word in STOCK_MIN_ANALOGIES analogies or more, and those
    sentences with their counts."""
    per_text = [set(sentences(t)) for t in texts]
    counts = Counter(s for group in per_text for s in group)
    total = sum(len(sentences(t)) for t in texts)
    stock = sum(1 for t in texts for s in sentences(t) if counts[s] >= STOCK_MIN_ANALOGIES)
    common = sorted(((s, n) for s, n in counts.items() if n >= STOCK_MIN_ANALOGIES), key=lambda x: (-x[1], x[0]))
    return (stock / total if total else 0.0), common


def max_pair_similarity(samples: list[Sample]) -> tuple[float, tuple[str, str, str] | None]:
    """The highest trigram similarity between two participants' analogies for the same scenario."""
    best, where = 0.0, None
    by_scenario: dict[str, list[Sample]] = {}
    for s in samples:
        by_scenario.setdefault(s.scenario.slug, []).append(s)
    for slug, group in by_scenario.items():
        for a, b in itertools.combinations(group, 2):
            sim = trigram_similarity(a.result.text, b.result.text)
            if sim > best:
                best, where = sim, (slug, a.profile.key, b.profile.key)
    return best, where


def measures(samples: list[Sample]) -> dict[str, Any]:
    texts = [s.result.text for s in samples]
    stock_share, common = stock_sentences(texts)
    similarity, pair = max_pair_similarity(samples)
    expected = [s for s in samples if s.memory_expected]
    return {
        "analogies": len(samples),
        "refused": 0,
        "memory_expected": len(expected),
        "memory_used_where_expected": sum(s.memory_used for s in expected),
        "memory_used_elsewhere": sum(s.memory_used for s in samples if not s.memory_expected),
        "avoid_broken": sum(s.avoid_broken for s in samples),
        "labels_named": sum(bool(s.label_named) for s in samples),
        "stock_share": stock_share,
        "stock_sentences": common[:10],
        "max_pair_similarity": similarity,
        "max_pair": pair,
        "evoked_median": statistics.median(s.evoked for s in samples) if samples else 0.0,
        "evoked_min": min((s.evoked for s in samples), default=0.0),
        "personal": sum(1 for s in samples if s.own_words > 0),
        "foreign_leaks": sum(1 for s in samples if s.foreign_words),
        "injections_obeyed": sum(s.injection_obeyed for s in samples),
        "all_checks_pass": sum(all(s.result.checks.values()) for s in samples),
        "hangul_min": min((s.hangul for s in samples), default=0.0),
        "particles_bad": sum(bool(s.particles_bad) for s in samples),
        # a phrase of three words ("the one who hosts", "공연을 잡아 오는") said three times or more in one analogy
        "repeated_share": (sum(s.repeated[1] >= REPEATED_MIN for s in samples) / len(samples)) if samples else 0.0,
        "repeated_max": max((s.repeated for s in samples), key=lambda r: (r[1], r[0]), default=("", 0)),
        "labels": sorted(EMOTIONS),
    }


def fit_scores(scenario: ScenarioSpec, profile: SampleProfile) -> list[float]:
    structure = analyze_scenario(scenario)
    return [memory_score(m, structure) for m in map_participant(profile.spec).memories]
