"""The egress policy on real connections: the `openai` SDK over HTTP, with local servers counting what reaches
them. An organization's base URL never makes the server connect to its own network."""

from __future__ import annotations

import json

import pytest

from tests.egress_servers import FakeDNS, Listener, ScriptedEndpoint, chat_reply, chunks, counting_connects
from tests.llm_server import FakeLLMServer
from workshop.engine import LLMConfig, generate, llm_test_connection
from workshop.engine.llm import shown_reason

from .conftest import scenario

LOOPBACK_SPELLINGS = ["127.0.0.1", "127.1", "2130706433", "0x7f000001", "017700000001", "0177.0.0.1", "0.0.0.0",
                      "[::1]", "[::]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "localhost", "LOCALHOST.", "localhost."]
INTERNAL = ["10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "224.0.0.1", "240.0.0.1",
            "255.255.255.255", "198.18.0.1", "[fe80::1]", "[fc00::1]", "[ff02::1]", "[::ffff:169.254.169.254]",
            "[64:ff9b::a9fe:a9fe]", "[2002:a9fe:a9fe::1]"]
MARKER = "redis_version:7.2.4-INTERNAL-REPLY-3f9c2a71"


def config(url: str, **changes) -> LLMConfig:
    values = {"base_url": url, "model": "fake-model", "timeout_s": 2, "max_retries": 0, "allowed_hosts": ()}
    return LLMConfig(**{**values, **changes})


@pytest.fixture
def listener():
    """Connections to one port on 127.0.0.1 and ::1."""
    server = Listener(("127.0.0.1", "::1"))
    yield server
    server.close()


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_no_spelling_of_loopback_makes_a_connection(listener, host):
    ok, message = llm_test_connection(config(f"http://{host}:{listener.port}/v1"))
    # The HTTP library itself refuses a few spellings (0177.0.0.1); every other one is refused by the check.
    assert not ok and message in ("openai: blocked address", "openai: invalid base URL")
    assert listener.connections == []


@pytest.mark.parametrize("host", INTERNAL)
def test_no_private_link_local_multicast_or_reserved_address_is_even_tried(monkeypatch, host):
    attempts = counting_connects(monkeypatch)
    ok, message = llm_test_connection(config(f"http://{host}:8000/v1"))
    assert (ok, message) == (False, "openai: blocked address")
    assert attempts == []


def test_a_name_that_resolves_to_an_internal_address_is_refused(monkeypatch, listener):
    FakeDNS(monkeypatch, {"llm.attacker.example": [["127.0.0.1"]], "metadata.attacker.example": [["169.254.169.254"]]})
    attempts_before = len(listener.connections)
    assert llm_test_connection(config(f"http://llm.attacker.example:{listener.port}/v1")) == (
        False, "openai: blocked address")
    assert llm_test_connection(config("http://metadata.attacker.example/v1")) == (False, "openai: blocked address")
    assert len(listener.connections) == attempts_before == 0


def test_one_internal_address_among_public_ones_refuses_the_name(monkeypatch):
    attempts = counting_connects(monkeypatch)
    FakeDNS(monkeypatch, {"mixed.attacker.example": [["93.184.216.34", "10.0.0.1"]]})
    assert llm_test_connection(config("http://mixed.attacker.example/v1")) == (False, "openai: blocked address")
    assert attempts == []


def test_dns_rebinding_gets_no_connection_to_the_internal_address(monkeypatch, llm_server):
    """The name answers an allowed address first and an internal one after: every new connection resolves
    again and connects to the very address it checked, so the internal server is never reached."""
    port = int(llm_server.base_url.rsplit(":", 1)[1].split("/")[0])
    internal = Listener(("127.0.0.2",), port=port)
    try:
        dns = FakeDNS(monkeypatch, {"rebind.attacker.example": [["127.0.0.1"], ["127.0.0.2"]]})
        llm = config(f"http://rebind.attacker.example:{port}/v1", allowed_hosts=("127.0.0.1",))
        first = llm_test_connection(llm)
        second = llm_test_connection(llm)
    finally:
        internal.close()
    assert first[0] and len(llm_server.chat_requests()) == 1
    assert second == (False, "openai: blocked address")
    assert internal.connections == []
    assert dns.asked == ["rebind.attacker.example"] * 2, "one lookup per connection, none between check and connect"


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_not_followed(status):
    target = Listener(("127.0.0.1",))
    endpoint = ScriptedEndpoint(status, {"error": {"message": MARKER}},
                                {"Location": f"http://127.0.0.1:{target.port}/v1/chat/completions"})
    try:
        ok, message = llm_test_connection(config(f"http://127.0.0.1:{endpoint.port}/v1",
                                                 allowed_hosts=("127.0.0.1",)))
    finally:
        endpoint.close()
        target.close()
    assert (ok, message) == (False, f"openai: {status} redirect, not followed")
    assert len(endpoint.requests) == 1 and target.connections == []


@pytest.mark.parametrize("status, kind", [(400, "bad reply"), (401, "unauthorized"), (403, "unauthorized"),
                                          (404, "bad reply"), (422, "bad reply")])
def test_an_error_reply_is_reported_by_its_kind_never_by_its_body(status, kind):
    endpoint = ScriptedEndpoint(status, {"error": {"message": MARKER, "type": MARKER, "code": MARKER}})
    try:
        ok, message = llm_test_connection(config(f"http://127.0.0.1:{endpoint.port}/v1",
                                                 allowed_hosts=("127.0.0.1",)))
    finally:
        endpoint.close()
    assert (ok, message) == (False, f"openai: {status} {kind}")


@pytest.mark.parametrize("status, body", [(500, {"error": {"message": MARKER}}), (200, MARKER),
                                          (200, chat_reply(MARKER)), (200, {"unexpected": MARKER})])
def test_what_an_internal_service_answers_never_reaches_a_reason(scenarios, profiles, status, body):
    endpoint = ScriptedEndpoint(status, body)
    try:
        llm = config(f"http://127.0.0.1:{endpoint.port}/v1", allowed_hosts=("127.0.0.1",), backoff_base_s=0.01)
        tested = llm_test_connection(llm)
        result = generate(scenarios[0], profiles["maya"], engine="openai", llm=llm)
    finally:
        endpoint.close()
    assert endpoint.requests, "the endpoint was really asked"
    assert result.engine == "builtin" and result.fallback_reason
    for shown in (tested[1], result.fallback_reason):
        assert not any(piece in shown for piece in chunks(MARKER)), shown


def test_a_model_reply_quoted_in_the_record_is_cut_from_what_people_see(scenarios, profiles):
    """The engine's own checks may quote the model's words in the record (an unknown emotion label); what a
    facilitator is shown is the kind of failure only."""
    draft = {"title": "A title", "text": "Some text.", "bridge": "A bridge.", "source": {"kind": "universal"},
             "mapping": [{"scenario": "a", "analogy": "b"}], "emotions": [MARKER]}
    endpoint = ScriptedEndpoint(200, chat_reply(json.dumps(draft)))
    try:
        llm = config(f"http://127.0.0.1:{endpoint.port}/v1", allowed_hosts=("127.0.0.1",))
        result = generate(scenarios[0], profiles["maya"], engine="openai", llm=llm)
    finally:
        endpoint.close()
    assert result.engine == "builtin" and result.fallback_reason.startswith("openai: ")
    assert not any(piece in shown_reason(result.fallback_reason) for piece in chunks(MARKER))


def test_an_allow_listed_private_host_works(monkeypatch, scenarios, profiles, llm_server):
    port = int(llm_server.base_url.rsplit(":", 1)[1].split("/")[0])
    FakeDNS(monkeypatch, {"vllm.internal": [["127.0.0.1"]], "other.internal": [["127.0.0.1"]]})
    by_name = config(f"http://vllm.internal:{port}/v1", allowed_hosts=("vllm.internal",), timeout_s=5)
    by_network = config(f"http://127.0.0.1:{port}/v1", allowed_hosts=("127.0.0.0/8",), timeout_s=5)
    assert llm_test_connection(by_name)[0] and llm_test_connection(by_network)[0]
    result = generate(scenario(scenarios, "lunch-without-priya"), profiles["maya"], engine="openai", llm=by_name)
    assert result.fallback_reason is None or "blocked" not in result.fallback_reason
    assert llm_server.chat_requests("analogy")
    not_listed = config(f"http://other.internal:{port}/v1", allowed_hosts=("vllm.internal",))
    assert llm_test_connection(not_listed) == (False, "openai: blocked address")


def test_a_blocked_endpoint_falls_back_at_once_without_retrying(listener, profiles, scenarios):
    llm = config(f"http://127.0.0.1:{listener.port}/v1", max_retries=3, backoff_base_s=1)
    result = generate(scenarios[0], profiles["maya"], engine="openai", llm=llm)
    assert result.engine == "builtin" and result.fallback_reason == "openai: blocked address"
    assert listener.connections == [] and result.usage.latency_ms < 1000


def test_no_proxy_from_the_environment_carries_the_request(monkeypatch):
    """A proxy would make the connection we check: the SDK's client ignores HTTP(S)_PROXY."""
    proxy = Listener(("127.0.0.1",))
    try:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
            monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.port}")
        with FakeLLMServer() as server:
            ok, _ = llm_test_connection(config(server.base_url, allowed_hosts=("127.0.0.1",)))
    finally:
        proxy.close()
    assert ok and proxy.connections == []

