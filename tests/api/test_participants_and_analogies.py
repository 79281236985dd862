"""Participants come with pseudonym, step and status only; analogies with status only. Regenerating follows
the live monitor's rule: staff put a failed analogy back in the queue."""

from tests import factories
from tests.api.world import build_world
from workshop.participants.models import Analogy
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped


def test_a_participant_is_pseudonym_step_and_status_and_nothing_else(api, org_a):
    world = build_world(org_a)
    client = api(org_a, "facilitator")
    listed = client.get("/api/v1/participants/", {"workshop": world["workshop"].public_id}).json()["results"]
    assert listed == [{"id": world["participant"].public_id, "workshop": world["workshop"].public_id,
                       "pseudonym": "Zephyrine", "step": "before", "activity": 1, "status": "failed"}]
    one = client.get(f"/api/v1/participants/{world['participant'].public_id}/")
    assert set(one.json()) == {"id", "workshop", "pseudonym", "step", "activity", "status"}
    for secret in ("canoe", "reflection", "token", "profile", "memories", world["participant_token"]):
        assert secret not in one.content.decode() and secret not in str(listed)


def test_people_who_deleted_their_data_are_not_listed(api, org_a, workshop_a):
    from workshop.participants.answers import participant_delete_data

    participant, _ = factories.joined_participant(workshop_a, "Robin")
    with unscoped():
        participant_delete_data(participant=participant)
    assert api(org_a, "admin").get("/api/v1/participants/").json()["count"] == 0
    assert api(org_a, "admin").get("/api/v1/analogies/").json()["count"] == 0


def test_analogies_show_their_status_never_their_text(api, org_a):
    world = build_world(org_a)
    with unscoped():
        Analogy.objects.exclude(pk=world["analogy"].pk).update(state="done", text="In your canoe, you felt hurt",
                                                               engine="builtin")
    body = api(org_a, "facilitator").get("/api/v1/analogies/", {"state": "done"})
    assert body.json()["count"] == 1 and "canoe" not in body.content.decode()
    assert set(body.json()["results"][0]) == {"id", "participant", "workshop", "scenario", "version", "state",
                                              "engine", "fallback", "attempts", "created", "updated"}


def test_staff_regenerate_a_failed_analogy_and_only_a_failed_one(api, org_a):
    world = build_world(org_a)
    client = api(org_a, "facilitator")
    url = f"/api/v1/analogies/{world['analogy'].public_id}/regenerate/"
    response = client.post(url)
    assert response.status_code == 202 and response.json()["state"] == "pending"
    again = client.post(url)
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "not_failed"
    with unscoped():
        assert AuditEvent.objects.filter(action="analogy.retry", organization=org_a.org).count() == 1
