"""The console and the API give the same answer to the same request, because the rule lives in the service both
call: re-opening an open workshop, rotating a closed workshop's link, downloading packets, a taken scenario slug, a
built-in scenario, and retrying an analogy. Each refusal changes nothing and records nothing."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests import factories
from tests.api.world import PDF, build_world
from tests.facilitator.rooms import room
from tests.facilitator.test_scenarios_editing import own_scenarios, scenario_form
from workshop.debrief.models import DebriefPacket
from workshop.participants.models import Analogy
from workshop.scenarios.models import Scenario
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop
from workshop.workshops.services import WorkshopStateError, workshop_close, workshop_join_token_rotate

SCENARIO = {"title": "Left off the invite", "slug": "offsite", "narrative": "Sam finds out about the team dinner "
            "from photos.", "perspective": {"name": "Sam", "role": "Analyst"},
            "emotions": [{"label": "hurt", "intensity": 0.7}], "themes": ["exclusion"]}


def recorded(team, action: AuditAction) -> list[AuditEvent]:
    with unscoped():
        return list(AuditEvent.objects.filter(organization=team.org, action=action).order_by("pk"))


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def reload(workshop: Workshop) -> Workshop:
    with unscoped():
        return Workshop.objects.get(pk=workshop.pk)


def test_neither_front_end_reopens_an_open_workshop(client, api, org_a, workshop_a):
    opened_at = reload(workshop_a).opened_at
    client.force_login(org_a.facilitator)

    console = client.post(reverse("facilitator:workshop_state", args=[workshop_a.public_id, "open"]))
    from_api = api(org_a, "facilitator").post(f"/api/v1/workshops/{workshop_a.public_id}/open/")

    assert console.status_code == 302 and messages_of(console) == ["The workshop is already open."]
    assert from_api.status_code == 409
    assert from_api.json()["errors"][0] == {"field": None, "code": "invalid_state",
                                            "message": "The workshop is already open."}
    assert reload(workshop_a).opened_at == opened_at
    assert len(recorded(org_a, AuditAction.WORKSHOP_OPEN)) == 1, "only the opening that happened"


def test_both_front_ends_reopen_a_closed_workshop(client, api, org_a, workshop_a):
    with unscoped():
        workshop_close(workshop=workshop_a, actor=org_a.facilitator)
    client.force_login(org_a.facilitator)
    client.post(reverse("facilitator:workshop_state", args=[workshop_a.public_id, "open"]))
    assert reload(workshop_a).state == Workshop.State.OPEN
    with unscoped():
        workshop_close(workshop=reload(workshop_a), actor=org_a.facilitator)
    assert api(org_a, "facilitator").post(f"/api/v1/workshops/{workshop_a.public_id}/open/").json()["state"] == "open"
    assert len(recorded(org_a, AuditAction.WORKSHOP_OPEN)) == 3


def test_a_closed_workshops_join_link_is_not_rotated(api, org_a, workshop_a):
    with unscoped():
        workshop_close(workshop=workshop_a, actor=org_a.facilitator)
        token = reload(workshop_a).join_token
        with pytest.raises(WorkshopStateError):
            workshop_join_token_rotate(workshop=workshop_a, actor=org_a.facilitator)
    response = api(org_a, "facilitator").post(f"/api/v1/workshops/{workshop_a.public_id}/rotate-join-link/")
    assert response.status_code == 409 and response.json()["errors"][0]["code"] == "invalid_state"
    assert reload(workshop_a).join_token == token
    assert recorded(org_a, AuditAction.WORKSHOP_JOIN_LINK_ROTATE) == []


def test_both_front_ends_give_staff_the_facilitator_packet_and_record_it_alike(client, api, org_a):
    world = build_world(org_a)
    packet = world["facilitator_packet"]
    client.force_login(org_a.facilitator)

    console = client.get(reverse("facilitator:packet_download", args=[packet.public_id]))
    from_api = api(org_a, "facilitator").get(f"/api/v1/packets/{packet.public_id}/download/")

    assert b"".join(console.streaming_content) == b"".join(from_api.streaming_content) == PDF
    assert console["Content-Disposition"] == from_api["Content-Disposition"]
    events = recorded(org_a, AuditAction.PACKET_DOWNLOAD)
    assert [(e.actor, e.object_id) for e in events] == [(org_a.facilitator, str(packet.pk))] * 2
    assert [e.detail for e in events] == [{"kind": "facilitator", "workshop": world["workshop"].public_id},
                                          {"kind": "facilitator", "workshop": world["workshop"].public_id,
                                           "via": "api"}]


def test_neither_front_end_gives_staff_a_participants_packet_or_one_still_being_made(client, api, org_a):
    world = build_world(org_a)
    with unscoped():
        making = DebriefPacket.objects.create(organization=org_a.org, workshop=world["workshop"],
                                              kind=DebriefPacket.Kind.FACILITATOR, state=DebriefPacket.State.RUNNING)
    client.force_login(org_a.admin)
    token = api(org_a, "admin")

    for packet, api_status, code in ((world["packet"], 403, "private_packet"), (making, 409, "not_ready")):
        console = client.get(reverse("facilitator:packet_download", args=[packet.public_id]))
        from_api = token.get(f"/api/v1/packets/{packet.public_id}/download/")
        assert console.status_code == 404
        assert from_api.status_code == api_status and from_api.json()["errors"][0]["code"] == code
        assert PDF not in console.content and PDF not in from_api.content
    assert recorded(org_a, AuditAction.PACKET_DOWNLOAD) == []


def test_a_scenario_slug_the_organization_has_is_refused_by_both_in_the_same_words(client, api, org_a):
    client.force_login(org_a.facilitator)
    client.post(reverse("facilitator:scenario_new"), scenario_form(slug="offsite"))

    console = client.post(reverse("facilitator:scenario_new"), scenario_form(slug="offsite", title="Other"))
    from_api = api(org_a, "facilitator").post("/api/v1/scenarios/", SCENARIO, format="json")

    [console_message] = console.context["form"].errors["slug"]
    assert from_api.status_code == 400
    assert from_api.json()["errors"] == [{"field": "slug", "code": "unique", "message": console_message}]
    assert [s.version for s in own_scenarios(org_a)] == [1]
    assert len(recorded(org_a, AuditAction.SCENARIO_CREATE)) == 1


def test_a_built_in_scenario_is_read_only_for_both(client, api, org_a):
    builtin = factories.builtin_scenarios()[0]
    client.force_login(org_a.admin)

    console = client.post(reverse("facilitator:scenario_edit", args=[builtin.pk]),
                          scenario_form(title="Mine now"))
    from_api = api(org_a, "admin").patch(f"/api/v1/scenarios/library:{builtin.slug}/", {"title": "Mine now"},
                                         format="json")

    assert console.status_code == 404
    assert from_api.status_code == 403 and from_api.json()["errors"][0]["code"] == "read_only"
    with unscoped():
        assert not Scenario.objects.filter(slug=builtin.slug, title="Mine now").exists()
    assert recorded(org_a, AuditAction.SCENARIO_EDIT) == []


def test_both_front_ends_retry_only_a_failed_analogy_and_record_who_did(client, api, org_a, workshop_a):
    failed, finished = room(workshop_a, 2, prefix="Retry", analogy="failed")
    with unscoped():
        done = Analogy.objects.filter(participant=finished).order_by("pk").first()
        Analogy.objects.filter(pk=done.pk).update(state=Analogy.State.DONE)
        broken = Analogy.objects.filter(participant=failed).order_by("pk")
        first, second = broken[0], broken[1]
    client.force_login(org_a.facilitator)
    token = api(org_a, "facilitator")
    retry = reverse("facilitator:monitor_retry", args=[workshop_a.public_id])

    refused_console = client.post(retry, {"analogy": done.pk})
    refused_api = token.post(f"/api/v1/analogies/{done.public_id}/regenerate/")
    assert messages_of(refused_console) == ["That analogy is no longer failed: nothing to retry."]
    assert refused_api.status_code == 409 and refused_api.json()["errors"][0]["code"] == "not_failed"
    assert recorded(org_a, AuditAction.ANALOGY_RETRY) == []

    client.post(retry, {"analogy": first.pk})
    assert token.post(f"/api/v1/analogies/{second.public_id}/regenerate/").status_code == 202
    events = recorded(org_a, AuditAction.ANALOGY_RETRY)
    assert [(e.actor, e.object_id, e.detail) for e in events] == [
        (org_a.facilitator, str(first.pk), {"workshop": workshop_a.public_id}),
        (org_a.facilitator, str(second.pk), {"workshop": workshop_a.public_id, "via": "api"})]
