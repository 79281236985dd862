"""An organization admin cannot make the server call its own network through the LLM base URL: not from the
settings page ("Save and test the LLM connection"), not from the worker that writes a workshop's analogies.
The admin and the monitor see the kind of failure only, never what the endpoint answered. The operator's
LLM_ALLOWED_HOSTS lets an on-premises endpoint on a private address work; OPENAI_BASE_URL is the operator's own."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from tests import factories
from tests.debrief.conftest import finish_analogies
from tests.egress_servers import FakeDNS, ScriptedEndpoint, chat_reply, chunks
from tests.tenancy.test_organization_settings import reload, settings_form
from workshop.envutil import envhosts
from workshop.participants.models import Analogy
from workshop.tenancy.models import Organization
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop

# Spellings of this machine that reach a server on 127.0.0.1 (the fake LLM server) when nothing checks them.
LOOPBACK = ["127.0.0.1", "127.1", "2130706433", "0x7f000001", "017700000001", "0177.0.0.1", "0.0.0.0", "localhost",
            "[::ffff:127.0.0.1]"]
MARKER = "redis_version:7.2.4-INTERNAL-REPLY-5be1c09d"


def port_of(base_url: str) -> int:
    return int(base_url.rsplit(":", 1)[1].split("/")[0])


@pytest.fixture
def no_allow_list(settings):
    """The product's default: the operator allows no host on the server's own network."""
    settings.LLM_ALLOWED_HOSTS = ()
    return settings


def save_and_test(client, org_a, **changes):
    client.force_login(org_a.admin)
    return client.post(reverse("facilitator:organization"),
                       settings_form(reload(org_a), llm_model="fake-model", test="1", **changes), follow=True)


@pytest.mark.parametrize("host", LOOPBACK)
def test_save_and_test_with_a_loopback_url_makes_no_connection(client, org_a, llm_server, no_allow_list, host):
    url = f"http://{host}:{port_of(llm_server.base_url)}/v1"
    page = save_and_test(client, org_a, llm_base_url=url).content.decode()
    assert llm_server.requests == []
    assert "on the server&#x27;s own network" in page and reload(org_a).llm_base_url == ""


def test_save_and_test_with_a_name_that_resolves_to_loopback_makes_no_connection(client, org_a, llm_server,
                                                                                   no_allow_list, monkeypatch):
    FakeDNS(monkeypatch, {"llm.attacker.example": [["127.0.0.1"]]})
    url = f"http://llm.attacker.example:{port_of(llm_server.base_url)}/v1"
    page = save_and_test(client, org_a, llm_base_url=url).content.decode()
    assert "Connection test: openai: blocked address" in page
    assert llm_server.requests == [] and reload(org_a).llm_base_url == url


def test_the_worker_never_connects_to_a_loopback_url_stored_before_the_check(org_a, llm_server, no_allow_list):
    """A URL saved by an older version (or written around the form) is refused where the analogy is written."""
    with unscoped():
        Organization.objects.filter(pk=org_a.org.pk).update(llm_base_url=llm_server.base_url, llm_model="fake-model")
        workshop = factories.open_workshop(org_a, scenarios=1)
        Workshop.objects.filter(pk=workshop.pk).update(engine="openai")
    participant, _ = factories.joined_participant(workshop, "Ada", domains=["sailing"])
    finish_analogies(participant)
    with unscoped():
        analogy = Analogy.objects.get(participant=participant, is_current=True)
    assert analogy.engine == "builtin" and analogy.fallback_reason == "openai: blocked address"
    assert llm_server.requests == []


def test_an_allow_listed_on_premises_endpoint_works(client, org_a, llm_server, settings, monkeypatch):
    settings.LLM_ALLOWED_HOSTS = envhosts_from("vllm.internal", monkeypatch)
    FakeDNS(monkeypatch, {"vllm.internal": [["127.0.0.1"]], "other.internal": [["127.0.0.1"]]})
    port = port_of(llm_server.base_url)
    page = save_and_test(client, org_a, llm_base_url=f"http://vllm.internal:{port}/v1").content.decode()
    assert "Connection test: openai: fake-model answered" in page and len(llm_server.requests) == 1
    page = save_and_test(client, org_a, llm_base_url=f"http://other.internal:{port}/v1").content.decode()
    assert "Connection test: openai: blocked address" in page and len(llm_server.requests) == 1


def test_an_allow_listed_network_works(client, org_a, llm_server, settings, monkeypatch):
    settings.LLM_ALLOWED_HOSTS = envhosts_from("127.0.0.0/8", monkeypatch)
    page = save_and_test(client, org_a, llm_base_url=llm_server.base_url).content.decode()
    assert "Connection test: openai: fake-model answered" in page


def test_the_operators_own_endpoint_is_trusted_but_not_for_an_organizations_url(client, org_a, llm_server,
                                                                                no_allow_list):
    no_allow_list.OPENAI_BASE_URL = llm_server.base_url
    page = save_and_test(client, org_a).content.decode()
    assert "Connection test: openai: fake-model answered" in page and len(llm_server.requests) == 1
    page = save_and_test(client, org_a, llm_base_url=llm_server.base_url).content.decode()
    assert "on the server&#x27;s own network" in page and len(llm_server.requests) == 1


@pytest.mark.parametrize("status, kind", [(401, "401 unauthorized"), (404, "404 bad reply"),
                                          (302, "302 redirect, not followed")])
def test_the_admin_sees_the_kind_of_failure_never_the_reply(client, org_a, status, kind):
    endpoint = ScriptedEndpoint(status, {"error": {"message": MARKER, "type": MARKER}},
                                {"Location": "http://127.0.0.1:9/" + MARKER})
    try:
        page = save_and_test(client, org_a, llm_base_url=f"http://127.0.0.1:{endpoint.port}/v1").content.decode()
    finally:
        endpoint.close()
    assert endpoint.requests and f"Connection test: openai: {kind}" in page
    assert not any(piece in page for piece in chunks(MARKER))


# A usable analogy but for one emotion label, which the engine's record quotes: only the label is wrong.
STORY = " ".join(["You spent weeks on a plan with your friends, and then they went ahead without you."] * 8)
ALMOST_VALID = {"title": "A plan without you", "text": STORY, "bridge": "This is close to what they live through.",
                "source": {"kind": "universal"}, "emotions": [MARKER],
                "mapping": [{"scenario": s, "analogy": a} for s, a in [("the colleague", "you"),
                                                                         ("the team", "your friends"),
                                                                         ("the meeting", "the plan")]]}


@pytest.mark.parametrize("status, body", [(404, {"error": {"message": MARKER}}),
                                          (200, chat_reply(json.dumps(ALMOST_VALID)))])
def test_the_monitor_shows_the_kind_of_failure_never_the_reply(client, org_a, status, body):
    endpoint = ScriptedEndpoint(status, body)
    try:
        with unscoped():
            Organization.objects.filter(pk=org_a.org.pk).update(
                llm_base_url=f"http://127.0.0.1:{endpoint.port}/v1", llm_model="fake-model")
            workshop = factories.open_workshop(org_a, scenarios=1)
            Workshop.objects.filter(pk=workshop.pk).update(engine="openai")
        participant, _ = factories.joined_participant(workshop, "Bo", domains=["pottery"])
        finish_analogies(participant)
    finally:
        endpoint.close()
    client.force_login(org_a.facilitator)
    pages = [client.get(reverse(name, args=[workshop.public_id])).content.decode()
             for name in ("facilitator:monitor", "facilitator:monitor_live")]
    with unscoped():
        analogy = Analogy.objects.get(participant=participant, is_current=True)
    assert endpoint.requests and analogy.engine == "builtin" and analogy.fallback_reason
    assert all("openai: " in page for page in pages), "the reason is on the monitor"
    assert not any(piece in page for piece in chunks(MARKER) for page in pages)


def envhosts_from(value: str, monkeypatch) -> tuple[str, ...]:
    monkeypatch.setenv("LLM_ALLOWED_HOSTS", value)
    return envhosts("LLM_ALLOWED_HOSTS")


def test_the_allow_list_setting_fails_loudly_on_a_bad_entry(monkeypatch):
    assert envhosts_from("vllm.internal, 10.0.5.0/24,127.0.0.1", monkeypatch) == (
        "vllm.internal", "10.0.5.0/24", "127.0.0.1/32")
    assert envhosts_from("", monkeypatch) == ()
    for bad in ("10.0.5.1/24", "http://vllm.internal", "vllm.internal:8000", "*.internal"):
        monkeypatch.setenv("LLM_ALLOWED_HOSTS", bad)
        with pytest.raises(ImproperlyConfigured, match="LLM_ALLOWED_HOSTS"):
            envhosts("LLM_ALLOWED_HOSTS")


def test_the_site_does_not_start_with_a_bad_allow_list():
    env = {**os.environ, "LLM_ALLOWED_HOSTS": "10.0.5.1/24"}
    result = subprocess.run([sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode != 0 and "LLM_ALLOWED_HOSTS" in result.stderr and "host bits" in result.stderr
