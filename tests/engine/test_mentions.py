"""Later mentions of the story's people and places vary the way a careful writer's do: one story written for this
participant, not a form with the same long phrase filled in again and again (EN and KO, every library scenario x
sample participant x eligible strategy)."""

from __future__ import annotations

import re
from functools import cache

import pytest

from workshop.engine import eligible_strategies
from workshop.engine.builtin import generate_builtin
from workshop.engine.mentions import english_pronoun, most_repeated_phrase, referents, vary
from workshop.engine.samples import SAMPLE_PROFILES, SAMPLE_PROFILES_KO, load_sample_profiles
from workshop.engine.vocabulary import lang_data

from .test_korean import english_library, library_korean_versions

_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’")


@cache
def grid(language: str) -> tuple[tuple[str, object], ...]:
    """(label, result) for every library scenario x sample participant x strategy they can be written by."""
    scenarios = english_library() if language == "en" else library_korean_versions()
    profiles = load_sample_profiles(SAMPLE_PROFILES if language == "en" else SAMPLE_PROFILES_KO)
    out = []
    for scenario in scenarios:
        for profile in profiles:
            for strategy in eligible_strategies(scenario, profile.spec):
                result = generate_builtin(scenario, profile.spec, strategy=strategy)
                out.append((f"{scenario.slug} / {profile.key} / {strategy}", result))
    return tuple(out)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_no_phrase_of_three_words_is_said_three_times_in_one_analogy(language):
    repeated = [(label, most_repeated_phrase(r.text)) for label, r in grid(language)
                if most_repeated_phrase(r.text)[1] >= 3]
    assert not repeated, repeated[:5]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_analogy_still_passes_the_checks_after_its_mentions_vary(language):
    failed = [(label, [k for k, ok in r.checks.items() if not ok]) for label, r in grid(language)
              if not all(r.checks.values())]
    assert not failed, failed[:5]


def test_no_clause_is_said_twice_and_no_sentence_starts_mid_word():
    """The stake clause once came out doubled: "...whether the other actor saw what you did at all. n the cast saw
    what you did at all." when a shortened mention cut the text before the bridge was put back."""
    for label, result in grid("en"):
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", result.text) if s]
        for before, after in zip(sentences, sentences[1:], strict=False):
            assert before.split()[-4:] != after.split()[-4:], (label, before, after)
        assert all(s[0].isupper() or s[0] in "\"“'‘" for s in sentences), label


def test_a_shortened_mention_before_the_bridge_leaves_the_bridge_and_the_stake_whole():
    bridge = "From the rehearsal room above the hall, turn to Lan: her work was credited to someone else."
    text = ("You and another actor in the cast had worked on it for weeks. Then another actor in the cast said, "
            "\"Let me write it up.\" It was about whether another actor in the cast saw what you did at all. " + bridge)
    refs = referents(["another actor in the cast"], ["the rehearsal room above the hall"], "en")
    out = vary(text, refs, "en", bridge)
    assert out.endswith(bridge)
    assert out.count("saw what you did at all") == 1
    assert out.count("another actor in the cast") == 1


@pytest.mark.parametrize("phrase", ["the coach", "the club's coach", "the one who hosts game night",
                                    "the new bass player", "another coach", "a close friend", "your best friend",
                                    "the singer who books the gigs", "the head route setter", "the teacher"])
def test_a_phrase_that_does_not_say_who_they_are_never_becomes_she_or_he(phrase):
    assert english_pronoun(phrase, "person") not in ("she", "he")


@pytest.mark.parametrize(("phrase", "pronoun"), [("the woman who runs the circle", "she"), ("your eldest aunt", "she"),
                                                 ("the man at the bar", "he"), ("the other coaches", "they"),
                                                 ("your own parents", "they")])
def test_a_phrase_that_says_so_may_be_she_he_or_they(phrase, pronoun):
    assert english_pronoun(phrase, "person") == pronoun


_GENDERED = re.compile(r"\b(?:" + "|".join(w for ws in lang_data("mentions.yaml", "en")["gender"].values()
                                           for w in ws) + r")\b", re.IGNORECASE)


def test_she_or_he_in_a_story_only_where_it_names_someone_whose_gender_it_says():
    """The engine's own stories (not a participant's retold memory, which is in their words) put she or he only
    after a phrase that says it; the bridge's she or he is the scenario's person's own pronoun."""
    for label, result in grid("en"):
        if result.source.kind == "own_experience":
            continue
        body = _QUOTED.sub("", result.text[: len(result.text) - len(result.bridge)])
        if re.search(r"\b(?:she|he|him|his)\b", body, re.IGNORECASE):
            assert _GENDERED.search(body), (label, body)


def test_the_woman_who_runs_the_circle_is_later_she_or_her_and_the_coach_never_is():
    stories = [r.text[: len(r.text) - len(r.bridge)] for _, r in grid("en") if r.source.kind == "domain"]
    circle = [t for t in stories if "the woman who runs the circle" in t]
    assert circle and any(re.search(r"\b(?:she|her)\b", t) for t in circle)
    coach = [t for t in stories if "the club's coach" in t and not _GENDERED.search(t)]
    assert coach and not any(re.search(r"\b(?:she|he|him|his)\b", _QUOTED.sub("", t)) for t in coach)


def test_korean_geubun_only_stands_for_someone_named_with_a_title():
    """그분 is said of a person named with an honorific title (감독님, 선생님) or of the scenario's person (씨)."""
    for label, result in grid("ko"):
        body = result.text[: len(result.text) - len(result.bridge)]
        if "그분" in body:
            assert re.search(r"님(?![\w])|님[이가은는을를과와의에도께]", body), (label, body)


def test_a_later_korean_mention_keeps_its_particle_in_agreement():
    refs = referents(["코치"], ["스튜디오"], "ko")
    out = vary("스튜디오에서 코치를 만났어요. 코치와 스튜디오를 나왔어요.", refs, "ko")
    assert out == "스튜디오에서 코치를 만났어요. 그 코치와 그곳을 나왔어요."  # 스튜디오를 -> 그곳을


def test_a_long_korean_phrase_is_later_its_head_noun():
    refs = referents(["공연을 잡아 오는 보컬", "다른 코치"], ["라이딩 중간에 쉬어 가는 편의점 앞"], "ko")
    forms = {r.phrase: r.forms for r in refs}
    assert forms["공연을 잡아 오는 보컬"][0] == "그 보컬"
    assert forms["다른 코치"][0] == "그 코치"
    assert forms["라이딩 중간에 쉬어 가는 편의점 앞"] == ("그 편의점 앞",)


def test_varying_mentions_is_deterministic():
    scenario = english_library()[0]
    for profile in load_sample_profiles(SAMPLE_PROFILES)[:4]:
        for strategy in eligible_strategies(scenario, profile.spec):
            texts = {generate_builtin(scenario, profile.spec, strategy=strategy).text for _ in range(2)}
            assert len(texts) == 1
