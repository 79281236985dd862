"""The wall of shared reflections: only what people chose to share, never with a name, escaped. Reflections
join the wall in batches of k people (tests/facilitator/test_room_differencing.py), so each room here has k."""

import pytest
from django.urls import reverse

from tests.facilitator.rooms import room
from workshop.participants.models import Response
from workshop.tenancy.scope import unscoped

K = 3


@pytest.fixture(autouse=True)
def small_k(org_a):
    with unscoped():
        org_a.org.anonymity_k = K
        org_a.org.save(update_fields=["anonymity_k"])


def _wall(client, workshop) -> list[str]:
    response = client.get(reverse("facilitator:monitor_live", args=[workshop.public_id]))
    return [r.reflection for r in response.context["wall"]]


def test_it_shows_only_reflections_people_chose_to_share(client, org_a, workshop_a):
    room(workshop_a, K, prefix="Sharer", after=True, before=True, reflection="I felt invisible once too", share=True)
    room(workshop_a, 1, prefix="Private", after=True, before=True, reflection="my private thought", share=False)
    room(workshop_a, 1, prefix="Silent", after=True, before=True, reflection="", share=True)
    client.force_login(org_a.facilitator)

    assert _wall(client, workshop_a) == ["I felt invisible once too"] * 2 * K  # one per person and scenario
    body = client.get(reverse("facilitator:monitor", args=[workshop_a.public_id])).content.decode()
    assert "my private thought" not in body


def test_the_wall_never_names_who_wrote_a_reflection(client, org_a, workshop_a):
    room(workshop_a, K, prefix="Zephyrine", before=True, after=True, reflection="It stung", share=True)
    with unscoped():
        workshop_a.wall_revealed = True
        workshop_a.save(update_fields=["wall_revealed"])
    client.force_login(org_a.facilitator)

    response = client.get(reverse("facilitator:monitor_live", args=[workshop_a.public_id]))
    projector = client.get(reverse("facilitator:projector", args=[workshop_a.public_id])).content.decode()
    wall_html = response.content.decode().split('id="wall-h"')[1].split("</section>")[0]

    assert "It stung" in wall_html and "Zephyrine" not in wall_html
    assert "It stung" in projector and "Zephyrine" not in projector


def test_a_script_in_a_reflection_is_shown_as_text(client, org_a, workshop_a):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    room(workshop_a, K, before=True, after=True, reflection=hostile, share=True)
    with unscoped():
        workshop_a.wall_revealed = True
        workshop_a.save(update_fields=["wall_revealed"])
    client.force_login(org_a.facilitator)

    for name in ("facilitator:monitor", "facilitator:monitor_live", "facilitator:projector"):
        body = client.get(reverse(name, args=[workshop_a.public_id])).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, name
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body, name


def test_hidden_reflections_leave_the_projector_but_stay_visible_to_the_facilitator(client, org_a, workshop_a):
    room(workshop_a, K, before=True, after=True, reflection="Keep this one", share=True)
    with unscoped():
        Response.objects.filter(pk=Response.objects.order_by("id").first().pk).update(hidden_from_wall=True)
        workshop_a.wall_revealed = True
        workshop_a.save(update_fields=["wall_revealed"])
    client.force_login(org_a.facilitator)

    projector = client.get(reverse("facilitator:projector", args=[workshop_a.public_id]))
    monitor = client.get(reverse("facilitator:monitor_live", args=[workshop_a.public_id]))

    assert len(projector.context["wall"]) == 2 * K - 1
    assert sorted(r.hidden_from_wall for r in monitor.context["wall"]) == [False] * (2 * K - 1) + [True]
    assert "Show again" in monitor.content.decode()
