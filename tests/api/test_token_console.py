"""The console's API tokens page: make a token (its key shown once), revoke it; admins revoke anyone's."""

import re

from django.urls import reverse

from workshop.api.models import ApiToken
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped

URL = reverse("facilitator:api_tokens")


def _make(client, name="Dashboard") -> str:
    response = client.post(URL, {"name": name})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    return re.search(r'<code id="new-token">([^<]+)</code>', response.content.decode()).group(1)


def test_a_member_makes_a_token_that_works_and_is_shown_only_once(client, org_a):
    client.force_login(org_a.analyst)
    key = _make(client)
    assert client.get(URL).content.decode().count(key) == 0, "the key is never shown again"
    client.logout()
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert me == {"username": "analyst-acme", "organization": "acme", "role": "analyst", "token": "Dashboard"}


def test_a_member_revokes_their_own_token(client, org_a):
    client.force_login(org_a.facilitator)
    key = _make(client)
    with unscoped():
        token = ApiToken.objects.get()
    assert client.post(URL, {"action": "revoke", "token": token.pk}).status_code == 302
    client.logout()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    with unscoped():
        assert AuditEvent.objects.filter(action="api_token.revoke", actor=org_a.facilitator).count() == 1


def test_members_see_and_revoke_only_their_own_admins_anyones(client, org_a, org_b):
    client.force_login(org_a.facilitator)
    _make(client, "facilitator's")
    with unscoped():
        token = ApiToken.objects.get()
    client.force_login(org_a.analyst)
    assert "facilitator&#x27;s" not in client.get(URL).content.decode()
    assert client.post(URL, {"action": "revoke", "token": token.pk}).status_code == 404
    client.force_login(org_b.admin)
    assert client.post(URL, {"action": "revoke", "token": token.pk}).status_code == 404
    with unscoped():
        token.refresh_from_db()
    assert token.revoked_at is None
    client.force_login(org_a.admin)
    assert "facilitator&#x27;s" in client.get(URL).content.decode()
    assert client.post(URL, {"action": "revoke", "token": token.pk}).status_code == 302
    with unscoped():
        token.refresh_from_db()
    assert token.revoked_at is not None


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    assert client.get(URL).status_code == 302
