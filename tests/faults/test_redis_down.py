"""Redis stops while participants join: joins still succeed, nothing is lost, and once Redis is back the sweeper
finishes every analogy. The Redis killed here is a throwaway one; the shared Redis is never touched."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.conftest import wait_for
from tests.participants.test_flow import answer_profile
from tests.participants.test_join import join
from workshop.breaker import redis_breaker
from workshop.participants.models import Analogy, Participant
from workshop.participants.services import analogy_run
from workshop.participants.tasks import sweep_analogies
from workshop.tenancy.scope import organization_scope, unscoped

from .conftest import all_done, analogies_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def join_through_the_pages(workshop, name: str) -> Client:
    """A phone: the join form, the profile a page at a time, then the first scenario."""
    phone = Client()
    assert join(phone, workshop, name).status_code == 302
    finished = answer_profile(phone, workshop)
    assert finished.status_code == 302 and finished["Location"] == reverse("participants:scenario", args=[1])
    return phone


def health(client) -> tuple[int, dict]:
    response = client.get("/healthz")
    return response.status_code, response.json()


def test_joins_succeed_while_redis_is_down_and_the_sweeper_finishes_every_analogy(start_worker, own_broker, org_a):
    workshop = factories.open_workshop(org_a, scenarios=2)
    start_worker("steady", ANALOGY_PENDING_SECONDS="1")  # runs through the outage and reconnects after it
    join_through_the_pages(workshop, "Before")
    wait_for(lambda: all_done(workshop, 2), what="the analogies of the participant who joined before the outage")

    own_broker.kill()
    openings = redis_breaker.openings
    phones = [join_through_the_pages(workshop, name) for name in ("Ines", "Jon", "Kai")]
    # Each join tries Redis at most once (the rate limit's cache, or the queue): after a refusal the breaker
    # skips Redis for the rest of the join, and its second analogy does not wait on another failed connection.
    assert 1 <= redis_breaker.openings - openings <= len(phones)
    for phone in phones:
        page = phone.get(reverse("participants:scenario", args=[1]))
        assert page.status_code == 200 and "Before your analogy" in page.content.decode()
        status = phone.get(reverse("participants:analogy_status", args=[1])).json()
        assert status["state"] == "pending"
    with unscoped():
        assert Participant.objects.filter(workshop=workshop).count() == 4
        assert Analogy.objects.filter(participant__workshop=workshop, state="pending").count() == 6
    code, report = health(phones[0])
    assert code == 503 and report["broker"]["ok"] is False and report["database"]["ok"] is True

    own_broker.start()  # empty: whatever was queued before the crash is gone too
    wait_for(lambda: health(phones[0])[0] == 200, timeout=30, what="/healthz to see the broker again")
    # What beat does every 30 s: send the sweep. The worker runs it and re-sends every row left pending.
    sweep_analogies.delay()
    rows = wait_for(lambda: all_done(workshop, 8), what="the sweeper and the worker to finish every analogy")
    assert len(analogies_in(workshop)) == 8 and {a.version for a in rows} == {1}
    for phone in phones:
        assert phone.get(reverse("participants:analogy_status", args=[1])).json()["state"] == "done"


def test_llm_generation_goes_on_with_a_local_rate_limit_while_redis_is_down(own_broker, llm_workshop, llm_server):
    participant, _ = factories.joined_participant(llm_workshop, "Lia", domains=["climbing"])
    own_broker.kill()
    with unscoped():
        analogy = Analogy.objects.get(participant=participant)
    with organization_scope(llm_workshop.organization_id):
        assert analogy_run(analogy_id=analogy.id) == "done"
    analogy.refresh_from_db()
    assert analogy.engine == "openai" and analogy.fallback_reason == "", analogy.fallback_reason
    assert len(llm_server.chat_requests("analogy")) == 1
