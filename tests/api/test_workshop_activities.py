"""Workshops as sequences of activities over the API (additive fields): ``activities`` (kind, scenario key,
settings) and ``pacing`` in and out, ``short_code`` for staff; a participant's ``step`` comes from the flow, with
the new kinds' step names and ``waiting``."""

import pytest

from tests import factories
from workshop.activities.kinds import Pacing
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop


@pytest.fixture
def keys(db) -> list[str]:
    return [f"library:{s.slug}" for s in factories.builtin_scenarios()[:2]]


def composed(keys):
    return [{"kind": "analogy", "scenario": keys[0]}, {"kind": "empathy_map", "scenario": keys[1]},
            {"kind": "commitment", "settings": {"prompts": 2}}]


def create(client, keys, **extra):
    return client.post("/api/v1/workshops/", {"title": "Composed", "activities": composed(keys), **extra},
                       format="json")


def test_a_workshop_is_created_from_activities_and_shows_them(api, org_a, keys):
    response = create(api(org_a, "facilitator"), keys, pacing="presenter", followup_days=10)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["activities"] == [
        {"position": 1, "kind": "analogy", "scenario": keys[0], "settings": {}},
        {"position": 2, "kind": "empathy_map", "scenario": keys[1], "settings": {}},
        {"position": 3, "kind": "commitment", "scenario": None, "settings": {"prompts": 2}}]
    assert [s["key"] for s in body["scenarios"]] == keys, "the scenarios follow from the activities"
    assert (body["pacing"], body["current_activity"], body["followup_days"]) == ("presenter", 1, 10)
    assert len(body["short_code"]) == 6


def test_without_activities_it_is_the_usual_workshop(api, org_a, keys):
    body = api(org_a, "facilitator").post("/api/v1/workshops/", {"title": "Usual", "scenarios": keys},
                                          format="json").json()

    assert [(a["kind"], a["scenario"]) for a in body["activities"]] == [("analogy", keys[0]), ("analogy", keys[1])]
    assert body["pacing"] == "self"


def test_an_analyst_sees_neither_the_join_link_nor_the_short_code(api, org_a, workshop_a):
    body = api(org_a, "analyst").get(f"/api/v1/workshops/{workshop_a.public_id}/").json()

    assert body["join_url"] is None and body["short_code"] is None
    assert api(org_a, "admin").get(f"/api/v1/workshops/{workshop_a.public_id}/").json()["short_code"] == \
        workshop_a.short_code


@pytest.mark.parametrize("activities, field, message", [
    ([{"kind": "perspective", "scenario": "library:leaves-at-four"}], "activities",
     "perspective-getting follows a scenario with analogy"),
    ([{"kind": "empathy_map"}], "activities", "needs a scenario"),
    ([{"kind": "analogy", "scenario": "library:no-such-scenario"}], "activities.0.scenario",
     "No scenario with this key."),
    ([{"kind": "dance"}], "activities.0.kind", None),
    ([{"kind": "analogy", "scenario": "library:leaves-at-four", "colour": "red"}], "activities.0.colour", None),
    ([{"kind": "commitment", "settings": {"x": "y" * 5000}}], "activities.0.settings", "too long"),
    ([], "activities", None),
    ([{"kind": "commitment"}] * 21, "activities", None),
])
def test_a_plan_that_cannot_run_is_a_400_naming_the_field(api, org_a, keys, activities, field, message):
    response = api(org_a, "facilitator").post("/api/v1/workshops/", {"title": "Bad", "activities": activities},
                                              format="json")

    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    assert field in [e["field"] for e in errors], errors
    if message:
        assert any(message in e["message"] for e in errors), errors


def test_scenarios_given_beside_activities_must_be_theirs(api, org_a, keys):
    response = create(api(org_a, "facilitator"), keys, scenarios=keys[:1])

    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "scenarios"


@pytest.mark.parametrize("value", ["\x00", "<script>alert(1)</script>", "x" * 100_000, 12, None, [], {"$gt": ""}])
def test_hostile_activities_are_refused_never_a_server_error(api, org_a, keys, value):
    client = api(org_a, "facilitator")
    for activities in (value, [value], [{"kind": value}], [{"kind": "analogy", "scenario": value}],
                       [{"kind": "commitment", "settings": value}], [{"kind": "commitment", "settings": {"a": value}}]):
        response = client.post("/api/v1/workshops/", {"title": "Hostile", "activities": activities,
                                                      "pacing": value}, format="json")
        assert response.status_code == 400, (activities, response.status_code)


def test_a_drafts_activities_change_and_an_open_ones_do_not(api, org_a, keys):
    client = api(org_a, "facilitator")
    url = f"/api/v1/workshops/{create(client, keys).json()['id']}/"

    changed = client.patch(url, {"activities": [{"kind": "analogy", "scenario": keys[1]}]}, format="json")
    assert [a["scenario"] for a in changed.json()["activities"]] == [keys[1]]
    assert [s["key"] for s in changed.json()["scenarios"]] == [keys[1]]
    client.post(url + "open/")
    same = client.patch(url, {"activities": [{"kind": "analogy", "scenario": keys[1]}], "title": "Renamed"},
                        format="json")
    assert same.status_code == 200 and same.json()["title"] == "Renamed", "the same activities are no change"

    refused = client.patch(url, {"activities": composed(keys)}, format="json")
    assert refused.status_code == 409 and refused.json()["errors"][0]["code"] == "invalid_state"
    assert client.patch(url, {"pacing": "presenter"}, format="json").status_code == 409


def test_rotating_the_join_link_gives_a_new_short_code(api, org_a, workshop_a):
    client = api(org_a, "facilitator")

    rotated = client.post(f"/api/v1/workshops/{workshop_a.public_id}/rotate-join-link/").json()

    assert rotated["short_code"] != workshop_a.short_code and len(rotated["short_code"]) == 6


def test_a_participants_step_comes_from_the_flow_with_the_new_kinds_steps(api, org_a, keys):
    client = api(org_a, "facilitator")
    body = client.post("/api/v1/workshops/", {"title": "Map first", "pacing": "presenter", "activities": [
        {"kind": "empathy_map", "scenario": keys[0]}, {"kind": "commitment"}]}, format="json").json()
    client.post(f"/api/v1/workshops/{body['id']}/open/")
    with unscoped():
        workshop = Workshop.objects.get(public_id=body["id"])
    factories.joined_participant(workshop, "Mapper", with_profile=False)

    [person] = client.get("/api/v1/participants/", {"workshop": body["id"]}).json()["results"]

    assert (person["step"], person["activity"]) == ("goal", 1)


def test_the_analogy_steps_keep_their_names_and_waiting_is_said(api, org_a):
    with unscoped():
        workshop = factories.open_workshop(org_a, title="Paced")
        Workshop.objects.filter(pk=workshop.pk).update(pacing=Pacing.PRESENTER)
    factories.joined_participant(workshop, "Before", with_profile=True)
    factories.joined_participant(workshop, "Joined", with_profile=False)

    people = {p["pseudonym"]: (p["step"], p["activity"]) for p in api(org_a, "facilitator").get(
        "/api/v1/participants/", {"workshop": workshop.public_id}).json()["results"]}

    assert people == {"Before": ("before", 1), "Joined": ("joined", None)}


def test_the_other_organization_neither_sees_nor_composes_a_workshop(api, org_a, org_b, keys):
    body = create(api(org_a, "facilitator"), keys).json()

    for role in ("admin", "facilitator"):
        outsider = api(org_b, role)
        assert outsider.get(f"/api/v1/workshops/{body['id']}/").status_code == 404
        assert outsider.patch(f"/api/v1/workshops/{body['id']}/", {"activities": [{"kind": "commitment"}]},
                              format="json").status_code == 404
        assert outsider.get("/api/v1/participants/", {"workshop": body["id"]}).json()["count"] == 0
    with unscoped():
        assert Workshop.objects.get(public_id=body["id"]).activities.count() == 3
