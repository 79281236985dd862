"""The room's before/after shift in naming the feelings: a chart only once k people answered both."""

from django.urls import reverse

from tests.facilitator.rooms import room
from workshop.tenancy.scope import unscoped


def _set_k(org, k: int) -> None:
    with unscoped():
        org.org.anonymity_k = k
        org.org.save(update_fields=["anonymity_k"])


def test_below_k_there_is_no_chart_only_a_note(client, org_a, workshop_a):
    _set_k(org_a, 4)
    room(workshop_a, 3, before=True, after=True)
    room(workshop_a, 2, prefix="Halfway", before=True)  # answered before only: they do not count
    client.force_login(org_a.facilitator)

    response = client.get(reverse("facilitator:monitor_live", args=[workshop_a.public_id]))
    body = response.content.decode()

    assert response.context["shift"]["chart"] is None
    assert "<svg" not in body
    assert "Shown once 4 people have answered before and after." in body
    assert "So far 3 have." in body


def test_at_k_the_chart_shows_the_room_before_and_after(client, org_a, workshop_a):
    _set_k(org_a, 4)
    room(workshop_a, 4, before=True, after=True)
    client.force_login(org_a.facilitator)

    response = client.get(reverse("facilitator:monitor_live", args=[workshop_a.public_id]))
    body = response.content.decode()
    shift = response.context["shift"]

    assert shift["room"].people == 4
    assert (shift["room"].accuracy_before, shift["room"].accuracy_after) == (0.0, 1.0)
    assert "<svg" in body and "<script" not in body and "ns0:" not in body
    assert "Before the analogy" in body and "After the analogy" in body
    assert "The whole room: 0.00 before, 1.00 after (4 people)." in body
    assert "Shown once" not in body
