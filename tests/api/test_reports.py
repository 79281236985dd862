"""The aggregates endpoint: the report's figures under the k rule, the report's filters, errors by field."""

from tests import factories


def test_a_small_selection_shows_that_it_is_too_small_and_no_figure(api, org_a, workshop_a):
    factories.joined_participant(workshop_a, "Robin")
    response = api(org_a, "analyst").get("/api/v1/reports/")
    assert response.status_code == 200
    body = response.json()
    assert body["anonymity_k"] == 5 and body["too_small"] is True
    assert body["participants"] == {"value": None, "n": None, "suppressed": "fewer_than_k"}
    assert "Robin" not in response.content.decode()


def test_filters_are_the_reports_and_bad_ones_are_named(api, org_a, workshop_a):
    client = api(org_a, "admin")
    ok = client.get("/api/v1/reports/", {"workshop": workshop_a.public_id, "date_from": "2020-01-01"})
    assert ok.status_code == 200
    assert ok.json()["filters"] == {"workshop": workshop_a.public_id, "date_from": "2020-01-01"}
    bad = client.get("/api/v1/reports/", {"date_from": "31/12/2025", "workshop": "not-ours"})
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} == {"date_from", "workshop"}


def test_facilitators_do_not_read_reports(api, org_a):
    assert api(org_a, "facilitator").get("/api/v1/reports/").status_code == 403
