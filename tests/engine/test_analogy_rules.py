"""The rules issue 12 names, as properties over a varied set of our own participants and scenarios (the built-in
library plus scenarios tagged in a facilitator's own words): one story in the participant's world, their own
memory where it fits, avoid requests by topic, no feeling named, no stock sentences, pronouns, mapping."""

from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path

import pytest
import yaml

from workshop.engine import ProfileSpec, ScenarioSpec, generate
from workshop.engine.models import parse_scenario
from workshop.engine.samples import (
    build_samples,
    load_sample_profiles,
    max_pair_similarity,
    measures,
    stock_sentences,
)
from workshop.engine.textutil import words

from .conftest import FIXTURES

LIBRARY = Path(__file__).resolve().parents[2] / "workshop" / "scenarios" / "library"
SPEC_KEYS = ("slug", "title", "narrative", "perspective", "emotions", "themes", "discussion_prompts")


def library_scenarios() -> list[ScenarioSpec]:
    out = []
    for path in sorted(LIBRARY.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("language", "en") != "en":
            continue  # Korean-first: the Korean tests cover it
        spec = {k: data[k] for k in SPEC_KEYS if k in data}
        spec["perspective"] = {k: v for k, v in data["perspective"].items() if k in ("name", "role", "pronouns")}
        out.append(parse_scenario(spec))
    return out


def unseen_scenarios() -> list[ScenarioSpec]:
    return [parse_scenario(d) for d in yaml.safe_load((FIXTURES / "unseen_scenarios.yaml").read_text())]


@cache
def all_samples():
    return build_samples(library_scenarios() + unseen_scenarios(), load_sample_profiles())


@cache
def judge_sized_samples():
    """8 varied participants x 6 scenarios, the size of set the issue's stock-sentence rule is written for."""
    profiles = [p for p in load_sample_profiles() if p.key != "mallory"][:8]
    scenarios = unseen_scenarios() + [s for s in library_scenarios()
                                      if s.slug in ("lunch-plans-in-the-side-channel", "blamed-for-the-empty-aisle")]
    return build_samples(scenarios, profiles)


def test_free_text_themes_are_read_and_never_refused():
    for spec in unseen_scenarios():
        result = generate(spec, ProfileSpec(domains=["choir"]))
        assert result.structure["relational_themes"], spec.slug
        assert all(result.checks.values()), (spec.slug, result.checks)


def test_every_check_passes_on_every_sample():
    failing = [(s.scenario.slug, s.profile.key, k) for s in all_samples()
               for k, ok in s.result.checks.items() if not ok]
    assert failing == []


def test_the_own_memory_is_used_wherever_it_clearly_fits():
    expected = [s for s in all_samples() if s.memory_expected]
    assert len(expected) >= 30
    missed = [(s.scenario.slug, s.profile.key) for s in expected if not s.memory_used]
    assert len(missed) <= len(expected) // 10, missed  # our own reading of "fits" is generous


def test_a_memory_that_shares_the_structure_beats_a_bank_situation_even_without_cue_words():
    spec = next(s for s in unseen_scenarios() if s.slug == "remote-colleague-missed-the-decision")
    memory = "My old band went to the festival without me, and I only saw it on Instagram the next day."
    result = generate(spec, ProfileSpec(domains=["choir"], experiences=[{"text": memory}]))
    assert result.source.kind == "own_experience"
    assert "went to the festival without you" in result.text


def test_the_participants_own_account_of_a_memory_decides_when_the_words_do_not():
    spec = next(s for s in unseen_scenarios() if s.slug == "not-put-forward-for-the-training")
    memory = {"text": "At the allotment show last year the judges walked straight past my marrows."}
    plain = generate(spec, ProfileSpec(domains=["choir"], experiences=[memory]))
    tagged = generate(spec, ProfileSpec(domains=["choir"], experiences=[{**memory, "events": ["underestimated"]}]))
    assert plain.source.kind == "domain"
    assert tagged.source.kind == "own_experience"


def test_no_avoid_request_is_broken_not_even_by_a_memory_that_touches_the_topic():
    assert [(s.scenario.slug, s.profile.key) for s in all_samples() if s.avoid_broken] == []
    helen = [s for s in all_samples() if s.profile.key == "helen"]
    for sample in helen:  # she avoids her father's illness; her first memory is about his hospital stay
        assert "wedding meetings" not in sample.result.text
        assert not {"hospital", "dad", "father"} & set(words(sample.result.text))


@pytest.mark.parametrize("avoid, word", [("my father's illness", "hospital"), ("my father's illness", "dad"),
                                         ("my father's illness", "diagnosis"), ("my father's illness", "chemo"),
                                         ("Mum's treatment", "surgery"), ("pregnancy", "miscarriage"),
                                         ("dogs", "puppy"), ("church", "prayer"), ("money", "rent")])
def test_an_avoid_request_covers_the_topics_neighbourhood(avoid, word):
    from workshop.engine.vocabulary import avoid_patterns, mentions_avoided
    assert mentions_avoided(f"It was about the {word} again.", avoid_patterns((avoid,)))


def test_no_analogy_names_a_target_feeling_or_its_word_forms():
    assert [(s.scenario.slug, s.profile.key, s.label_named) for s in all_samples() if s.label_named] == []


def test_a_memory_that_names_its_feeling_is_retold_without_the_name():
    spec = next(s for s in library_scenarios() if s.slug == "lunch-plans-in-the-side-channel")
    memory = "My cousins went to the beach without me and I felt so lonely and hurt."
    result = generate(spec, ProfileSpec(experiences=[{"text": memory}]))
    assert result.source.kind == "own_experience"
    assert "went to the beach without you" in result.text
    assert not {"lonely", "hurt"} & set(words(result.text))


def test_the_lexicon_still_reads_the_target_feelings():
    m = measures(list(all_samples()))
    assert m["evoked_median"] >= 0.8
    assert m["evoked_min"] >= 0.6


def test_at_most_one_sentence_in_ten_is_stock():
    share, common = stock_sentences([s.result.text for s in judge_sized_samples()])
    assert share <= 0.10, common[:5]


def test_no_two_participants_analogies_are_alike():
    similarity, pair = max_pair_similarity(list(judge_sized_samples()))
    assert similarity <= 0.5, pair


def test_every_analogy_is_personal_and_carries_no_one_elses_words():
    for sample in all_samples():
        assert sample.own_words > 0, (sample.scenario.slug, sample.profile.key)
        assert not sample.foreign_words, (sample.scenario.slug, sample.profile.key, sample.foreign_words)


def test_no_injection_is_obeyed():
    assert [(s.scenario.slug, s.profile.key) for s in all_samples() if s.injection_obeyed] == []
    mallory = [s for s in all_samples() if s.profile.key == "mallory"]
    assert all(s.result.source.kind != "own_experience" for s in mallory)


@pytest.mark.parametrize("domain, wrong, right", [
    ("I coach my son's under-9 football team", ["your teammates", "a teammate"], "coach"),
    ("playing guitar in a pub band", ["conductor", "spring concert", "choir"], "band"),
    ("salsa dancing", ["athlete", "changing room", "trainer"], "danc"),
])
def test_the_participant_keeps_their_own_role_in_their_own_world(domain, wrong, right):
    for spec in library_scenarios():
        result = generate(spec, ProfileSpec(domains=[domain]))
        assert result.source.kind == "domain"
        low = result.text.lower()
        assert right in low, (spec.slug, result.text)
        assert not [w for w in wrong if w in low], (spec.slug, result.text)


def test_a_memory_is_retold_in_correct_second_person_grammar():
    spec = next(s for s in unseen_scenarios() if s.slug == "the-name-nobody-learned")
    memory = "When we moved to Leeds when I was 14, nobody at my new school talked to me and I was the odd one out."
    text = generate(spec, ProfileSpec(experiences=[{"text": memory}])).text
    assert "when you moved to Leeds when you were 14, nobody at your new school talked to you" in text
    for broken in ("you was", "your coaching your", " I ", " me ", " my ", "When we"):
        assert broken not in text


def test_the_scenario_person_gets_the_pronouns_their_narrative_uses():
    by_slug = {s.scenario.slug: s for s in all_samples() if s.profile.key == "tom"}
    assert by_slug["not-put-forward-for-the-training"].result.structure["pronouns"] == "he"
    assert by_slug["asked-to-take-the-notes-again"].result.structure["pronouns"] == "she"
    lan = by_slug["the-name-nobody-learned"].result
    assert lan.structure["pronouns"] == "they"
    assert " they " in lan.bridge and " she " not in lan.bridge and " he " not in lan.bridge


def test_mapping_pairs_carry_meaning():
    for sample in all_samples():
        result = sample.result
        assert len(result.mapping) >= 3
        for pair in result.mapping:
            assert pair.scenario.strip().lower() != pair.analogy.strip().lower(), (sample.scenario.slug, pair)
        # the first pair is the person, the second whoever caused it on each side
        assert result.mapping[0].scenario.startswith(sample.scenario.perspective.name)
        assert result.mapping[0].analogy.startswith("you")
        causer = {w for w in words(result.mapping[1].analogy) if len(w) > 3} - {"your", "people", "there"}
        assert causer <= set(words(result.text)), (sample.scenario.slug, result.mapping[1].analogy)
        # feelings are never in the mapping: it is shown before the "after" answers
        assert not any(label in words(p.analogy + " " + p.scenario) for p in result.mapping
                       for label in result.emotions)


def test_analogies_for_one_participant_differ_across_scenarios():
    for profile in load_sample_profiles():
        texts = [s.result.text for s in all_samples() if s.profile.key == profile.key]
        for a, b in itertools.combinations(texts, 2):
            assert a != b
