"""Rules that only the console used to check now live in the services: called directly (as a future API view, a
command or the demo would), the service refuses what the console refuses, in the same words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.tenancy.test_organization_settings import SECRET, reload, settings_form
from workshop.api.models import ApiToken
from workshop.api.services import MAX_ACTIVE_TOKENS, TokenRefused, api_token_create, api_token_revoke
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.organization import SettingsRefused, organization_settings_change
from workshop.tenancy.scope import unscoped

BLOCKED = "http://10.0.0.5/v1"


def recorded(team, action: AuditAction) -> int:
    with unscoped():
        return AuditEvent.objects.filter(organization=team.org, action=action).count()


def test_a_members_twenty_first_live_token_is_refused_by_the_service_and_the_page(client, org_a, org_b):
    with unscoped():
        for i in range(MAX_ACTIVE_TOKENS):
            api_token_create(organization_id=org_a.org.id, user=org_a.analyst, name=f"t{i}")
        with pytest.raises(TokenRefused) as refused:
            api_token_create(organization_id=org_a.org.id, user=org_a.analyst, name="one too many")
        api_token_create(organization_id=org_b.org.id, user=org_b.analyst, name="another organization's")
    client.force_login(org_a.analyst)
    page = client.post(reverse("facilitator:api_tokens"), {"name": "one too many"}).content.decode()
    assert str(refused.value) == "You have 20 active tokens; revoke one first." and str(refused.value) in page
    with unscoped():
        assert ApiToken.objects.filter(user=org_a.analyst).count() == MAX_ACTIVE_TOKENS
    assert recorded(org_a, AuditAction.API_TOKEN_CREATE) == MAX_ACTIVE_TOKENS


def test_only_the_owner_or_an_admin_revokes_a_token(org_a, org_b):
    with unscoped():
        token, _key = api_token_create(organization_id=org_a.org.id, user=org_a.facilitator, name="dashboard")
        for outsider in (org_a.analyst, org_b.admin):
            with pytest.raises(TokenRefused):
                api_token_revoke(token=token, actor=outsider)
        token.refresh_from_db()
        assert token.revoked_at is None and recorded(org_a, AuditAction.API_TOKEN_REVOKE) == 0
        assert api_token_revoke(token=token, actor=org_a.admin) is True
    assert recorded(org_a, AuditAction.API_TOKEN_REVOKE) == 1


def test_an_llm_address_on_the_servers_network_is_refused_by_the_service_and_the_page(client, org_a, settings):
    settings.LLM_ALLOWED_HOSTS = ""
    with unscoped(), pytest.raises(SettingsRefused) as refused:
        organization_settings_change(organization_id=org_a.org.id, actor=org_a.admin,
                                     changes={"llm_base_url": BLOCKED})
    client.force_login(org_a.admin)
    page = client.post(reverse("facilitator:organization"), settings_form(org_a.org, llm_base_url=BLOCKED))
    assert page.status_code == 200
    assert page.context["form"].errors["llm_base_url"] == [refused.value.errors["llm_base_url"]]
    assert reload(org_a).llm_base_url == "" and recorded(org_a, AuditAction.SETTINGS_CHANGE) == 0


@pytest.mark.parametrize("changes, field", [({"retention_days": 0}, "retention_days"),
                                            ({"retention_days": 3651}, "retention_days"),
                                            ({"anonymity_k": 2}, "anonymity_k"),
                                            ({"default_language": "fr"}, "default_language")])
def test_the_service_keeps_every_setting_in_its_range(org_a, changes, field):
    with unscoped(), pytest.raises(SettingsRefused) as refused:
        organization_settings_change(organization_id=org_a.org.id, actor=org_a.admin, changes=changes)
    assert list(refused.value.errors) == [field]
    assert reload(org_a).retention_days == 180 and reload(org_a).anonymity_k == 5


def test_a_stored_key_never_follows_the_address_to_a_new_one(org_a):
    with unscoped():
        organization_settings_change(organization_id=org_a.org.id, actor=org_a.admin,
                                     changes={"llm_base_url": "https://llm.example/v1"}, api_key=SECRET)
        with pytest.raises(SettingsRefused) as refused:
            organization_settings_change(organization_id=org_a.org.id, actor=org_a.admin,
                                         changes={"llm_base_url": "https://elsewhere.example/v1"})
    assert list(refused.value.errors) == ["llm_api_key"]
    assert reload(org_a).llm_base_url == "https://llm.example/v1" and reload(org_a).llm_api_key() == SECRET
