"""A worker killed with `kill -9` in the middle of generation: every analogy is still done, exactly once."""

import pytest

from tests import factories
from tests.conftest import wait_for
from workshop.participants.models import Analogy
from workshop.participants.tasks import sweep_analogies
from workshop.tenancy.scope import unscoped

from .conftest import all_done, analogies_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

PEOPLE = [("Ada", "sailing"), ("Bo", "pottery"), ("Cy", "chess club"), ("Di", "choir"), ("Ed", "rowing"),
          ("Flo", "baking")]


def running_ids(workshop) -> set[int]:
    with unscoped():
        return set(Analogy.objects.filter(participant__workshop=workshop, state="running").values_list("id", flat=True))


def test_a_worker_killed_mid_generation_loses_nothing_and_redoes_only_what_it_was_writing(
        start_worker, llm_workshop, llm_server, settings):
    llm_server.hold("analogy")  # the first worker's calls stay open: it dies mid-call
    doomed = start_worker("doomed")
    for name, domain in PEOPLE:
        factories.joined_participant(llm_workshop, name, domains=[domain])
    wait_for(lambda: len(llm_server.chat_requests("analogy")) == 2 and len(running_ids(llm_workshop)) == 2,
             what="both of the worker's processes to be waiting on the LLM")

    doomed.kill()
    killed = running_ids(llm_workshop)
    calls_before = len(llm_server.chat_requests("analogy"))
    llm_server.release()
    assert len(killed) == 2 and calls_before == 2

    # Beat's sweep, once the killed rows are past the 'stuck' deadline: they go back to the queue, and the rows
    # still queued are sent once more (duplicates, which the claim must absorb).
    settings.ANALOGY_STUCK_SECONDS = 1
    settings.ANALOGY_PENDING_SECONDS = 0
    wait_for(lambda: sweep_analogies.apply().get() == len(PEOPLE), timeout=30, interval=0.5,
             what="the sweep to take back the killed worker's rows")
    start_worker("survivor")

    rows = wait_for(lambda: all_done(llm_workshop, len(PEOPLE)), what="every analogy written")
    assert len(analogies_in(llm_workshop)) == len(PEOPLE), "no participant got a second version"
    assert sorted(a.participant.pseudonym for a in rows) == sorted(name for name, _ in PEOPLE)
    for analogy in rows:
        assert analogy.version == 1 and analogy.engine == "openai" and analogy.fallback_reason == ""
        assert analogy.attempts == (2 if analogy.id in killed else 1), analogy
    # Exactly one more LLM call per killed generation, none for the duplicate messages.
    assert len(llm_server.chat_requests("analogy")) == len(PEOPLE) + len(killed)
