"""Analogies are generated ahead and in the order people need them: the first one is queued as soon as the
profile is complete (while the participant reads the first scenario), each later one when the one before it is
written, so in a burst everyone's first analogy comes before anyone's second (issue 15)."""

import pytest

from tests import factories
from workshop.participants.models import Analogy
from workshop.participants.services import analogy_run
from workshop.tenancy.scope import organization_scope, unscoped


@pytest.fixture
def sent(monkeypatch):
    queued: list[int] = []
    monkeypatch.setattr("workshop.participants.services.analogy_enqueue",
                        lambda analogy: queued.append(analogy.id) or True)
    return queued


@pytest.fixture
def join(django_capture_on_commit_callbacks):
    """A participant who joins and completes the profile, with what is sent on commit sent."""
    def joined(workshop, name: str):
        with django_capture_on_commit_callbacks(execute=True):
            return factories.joined_participant(workshop, name)[0]
    return joined


def _analogies(participant) -> list[Analogy]:
    with unscoped():
        return list(Analogy.objects.filter(participant=participant).order_by("id"))


def test_the_profile_queues_only_the_first_scenarios_analogy(org_a, sent, join):
    workshop = factories.open_workshop(org_a, scenarios=3)
    participant = join(workshop, "Robin")

    first, second, third = _analogies(participant)
    assert sent == [first.id]
    assert {second.state, third.state} == {"pending"}  # written as rows all the same: the sweeper has them


def test_each_written_analogy_queues_the_next_one(org_a, sent, join):
    workshop = factories.open_workshop(org_a, scenarios=3)
    participant = join(workshop, "Robin")
    first, second, third = _analogies(participant)

    with organization_scope(org_a.org.id):
        assert analogy_run(analogy_id=first.id) == "done"
        assert sent == [first.id, second.id]
        assert analogy_run(analogy_id=second.id) == "done"
        assert analogy_run(analogy_id=third.id) == "done"
    assert sent == [first.id, second.id, third.id]


def test_a_failed_analogy_still_queues_the_next_one(org_a, sent, join, monkeypatch):
    workshop = factories.open_workshop(org_a, scenarios=2)
    participant = join(workshop, "Robin")
    first, second = _analogies(participant)
    monkeypatch.setattr("workshop.participants.services._generate",
                        lambda *args, **kwargs: (_ for _ in ()).throw(RuntimeError("the engine broke")))

    with organization_scope(org_a.org.id):
        assert analogy_run(analogy_id=first.id) == "failed"

    assert sent == [first.id, second.id]


def test_the_rooms_first_analogies_are_queued_before_anyones_second(org_a, sent, join):
    workshop = factories.open_workshop(org_a, scenarios=2, capacity=10)
    people = [join(workshop, f"P{i}") for i in range(4)]

    firsts = [_analogies(p)[0].id for p in people]
    assert sent == firsts
