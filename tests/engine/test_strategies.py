"""Named strategies: which ones a participant's analogy can be written by, and writing by a chosen one."""

from __future__ import annotations

import pytest

from workshop.engine import EngineInputError, LLMConfig, ProfileSpec, eligible_strategies, generate

from .conftest import scenario


def test_a_participant_without_a_fitting_memory_has_strategies_per_life_domain_family_and_universal(scenarios):
    # Being left out by the people around you needs a group on the other side: no one-to-one scene is offered,
    # even to a quiet participant.
    profile = ProfileSpec(domains=["church choir", "sourdough baking", "gospel choir"], traits={"extraversion": 2})
    assert eligible_strategies(scenario(scenarios, "lunch-without-priya"), profile) == [
        "domain:faith:imagined:group", "domain:cooking_food:imagined:group",
        "domain:music_performing:imagined:group", "universal:none:imagined:group"]


def test_an_own_memory_that_clearly_fits_leaves_nothing_to_choose(scenarios, profiles):
    spec = scenario(scenarios, "lunch-without-priya")
    only = eligible_strategies(spec, profiles["maya"])
    assert len(only) == 1 and only[0].startswith("own_experience:") and only[0].split(":")[2] == "recalled"
    result = generate(spec, profiles["maya"], strategy=only[0])
    assert result.source.kind == "own_experience" and result.strategy == only[0]
    with pytest.raises(EngineInputError, match="strategy"):
        generate(spec, profiles["maya"], strategy="universal:none:imagined:group")


def test_the_generic_condition_has_one_strategy_and_it_is_the_same_for_everyone(scenarios, profiles):
    spec = scenario(scenarios, "the-rota")
    strategies = {tuple(eligible_strategies(spec, p, mode="generic")) for p in profiles.values()}
    assert strategies == {("universal:none:imagined:mixed",)}
    assert generate(spec, profiles["tomas"], mode="generic").strategy == "universal:none:imagined:mixed"


def test_every_eligible_strategy_to_choose_from_is_written_by_that_strategy_and_passes_the_checks(scenarios,
                                                                                               profiles):
    written = 0
    for spec in scenarios:
        for name, profile in profiles.items():
            strategies = eligible_strategies(spec, profile)
            for strategy in strategies if len(strategies) > 1 else []:
                result = generate(spec, profile, strategy=strategy)
                assert result.strategy == strategy, (spec.slug, name)
                kind, family = strategy.split(":")[:2]
                assert result.source.kind == kind and (result.source.domain or "none") == family
                assert all(result.checks.values()), (spec.slug, name, strategy)
                written += 1
    assert written > 2 * len(scenarios) * len(profiles) * 0.6


def test_a_fitting_memory_the_checks_refuse_gives_way_as_before(scenarios, profiles):
    # Grandchild's memory fits the outage scenario, but no analogy built on it passes the checks: the engine
    # writes from a domain instead, whether or not the memory's strategy was asked for.
    spec = scenario(scenarios, "blamed-for-the-outage")
    only = eligible_strategies(spec, profiles["grandchild"])
    assert only == ["own_experience:family_caregiving:recalled:group"]  # at a birthday, and "nobody asked me"
    asked = generate(spec, profiles["grandchild"], strategy=only[0])
    assert asked.strategy.startswith("domain:") and asked.text == generate(spec, profiles["grandchild"]).text


def test_writing_by_a_strategy_is_deterministic_and_the_default_is_unchanged(scenarios, profiles):
    spec = scenario(scenarios, "the-accent-joke")
    first, last = eligible_strategies(spec, profiles["tomas"])[0], eligible_strategies(spec, profiles["tomas"])[-1]
    assert generate(spec, profiles["tomas"], strategy=first).text == generate(spec, profiles["tomas"],
                                                                               strategy=first).text
    assert generate(spec, profiles["tomas"], strategy=first).text != generate(spec, profiles["tomas"],
                                                                               strategy=last).text
    assert generate(spec, profiles["tomas"]).strategy in eligible_strategies(spec, profiles["tomas"])


def test_another_variant_of_a_strategy_keeps_the_strategy(scenarios, profiles):
    # (a group scene: the bank has fewer one-to-one situations, so a third variant of one may leave its strategy,
    # and then says so in its name)
    spec = scenario(scenarios, "blamed-for-the-outage")
    strategy = next(s for s in eligible_strategies(spec, profiles["student"]) if s.endswith(":group"))
    texts = {generate(spec, profiles["student"], strategy=strategy, variant=v).text for v in (0, 1, 2)}
    assert len(texts) == 3
    assert {generate(spec, profiles["student"], strategy=strategy, variant=v).strategy for v in (0, 1, 2)} == {
        strategy}


def test_a_strategy_the_participant_cannot_have_is_refused(scenarios, profiles):
    spec = scenario(scenarios, "the-rota")
    with pytest.raises(EngineInputError, match="strategy"):
        generate(spec, profiles["tomas"], strategy="domain:team_sport:imagined:one_to_one")
    with pytest.raises(EngineInputError, match="LLM analogy"):  # a built-in strategy is not an LLM one
        generate(spec, profiles["tomas"], engine="openai", llm=LLMConfig(base_url="http://127.0.0.1:9/v1",
                                                                          model="m", api_key="k"),
                 strategy=eligible_strategies(spec, profiles["tomas"])[0])
