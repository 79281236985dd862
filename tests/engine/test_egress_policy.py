"""Which addresses an LLM endpoint may reach (workshop/engine/llm/egress.py), without any network."""

from __future__ import annotations

import ipaddress

import pytest

from workshop.engine import LLMConfig
from workshop.engine.llm.egress import EgressPolicy, endpoint_entry, is_public, literal_address, parse_allowed_hosts

NOT_PUBLIC = ["127.0.0.1", "127.255.255.254", "0.0.0.0", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254",
              "100.64.0.1", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.2.1",
              "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
              "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2002:a00:1::1"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_it_refuses_every_address_that_is_not_public(address):
    assert not is_public(ipaddress.ip_address(address))
    assert not EgressPolicy().address_allowed(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808"])
def test_it_lets_public_addresses_through(address):
    assert EgressPolicy().address_allowed(ipaddress.ip_address(address))


@pytest.mark.parametrize("spelling", ["127.0.0.1", "127.1", "2130706433", "0x7f000001", "017700000001", "0177.0.0.1",
                                      "0x7f.0.0.1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]"])
def test_every_spelling_of_loopback_reads_as_loopback(spelling):
    assert literal_address(spelling).is_loopback or literal_address(spelling).ipv4_mapped.is_loopback
    assert EgressPolicy().literal_refused(f"http://{spelling}:8000/v1")


@pytest.mark.parametrize("url", ["http://localhost:11434/v1", "http://LOCALHOST./v1", "http://api.localhost/v1",
                                 "http://0.0.0.0:8000/v1", "http://[::]/v1", "http://169.254.169.254/latest"])
def test_localhost_and_unspecified_addresses_are_refused_before_any_lookup(url):
    assert EgressPolicy().literal_refused(url)


def test_a_name_is_left_to_the_connection_check():
    assert not EgressPolicy().literal_refused("http://ollama:11434/v1")
    assert not EgressPolicy().literal_refused("https://api.openai.com/v1")


def test_the_operator_allows_names_and_networks():
    policy = EgressPolicy.from_entries(["vllm.internal", "10.0.5.0/24", "127.0.0.1"])
    assert policy.name_allowed("VLLM.internal.")
    assert policy.address_allowed(ipaddress.ip_address("10.0.5.7"))
    assert not policy.address_allowed(ipaddress.ip_address("10.0.6.7"))
    assert policy.address_allowed(ipaddress.ip_address("::ffff:127.0.0.1"))
    assert not policy.address_allowed(ipaddress.ip_address("127.0.0.2"))
    assert not policy.literal_refused("http://127.0.0.1:8000/v1")
    assert policy.literal_refused("http://127.0.0.2:8000/v1")


@pytest.mark.parametrize("bad", ["10.0.5.1/24", "http://vllm.internal", "10.0.0.300", "*.corp", "vllm internal",
                                 "10.0.0.0/33", "vllm.internal:8000"])
def test_a_bad_allow_list_entry_is_refused_loudly(bad):
    with pytest.raises(ValueError, match="vllm|10.0|corp"):
        parse_allowed_hosts([bad])
    with pytest.raises(ValueError):
        LLMConfig(model="m", allowed_hosts=[bad])


def test_the_allow_list_is_kept_canonical():
    assert parse_allowed_hosts(["Vllm.Internal.", " 10.0.5.0/24 ", "2130706433", "[::1]", ""]) == (
        "vllm.internal", "10.0.5.0/24", "127.0.0.1/32", "::1/128")


def test_the_engine_reads_the_operators_allow_list_from_the_environment(monkeypatch):
    monkeypatch.setenv("LLM_ALLOWED_HOSTS", "vllm.internal, 10.0.5.0/24")
    assert LLMConfig(model="m").allowed_hosts == ("vllm.internal", "10.0.5.0/24")
    monkeypatch.setenv("LLM_ALLOWED_HOSTS", "10.0.5.1/24")
    with pytest.raises(ValueError, match="LLM_ALLOWED_HOSTS"):
        LLMConfig(model="m")


def test_the_operators_own_endpoint_is_trusted_wherever_it_points(monkeypatch):
    monkeypatch.setenv("LLM_ALLOWED_HOSTS", "")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://10.0.5.7:8000/v1")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert LLMConfig.from_env().allowed_hosts == ("10.0.5.7/32",)
    assert endpoint_entry("http://ollama:11434/v1") == ("ollama",)
    assert endpoint_entry("http://2130706433/v1") == ("127.0.0.1/32",)
