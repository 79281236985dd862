"""Secrets (an organization's LLM key, the SECRET_KEY) never appear in logs, pages or stored error texts, even
when the LLM endpoint answers with an error that repeats the key; the key is encrypted in its database column.
Already proven: tests/tenancy/test_organization_settings.py (the settings page says only that a key is stored;
the audit record of a change names no key; the server's own key is never sent to an organization's address)."""

import http.server
import json
import logging
import secrets
import threading

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from tests import factories
from tests.debrief.conftest import finish_analogies
from tests.tenancy.test_isolation import MEMBER, all_routes, url_for
from tests.tenancy.test_organization_settings import reload, settings_form
from workshop.participants.models import Analogy
from workshop.tenancy.models import AuditEvent, Organization
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop

KEY = "sk-live-" + secrets.token_hex(20)


def secret_chunks(size: int = 10) -> list[str]:
    """Every 10-character piece of the key's secret part: a truncated key is still a leak."""
    secret = KEY.removeprefix("sk-live-")
    return [secret[i:i + size] for i in range(len(secret) - size + 1)]


@pytest.fixture
def echoing_endpoint():
    """An OpenAI-compatible address that refuses the key and repeats it in its error, as some proxies do."""
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _refuse(self):
            auth = self.headers.get("Authorization", "")
            seen.append(auth)
            body = json.dumps({"error": {"message": f"Incorrect API key provided: {auth.removeprefix('Bearer ')}",
                                         "type": "invalid_request_error", "code": "invalid_api_key"}}).encode()
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _refuse

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", seen
    server.shutdown()


@pytest.fixture
def verbose_logs(caplog):
    """Everything at DEBUG, including the HTTP client and the SDK, which the settings quieten."""
    for name in ("", "openai", "httpx", "httpcore", "django", "participants", "workshop", "celery"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def test_the_key_is_encrypted_in_its_database_column(client, org_a):
    client.force_login(org_a.admin)
    client.post(reverse("facilitator:organization"), settings_form(org_a.org, llm_api_key=KEY))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Organization._meta.db_table} WHERE id = %s", [org_a.org.pk])
        columns = [c[0] for c in cursor.description]
        row = dict(zip(columns, cursor.fetchone(), strict=True))
    stored = row["llm_api_key_encrypted"]
    assert stored and KEY not in stored and stored.startswith("gAAAA")  # a Fernet token
    assert not any(KEY in str(value) for value in row.values())
    assert reload(org_a).llm_api_key() == KEY


def test_no_console_page_shows_the_key(client, org_a, world):
    client.force_login(org_a.admin)
    client.post(reverse("facilitator:organization"), settings_form(org_a.org, llm_api_key=KEY))
    checked = 0
    for name, params in all_routes():
        if name in MEMBER:
            response = client.get(url_for(name, params, world))
            assert KEY not in response.content.decode(errors="replace"), name
            checked += response.status_code == 200
    assert checked >= 10


def test_an_endpoint_that_repeats_the_key_leaks_it_nowhere(client, org_a, echoing_endpoint, verbose_logs):
    base_url, seen = echoing_endpoint
    client.force_login(org_a.admin)
    settings_url = reverse("facilitator:organization")
    client.post(settings_url, settings_form(org_a.org, llm_api_key=KEY, llm_base_url=base_url,
                                            llm_model="fake-model"))
    tested = client.post(settings_url, settings_form(reload(org_a), llm_base_url=base_url, llm_model="fake-model",
                                                     test="1"), follow=True).content.decode()
    workshop = factories.open_workshop(org_a, scenarios=1)
    with unscoped():
        Workshop.objects.filter(pk=workshop.pk).update(engine="openai")
    participant, _ = factories.joined_participant(workshop, "Keyholder", domains=["choir"])
    finish_analogies(participant)
    monitor = client.get(reverse("facilitator:monitor", args=[workshop.public_id])).content.decode()

    assert seen and all(auth == f"Bearer {KEY}" for auth in seen), "the endpoint was really asked with the key"
    assert "Connection test: openai:" in tested
    assert not any(chunk in page for chunk in secret_chunks() for page in (tested, monitor))
    with unscoped():
        analogy = Analogy.objects.get(participant=participant, is_current=True)
        audit = list(AuditEvent.objects.filter(organization=org_a.org).values_list("detail", flat=True))
    assert analogy.state == "done" and analogy.engine == "builtin"  # the built-in engine answered
    stored = json.dumps([analogy.error, analogy.fallback_reason, analogy.checks, analogy.text, audit])
    assert not any(chunk in stored for chunk in secret_chunks()), stored
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")  # with tracebacks, as a handler writes
    logged = "\n".join(formatter.format(r) for r in verbose_logs.records)
    assert logged, "nothing was logged at all: the capture is not working"
    assert not any(chunk in logged for chunk in secret_chunks())
    assert django_settings.SECRET_KEY not in logged
