import pytest
from django.urls import reverse

from tests.llm_server import FakeLLMServer
from workshop.tenancy.models import AuditEvent, Organization
from workshop.tenancy.scope import unscoped

SECRET = "sk-test-0123456789abcdefSECRET"


def settings_form(org: Organization, **changes) -> dict:
    data = {"anonymity_k": org.anonymity_k, "retention_days": org.retention_days, "paper_size": org.paper_size,
            "default_language": org.default_language, "llm_base_url": org.llm_base_url, "llm_model": org.llm_model,
            "llm_requests_per_minute": org.llm_requests_per_minute,
            "llm_tokens_per_minute": org.llm_tokens_per_minute, "llm_api_key": ""}
    data.update(changes)
    return data


def reload(org_a) -> Organization:
    with unscoped():
        return Organization.objects.get(pk=org_a.org.pk)


def test_the_api_key_is_stored_encrypted_and_never_shown_back(client, org_a):
    client.force_login(org_a.admin)
    url = reverse("facilitator:organization")
    response = client.post(url, settings_form(org_a.org, llm_api_key=SECRET))
    assert response.status_code == 302
    org = reload(org_a)
    assert SECRET not in org.llm_api_key_encrypted and org.llm_api_key() == SECRET
    page = client.get(url).content.decode()
    assert SECRET not in page and "A key is stored." in page


def test_an_empty_key_field_keeps_the_key_and_the_checkbox_removes_it(client, org_a):
    client.force_login(org_a.admin)
    url = reverse("facilitator:organization")
    client.post(url, settings_form(org_a.org, llm_api_key=SECRET))
    client.post(url, settings_form(reload(org_a), llm_model="another-model"))
    assert reload(org_a).llm_api_key() == SECRET
    client.post(url, settings_form(reload(org_a), clear_llm_api_key="on"))
    assert reload(org_a).llm_api_key() == ""


def test_every_settings_change_is_audited_without_the_key(client, org_a):
    client.force_login(org_a.admin)
    client.post(reverse("facilitator:organization"), settings_form(org_a.org, anonymity_k=7, llm_api_key=SECRET))
    with unscoped():
        event = AuditEvent.objects.get(organization=org_a.org, action="settings.change")
    assert event.actor == org_a.admin
    assert event.detail == {"fields": ["anonymity_k"], "api_key": "replaced"}
    assert SECRET not in str(event.detail)


@pytest.mark.parametrize("k", [2, 11])
def test_the_anonymity_threshold_stays_between_3_and_10(client, org_a, k):
    client.force_login(org_a.admin)
    response = client.post(reverse("facilitator:organization"), settings_form(org_a.org, anonymity_k=k))
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert reload(org_a).anonymity_k == 5


def test_test_connection_reports_success_and_failure(client, org_a):
    client.force_login(org_a.admin)
    url = reverse("facilitator:organization")
    with FakeLLMServer() as server:
        response = client.post(url, settings_form(org_a.org, llm_base_url=server.base_url, llm_model="fake-model",
                                                  test="1"), follow=True)
    assert "Connection test: openai: fake-model answered" in response.content.decode()
    response = client.post(url, settings_form(reload(org_a), llm_base_url="http://127.0.0.1:9/v1", test="1"),
                           follow=True)
    assert "Connection test: openai:" in response.content.decode() and "answered" not in response.content.decode()


@pytest.mark.parametrize("role", ["facilitator", "analyst"])
def test_only_admins_change_settings(client, org_a, role):
    client.force_login(getattr(org_a, role))
    response = client.post(reverse("facilitator:organization"), settings_form(org_a.org, anonymity_k=9))
    assert response.status_code == 404
    assert reload(org_a).anonymity_k == 5


@pytest.mark.parametrize("url, ok", [("http://ollama:11434/v1", True), ("https://api.openai.com/v1", True),
                                     ("ftp://example.com", False), ("not a url", False)])
def test_the_llm_address_may_be_any_http_host(client, org_a, url, ok):
    client.force_login(org_a.admin)
    client.post(reverse("facilitator:organization"), settings_form(org_a.org, llm_base_url=url))
    assert (reload(org_a).llm_base_url == url) is ok


def test_the_servers_api_key_is_never_sent_to_an_organizations_own_address(org_a, settings):
    from workshop.participants.llm import llm_config_for

    settings.OPENAI_API_KEY, settings.OPENAI_BASE_URL = "sk-server-wide", ""
    org = reload(org_a)
    assert llm_config_for(org, with_hooks=False).api_key == "sk-server-wide"  # the server's own endpoint
    org.llm_base_url = "http://attacker.example/v1"
    config = llm_config_for(org, with_hooks=False)
    assert config.base_url == "http://attacker.example/v1" and config.api_key == ""
