import pytest
from rest_framework.test import APIClient

from tests import factories
from workshop.api.services import api_token_create
from workshop.tenancy.scope import unscoped


def token_for(team, role: str, name: str = "test") -> str:
    with unscoped():
        _token, key = api_token_create(organization_id=team.org.id, user=getattr(team, role), name=name)
    return key


@pytest.fixture
def api():
    """An API client with a member's token: api(org_a, "admin")."""

    def make(team=None, role: str = "admin") -> APIClient:
        client = APIClient()
        if team is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(team, role)}")
        return client

    return make


@pytest.fixture
def workshop_b(org_b):
    return factories.open_workshop(org_b, title="Globex session")
