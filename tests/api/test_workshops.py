"""Workshops over the API: create, update (what may change depends on the state), open, close, rotate."""

import pytest

from tests import factories
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped


@pytest.fixture
def library(db):
    return factories.builtin_scenarios()


def test_a_facilitator_runs_a_workshop_from_draft_to_closed(api, org_a, library, client):
    api_client = api(org_a, "facilitator")
    keys = [f"library:{library[1].slug}", f"library:{library[0].slug}"]
    created = api_client.post("/api/v1/workshops/", {"title": "Monday session", "scenarios": keys,
                                                      "capacity": 30, "generic_share": 0.5}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "draft" and body["owner"] == "facilitator-acme" and body["participants"] == 0
    assert [s["key"] for s in body["scenarios"]] == keys, "in the order given"
    url = f"/api/v1/workshops/{body['id']}/"
    assert api_client.patch(url, {"scenarios": keys[:1], "language": "ko"}, format="json").json()["language"] == "ko"
    opened = api_client.post(url + "open/").json()
    assert opened["state"] == "open" and opened["opened_at"]
    assert client.get(opened["join_url"].removeprefix("http://127.0.0.1:8000")).status_code == 200
    refused = api_client.patch(url, {"generic_share": 0}, format="json")
    assert refused.status_code == 409 and refused.json()["errors"][0]["code"] == "invalid_state"
    assert api_client.patch(url, {"title": "Monday, renamed"}, format="json").json()["title"] == "Monday, renamed"
    assert api_client.post(url + "open/").status_code == 409
    rotated = api_client.post(url + "rotate-join-link/").json()
    assert rotated["join_url"] != opened["join_url"]
    assert client.get(opened["join_url"].removeprefix("http://127.0.0.1:8000")).status_code in (404, 410)
    assert api_client.post(url + "close/").json()["state"] == "closed"
    again = api_client.post(url + "close/")
    assert again.status_code == 409 and again.json()["errors"][0]["message"] == "Only an open workshop can be closed."
    with unscoped():
        actions = set(AuditEvent.objects.filter(organization=org_a.org).values_list("action", flat=True))
    assert {"workshop.create", "workshop.update", "workshop.open", "workshop.join_link_rotate",
            "workshop.close"} <= actions


def test_capacity_never_drops_below_who_joined(api, org_a, workshop_a):
    factories.joined_participant(workshop_a, "Robin")
    factories.joined_participant(workshop_a, "Sasha")
    response = api(org_a, "admin").patch(f"/api/v1/workshops/{workshop_a.public_id}/", {"capacity": 1},
                                         format="json")
    assert response.status_code == 409


def test_analysts_see_workshops_but_not_their_join_link(api, org_a, workshop_a):
    body = api(org_a, "analyst").get(f"/api/v1/workshops/{workshop_a.public_id}/").json()
    assert body["title"] == workshop_a.title and body["join_url"] is None
    assert workshop_a.join_token not in str(api(org_a, "analyst").get("/api/v1/workshops/").json())


def test_unknown_and_foreign_scenarios_are_named_by_position(api, org_a, org_b, library):
    client = api(org_b, "facilitator")
    response = client.post("/api/v1/workshops/", {"title": "x", "scenarios": [f"library:{library[0].slug}",
                                                                             "acme-private"]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "scenarios.1", "code": "does_not_exist",
                                          "message": "No scenario with this key."}]
    twice = client.post("/api/v1/workshops/", {"title": "x", "scenarios": ["library:a", "library:a"]},
                        format="json")
    assert twice.json()["errors"][0]["field"] == "scenarios"
