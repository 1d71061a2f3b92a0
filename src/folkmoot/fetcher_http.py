"""The HTTP half of folkmoot/fetcher.py, imported by its first fetch: httpcore over a network
backend that holds every connect, read and write to the fetch's one deadline, each hop pinned
to the address fetcher.py checked."""

import ssl
import time
from urllib.parse import urljoin

import certifi
import httpcore
from django.conf import settings

from folkmoot.fetcher import (
    REDIRECTS,
    Fetched,
    FetchRefused,
    _DecodedBody,
    _remaining,
    _resolve,
    _target,
)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits at most until the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float):
        self._stream = stream
        self._deadline = deadline

    def _timeout(self, timeout: float | None) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("the fetch's deadline passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._timeout(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._timeout(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        tls = self._stream.start_tls(ssl_context, server_hostname, self._timeout(timeout))
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, deadline: float, connect_timeout: float):
        self._backend = httpcore.SyncBackend()
        self._deadline = deadline
        self._connect_timeout = connect_timeout

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        left = _remaining(self._deadline)
        stream = self._backend.connect_tcp(
            host, port, min(self._connect_timeout, left), local_address, socket_options
        )
        return _DeadlineStream(stream, self._deadline)

    def connect_unix_socket(self, *args, **kwargs):
        raise httpcore.ConnectError("no unix sockets")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def _header(response: httpcore.Response, name: bytes) -> str:
    for key, value in response.headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def fetch_over_http(url: str, *, max_bytes: int, accept: str, deadline: float) -> Fetched:
    fetch_settings = settings.FOLKMOOT
    backend = _DeadlineBackend(deadline, fetch_settings["FETCH_CONNECT_TIMEOUT_SECONDS"])
    # What httpx would build (its certifi bundle, not the environment's), without importing
    # httpx: its command-line part brings click, rich and pygments (~7 MiB a process).
    ssl_context = ssl.create_default_context(cafile=certifi.where())
    ssl_context.minimum_version = ssl.TLSVersion.TLSv1_2
    with httpcore.ConnectionPool(
        ssl_context=ssl_context, network_backend=backend, max_connections=1, retries=0
    ) as pool:
        for _ in range(fetch_settings["FETCH_MAX_REDIRECTS"] + 1):
            target = _target(url)
            address = _resolve(target, deadline)
            literal = f"[{address}]" if address.version == 6 else str(address)
            default_port = 443 if target.scheme == "https" else 80
            host_header = f"[{target.host}]" if ":" in target.host else target.host
            if target.port != default_port:
                host_header += f":{target.port}"
            pinned_url = f"{target.scheme}://{literal}:{target.port}{target.path}"
            headers = [
                (b"Host", host_header.encode("ascii")),
                (b"User-Agent", b"Folkmoot"),
                (b"Accept", accept.encode("ascii")),
                (b"Accept-Encoding", b"identity"),
            ]
            extensions = {"timeout": {"connect": None, "read": None, "write": None, "pool": None}}
            if target.scheme == "https":
                extensions["sni_hostname"] = target.host
            try:
                with pool.stream("GET", pinned_url, headers=headers, extensions=extensions) as r:
                    if r.status in REDIRECTS and _header(r, b"location"):
                        url = urljoin(url, _header(r, b"location").strip())
                        continue
                    if r.status != 200:
                        raise FetchRefused(f"answered {r.status}")
                    declared = _header(r, b"content-length")
                    if declared.isdigit() and int(declared) > max_bytes:
                        raise FetchRefused(f"declares {declared} bytes")
                    body = _DecodedBody(_header(r, b"content-encoding"), max_bytes)
                    for chunk in r.iter_stream():
                        body.feed(chunk)
                    content_type = _header(r, b"content-type").split(";")[0].strip().lower()
                    return Fetched(url=url, content_type=content_type, content=bytes(body.content))
            except httpcore.TimeoutException:
                raise FetchRefused("timed out (connect timeout or deadline)") from None
            except (httpcore.NetworkError, httpcore.ProtocolError, ssl.SSLError, OSError) as error:
                raise FetchRefused(f"connection failed: {error!r}") from None
            except httpcore.UnsupportedProtocol as error:
                raise FetchRefused(f"unsupported: {error}") from None
    raise FetchRefused("too many redirects")
