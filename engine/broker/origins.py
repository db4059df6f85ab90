"""Where a request may go, and whether it carries the credentials: the broker's origin rules.

The credentials belong to one origin, the configured broker's (scheme, host, port). A URL
the broker lists, a redirect, or a pact URL given by the user may point anywhere: to
another host, to the machine's own services (loopback), to a cloud's metadata service
(link-local, `169.254.169.254`). The rules, decided here and nowhere else:

- the broker's origin gets the credentials;
- another origin is asked only when the user allowed its host (`allow_hosts`), and never
  with the credentials;
- a loopback or link-local address is never asked unless the broker itself is on one
  (a broker on `localhost` may list pacts on `localhost`), however it is allowed.

URLs are read with httpx's parser, the one that sends them, so that the host checked is
the host asked. Addresses are judged as written in the URL (IP literals, the legacy forms
a resolver accepts such as `127.1`, `localhost` names); the transport (`transport.py`)
judges the address a name resolved to, once connected and before anything is sent.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable

from msgspec import Struct

__all__ = ["Origin", "OriginPolicy", "address_kind"]

DEFAULT_PORTS = {"http": 80, "https": 443}

_HOST_RULE = re.compile(r"^(\[[0-9A-Za-z:.%]+\]|[^\s:/?#@\[\]]+)(?::(\d{1,5}))?$")
_LEGACY_IPV4 = re.compile(r"^[0-9A-Fa-fXx.]+$")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Origin(Struct, frozen=True):
    """(scheme, host, port) of a URL, as RFC 6454 compares them."""

    scheme: str
    host: str
    """Lower case, IDNA-encoded, without brackets for IPv6."""
    port: int

    @classmethod
    def of(cls, url: str) -> Origin:
        """The origin of `url`; ValueError if it is not an absolute http(s) URL."""
        import httpx

        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise ValueError(str(exc)) from None
        host = parsed.raw_host.decode("ascii").lower()
        if parsed.scheme not in DEFAULT_PORTS or not host:
            raise ValueError("not an absolute http(s) URL")
        return cls(parsed.scheme, host, parsed.port or DEFAULT_PORTS[parsed.scheme])

    @property
    def netloc(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def __str__(self) -> str:
        if self.port == DEFAULT_PORTS[self.scheme]:
            return f"{self.scheme}://" + (f"[{self.host}]" if ":" in self.host else self.host)
        return f"{self.scheme}://{self.netloc}"


def address_kind(address: IPAddress) -> str | None:
    """'loopback' or 'link-local' for the addresses never asked unless the broker is on one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback or address.is_unspecified:  # 0.0.0.0 and :: reach this machine
        return "loopback"
    if address.is_link_local:
        return "link-local"
    return None


def host_kind(host: str) -> str | None:
    """The kind of address a URL's host names by itself, without asking a resolver."""
    name = host.rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):  # RFC 6761: always this machine
        return "loopback"
    try:
        return address_kind(ipaddress.ip_address(name.partition("%")[0]))
    except ValueError:
        pass
    if _LEGACY_IPV4.match(name):  # `127.1`, `2130706433`, `0x7f.1`: resolvers read them as IPv4
        try:
            return address_kind(ipaddress.IPv4Address(socket.inet_aton(name)))
        except OSError:
            return None
    return None


def host_rule(text: str) -> str:
    """An allowed host as given (`HOST` or `HOST:PORT`), normalized; ValueError if it is neither."""
    found = _HOST_RULE.match(text.strip().lower())
    if not found or (found.group(2) and not 0 < int(found.group(2)) < 65536):
        raise ValueError(f"{text!r} is not a host name or HOST:PORT")
    host = found.group(1).strip("[]").encode("idna").decode("ascii")
    return f"{host}:{int(found.group(2))}" if found.group(2) else host


class OriginPolicy(Struct, frozen=True):
    """The broker's origin, and the other hosts the user allowed (fetched without credentials)."""

    broker: Origin
    allowed: frozenset[str] = frozenset()
    """Hosts (`host`) and host-port pairs (`host:port`, brackets dropped), as `host_rule` writes them."""

    @classmethod
    def of(cls, broker_url: str, allow_hosts: Iterable[str] = ()) -> OriginPolicy:
        return cls(Origin.of(broker_url), frozenset(map(host_rule, allow_hosts)))

    def credentials_for(self, origin: Origin) -> bool:
        """Whether a request to `origin` carries the credentials: only the broker's own."""
        return origin == self.broker

    def refusal(self, origin: Origin) -> str | None:
        """Why a request to `origin` is not sent, or None when it may be."""
        if origin == self.broker:
            return None
        kind = host_kind(origin.host)
        if kind is not None and kind != host_kind(self.broker.host):
            return (
                f"{origin.host} is a {kind} address, never asked unless the broker is on one "
                f"(the broker is {self.broker})"
            )
        if origin.host in self.allowed or f"{origin.host}:{origin.port}" in self.allowed:
            return None
        return (
            f"{origin} is not the broker's origin ({self.broker}): the credentials go only to the "
            f"broker, and another host is asked only when allowed (--allow-pact-host {origin.host})"
        )

    def refuses_peer(self, host: str, address: IPAddress) -> str | None:
        """Why a connection to `host`, found at `address`, must not be used, or None."""
        if host == self.broker.host:
            return None
        kind = address_kind(address)
        if kind is not None and kind != host_kind(self.broker.host):
            return (
                f"{host} is at {address}, a {kind} address, never asked unless the broker is on one "
                f"(the broker is {self.broker})"
            )
        return None
