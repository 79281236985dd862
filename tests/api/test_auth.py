"""Token authentication: a token acts in its organization with its owner's current role, and stops at once
when it is revoked or the owner leaves."""

from rest_framework.test import APIClient

from tests.api.conftest import token_for
from workshop.api.models import ApiToken
from workshop.api.services import api_token_revoke
from workshop.tenancy.models import AuditEvent, Membership, token_hash
from workshop.tenancy.scope import unscoped


def bearer(key: str, keyword: str = "Bearer") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


def test_a_token_acts_as_its_owner_in_its_organization(org_a, org_b):
    key = token_for(org_a, "facilitator")
    response = bearer(key).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() == {"username": "facilitator-acme", "organization": "acme", "role": "facilitator",
                               "token": "test"}
    assert bearer(key, "Token").get("/api/v1/me/").status_code == 200


def test_only_the_hash_and_a_short_prefix_are_stored(org_a):
    key = token_for(org_a, "admin")
    with unscoped():
        token = ApiToken.objects.get()
        assert token.key_hash == token_hash(key) and key not in (token.key_hash, token.prefix)
        assert key.startswith(token.prefix) and len(token.prefix) == 8
        assert len(key) >= 43  # 256 bits
        assert AuditEvent.objects.filter(action="api_token.create", organization=org_a.org).exists()


def test_a_revoked_token_is_refused_with_401(org_a):
    key = token_for(org_a, "admin")
    assert bearer(key).get("/api/v1/workshops/").status_code == 200
    with unscoped():
        api_token_revoke(token=ApiToken.objects.get(), actor=org_a.admin)
    response = bearer(key).get("/api/v1/workshops/")
    assert response.status_code == 401
    assert response.json() == {"errors": [{"field": None, "code": "authentication_failed",
                                           "message": "Invalid or revoked token."}]}


def test_a_member_who_left_loses_access_at_once(org_a):
    key = token_for(org_a, "facilitator")
    with unscoped():
        Membership.objects.filter(user=org_a.facilitator).delete()
    assert bearer(key).get("/api/v1/me/").status_code == 401


def test_a_role_change_applies_to_existing_tokens(org_a):
    key = token_for(org_a, "facilitator")
    assert bearer(key).get("/api/v1/participants/").status_code == 200
    with unscoped():
        Membership.objects.filter(user=org_a.facilitator).update(role="analyst")
    assert bearer(key).get("/api/v1/participants/").status_code == 403
    assert bearer(key).get("/api/v1/me/").json()["role"] == "analyst"


def test_unknown_malformed_and_oversized_tokens_are_refused(db):
    for header in ("Bearer nope", "Bearer a b", "Bearer " + "x" * 5000, "Bearer", "Token \u00e9\u00e9"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/v1/workshops/")
        assert response.status_code == 401, header
        assert response.json()["errors"][0]["field"] is None


def test_the_browsable_api_works_with_a_console_session(client, org_a):
    client.force_login(org_a.admin)
    response = client.get("/api/v1/workshops/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and b"Workshop" in response.content
    assert client.get("/api/v1/me/").json()["token"] is None


def test_a_session_without_csrf_cannot_write(org_a):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(org_a.admin)
    response = client.post("/api/v1/workshops/", {"title": "x", "scenarios": ["library:leaves-at-four"]},
                           format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["errors"][0]["message"]
