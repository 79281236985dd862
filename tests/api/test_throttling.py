"""Each token has its own request budget; past it, 429 in the usual error shape with Retry-After."""

import pytest

from tests.api.conftest import token_for
from tests.api.test_auth import bearer
from workshop.api.throttling import TokenRateThrottle


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api_token": "3/minute"})


def test_a_token_past_its_budget_gets_429_and_another_token_does_not(org_a, three_a_minute):
    busy, other = bearer(token_for(org_a, "admin")), bearer(token_for(org_a, "admin", name="other"))
    assert [busy.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    response = busy.get("/api/v1/workshops/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert int(response["Retry-After"]) > 0
    [error] = response.json()["errors"]
    assert error["field"] is None and error["code"] == "throttled" and "throttled" in error["message"]
    assert other.get("/api/v1/me/").status_code == 200, "the budget is per token, not per user or address"
