"""The client's address, in REMOTE_ADDR, for everything after this middleware (rate limits,
bans, the address kept with a post, allauth's own limits).

Behind a reverse proxy REMOTE_ADDR is the proxy. `X-Forwarded-For` names the client, but any
client can send one: it is believed only when the request comes from a proxy listed in
FOLKMOOT_TRUSTED_PROXIES, and then only as far as the chain of trusted proxies goes. Reading
the header from the right, each hop was written by the proxy before it; the first hop that
is not a trusted proxy is the client. Whatever the client wrote further left is ignored.

IPv4-mapped IPv6 (`::ffff:192.0.2.9`, what a dual-stack socket reports for an IPv4 client)
is written as the IPv4 address it is.
"""

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_address(value: str) -> Address | None:
    """An address as a proxy writes it: bare, `[v6]:port`, or `v4:port`; mapped IPv4 unwrapped."""
    value = value.strip().strip('"')
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@functools.cache
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"FOLKMOOT_TRUSTED_PROXIES: {entry!r} is not an address or a range like 10.0.0.0/8."
            ) from None
    return tuple(networks)


def client_address(
    remote_addr: str, forwarded_for: str, trusted: tuple[Network, ...]
) -> Address | None:
    """The client's address given the peer, its X-Forwarded-For, and the trusted proxies."""
    peer = parse_address(remote_addr)

    def is_trusted(address: Address) -> bool:
        return any(address in network for network in trusted)

    if peer is None or not trusted or not is_trusted(peer):
        return peer
    client = peer
    for hop in reversed(forwarded_for.split(",")):
        address = parse_address(hop)
        if address is None:
            break  # garbage can only come from the client's side: stop at the last proxy
        client = address
        if not is_trusted(address):
            break
    return client


def of_request(request) -> str | None:
    """The client's address as the middleware below settled it (the proxy's hop removed)."""
    return request.META.get("REMOTE_ADDR")


class ClientAddressMiddleware:
    """Sets REMOTE_ADDR to the client's address (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        trusted_networks(tuple(settings.FOLKMOOT_TRUSTED_PROXIES))  # a typo fails at start-up

    def __call__(self, request):
        address = client_address(
            request.META.get("REMOTE_ADDR", ""),
            request.META.get("HTTP_X_FORWARDED_FOR", ""),
            trusted_networks(tuple(settings.FOLKMOOT_TRUSTED_PROXIES)),
        )
        if address is not None:  # else not an IP peer (a Unix socket): left as it is
            request.META["REMOTE_ADDR"] = str(address)
        return self.get_response(request)
