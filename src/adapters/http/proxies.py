"""X-Forwarded-* honoured only when the direct peer is a proxy the service trusts."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

ANY = "*"  # every peer: only where the network lets nothing but the proxies reach the service
UNIX = "unix"  # peers on a UNIX socket, whose REMOTE_ADDR is no IP address
# Peers whose verdict is remembered; clients come and go, proxies are few and stay.
REMEMBERED_PEERS = 4096


def trusted_entries(entries: Iterable[str]) -> tuple[str, ...]:
    """The entries, each an IP address, a CIDR network, `*` or `unix`; else ValueError."""
    checked = tuple(entries)
    for entry in checked:
        if entry not in (ANY, UNIX):
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address, a CIDR network, '*' or 'unix'"
                ) from None
    return checked


def allowed_ips(entries: Iterable[str]) -> str:
    """The entries as gunicorn's `forwarded_allow_ips` (it trusts UNIX-socket peers anyway)."""
    checked = trusted_entries(entries)
    if ANY in checked:
        return ANY
    # Single addresses bare: gunicorn before 24.1 compares them as strings, and knows no CIDR.
    return ",".join(
        str(net.network_address) if net.num_addresses == 1 else str(net)
        for net in _networks(checked)
    )


class TrustedProxyFix:
    """ProxyFix for requests whose direct peer is trusted; any other request passes untouched.

    Werkzeug's ProxyFix believes whoever connects: with no proxy in front, a client picks its
    own address (rate limits, the access log) and scheme by sending X-Forwarded-For. This is
    the rule of gunicorn's `forwarded_allow_ips`.
    """

    def __init__(self, app: WSGIApplication, *, trusted: Iterable[str], hops: int) -> None:
        entries = trusted_entries(trusted)
        self._direct = app
        self._forwarded = ProxyFix(app, x_for=hops, x_proto=hops, x_host=hops)
        self._any = ANY in entries
        self._unix = UNIX in entries
        self._networks = tuple(_networks(entries))
        self.trusts = lru_cache(maxsize=REMEMBERED_PEERS)(self._trusts)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if self.trusts(environ.get("REMOTE_ADDR") or ""):
            return self._forwarded(environ, start_response)
        return self._direct(environ, start_response)

    def _trusts(self, peer: str) -> bool:
        """Whether forwarded headers from this direct peer are believed."""
        if self._any:
            return True
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return self._unix  # gunicorn on a UNIX socket gives no address at all
        mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:10.0.0.1 is 10.0.0.1
        candidates = (address,) if mapped is None else (address, mapped)
        return any(ip in network for ip in candidates for network in self._networks)


def _networks(entries: Iterable[str]) -> Iterator[Network]:
    for entry in entries:
        if entry not in (ANY, UNIX):
            yield ipaddress.ip_network(entry, strict=False)
