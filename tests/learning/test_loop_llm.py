"""An LLM workshop adapts too: the loop chooses among the LLM's strategies (the built-in engine's sources and
scenes, framed "llm"), the model is asked for the chosen one, a fallback names the built-in strategy it was
written by, and the answers are credited to the strategy chosen."""

from __future__ import annotations

import pytest

from tests import factories
from tests.learning.rooms import DOMAINS, answer, assignment_of, write
from workshop.engine import ProfileSpec, ScenarioSpec, eligible_strategies
from workshop.engine.llm import builtin_strategy, llm_eligible_strategies
from workshop.learning.labels import strategy_label
from workshop.learning.models import StrategyStats
from workshop.learning.services import loop_pause
from workshop.tenancy.models import Organization
from workshop.tenancy.scope import organization_scope, unscoped
from workshop.workshops.models import Workshop

pytestmark = pytest.mark.django_db

# Fits the first built-in scenario (assumed too old for the new scanners) clearly: being underestimated.
FITTING_MEMORY = ("At the club they assumed I was too old to learn the new scoring app and gave the job to a "
                  "younger volunteer without asking me.")


@pytest.fixture
def llm_workshop(org_a, llm_server):
    return factories.open_llm_workshop(org_a, llm_server, scenarios=2)


def offered(analogy, domains=DOMAINS, memory: str = "") -> list[str]:
    spec = ScenarioSpec.model_validate(analogy.scenario.to_spec_dict("en"))
    return llm_eligible_strategies(spec, ProfileSpec(domains=domains, experiences=[{"text": memory}] if memory
                                                     else []))


def task_of(llm_server, scenario_title: str) -> str:
    """The task line of the analogy request for this scenario."""
    for request in llm_server.chat_requests("analogy"):
        user = next(m["content"] for m in request.messages if m["role"] == "user" and "<task>" in m["content"])
        if scenario_title in user:
            return user[user.index("<task>"):user.index("</task>")]
    raise AssertionError(f"no analogy request for {scenario_title!r}")


def test_an_llm_workshops_analogies_are_chosen_among_the_llm_strategies_with_their_probability(llm_workshop,
                                                                                                llm_server):
    participant, _ = factories.joined_participant(llm_workshop, "Tomas", domains=DOMAINS)
    for analogy in write(participant):
        chosen = assignment_of(analogy)
        assert chosen is not None and chosen.mode == "adaptive" and chosen.eligible >= 3
        assert sorted(chosen.probabilities) == sorted(offered(analogy))
        assert all(name.split(":")[2] == "llm" for name in chosen.probabilities)
        assert sum(chosen.probabilities.values()) == pytest.approx(1.0)
        assert 0 < analogy.assignment_probability < 1
        assert analogy.assignment_probability == chosen.probability == chosen.probabilities[chosen.strategy]
        # The model followed the task, so the row names the strategy chosen.
        assert analogy.engine == "openai" and analogy.fallback_reason == ""
        assert analogy.strategy == chosen.strategy
        # The prompt asked for that source and that scene, in words.
        task = task_of(llm_server, analogy.scenario.title)
        kind, family, _, audience = chosen.strategy.split(":")
        if kind == "domain":
            named = {"faith": '["church choir"]', "cooking_food": '["sourdough baking"]'}[family]
            assert named in task
        else:
            assert "universal situation" in task and "choir" not in task and "sourdough" not in task
        assert {"group": "group scene", "one_to_one": "one-to-one scene"}[audience] in task


def test_a_paused_loop_assigns_the_llm_strategies_uniformly(llm_workshop, org_a):
    with organization_scope(org_a.org.id):
        loop_pause(organization_id=org_a.org.id, actor=org_a.admin, paused=True)
    participant, _ = factories.joined_participant(llm_workshop, "Paula", domains=DOMAINS)
    for analogy in write(participant):
        chosen = assignment_of(analogy)
        assert chosen.mode == "paused" and sorted(chosen.probabilities) == sorted(offered(analogy))
        assert chosen.eligible >= 3 and analogy.assignment_probability == pytest.approx(1 / chosen.eligible)
        assert set(chosen.probabilities.values()) == {1 / chosen.eligible}
        assert analogy.strategy == chosen.strategy and ":llm:" in analogy.strategy


def test_an_own_memory_that_fits_is_the_one_llm_strategy_with_probability_one(org_a, llm_server):
    with unscoped():
        Organization.objects.filter(pk=org_a.org.pk).update(llm_base_url=llm_server.base_url, llm_model="fake-model")
        workshop = factories.open_workshop(org_a, scenarios=1)
        Workshop.objects.filter(pk=workshop.pk).update(engine="openai")
    participant, _ = factories.joined_participant(workshop, "Helen", domains=["cycling club"],
                                                  memory=FITTING_MEMORY)
    [analogy] = write(participant)
    assert offered(analogy, ["cycling club"], FITTING_MEMORY) == [analogy.strategy]
    assert analogy.strategy.startswith("own_experience:") and analogy.strategy.split(":")[2] == "llm"
    assert analogy.engine == "openai" and analogy.assignment_probability == 1.0
    assert assignment_of(analogy).mode == "only"
    assert "own memory number 1 of participant_data.memories" in task_of(llm_server, analogy.scenario.title)


def test_a_fallback_names_the_built_in_strategy_it_was_written_by_and_the_chosen_one_learns(llm_workshop,
                                                                                             llm_server, org_a):
    llm_server.push(*["garbage"] * 4, target="analogy")  # both analogies: invalid, and invalid after repair
    participant, _ = factories.joined_participant(llm_workshop, "Dee", domains=DOMAINS)
    for analogy in write(participant):
        chosen = assignment_of(analogy)
        assert analogy.engine == "builtin" and "output_json" in analogy.fallback_reason
        assert ":llm:" in chosen.strategy
        assert analogy.strategy == builtin_strategy(chosen.strategy)  # same source and scene, built-in
        spec = ScenarioSpec.model_validate(analogy.scenario.to_spec_dict("en"))
        assert analogy.strategy in eligible_strategies(spec, ProfileSpec(domains=DOMAINS))
        assert analogy.assignment_probability == chosen.probability
        answer(participant, analogy.scenario, resonance=5)
        # Intention to treat: the outcome counts for the strategy chosen, not for the one that wrote it.
        with unscoped():
            stats = {s.strategy: s.resonance_hits for s in StrategyStats.objects.filter(organization=org_a.org)}
        assert stats.get(chosen.strategy, 0) >= 1 and analogy.strategy not in stats


def test_the_loop_page_tells_an_llm_strategy_from_its_built_in_counterpart():
    llm, builtin = "domain:faith:llm:one_to_one", "domain:faith:imagined:one_to_one"
    assert strategy_label(llm) == "Their own life domain (faith community), written by the LLM, a one-to-one scene"
    assert strategy_label(builtin) != strategy_label(llm)
    assert strategy_label("domain:faith:llm") == "Their own life domain (faith community), written by the LLM"
