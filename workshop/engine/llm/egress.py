"""Where an LLM endpoint may be reached: never the server's own network, unless the operator allows it.

An organization admin types the base URL, so by default every address that is not public is refused:
loopback (in any spelling: 127.1, 2130706433, 0x7f000001, ::ffff:127.0.0.1, localhost), private, shared,
link-local (169.254.169.254), multicast, reserved and unspecified. The check runs on the addresses a host
name resolves to, on every new connection, and the connection goes to the address that was checked, so a
name that resolves to a public address once and to an internal one later (DNS rebinding) gets nowhere.

The operator's allow-list (LLM_ALLOWED_HOSTS) names host names that may resolve anywhere, and networks
whose addresses are allowed, for an on-premises vLLM or Ollama.
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

ALLOWED_HOSTS_ENV = "LLM_ALLOWED_HOSTS"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_HOST_NAME = re.compile(r"^(?=.*[a-z])[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$")
_LOCALHOST = re.compile(r"^(.+\.)?localhost$")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LOOPBACK = ipaddress.ip_address("127.0.0.1")


class EgressBlocked(Exception):
    """The endpoint's address is on the server's own network and not allowed by the operator."""


def _host_key(host: str) -> str:
    return host.strip().lower().rstrip(".")


def parse_allowed_hosts(entries: Iterable[str]) -> tuple[str, ...]:
    """The allow-list in a canonical form: host names lower-cased, addresses and networks normalized.
    Raises ValueError naming the first entry that is neither a host name nor an IP address or network."""
    canonical = []
    for raw in entries:
        entry = _host_key(raw)
        if not entry:
            continue
        address, slash, prefix = entry.partition("/")
        literal = literal_address(address)
        if literal is not None:
            try:
                canonical.append(str(ipaddress.ip_network(f"{literal}{slash}{prefix}", strict=True)))
            except ValueError as exc:
                raise ValueError(f"{raw.strip()!r}: {exc}") from None
            continue
        if not _HOST_NAME.match(entry):
            raise ValueError(f"{raw.strip()!r} is neither a host name nor an IP address or network "
                             "(like vllm.internal, 10.0.5.7 or 10.0.5.0/24)")
        canonical.append(entry)
    return tuple(dict.fromkeys(canonical))


@lru_cache(maxsize=8)
def _parse_env(raw: str) -> tuple[str, ...]:
    try:
        return parse_allowed_hosts(raw.split(","))
    except ValueError as exc:
        raise ValueError(f"{ALLOWED_HOSTS_ENV}: {exc}") from None


def allowed_hosts_from_env() -> tuple[str, ...]:
    """The operator's allow-list from the environment (comma-separated); empty when unset."""
    return _parse_env(os.environ.get(ALLOWED_HOSTS_ENV, ""))


def endpoint_entry(url: str | None) -> tuple[str, ...]:
    """An allow-list entry for the host of a URL the operator set (OPENAI_BASE_URL): the operator's own
    endpoint is trusted wherever it is. An address in any spelling becomes the address itself."""
    host = _host_key(urlsplit(url).hostname or "") if url else ""
    if not host:
        return ()
    literal = literal_address(host)
    return (str(ipaddress.ip_network(literal)),) if literal is not None else (host,)


def literal_address(host: str) -> IPAddress | None:
    """The address a host that is written as one stands for (every spelling the C library accepts:
    127.1, 2130706433, 0x7f000001, 0177.0.0.1, ::ffff:127.0.0.1), without asking DNS; None for a name."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), None, flags=socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError, ValueError):
        return None
    return ipaddress.ip_address(infos[0][4][0].split("%")[0]) if infos else None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4, Teredo), which is where it really goes."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    return address.teredo[1] if address.teredo else None


def is_public(address: IPAddress) -> bool:
    """True for a global unicast address; False for loopback, private, shared, link-local, multicast,
    reserved and unspecified ones, and for IPv6 addresses that carry such an IPv4 address."""
    if address.is_multicast or not address.is_global:
        return False
    if isinstance(address, ipaddress.IPv6Address) and (inner := _embedded_ipv4(address)) is not None:
        return is_public(inner)
    return True


@dataclass(frozen=True)
class EgressPolicy:
    """Public addresses, plus what the operator allowed: names that may resolve anywhere, and networks."""

    names: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> EgressPolicy:
        names, networks = set(), []
        for entry in parse_allowed_hosts(entries):
            try:
                networks.append(ipaddress.ip_network(entry))
            except ValueError:
                names.add(entry)
        return cls(frozenset(names), tuple(networks))

    def name_allowed(self, host: str) -> bool:
        return _host_key(host) in self.names

    def address_allowed(self, address: IPAddress) -> bool:
        if is_public(address):
            return True
        candidates = [address]
        if isinstance(address, ipaddress.IPv6Address) and (inner := _embedded_ipv4(address)) is not None:
            candidates.append(inner)
        return any(a in network for a in candidates for network in self.networks if a.version == network.version)

    def literal_refused(self, url: str) -> bool:
        """True when the URL's host is written as a blocked address or as localhost: refused before any
        lookup. A name is judged by what it resolves to, when a connection is made."""
        try:
            host = _host_key(urlsplit(url).hostname or "")
        except ValueError:  # not a URL at all: the URL validator says so
            return False
        if not host or self.name_allowed(host):
            return False
        literal = _LOOPBACK if _LOCALHOST.match(host) else literal_address(host)
        return literal is not None and not self.address_allowed(literal)

    def resolve(self, host: str, port: int) -> list[str]:
        """Every address the host resolves to, all of them checked; raises EgressBlocked if any is refused
        (one internal address among public ones is enough to refuse the name)."""
        if _LOCALHOST.match(_host_key(host)) and not (self.name_allowed(host) or self.address_allowed(_LOOPBACK)):
            raise EgressBlocked("the LLM endpoint's address is not allowed")  # localhost names are loopback
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        if not self.name_allowed(host):
            for raw in addresses:
                if not self.address_allowed(ipaddress.ip_address(raw.split("%")[0])):
                    raise EgressBlocked("the LLM endpoint's address is not allowed")
        return addresses

