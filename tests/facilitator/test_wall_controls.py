"""Hiding one reflection and revealing or hiding the whole wall: staff only, POST only, audit-logged."""

import pytest
from django.urls import reverse

from tests import factories
from tests.facilitator.rooms import room
from workshop.participants.models import Response
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop


@pytest.fixture
def shared(org_a, workshop_a):
    """Three people shared a reflection: with k = 3 they are on the wall (it fills in batches of k)."""
    with unscoped():
        org_a.org.anonymity_k = 3
        org_a.org.save(update_fields=["anonymity_k"])
    room(workshop_a, 3, before=True, after=True, reflection="It reminded me of my first job", share=True)
    with unscoped():
        return Response.objects.order_by("id").first()


def _wall(client, workshop, **data):
    return client.post(reverse("facilitator:wall", args=[workshop.public_id]), data)


def _fresh(obj):
    with unscoped():
        obj.refresh_from_db()
    return obj


def _actions() -> list[str]:
    with unscoped():
        return list(AuditEvent.objects.filter(action__regex=r"^(wall|reflection)\.").order_by("id")
                    .values_list("action", flat=True))


def test_the_facilitator_hides_one_reflection_and_shows_it_again(client, org_a, workshop_a, shared):
    client.force_login(org_a.facilitator)

    response = _wall(client, workshop_a, action="hide", response=shared.pk)
    assert response.status_code == 302 and response["Location"].endswith("#wall-h")
    assert _fresh(shared).hidden_from_wall is True

    _wall(client, workshop_a, action="show", response=shared.pk)
    assert _fresh(shared).hidden_from_wall is False
    assert _actions() == ["reflection.hide", "reflection.show"]


def test_the_facilitator_reveals_the_wall_on_the_projector_and_hides_it(client, org_a, workshop_a, shared):
    client.force_login(org_a.facilitator)
    projector = reverse("facilitator:projector", args=[workshop_a.public_id])
    assert "It reminded me" not in client.get(projector).content.decode()

    _wall(client, workshop_a, action="reveal")
    assert _fresh(workshop_a).wall_revealed is True
    body = client.get(projector).content.decode()
    assert "It reminded me of my first job" in body and "with-wall" in body

    _wall(client, workshop_a, action="conceal")
    assert _fresh(workshop_a).wall_revealed is False
    assert "It reminded me" not in client.get(projector).content.decode()
    assert _actions() == ["wall.reveal", "wall.conceal"]


def test_a_workshop_that_does_not_show_reflections_never_puts_the_wall_on_the_projector(client, org_a):
    with unscoped():
        workshop = factories.open_workshop(org_a, title="Quiet session")
        Workshop.objects.filter(pk=workshop.pk).update(show_reflections=False, wall_revealed=True)
        org_a.org.anonymity_k = 3
        org_a.org.save(update_fields=["anonymity_k"])
    room(workshop, 3, before=True, after=True, reflection="Not for the room", share=True)  # a whole batch
    client.force_login(org_a.facilitator)
    assert "Not for the room" in client.get(reverse("facilitator:monitor", args=[workshop.public_id])
                                            ).content.decode()  # the facilitator still reads them

    assert "Not for the room" not in client.get(reverse("facilitator:projector", args=[workshop.public_id])
                                                ).content.decode()
    with unscoped():
        Workshop.objects.filter(pk=workshop.pk).update(wall_revealed=False)
    _wall(client, workshop, action="reveal")
    assert _fresh(workshop).wall_revealed is False
    body = client.get(reverse("facilitator:monitor", args=[workshop.public_id])).content.decode()
    assert "set up not to show reflections to the room" in body
    assert "Reveal the wall" not in body


@pytest.mark.parametrize("who", ["anonymous", "analyst", "org_b-admin", "org_b-facilitator"])
def test_wall_controls_are_refused_to_anyone_else(client, org_a, org_b, workshop_a, shared, who):
    if who == "analyst":
        client.force_login(org_a.analyst)
    elif who.startswith("org_b"):
        client.force_login(getattr(org_b, who.split("-")[1]))

    for data in ({"action": "hide", "response": shared.pk}, {"action": "reveal"}):
        response = _wall(client, workshop_a, **data)
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]
    assert _fresh(shared).hidden_from_wall is False
    assert _fresh(workshop_a).wall_revealed is False
    assert _actions() == []


def test_a_reflection_that_was_not_shared_cannot_be_put_on_the_wall(client, org_a, workshop_a):
    room(workshop_a, 1, before=True, after=True, reflection="private", share=False)
    with unscoped():
        private = Response.objects.order_by("id").first()
        Response.objects.filter(pk=private.pk).update(hidden_from_wall=True)
    client.force_login(org_a.facilitator)

    assert _wall(client, workshop_a, action="show", response=private.pk).status_code == 404
    assert _wall(client, workshop_a, action="dance").status_code == 404
    assert client.get(reverse("facilitator:wall", args=[workshop_a.public_id])).status_code == 405
