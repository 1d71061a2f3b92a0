"""Where a page opens its live streams (folkmoot/live/views.py), or "" when there is no live
server (the page polls)."""

from django.conf import settings


def host_name(host: str) -> str:
    """ "example.org:8000" → "example.org"; "[::1]:8000" → "[::1]"."""
    if host.endswith("]"):
        return host
    return host.rpartition(":")[0] or host


def stream_url(request, path: str) -> str:
    """`path` ("/live/...") at FOLKMOOT_LIVE_URL when a proxy routes the streams (docs/
    deploy.md), else on the live server's port of the host the page was asked from."""
    base = settings.FOLKMOOT["LIVE_URL"]
    if base:
        return base.rstrip("/") + path.removeprefix("/live")
    port = settings.FOLKMOOT["LIVE_PORT"]
    if not port:
        return ""
    return f"{request.scheme}://{host_name(request.get_host())}:{port}{path}"
