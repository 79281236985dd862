"""The room's before/after shift in naming the feelings: a chart only once k people answered both."""

import base64

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
    chart = shift["chart"]  # shown as an image (the page's Content-Security-Policy refuses inline styles)
    assert shift["chart_src"] in body and base64.b64decode(shift["chart_src"].split(",", 1)[1]).decode() == chart
    assert "<svg" in chart and "<script" not in chart and "ns0:" not in chart and "<script" not in body
    assert "Before the analogy" in chart and "After the analogy" in chart
    assert "The whole room: 0.00 before, 1.00 after (4 people)." in body
    assert 'id="shift-note"' not in body  # the chart's own "shown once k people..." note (the mood has its own)
