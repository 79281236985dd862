"""Dates at the ends of the calendar (9999-12-31 has no next day; 0001-01-01 has no start in some time
zones) are refused under their field with a 400 on the report pages, the downloads and the API, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.conftest import token_for
from tests.reports.conftest import add_people

EXTREMES = [
    ({"date_to": "9999-12-31"}, "date_to"),
    ({"date_from": "9999-12-31"}, "date_from"),
    ({"date_from": "0001-01-01"}, "date_from"),
    ({"date_from": "0001-01-01", "date_to": "0001-01-01"}, "date_from"),
    ({"date_to": "3000-01-01"}, "date_to"),
]
MESSAGE = "Enter a date between 1900-01-01 and 2999-12-31."
PAGES = ["facilitator:reports", "facilitator:reports_csv", "facilitator:reports_json", "facilitator:reports_pdf",
         "facilitator:reports_people"]


@pytest.mark.parametrize("data, field", EXTREMES)
def test_the_report_pages_answer_an_extreme_date_with_a_400_naming_the_field(client, org_a, workshop_a, data, field):
    add_people(workshop_a, 6)
    client.force_login(org_a.analyst)

    page = client.get(reverse("facilitator:reports"), data)

    assert page.status_code == 400
    assert page.context["errors"].get(field) == MESSAGE
    assert MESSAGE in page.content.decode()
    for name in PAGES[1:]:
        assert client.get(reverse(name), data).status_code == 400, name


@pytest.mark.parametrize("data, field", EXTREMES)
def test_the_api_answers_an_extreme_date_with_a_400_naming_the_field(org_a, workshop_a, data, field):
    add_people(workshop_a, 6)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(org_a, 'analyst')}")

    response = api.get("/api/v1/reports/", data)

    assert response.status_code == 400
    assert {"field": field, "code": "invalid", "message": MESSAGE} in response.json()["errors"]


def test_the_widest_range_allowed_still_gives_the_report(client, org_a, workshop_a):
    add_people(workshop_a, 6)
    client.force_login(org_a.analyst)

    page = client.get(reverse("facilitator:reports"), {"date_from": "1900-01-01", "date_to": "2999-12-31"})

    assert page.status_code == 200
    assert page.context["report"].participants.value == 6
