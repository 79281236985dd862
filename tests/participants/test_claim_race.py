"""Two deliveries of one analogy task at the same time (a duplicate message, the sweeper's re-enqueue while
the first worker is still writing): exactly one generation. The second delivery arrives, deterministically,
while the first is inside the engine, so the test does not depend on a live worker's timing."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests import factories
from workshop.participants import services
from workshop.participants.models import Analogy
from workshop.participants.tasks import analogy_generate
from workshop.tenancy.scope import unscoped

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 30  # seconds; only reached if the test is broken


@pytest.fixture
def analogy(org_a, monkeypatch):
    """One pending analogy, with nothing sent to a broker (no worker of another test may take it)."""
    monkeypatch.setattr(services, "analogy_enqueue", lambda analogy: True)
    workshop = factories.open_workshop(org_a, scenarios=1)
    participant, _ = factories.joined_participant(workshop, "Twice", domains=["rowing"])
    with unscoped():
        return Analogy.objects.get(participant=participant, is_current=True)


@pytest.fixture
def engine(monkeypatch):
    """The real engine, counted; the first call holds until the test lets it go."""
    real = services.generate
    state = {"calls": 0, "inside": threading.Event(), "go_on": threading.Event()}

    def counted(*args, **kwargs):
        state["calls"] += 1
        if state["calls"] == 1:
            state["inside"].set()
            assert state["go_on"].wait(WAIT), "the test never let the first delivery finish"
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "generate", counted)
    return state


def deliver(analogy: Analogy, task_id: str) -> str:
    """One delivery of the task, as a worker runs it: the task id is its claim."""
    return analogy_generate.apply(kwargs={"analogy_id": analogy.id, "organization_id": analogy.organization_id},
                                  task_id=task_id).get()


def in_thread(target) -> tuple[threading.Thread, list]:
    outcome: list = []

    def run():
        try:
            outcome.append(target())
        except BaseException as exc:  # reported by the test, not lost in the thread
            outcome.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_a_second_delivery_while_the_first_is_writing_generates_nothing(analogy, engine):
    first, first_outcome = in_thread(lambda: deliver(analogy, "delivery-one"))
    assert engine["inside"].wait(WAIT), "the first delivery never reached the engine"
    with unscoped():
        assert Analogy.objects.get(pk=analogy.pk).state == Analogy.State.RUNNING

    second = deliver(analogy, "delivery-two")  # the row is running under the first delivery's claim
    engine["go_on"].set()
    first.join(WAIT)

    assert (first_outcome, second) == (["done"], "skipped")
    assert engine["calls"] == 1
    with unscoped():
        row = Analogy.objects.get(pk=analogy.pk)
    assert (row.state, row.attempts, row.claim) == (Analogy.State.DONE, 1, "deliveryone")
    assert row.text


def test_the_two_deliveries_in_two_threads_give_one_generation(analogy, engine):
    first, first_outcome = in_thread(lambda: deliver(analogy, "delivery-one"))
    assert engine["inside"].wait(WAIT)
    second, second_outcome = in_thread(lambda: deliver(analogy, "delivery-two"))
    second.join(WAIT)
    engine["go_on"].set()
    first.join(WAIT)

    assert (first_outcome, second_outcome) == (["done"], ["skipped"])
    assert engine["calls"] == 1


def test_a_retry_of_the_same_delivery_takes_its_own_running_row_back(analogy, engine):
    """The claim is the task id: after a dropped connection, the same task's retry continues the work."""
    engine["go_on"].set()
    with unscoped():
        Analogy.objects.filter(pk=analogy.pk).update(state=Analogy.State.RUNNING, claim="deliveryone")

    assert deliver(analogy, "delivery-two") == "skipped"
    assert deliver(analogy, "delivery-one") == "done"
    assert engine["calls"] == 1
