"""Packets: status and the PDF (downloads audit-logged; analysts get the session packet only). Audit: admins."""

from tests.api.world import PDF, build_world
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped


def test_staff_download_a_packet_and_the_download_is_recorded(api, org_a):
    world = build_world(org_a)
    response = api(org_a, "facilitator").get(f"/api/v1/packets/{world['packet'].public_id}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    with unscoped():
        event = AuditEvent.objects.get(action="packet.download")
    assert event.actor == org_a.facilitator and event.detail["via"] == "api"


def test_analysts_get_the_session_packet_but_never_a_personal_one(api, org_a):
    world = build_world(org_a)
    client = api(org_a, "analyst")
    listed = client.get("/api/v1/packets/").json()["results"]
    assert [p["kind"] for p in listed] == ["facilitator"]
    assert client.get(f"/api/v1/packets/{world['packet'].public_id}/download/").status_code == 404
    assert client.get(f"/api/v1/packets/{world['facilitator_packet'].public_id}/download/").status_code == 200


def test_a_packet_not_made_yet_cannot_be_downloaded(api, org_a):
    world = build_world(org_a)
    with unscoped():
        world["packet"].__class__.objects.filter(pk=world["packet"].pk).update(state="running")
    response = api(org_a, "admin").get(f"/api/v1/packets/{world['packet'].public_id}/download/",
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
