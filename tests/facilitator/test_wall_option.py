"""The workshop option 'show shared reflections to the room', chosen when the workshop is created."""

import re

from django.urls import reverse

from tests import factories
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop


def _create(client, **extra):
    scenario = factories.builtin_scenarios()[0]
    data = {"title": "Option check", "scenarios": [scenario.pk], "order": str(scenario.pk), "capacity": 20,
            "generic_share": 0, "engine": "builtin", "instrument": "mini_ipip", "language": "en", **extra}
    response = client.post(reverse("facilitator:workshop_new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    with unscoped():
        return Workshop.objects.get(title="Option check")


def test_the_form_offers_the_option_ticked_by_default(client, org_a):
    client.force_login(org_a.facilitator)
    body = client.get(reverse("facilitator:workshop_new")).content.decode()
    assert "Show shared reflections to the room" in body
    (checkbox,) = re.findall(r'<input[^>]*name="show_reflections"[^>]*>', body)
    assert "checked" in checkbox and 'aria-describedby="id_show_reflections-help"' in checkbox


def test_a_facilitator_can_create_a_workshop_that_shows_reflections(client, org_a):
    client.force_login(org_a.facilitator)
    assert _create(client, show_reflections="on").show_reflections is True


def test_a_facilitator_can_create_a_workshop_that_keeps_reflections_off_the_projector(client, org_a):
    client.force_login(org_a.facilitator)
    workshop = _create(client)
    assert workshop.show_reflections is False
    assert workshop.wall_revealed is False
