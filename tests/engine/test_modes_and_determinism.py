"""Same input, same analogy; generic mode is the same for everyone; engines and speed."""

from __future__ import annotations

import pytest

from workshop.engine import EngineInputError, ProfileSpec, ScenarioSpec, generate

from .conftest import scenario


def test_the_same_input_gives_the_same_analogy(raw_scenarios, raw_profiles):
    for name, raw in raw_profiles.items():
        first = generate(ScenarioSpec.model_validate(raw_scenarios[1]), ProfileSpec.model_validate(raw))
        again = generate(ScenarioSpec.model_validate(raw_scenarios[1]), ProfileSpec.model_validate(raw))
        assert first.model_dump(exclude={"usage"}) == again.model_dump(exclude={"usage"}), name


def test_a_small_profile_change_can_change_the_analogy(scenarios):
    spec = scenario(scenarios, "blamed-for-the-outage")
    texts = {generate(spec, ProfileSpec(domains=["choir"], traits={"openness": o})).text for o in (1, 4, 7)}
    assert len(texts) == 3


def test_generic_mode_gives_everyone_the_same_universal_analogy(scenarios, profiles):
    # Sam and Rui avoid school and family, which can rule out the shared situation (see below).
    for spec in scenarios:
        everyone = [p for n, p in profiles.items() if n not in ("avoider", "traveller")]
        results = [generate(spec, p, mode="generic") for p in everyone]
        assert len({r.text for r in results}) == 1, spec.slug
        assert all(r.source.kind == "universal" and r.source.domain is None for r in results)
        assert all(r.mode == "generic" and all(r.checks.values()) for r in results)


def test_generic_mode_uses_no_profile_words(scenarios, profiles):
    spec = scenario(scenarios, "the-accent-joke")
    text = generate(spec, profiles["maya"], mode="generic").text
    assert "football" not in text and "coach" not in text
    assert text != generate(spec, profiles["maya"]).text


def test_generic_mode_still_respects_what_a_participant_avoids(scenarios, profiles):
    for spec in scenarios:
        for name in ("avoider", "traveller"):
            result = generate(spec, profiles[name], mode="generic")
            assert result.source.kind == "universal"
            assert result.checks["no_avoided_topic"], (spec.slug, name)
    spec = scenario(scenarios, "the-repeated-idea")
    shared = generate(spec, ProfileSpec(), mode="generic")
    assert "friend" in shared.text
    other = generate(spec, ProfileSpec(avoid=["friends"]), mode="generic")
    assert other.text != shared.text and "friend" not in other.text and all(other.checks.values())


def test_the_builtin_result_reports_usage_and_engine(scenarios, profiles):
    result = generate(scenarios[0], profiles["maya"])
    assert result.engine == "builtin" and result.mode == "personalized"
    assert (result.usage.tokens_in, result.usage.tokens_out, result.usage.cached_tokens) == (0, 0, 0)
    assert result.usage.latency_ms >= 0
    assert result.fallback_reason is None
    assert set(result.checks) == {"length", "emotions_carried", "no_target_label", "no_avoided_topic",
                                  "no_instruction_following", "readable_language", "own_text_only"}


def test_the_openai_engine_refuses_to_run_without_an_llm_config(scenarios, profiles):
    with pytest.raises(EngineInputError, match="llm"):
        generate(scenarios[0], profiles["maya"], engine="openai")


def test_it_refuses_an_unknown_engine_or_mode(scenarios, profiles):
    with pytest.raises(EngineInputError, match="engine"):
        generate(scenarios[0], profiles["maya"], engine="magic")
    with pytest.raises(EngineInputError, match="mode"):
        generate(scenarios[0], profiles["maya"], mode="random")


def test_another_variant_is_a_different_analogy_and_is_itself_deterministic(scenarios, profiles):
    from workshop.engine import generate

    for spec in scenarios:
        for profile in profiles.values():
            first = generate(spec, profile)
            second = generate(spec, profile, variant=1)
            assert generate(spec, profile, variant=0).text == first.text
            assert second.text != first.text, (spec.slug, profile.name)
            assert generate(spec, profile, variant=1).text == second.text
            assert all(second.checks.values()), (spec.slug, profile.name, second.checks)


def test_a_variant_out_of_range_is_refused(scenarios, profiles):
    import pytest

    from workshop.engine import EngineInputError, generate

    with pytest.raises(EngineInputError, match="variant"):
        generate(scenarios[0], next(iter(profiles.values())), variant=-1)
