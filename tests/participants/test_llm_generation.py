"""Workshops that use an LLM: the real worker calls a local OpenAI-compatible server through the SDK."""

import pytest

from tests import factories
from tests.conftest import wait_for
from workshop.engine.llm import builtin_strategy
from workshop.learning.models import StrategyAssignment
from workshop.participants.models import Analogy
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


@pytest.fixture
def llm_workshop(org_a, llm_server):
    return factories.open_llm_workshop(org_a, llm_server, scenarios=1)


def done_analogies(participants):
    with unscoped():
        rows = list(Analogy.objects.filter(participant__in=participants, is_current=True))
    return rows if rows and all(a.state == "done" for a in rows) else None


def test_the_worker_writes_analogies_with_the_llm_and_records_usage(celery_worker, llm_workshop, llm_server):
    people = [factories.joined_participant(llm_workshop, name, domains=[domain])[0]
              for name, domain in [("Ada", "sailing"), ("Bo", "pottery"), ("Cy", "chess club")]]
    rows = wait_for(lambda: done_analogies(people), what="LLM analogies")
    for analogy in rows:
        assert analogy.engine == "openai" and analogy.fallback_reason == ""
        assert analogy.tokens_in > 0 and analogy.tokens_out > 0 and analogy.latency_ms > 0
        assert len(analogy.mapping) >= 3
    assert len(llm_server.chat_requests("analysis")) == 1, "the scenario is analysed once for everyone"
    assert len(llm_server.chat_requests("analogy")) == 3
    last_message = llm_server.chat_requests("analogy")[0].body["messages"][-1]["content"]
    assert last_message.rstrip().endswith("</participant_data>")


def test_when_the_llm_keeps_failing_the_built_in_engine_answers_and_says_why(celery_worker, llm_workshop,
                                                                               llm_server):
    llm_server.random_faults(1.0, seed=1, fault="status_500")
    participant, _ = factories.joined_participant(llm_workshop, "Dee", domains=["gardening"])
    [analogy] = wait_for(lambda: done_analogies([participant]), timeout=120, what="the fallback analogy")
    assert analogy.engine == "builtin"
    assert "500" in analogy.fallback_reason
    # The built-in engine writes from the source the loop chose for the LLM: her garden, or a universal situation.
    with unscoped():
        chosen = StrategyAssignment.objects.get(analogy=analogy).strategy
    assert analogy.strategy == builtin_strategy(chosen)
    assert chosen.startswith("universal:") or "garden" in analogy.text.lower()


def test_a_workshop_set_to_the_llm_without_an_endpoint_still_gets_analogies(celery_worker, org_a):
    with unscoped():
        workshop = factories.open_workshop(org_a, scenarios=1)
        Workshop.objects.filter(pk=workshop.pk).update(engine="openai")
    participant, _ = factories.joined_participant(workshop, "Eli", domains=["jazz"])
    [analogy] = wait_for(lambda: done_analogies([participant]), what="the analogy")
    assert analogy.engine == "builtin" and "no LLM endpoint" in analogy.fallback_reason


def test_the_comparison_condition_gets_one_identical_generic_analogy_even_with_an_llm(celery_worker, llm_workshop,
                                                                                      llm_server):
    with unscoped():
        Workshop.objects.filter(pk=llm_workshop.pk).update(generic_share=1.0)
        llm_workshop.refresh_from_db()
    people = [factories.joined_participant(llm_workshop, name, domains=[domain])[0]
              for name, domain in [("Fay", "surfing"), ("Gus", "opera")]]
    rows = wait_for(lambda: done_analogies(people), what="generic analogies")
    assert {a.condition for a in rows} == {"generic"}
    assert rows[0].text == rows[1].text
    assert "surf" not in rows[0].text.lower() and "opera" not in rows[0].text.lower()
    assert llm_server.chat_requests("analogy") == []
