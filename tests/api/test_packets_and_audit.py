"""Packets: staff see every packet's state and download the facilitator packet (downloads audit-logged);
a participant's packet is theirs alone, so its download answers 403 to every token (until issue 13 staff could
download it). Analysts see the session packet only. Audit: admins."""

import pytest

from tests.api.world import PDF, build_world
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped


def downloads_logged() -> int:
    with unscoped():
        return AuditEvent.objects.filter(action="packet.download").count()


def test_staff_download_the_facilitator_packet_and_the_download_is_recorded(api, org_a):
    world = build_world(org_a)
    response = api(org_a, "facilitator").get(f"/api/v1/packets/{world['facilitator_packet'].public_id}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    with unscoped():
        event = AuditEvent.objects.get(action="packet.download")
    assert event.actor == org_a.facilitator and event.detail["via"] == "api"


@pytest.mark.parametrize("role", ["admin", "facilitator"])
def test_staff_see_participant_packets_states_but_their_download_is_a_clear_403(api, org_a, role):
    world = build_world(org_a)
    client = api(org_a, role)

    listed = client.get("/api/v1/packets/", {"kind": "participant"}).json()["results"]
    assert [(p["id"], p["state"], p["downloadable"]) for p in listed] == [(world["packet"].public_id, "done", False)]
    response = client.get(f"/api/v1/packets/{world['packet'].public_id}/download/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "private_packet"
    assert PDF not in response.content and downloads_logged() == 0


def test_analysts_get_the_session_packet_but_never_a_personal_one(api, org_a):
    world = build_world(org_a)
    client = api(org_a, "analyst")
    listed = client.get("/api/v1/packets/").json()["results"]
    assert [(p["kind"], p["downloadable"]) for p in listed] == [("facilitator", True)]
    assert client.get(f"/api/v1/packets/{world['packet'].public_id}/download/").status_code == 404
    assert client.get(f"/api/v1/packets/{world['facilitator_packet'].public_id}/download/").status_code == 200


@pytest.mark.parametrize("role", ["admin", "facilitator", "analyst"])
def test_the_other_organization_gets_neither_packet(api, org_a, org_b, role):
    world = build_world(org_a)
    client = api(org_b, role)
    for packet in (world["packet"], world["facilitator_packet"]):
        assert client.get(f"/api/v1/packets/{packet.public_id}/download/").status_code == 404
    assert downloads_logged() == 0


def test_the_schema_keeps_the_download_and_documents_the_refusal(api, org_a):
    schema = api(org_a, "admin").get("/api/schema/", {"format": "json"}).json()
    download = schema["paths"]["/api/v1/packets/{id}/download/"]["get"]["responses"]
    assert "application/pdf" in download["200"]["content"]
    assert "private_packet" in download["403"]["description"]
    assert "downloadable" in schema["components"]["schemas"]["PacketOutput"]["properties"]


def test_a_packet_not_made_yet_cannot_be_downloaded(api, org_a):
    world = build_world(org_a)
    packet = world["facilitator_packet"]
    with unscoped():
        packet.__class__.objects.filter(pk=packet.pk).update(state="running")
    response = api(org_a, "admin").get(f"/api/v1/packets/{packet.public_id}/download/",
                                       HTTP_ACCEPT="application/pdf")
    assert response.status_code == 409 and response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "not_ready"


def test_admins_read_the_audit_log_filtered_and_others_cannot(api, org_a):
    build_world(org_a)
    admin = api(org_a, "admin")
    events = admin.get("/api/v1/audit-events/", {"action": "workshop.open"}).json()
    assert events["count"] == 1 and events["results"][0]["actor"] == "facilitator-acme"
    assert api(org_a, "facilitator").get("/api/v1/audit-events/").status_code == 403
    assert api(org_a, "analyst").get("/api/v1/audit-events/").status_code == 403
