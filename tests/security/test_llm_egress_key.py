"""An organization's LLM key is sent only to the base URL it was entered for: changing the base URL asks for
the key again, and a key stored for one address is never given to another, however the address changed."""

import http.server
import threading

import pytest
from django.urls import reverse

from tests.tenancy.test_organization_settings import reload, settings_form
from workshop.engine import llm_test_connection
from workshop.participants.llm import llm_config_for
from workshop.tenancy.crypto import encrypt_text
from workshop.tenancy.models import Organization
from workshop.tenancy.scope import unscoped

KEY = "sk-proj-egress-0123456789abcdefKEY"
CHANGED = "The LLM base URL changed: enter the API key for the new address"


@pytest.fixture
def endpoints():
    """Two OpenAI-compatible addresses that record the Authorization header they receive and refuse it."""
    servers, seen = [], {}

    def start(name):
        seen[name] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                seen[name].append(self.headers.get("Authorization", ""))
                body = b'{"error": {"message": "no"}}'
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/v1"

    yield {"first": start("first"), "second": start("second")}, seen
    for server in servers:
        server.shutdown()


def save(client, org_a, **changes):
    client.force_login(org_a.admin)
    return client.post(reverse("facilitator:organization"), settings_form(reload(org_a), llm_model="fake-model",
                                                                          **changes))


def test_changing_the_base_url_asks_for_the_key_again(client, org_a, endpoints):
    urls, _ = endpoints
    save(client, org_a, llm_base_url=urls["first"], llm_api_key=KEY)
    response = save(client, org_a, llm_base_url=urls["second"])
    assert response.status_code == 200 and CHANGED in response.content.decode()
    org = reload(org_a)
    assert org.llm_base_url == urls["first"] and org.llm_api_key() == KEY


def test_a_new_base_url_with_its_own_key_is_saved(client, org_a, endpoints):
    urls, seen = endpoints
    save(client, org_a, llm_base_url=urls["first"], llm_api_key=KEY)
    assert save(client, org_a, llm_base_url=urls["second"], llm_api_key="sk-second-key-0000").status_code == 302
    org = reload(org_a)
    assert org.llm_base_url == urls["second"] and org.llm_api_key() == "sk-second-key-0000"
    llm_test_connection(llm_config_for(org, with_hooks=False))
    assert seen == {"first": [], "second": ["Bearer sk-second-key-0000"]}


def test_a_new_base_url_with_the_key_removed_is_saved(client, org_a, endpoints):
    urls, _ = endpoints
    save(client, org_a, llm_base_url=urls["first"], llm_api_key=KEY)
    assert save(client, org_a, llm_base_url=urls["second"], clear_llm_api_key="on").status_code == 302
    org = reload(org_a)
    assert org.llm_base_url == urls["second"] and not org.has_llm_api_key


def test_the_same_base_url_keeps_the_key(client, org_a, endpoints):
    urls, seen = endpoints
    save(client, org_a, llm_base_url=urls["first"], llm_api_key=KEY)
    assert save(client, org_a, llm_base_url=urls["first"], anonymity_k=7).status_code == 302
    llm_test_connection(llm_config_for(reload(org_a), with_hooks=False))
    assert seen["first"] == [f"Bearer {KEY}"]


def test_a_key_stored_for_one_address_is_never_sent_to_another(client, org_a, endpoints):
    """Even when the address changes around the form (a data fix, an import, a future API)."""
    urls, seen = endpoints
    save(client, org_a, llm_base_url=urls["first"], llm_api_key=KEY)
    with unscoped():
        Organization.objects.filter(pk=org_a.org.pk).update(llm_base_url=urls["second"])
    org = reload(org_a)
    assert org.llm_api_key() == ""
    ok, _ = llm_test_connection(llm_config_for(org, with_hooks=False))
    assert not ok and seen["first"] == [] and len(seen["second"]) == 1
    assert KEY not in seen["second"][0]


def test_a_key_stored_before_keys_were_sealed_still_works_for_its_address(org_a, endpoints):
    urls, seen = endpoints
    with unscoped():
        Organization.objects.filter(pk=org_a.org.pk).update(llm_base_url=urls["first"],
                                                            llm_api_key_encrypted=encrypt_text(KEY))
    assert reload(org_a).llm_api_key() == KEY
    llm_test_connection(llm_config_for(reload(org_a), with_hooks=False))
    assert seen["first"] == [f"Bearer {KEY}"]


def test_the_key_and_its_address_are_one_encrypted_value(client, org_a, endpoints):
    urls, _ = endpoints
    save(client, org_a, llm_base_url=urls["first"], llm_api_key=KEY)
    stored = reload(org_a).llm_api_key_encrypted
    assert stored.startswith("gAAAA") and KEY not in stored and urls["first"] not in stored
