"""Whole topic pages for anonymous readers, cached until anything they show may have changed.

Most readers are not signed in, and for them a topic page is the same bytes every time. It is
cached under a key holding the site's content version, which every publish, edit and deletion
raises (after commit), so a reader never sees a page older than the last change to any post;
the timeout only bounds what the version does not track (say, a title changed in the admin).

Readers with a session (members), with posts of their own awaiting publication (the pending
cookie) or with a message to show never get a cached page. The guest reply form on a cached
page carries another reader's CSRF token: the guest's proof-of-work script swaps in the
reader's own token (from the challenge endpoint) before submitting, and without JavaScript a
guest cannot pass the proof of work anyway.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

from folkmoot.accounts import pending_cookie

VERSION_KEY = "content-version"
_PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, pending_cookie.COOKIE, "messages")


def content_changed() -> None:
    """Call inside the transaction that changes what a page shows."""
    transaction.on_commit(_bump_version)


def _bump_version() -> None:
    cache.add(VERSION_KEY, 0, timeout=None)
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted in between: any new value makes old keys unreachable
        cache.set(VERSION_KEY, 1, timeout=None)


def _key(request) -> str | None:
    if not settings.FOLKMOOT["PAGE_CACHE_SECONDS"]:
        return None
    if request.user.is_authenticated or any(c in request.COOKIES for c in _PERSONAL_COOKIES):
        return None
    version = cache.get(VERSION_KEY, 0)
    return f"page:{version}:{request.get_host()}:{request.get_full_path()}"


def cached_or_rendered(request, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page from the cache, or made by `render()` and kept under the key read *before*
    rendering: if a post is committed meanwhile, the version has moved on and this copy is
    never served as the newer page."""
    key = _key(request)
    if key is None:
        return render()
    content = cache.get(key)
    if content is not None:
        return HttpResponse(content)
    response = render()
    if response.status_code == 200:
        cache.set(key, response.content, settings.FOLKMOOT["PAGE_CACHE_SECONDS"])
    return response
