"""A NUL character in a page's query string (PostgreSQL text cannot hold one) is a 400 page, not a 500."""

import pytest

from tests import factories


@pytest.mark.parametrize("path", ["/f/reports/?scenario=a%00b", "/f/reports/?theme=%00", "/f/audit/?action=x%00",
                                  "/f/scenarios/?q=%00", "/f/reports/?%00=1"])
def test_a_nul_in_the_query_string_is_a_clear_400(client, org_a, path):
    client.force_login(org_a.admin)
    response = client.get(path)
    assert response.status_code == 400
    assert "This address cannot be read" in response.content.decode()


def test_the_same_filters_without_a_nul_still_work(client, org_a):
    factories.open_workshop(org_a)
    client.force_login(org_a.admin)
    assert client.get("/f/reports/?theme=").status_code == 200
