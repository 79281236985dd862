"""Every analogy is built from this participant's own life, and only theirs."""

from __future__ import annotations

import itertools

from workshop.engine import ProfileSpec, ScenarioSpec, generate
from workshop.engine.checks import engine_vocabulary
from workshop.engine.textutil import word_count, words

from .conftest import ENGINE_PROSE, profile_words, scenario

PERSONAL = ["maya", "tomas", "aisha", "injector", "markup", "avoider", "grandchild", "student", "traveller"]


def distinctive(profiles: dict[str, ProfileSpec], name: str, spec: ScenarioSpec) -> set[str]:
    """This participant's words that no other test participant used and the scenario does not contain."""
    others = set().union(*(profile_words(p) for n, p in profiles.items() if n != name))
    told = words(f"{spec.narrative} {spec.perspective.name} {spec.perspective.role}")
    return profile_words(profiles[name]) - others - set(told)


def test_all_checks_pass_for_every_scenario_and_profile(scenarios, profiles):
    for spec, (name, profile) in itertools.product(scenarios, profiles.items()):
        result = generate(spec, profile)
        assert all(result.checks.values()), (spec.slug, name, result.checks)
        assert 80 <= word_count(result.text) <= 250
        assert len(result.mapping) >= 3
        assert result.text.endswith(result.bridge)
        assert spec.perspective.name in result.bridge


def test_every_analogy_uses_more_of_its_own_participants_words_than_anyone_elses(scenarios, profiles):
    for spec in scenarios:
        for name in PERSONAL:
            text = set(words(generate(spec, profiles[name]).text))
            own = len(text & distinctive(profiles, name, spec))
            assert own >= 1, (spec.slug, name)
            for other in profiles:
                # Another participant's word only counts when the engine would not write it itself
                # ("left", "hurt" are the engine's words too; "titration" never is).
                if other != name:
                    theirs = text & (distinctive(profiles, other, spec) - ENGINE_PROSE)
                    assert own > len(theirs), (spec.slug, name, other, theirs)


def test_no_other_participants_words_appear(scenarios, profiles):
    for spec in scenarios:
        for name, profile in profiles.items():
            text = set(words(generate(spec, profile).text))
            for other in profiles:
                if other != name:
                    foreign = distinctive(profiles, other, spec) - engine_vocabulary()
                    assert not text & foreign, (spec.slug, name, other, text & foreign)


def test_analogies_for_one_scenario_are_pairwise_distinct(scenarios, profiles):
    for spec in scenarios:
        texts = [generate(spec, profiles[name]).text for name in PERSONAL]
        assert len(set(texts)) == len(texts)
        bodies = [t.split(". ", 2)[1] for t in texts]  # the situation itself, not just the intro
        assert len(set(bodies)) >= len(texts) - 2, spec.slug


def test_no_target_feeling_is_named_and_the_lexicon_still_reads_them(scenarios, profiles):
    # The next page asks which feelings the person has: the analogy evokes them, it never hands them over.
    from workshop.engine.checks import MIN_EVOKED, evoked_similarity
    from workshop.engine.vocabulary import EMOTION_FORMS
    for spec in scenarios:
        for profile in profiles.values():
            result = generate(spec, profile)
            plain = set(words(result.text))
            for emotion in spec.emotions:
                assert not plain & set(EMOTION_FORMS[emotion.label]), (spec.slug, emotion.label)
            targets = tuple(result.emotions)
            assert evoked_similarity(result.text, targets) >= MIN_EVOKED, (spec.slug, profile.name)
            assert result.emotions == [e.label for e in sorted(spec.emotions, key=lambda e: -e.intensity)]


def test_it_builds_on_a_matching_memory(scenarios, profiles):
    result = generate(scenario(scenarios, "the-repeated-idea"), profiles["student"])
    assert result.source.kind == "own_experience"
    assert "titration" in result.text and "your analysis" in result.text
    assert "in the seminar you explained" in result.text.lower()  # retold in the second person
    assert {"professor", "seminar"} <= set(words(" ".join(p.analogy for p in result.mapping)))


def test_it_leaves_a_memory_that_does_not_match_for_the_participants_domain(scenarios, profiles):
    # Kofi's memory is about credit; a caregiving dilemma comes from his own domains instead.
    result = generate(scenario(scenarios, "torn-at-four"), profiles["student"])
    assert result.source.kind == "domain"
    assert result.source.domain in {"school_university", "community_volunteering"}
    assert "titration" not in result.text
    assert "chemistry lab" in result.text or "food bank" in result.text


def test_it_tells_a_domain_situation_with_the_participants_own_words(scenarios, profiles):
    result = generate(scenario(scenarios, "lunch-without-priya"), profiles["tomas"])
    assert result.source.kind == "domain"
    assert "your church choir" in result.text or "your sourdough baking" in result.text


def test_a_profile_with_nothing_personal_gets_a_universal_situation(scenarios, profiles):
    result = generate(scenario(scenarios, "lunch-without-priya"), profiles["blank"])
    assert result.source.kind == "universal"
    assert result.source.domain is None


def test_traits_shape_the_framing(scenarios):
    spec = scenario(scenarios, "the-repeated-idea")
    base = {"domains": ["amateur football"]}
    # Gentler for high neuroticism: one sentence of what it cost instead of two.
    gentle = generate(spec, ProfileSpec(**base, traits={"neuroticism": 7})).text
    direct = generate(spec, ProfileSpec(**base, traits={"neuroticism": 1})).text
    assert len(gentle.split(". ")) < len(direct.split(". "))
    # An imaginative participant is asked to picture it; a concrete one to think of it.
    imaginative = generate(spec, ProfileSpec(**base, traits={"openness": 7})).text
    concrete = generate(spec, ProfileSpec(**base, traits={"openness": 1})).text
    assert imaginative.startswith("Picture") and not concrete.startswith("Picture")


def test_values_shape_what_is_at_stake(scenarios):
    from workshop.engine.vocabulary import EVOKE
    spec = scenario(scenarios, "blamed-for-the-outage")  # the scenario's stake is fairness

    def own_line(text: str, stake: str) -> bool:
        return any(t.split("{")[0] in text for t in EVOKE["stake_own"][stake])

    fair = generate(spec, ProfileSpec(domains=["choir"], values=["universalism"]))
    caring = generate(spec, ProfileSpec(domains=["choir"], values=["benevolence"]))
    assert not any(own_line(fair.text, stake) for stake in EVOKE["stake_own"])  # fairness is already the stake
    assert own_line(caring.text, "care")
    assert any(p.analogy == "the people who count on you" for p in caring.mapping)


def test_it_does_not_force_a_memory_that_only_shares_a_topic(scenarios, profiles):
    # Maya's team-sheet memory is about being passed over: right for being left out, wrong for a
    # caregiving dilemma (which only implies "underestimated" through its topic tag).
    left_out = generate(scenario(scenarios, "lunch-without-priya"), profiles["maya"])
    assert left_out.source.kind == "own_experience"
    torn = generate(scenario(scenarios, "torn-at-four"), profiles["maya"])
    assert torn.source.kind == "domain" and "team sheet" not in torn.text
