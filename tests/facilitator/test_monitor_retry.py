"""Retrying a failed analogy from the monitor: staff of the organization only, audit-logged."""

import pytest
from django.urls import reverse

from tests.facilitator.rooms import room
from workshop.participants.models import Analogy
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped


@pytest.fixture
def failed(workshop_a):
    (person,) = room(workshop_a, 1, prefix="Broken", analogy="failed")
    with unscoped():
        analogy = Analogy.objects.filter(participant=person).order_by("id").first()
        Analogy.objects.filter(pk=analogy.pk).update(error="RuntimeError: boom")
    return analogy


def _state(analogy) -> str:
    with unscoped():
        return Analogy.objects.get(pk=analogy.pk).state


def _retry(client, workshop, analogy):
    return client.post(reverse("facilitator:monitor_retry", args=[workshop.public_id]), {"analogy": analogy.pk})


@pytest.mark.parametrize("role", ["facilitator", "admin"])
def test_staff_put_a_failed_analogy_back_in_the_queue(client, org_a, workshop_a, failed, role):
    client.force_login(getattr(org_a, role))

    response = _retry(client, workshop_a, failed)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("facilitator:monitor", args=[workshop_a.public_id]))
    assert _state(failed) == "pending"
    with unscoped():
        event = AuditEvent.objects.get(action="analogy.retry")
    assert (event.actor, event.object_id) == (getattr(org_a, role), str(failed.pk))


def test_retrying_an_analogy_that_is_no_longer_failed_changes_nothing(client, org_a, workshop_a, failed):
    with unscoped():
        Analogy.objects.filter(pk=failed.pk).update(state="done")
    client.force_login(org_a.facilitator)

    _retry(client, workshop_a, failed)

    assert _state(failed) == "done"
    with unscoped():
        assert not AuditEvent.objects.filter(action="analogy.retry").exists()


@pytest.mark.parametrize("who", ["anonymous", "analyst", "org_b-admin", "org_b-facilitator"])
def test_retry_is_refused_to_anyone_else(client, org_a, org_b, workshop_a, failed, who):
    if who == "analyst":
        client.force_login(org_a.analyst)
    elif who.startswith("org_b"):
        client.force_login(getattr(org_b, who.split("-")[1]))

    response = _retry(client, workshop_a, failed)

    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
    assert _state(failed) == "failed"


def test_an_analogy_of_another_workshop_cannot_be_retried_through_this_one(client, org_a, workshop_a, failed):
    from tests import factories

    other = factories.open_workshop(org_a, title="Other session")
    client.force_login(org_a.facilitator)

    assert _retry(client, other, failed).status_code == 404
    assert _state(failed) == "failed"


def test_retry_only_answers_post(client, org_a, workshop_a, failed):
    client.force_login(org_a.facilitator)
    assert client.get(reverse("facilitator:monitor_retry", args=[workshop_a.public_id])).status_code == 405
