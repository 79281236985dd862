"""Conventions every endpoint keeps: pagination with a cap, filters and ordering, one error shape that names
the field, JSON for every answer, and bad input that is refused, never a server error."""

import json

import pytest

from tests import factories
from workshop.tenancy.scope import unscoped
from workshop.workshops.services import workshop_create


@pytest.fixture
def many_workshops(org_a):
    scenarios = factories.builtin_scenarios()[:1]
    with unscoped():
        for i in range(7):
            workshop_create(organization_id=org_a.org.id, owner=org_a.facilitator, title=f"Session {i}",
                            scenarios=scenarios, capacity=10)


def test_lists_are_paginated_with_a_cap(api, org_a, many_workshops):
    client = api(org_a, "admin")
    first = client.get("/api/v1/workshops/", {"page_size": 3, "ordering": "title"}).json()
    assert first["count"] == 7 and len(first["results"]) == 3 and "page=2" in first["next"]
    last = client.get("/api/v1/workshops/", {"page_size": 3, "page": 3, "ordering": "title"}).json()
    assert [w["title"] for w in last["results"]] == ["Session 6"] and last["next"] is None
    capped = client.get("/api/v1/scenarios/", {"page_size": 100000}).json()
    assert len(capped["results"]) <= 200
    beyond = client.get("/api/v1/workshops/", {"page": 99})
    assert beyond.status_code == 404 and beyond.json()["errors"][0]["code"] == "not_found"


def test_filters_and_ordering(api, org_a, many_workshops, workshop_a):
    client = api(org_a, "admin")
    titles = [w["title"] for w in client.get("/api/v1/workshops/", {"ordering": "-title"}).json()["results"]]
    assert titles == sorted(titles, reverse=True)
    drafts = client.get("/api/v1/workshops/", {"state": "draft"}).json()
    assert drafts["count"] == 7 and all(w["state"] == "draft" for w in drafts["results"])
    assert client.get("/api/v1/workshops/", {"title": "listening"}).json()["count"] == 1
    wrong = client.get("/api/v1/workshops/", {"state": "melted"})
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "state"
    typo = client.get("/api/v1/workshops/", {"ordering": "-titel"})
    assert typo.status_code == 400 and typo.json()["errors"][0]["field"] == "ordering"
    assert "-title" in typo.json()["errors"][0]["message"]
    bad_date = client.get("/api/v1/workshops/", {"created_after": "yesterday"})
    assert bad_date.status_code == 400 and bad_date.json()["errors"][0]["field"] == "created_after"


def test_every_error_has_the_same_shape(api, org_a):
    client = api(org_a, "admin")
    for response in (client.get("/api/v1/workshops/nope/"), client.get("/api/v1/nothing-here/"),
                     api().get("/api/v1/workshops/"), api(org_a, "analyst").post("/api/v1/workshops/", {}),
                     client.post("/api/v1/workshops/", {}, format="json"),
                     client.delete("/api/v1/workshops/")):
        assert response["Content-Type"].startswith("application/json"), response
        body = response.json()
        assert set(body) == {"errors"} and body["errors"], body
        for error in body["errors"]:
            assert set(error) == {"field", "code", "message"} and error["message"], error
    missing = client.post("/api/v1/workshops/", {}, format="json").json()["errors"]
    assert {(e["field"], e["code"]) for e in missing} == {("title", "required"), ("scenarios", "required")}


WEIRD = ["x" * 100_000, "🙂" * 300, "مرحبا بالعالم", "<script>alert(1)</script>", "\u0000", 12, 1.5, True, None,
         [], {}, ["a"] * 1000, {"$gt": ""}, "' OR 1=1 --", "../../etc/passwd"]


@pytest.mark.parametrize("value", WEIRD, ids=range(len(WEIRD)))
def test_bad_input_is_refused_never_a_server_error(api, org_a, workshop_a, value):
    client = api(org_a, "facilitator")
    writes = [("post", "/api/v1/workshops/", {"title": value, "scenarios": value, "capacity": value}),
              ("patch", f"/api/v1/workshops/{workshop_a.public_id}/", {"capacity": value, "show_reflections": value}),
              ("post", "/api/v1/scenarios/", {"title": value, "narrative": value, "perspective": value,
                                              "emotions": value, "themes": value, value if isinstance(value, str)
                                              and len(value) < 50 else "unknown": 1}),
              ("post", "/api/v1/workshops/", value)]
    for method, url, body in writes:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code in (200, 400), (url, response.status_code)
    for url in ("/api/v1/workshops/", "/api/v1/scenarios/", "/api/v1/participants/", "/api/v1/reports/"):
        params = {"state": value, "theme": value, "ordering": value, "page_size": value, "workshop": value,
                  "date_from": value} if not isinstance(value, list | dict) and value is not None else {}
        response = api(org_a, "admin").get(url, params)
        assert response.status_code in (200, 400, 404), (url, response.status_code)


def test_malformed_json_and_other_media_types_are_refused(api, org_a):
    client = api(org_a, "admin")
    broken = client.generic("POST", "/api/v1/workshops/", "{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["errors"][0]["code"] == "parse_error"
    form = client.post("/api/v1/workshops/", {"title": "x"})  # multipart
    assert form.status_code == 415 and form.json()["errors"][0]["code"] == "unsupported_media_type"
    nan = client.generic("POST", "/api/v1/workshops/", '{"title": "x", "generic_share": NaN}',
                         content_type="application/json")
    assert nan.status_code == 400


def test_html_in_fields_round_trips_as_json_data(api, org_a):
    client = api(org_a, "facilitator")
    payload = "<img src=x onerror=alert(1)><script>alert('x')</script> & \"quotes\""
    library = factories.builtin_scenarios()
    created = client.post("/api/v1/workshops/", {"title": payload[:200], "scenarios": [f"library:{library[0].slug}"]},
                          format="json")
    assert created["Content-Type"] == "application/json"
    assert created.json()["title"] == payload[:200]
    assert json.loads(created.content)["title"] == payload[:200], "stored and returned as the same text"
    assert b"&lt;" not in created.content
    assert created["X-Content-Type-Options"] == "nosniff"


def test_dates_postgresql_cannot_hold_are_a_400_naming_the_parameter(api, org_a):
    """Found by schemathesis: Python accepts a +19:23 offset, PostgreSQL does not."""
    client = api(org_a, "admin")
    for params in ({"created_after": "5643-03-25T12:34:46+19:23"}, {"created_before": "0001-01-01T00:00-17:21"}):
        response = client.get("/api/v1/workshops/", params)
        assert response.status_code in (200, 400), params
        if response.status_code == 400:
            assert response.json()["errors"][0]["field"] in params
    assert client.get("/api/v1/audit-events/", {"before": "1304-12-25T10:36:05-17:21"}).status_code == 200
    late = client.get("/api/v1/audit-events/", {"after": "9999-12-31T23:59:59-23:00"})
    assert late.status_code == 400 and late.json()["errors"][0]["field"] == "after"


def test_me_and_reports_answer_one_object_as_the_schema_says(api, org_a):
    """Found by schemathesis: the schema described /me/ as a list."""
    schema = api(org_a, "admin").get("/api/schema/", {"format": "json"}).json()
    me = schema["paths"]["/api/v1/me/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert me == {"$ref": "#/components/schemas/MeOutput"}
    assert isinstance(api(org_a, "admin").get("/api/v1/me/").json(), dict)


def test_a_post_to_no_route_is_a_json_404_not_a_csrf_page(org_a):
    """Found by schemathesis (negative data): an id no route matches fell to Django's HTML CSRF refusal."""
    from rest_framework.test import APIClient

    from tests.api.conftest import token_for

    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(org_a, 'admin')}")
    response = client.post("/api/v1/workshops/\u00a0/open/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "not_found"


@pytest.mark.parametrize("path, parameter", [("/api/v1/analogies/", "state"), ("/api/v1/workshops/", "state"),
                                             ("/api/v1/audit-events/", "after"),
                                             ("/api/v1/workshops/", "created_before")])
def test_an_empty_choice_or_date_is_refused_not_read_as_no_filter(api, org_a, many_workshops, path, parameter):
    # django-filter would drop an empty value and answer everything; the schema allows no empty value there.
    response = api(org_a, "admin").get(path, {parameter: ""})
    assert response.status_code == 400, response.content
    assert parameter in response.json()["errors"] or parameter in json.dumps(response.json())


def test_an_empty_free_text_filter_still_means_no_filter(api, org_a, many_workshops):
    assert api(org_a, "admin").get("/api/v1/workshops/", {"title": ""}).json()["count"] == 7
