"""The one way Folkmoot fetches a URL a user gave it (images by URL, link previews).

A user-supplied URL must never reach the server's private network: every host is resolved
here, every address checked, and the connection pinned to the checked address so DNS cannot
change its answer in between (DNS rebinding). Redirects are followed by hand and each hop is
checked again. Bodies are read up to a size limit.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings


class FetchRefused(Exception):
    """The URL may not be fetched, or its answer was unusable; the message says why."""


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str
    content: bytes


def _allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if address.is_loopback and settings.FOLKMOOT["FETCH_ALLOW_LOOPBACK"]:
        return True  # only tests turn this on, to fetch from their own server on 127.0.0.1
    return address.is_global and not address.is_multicast


def _resolve(host: str, port: int) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise FetchRefused(f"The address {host} could not be found.") from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    # Every answer must be public: a name that also points inside is refused outright.
    if not addresses or not all(_allowed(address) for address in addresses):
        raise FetchRefused("That address is not on the public internet.")
    return str(addresses[0])


def _pinned_request(url: str) -> tuple[str, dict, dict]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused("Only http and https links can be fetched.")
    if parts.username or parts.password:
        raise FetchRefused("Links with a user name or password cannot be fetched.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _resolve(parts.hostname, port)
    literal = f"[{address}]" if ":" in address else address
    pinned_url = parts._replace(netloc=f"{literal}:{port}").geturl()
    headers = {"Host": parts.netloc.rpartition("@")[2], "User-Agent": "Folkmoot"}
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    return pinned_url, headers, extensions


def fetch(url: str, *, max_bytes: int, timeout: float = 10.0, max_redirects: int = 3) -> Fetched:
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for _ in range(max_redirects + 1):
            pinned_url, headers, extensions = _pinned_request(url)
            request = client.build_request(
                "GET", pinned_url, headers=headers, extensions=extensions
            )
            try:
                response = client.send(request, stream=True)
            except httpx.HTTPError:
                raise FetchRefused("The link could not be reached.") from None
            try:
                if response.is_redirect:
                    url = urljoin(url, response.headers.get("location", ""))
                    continue
                if response.status_code != 200:
                    raise FetchRefused(f"The link answered with an error ({response.status_code}).")
                declared = int(response.headers.get("content-length") or 0)
                if declared > max_bytes:
                    raise FetchRefused("The file at that link is too large.")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        raise FetchRefused("The file at that link is too large.")
                content_type = response.headers.get("content-type", "").split(";")[0].strip()
                return Fetched(url=url, content_type=content_type, content=bytes(body))
            finally:
                response.close()
    raise FetchRefused("The link redirects too many times.")
