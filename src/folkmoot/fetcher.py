"""The one way Folkmoot fetches a URL a user gave it (images by URL, link previews, images in
posts).

A user-supplied URL must never reach the server's private network, nor hold a thread for long:

- The URL is parsed strictly: http or https, no user name or password, a host name made of
  proper labels or a canonical IP literal (no `2130706433`, `0x7f.1` or `0177.0.0.1`), and a
  port on the allowed list (80 and 443 unless the operator says otherwise).
- Every address a host resolves to is checked against an explicit table of the IANA
  special-purpose ranges (IPv4 and IPv6); IPv6 forms that carry an IPv4 address (mapped,
  NAT64, 6to4) are judged by that address, and the other embedding forms are refused. The
  operator's deny list always wins; the allow list opens a range the table closes.
- The connection is pinned to the checked address, so DNS cannot change its answer in between
  (DNS rebinding). Redirects are followed by hand and each hop is checked again.
- One deadline covers the whole fetch: name resolution, connecting, TLS, every read and write.
  A server that drips one byte at a time is cut off when it runs out.
- The body is capped in *decoded* bytes while it streams: we ask for no compression, and a
  gzip or deflate answer is inflated a bounded piece at a time.

Whatever goes wrong, the caller gets FetchRefused with one message for users (so the answer
reveals nothing about the network behind us: no port-scan oracle); the detail goes to the log.
"""

import ipaddress
import logging
import socket
import string
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as ResolveTimeout
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

FETCH_FAILED_MESSAGE = "That link could not be fetched."
REDIRECTS = {301, 302, 303, 307, 308}

# IANA IPv4 Special-Purpose Address Registry, plus multicast and the limited broadcast address.
# Every range here is refused, even the few the registry marks globally reachable (they are
# anycast services: nothing a forum needs to fetch from).
SPECIAL_IPV4 = [
    ipaddress.IPv4Network(network)
    for network in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link local (cloud metadata at 169.254.169.254)
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments (192.0.0.8, .9, .10, .170, .171, .192…)
        "192.0.2.0/24",  # documentation (TEST-NET-1)
        "192.31.196.0/24",  # AS112-v4
        "192.52.193.0/24",  # AMT
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",  # private
        "192.175.48.0/24",  # direct delegation AS112 service
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation (TEST-NET-2)
        "203.0.113.0/24",  # documentation (TEST-NET-3)
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and 255.255.255.255 limited broadcast
    )
]
# IANA IPv6 Special-Purpose Address Registry. Besides these, only the global unicast block
# 2000::/3 is fetched from at all.
SPECIAL_IPV6 = [
    ipaddress.IPv6Network(network)
    for network in (
        "::/96",  # unspecified, loopback and the deprecated IPv4-compatible ::a.b.c.d
        "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
        "64:ff9b:1::/48",  # local-use IPv4/IPv6 translation
        "100::/64",  # discard-only
        "100:0:0:1::/64",  # dummy prefix
        "2001::/23",  # IETF protocol assignments: Teredo 2001::/32, benchmarking, ORCHID…
        "2001:db8::/32",  # documentation
        "2620:4f:8000::/48",  # AS112-v6
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing SIDs
        "fc00::/7",  # unique local
        "fe80::/10",  # link local
        "fec0::/10",  # deprecated site local
        "ff00::/8",  # multicast
    )
]
GLOBAL_UNICAST_IPV6 = ipaddress.IPv6Network("2000::/3")
# IPv6 forms that carry an IPv4 address: judged by the IPv4 address they lead to.
IPV4_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")

HOST_LABEL_CHARACTERS = set(string.ascii_lowercase + string.digits + "-_")

# getaddrinfo has no timeout of its own: it runs here so the deadline can stop waiting for it.
_resolver = ThreadPoolExecutor(max_workers=4, thread_name_prefix="folkmoot-resolve")


class FetchRefused(Exception):
    """The URL may not be fetched, or its answer was unusable. str() is the one message users
    see, whatever happened; `detail` says what happened, for the log."""

    def __init__(self, detail: str):
        super().__init__(FETCH_FAILED_MESSAGE)
        self.detail = detail


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # lower case, IDNA-encoded, no trailing dot; an IP literal without brackets
    port: int
    path: str  # path and query, never empty


def _networks(names: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(name, strict=False) for name in names]


def _judged_address(address: Address) -> Address | None:
    """The address that decides whether `address` may be fetched from: itself, or the IPv4
    address an IPv6 form leads to; None for forms that hide a destination we cannot judge."""
    if isinstance(address, ipaddress.IPv4Address):
        return address
    if address.scope_id:
        return None  # fe80::1%eth0
    if address in IPV4_MAPPED:
        return address.ipv4_mapped
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in SIX_TO_FOUR:
        return address.sixtofour
    return address


def _is_special(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv4Address):
        return any(address in network for network in SPECIAL_IPV4)
    if address not in GLOBAL_UNICAST_IPV6:
        return True
    return any(address in network for network in SPECIAL_IPV6)


def address_refusal(address: Address, port: int) -> str | None:
    """Why `address:port` may not be fetched from, or None when it may."""
    fetch_settings = settings.FOLKMOOT
    judged = _judged_address(address)
    if judged is None:
        return f"{address} hides its destination"
    # Only tests set this, to reach their own servers on 127.0.0.1 on whatever port they got.
    test_loopback = fetch_settings["FETCH_ALLOW_LOOPBACK"] and judged.is_loopback
    if port not in fetch_settings["FETCH_PORTS"] and not test_loopback:
        return f"port {port} is not on the allowed list"
    candidates = {address, judged}
    if any(a in n for n in _networks(fetch_settings["FETCH_DENY_NETWORKS"]) for a in candidates):
        return f"{address} is on the deny list"
    if any(a in n for n in _networks(fetch_settings["FETCH_ALLOW_NETWORKS"]) for a in candidates):
        return None
    if test_loopback:
        return None
    if _is_special(judged):
        return f"{address} is in a special-purpose range"
    return None


def _canonical_host(raw: str) -> str:
    """The host as we connect to it, or FetchRefused for anything irregular."""
    host = raw.lower()
    if host.endswith("."):
        host = host[:-1]  # "example.org." is example.org; "localhost." is localhost
    if not host:
        raise FetchRefused("no host")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchRefused(f"host {raw!r} is not a valid name") from None
    labels = host.split(".")
    if len(host) > 253 or any(
        not label or len(label) > 63 or not set(label) <= HOST_LABEL_CHARACTERS for label in labels
    ):
        raise FetchRefused(f"host {raw!r} is not a valid name")
    # A last label of digits (or 0x…) is an IPv4 literal in a form the resolver accepts but
    # people do not write (2130706433, 0x7f.1, 0177.0.0.1): never a real host name.
    last = labels[-1]
    if last.isdigit() or (last.startswith("0x") and all(c in string.hexdigits for c in last[2:])):
        raise FetchRefused(f"host {raw!r} is an irregular IP address")
    return host


def _target(url: str) -> _Target:
    if len(url) > 4000 or any(ch.isspace() or ord(ch) < 0x20 or ch == "\\" for ch in url):
        raise FetchRefused("URL too long or holds control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchRefused(f"URL does not parse: {error}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused("not an http or https URL with a host")
    if "@" in parts.netloc:
        raise FetchRefused("URL carries a user name or password")
    host = _canonical_host(parts.hostname)
    port = port if port is not None else (443 if parts.scheme == "https" else 80)
    limits = settings.FOLKMOOT
    if port not in limits["FETCH_PORTS"] and not limits["FETCH_ALLOW_LOOPBACK"]:
        raise FetchRefused(f"port {port} is not on the allowed list")  # before any DNS lookup
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return _Target(parts.scheme, host, port, path)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchRefused("deadline passed")
    return left


def _resolve(target: _Target, deadline: float) -> Address:
    try:
        literal = ipaddress.ip_address(target.host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        lookup = _resolver.submit(
            socket.getaddrinfo, target.host, target.port, type=socket.SOCK_STREAM
        )
        try:
            infos = lookup.result(timeout=_remaining(deadline))
        except ResolveTimeout:
            raise FetchRefused(f"resolving {target.host} took too long") from None
        except (OSError, UnicodeError) as error:
            raise FetchRefused(f"{target.host} does not resolve: {error}") from None
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise FetchRefused(f"{target.host} has no addresses")
    # Every answer must pass: a name that also points inside is refused outright.
    for address in addresses:
        if reason := address_refusal(address, target.port):
            raise FetchRefused(f"{target.host}: {reason}")
    return addresses[0]


class _DecodedBody:
    """The body in decoded bytes, refused the moment it grows past `max_bytes`."""

    def __init__(self, content_encoding: str, max_bytes: int):
        encoding = content_encoding.strip().lower()
        if encoding in ("", "identity"):
            self._inflater = None
        elif encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._inflater = zlib.decompressobj()
        else:
            raise FetchRefused(f"unsupported content encoding {content_encoding!r}")
        self._max_bytes = max_bytes
        self._raw = 0
        self.content = bytearray()

    def _add(self, data: bytes) -> None:
        self.content.extend(data)
        if len(self.content) > self._max_bytes:
            raise FetchRefused(f"body over {self._max_bytes} bytes")

    def feed(self, chunk: bytes) -> None:
        self._raw += len(chunk)
        if self._raw > self._max_bytes:
            raise FetchRefused(f"body over {self._max_bytes} bytes")
        if self._inflater is None:
            self._add(chunk)
            return
        pending = chunk
        while pending:
            room = self._max_bytes - len(self.content) + 1
            try:
                self._add(self._inflater.decompress(pending, room))
            except zlib.error as error:
                raise FetchRefused(f"bad compressed body: {error}") from None
            pending = self._inflater.unconsumed_tail


def fetch(url: str, *, max_bytes: int, accept: str = "*/*") -> Fetched:
    """GET `url` (and the redirects it leads to) within the configured deadline, returning at
    most `max_bytes` of decoded body. Raises FetchRefused, and logs why, on any failure."""
    started = time.monotonic()
    deadline = started + settings.FOLKMOOT["FETCH_DEADLINE_SECONDS"]
    # The HTTP client (httpcore, h11, certifi) loads with the first fetch: most processes
    # never fetch (BENCHMARKS.md, memory).
    from folkmoot.fetcher_http import fetch_over_http

    try:
        return fetch_over_http(url, max_bytes=max_bytes, accept=accept, deadline=deadline)
    except FetchRefused as refusal:
        logger.warning(
            "Fetch refused after %.1f s: %r: %s", time.monotonic() - started, url, refusal.detail
        )
        raise


class FetchSlots:
    """At most `limit` fetches at a time in this process; the rest are turned away at once
    (a web process must keep its threads for readers, whatever the far server does)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy = 0

    def try_acquire(self, limit: int) -> bool:
        with self._lock:
            if self._busy >= limit:
                return False
            self._busy += 1
            return True

    def release(self) -> None:
        with self._lock:
            self._busy -= 1
