"""The client's address and scheme behind a reverse proxy, believed only from proxies we were told about.

WEGWIJZER_TRUSTED_PROXIES lists the proxies' addresses or networks (`10.0.0.5 172.28.0.0/24`); unset,
none is trusted and X-Forwarded-For / X-Forwarded-Proto are ignored, as any other header a client
writes itself. When the socket's peer is a trusted proxy, the client is the right-most address of
X-Forwarded-For that is not a trusted proxy: a proxy appends the address it saw, so everything left of
it is the client's own word. The peer itself stays in the scope (PEER_KEY): an exemption from the rate
limits holds for the real peer only, never for an address a header names.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

PEER_KEY = "wegwijzer.peer"  # the socket's peer address, before any header was read
FORWARDED_KEY = "wegwijzer.forwarded"  # True when the client address came from a trusted proxy's header
TRUSTED_PROXIES_ENV = "WEGWIJZER_TRUSTED_PROXIES"  # wegwijzer.settings: trusted_proxies

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ProxySettingError(ValueError):
    """A proxy address that cannot be read; the message names the variable and the value."""


def parse_proxies(value: str) -> tuple[Network, ...]:
    networks: list[Network] = []
    for item in value.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ProxySettingError(
                f"{TRUSTED_PROXIES_ENV} bevat '{item}': geef IP-adressen of netwerken van uw proxy, "
                "gescheiden door spaties, bijvoorbeeld '172.28.0.1' (niet '*')."
            ) from None
    return tuple(networks)


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[Network, ...] = ()

    def trusts(self, address: str | None) -> bool:
        if not address or not self.networks:
            return False
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def client(self, peer: str | None, forwarded_for: Iterable[str]) -> tuple[str | None, bool]:
        """The client's address, and whether it came from a trusted proxy's header."""
        if not self.trusts(peer):
            return peer, False
        hops = [hop.strip() for header in forwarded_for for hop in header.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop, True
        return (hops[0], True) if hops else (peer, False)


class ProxyHeaders:
    """ASGI middleware, outermost: sets the scope's client (and scheme) from a trusted proxy's headers."""

    def __init__(self, app: ASGIApp, proxies: TrustedProxies) -> None:
        self.app = app
        self.proxies = proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        peer = scope["client"][0] if scope.get("client") else None
        scope[PEER_KEY] = peer
        scope[FORWARDED_KEY] = False
        if self.proxies.trusts(peer):
            headers = scope.get("headers") or ()
            forwarded = [value.decode("latin-1") for key, value in headers if key.lower() == b"x-forwarded-for"]
            client, from_header = self.proxies.client(peer, forwarded)
            if from_header and client:
                scope["client"] = (client, 0)
                scope[FORWARDED_KEY] = True
            proto = [value.decode("latin-1") for key, value in headers if key.lower() == b"x-forwarded-proto"]
            if proto and proto[-1].split(",")[-1].strip().lower() in ("http", "https"):
                scope["scheme"] = proto[-1].split(",")[-1].strip().lower()
        await self.app(scope, receive, send)
