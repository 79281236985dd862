"""Who may read the organization report and download it: admins and analysts of the organization only."""

import pytest
from django.urls import reverse

from tests.reports.conftest import add_people

ROUTES = ["facilitator:reports", "facilitator:reports_csv", "facilitator:reports_json",
          "facilitator:reports_people", "facilitator:reports_pdf"]


@pytest.fixture
def acme_data(workshop_a):
    add_people(workshop_a, 8, reflection="Acme-only reflection", share=True)
    add_people(workshop_a, 6, condition="generic")
    return workshop_a


@pytest.mark.parametrize("role", ["admin", "analyst"])
def test_admins_and_analysts_read_the_report_and_every_download(client, org_a, acme_data, role):
    client.force_login(getattr(org_a, role))
    for name in ROUTES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    page = client.get(reverse("facilitator:reports")).content.decode()
    assert "Organization report" in page and "14" in page


def test_a_facilitator_is_refused_like_any_missing_page(client, org_a, acme_data):
    client.force_login(org_a.facilitator)
    for name in ROUTES:
        assert client.get(reverse(name)).status_code == 404, name


def test_an_anonymous_visitor_is_sent_to_sign_in(client, acme_data):
    for name in ROUTES:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


@pytest.mark.parametrize("role", ["admin", "analyst", "facilitator"])
def test_the_other_organization_never_sees_acme_figures(client, org_b, acme_data, role):
    client.force_login(getattr(org_b, role))
    for name in ROUTES:
        response = client.get(reverse(name))
        body = response.content
        assert b"Acme-only reflection" not in body, name
        assert b"Acme listening session" not in body, name
        if role == "facilitator":
            assert response.status_code == 404
    if role != "facilitator":
        json_body = client.get(reverse("facilitator:reports_json")).json()
        assert json_body["participants"]["value"] == 0


def test_the_nav_links_to_reports_for_analysts_but_not_facilitators(client, org_a):
    client.force_login(org_a.analyst)
    assert reverse("facilitator:reports") in client.get(reverse("facilitator:home")).content.decode()
    client.force_login(org_a.facilitator)
    assert reverse("facilitator:reports") not in client.get(reverse("facilitator:home")).content.decode()
