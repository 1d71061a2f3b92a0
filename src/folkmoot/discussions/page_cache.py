"""Whole pages for anonymous readers (topics, categories, the index), cached until anything
they show may have changed.

Most readers are not signed in, and for them a page is the same bytes every time. Each page
is stored with the version of its scope (its topic, its category, or the index: a random
token, replaced after commit by every publish, edit, deletion and topic change there, see
discussions/events.py) and the site's version (replaced only for changes that touch every
page, such as bulk loads). A hit is one read of the cache (the two versions and the page in
one MGET on Redis), and serves the page only if both versions still match: a reader never
sees a page older than the last change to what it lists. A reply makes its topic's pages,
its category's pages and the index stale, and leaves every other topic and category cached.
The timeout bounds what the versions do not track: a category renamed in the admin, or an
author's post count shown on another topic.

With read replicas, a page missing from the cache within FOLKMOOT_REPLICA_LAG_SECONDS of a
change to its scope is rendered from the primary: a replica may not have the change yet, and a
copy rendered from it would be kept under the new version until the next change. Versions
carry the time of the change for this (one created for a missing key carries none).

The cache is shared by every process of the site: Redis when `REDIS_URL` is set, else files in
FOLKMOOT_DATA_DIR (the `pages` cache in settings), so a reply through one `serve` process or
the worker is seen through the others on the next request. Versions are fresh random tokens,
not counters, so two processes replacing one at once, or a version evicted and recreated, can
never bring back a value an old page was stored under.

A cold page requested by many readers at once is rendered once: the first takes a short lock
and the rest wait for its copy (or, past the lock's lifetime, render it themselves). Pages
carry an ETag, and a reader sending it back gets a 304 without the page.

A page is kept per language (the reader's pick in the footer's menu, languages.py).
Readers with a session (members), with posts of their own awaiting publication (the pending
cookie) or with a message to show never get a cached page. The guest reply form on a cached
page carries another reader's CSRF token: the guest's proof-of-work script swaps in the
reader's own token (from the challenge endpoint) before submitting, and without JavaScript a
guest cannot pass the proof of work anyway.
"""

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.translation import get_language

from .. import replicas
from . import paging, pending_cookie

SITE_VERSION_KEY = "version:site"
LOCK_SECONDS = 3  # a render taking longer lets the waiting readers render for themselves
_WAIT_STEP = 0.01
_PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, pending_cookie.COOKIE, "messages")


def pages_cache():
    """Files shared by the site's processes without Redis (the `pages` cache); with Redis,
    the default cache and its connection pool, kept per thread across requests."""
    return caches["pages" if "pages" in settings.CACHES else "default"]


def _token(*, changed_at: float | None = None) -> str:
    """A fresh version: when its scope changed, and random bytes no other version has."""
    return f"{time.time() if changed_at is None else changed_at:.3f}:{secrets.token_hex(8)}"


def _changed_within(versions: tuple[str, ...], seconds: float) -> bool:
    try:
        changed = max(float(version.partition(":")[0]) for version in versions)
    except ValueError:  # a version of an older release, without its time
        return False
    return time.time() - changed < seconds


INDEX_SCOPE = "index"


def topic_scope(topic_id: int) -> str:
    return f"topic:{topic_id}"


def category_scope(category_id: int) -> str:
    return f"category:{category_id}"


def _version_key(scope: str) -> str:
    return f"version:{scope}"


def topic_version_key(topic_id: int) -> str:
    return _version_key(topic_scope(topic_id))


def bump(*, topics: Iterable[int] = (), categories: Iterable[int] = ()) -> None:
    """Called after commit by discussions.events: the pages of these topics and categories,
    and the index, are stale."""
    scopes = [topic_scope(pk) for pk in topics] + [category_scope(pk) for pk in categories]
    tokens = {_version_key(scope): _token() for scope in [*scopes, INDEX_SCOPE]}
    pages_cache().set_many(tokens, timeout=None)


def bump_version() -> None:
    """Every cached page is stale (bulk loads, restores)."""
    pages_cache().set(SITE_VERSION_KEY, _token(), timeout=None)


def _canonical_query(request) -> str | None:
    """ "" for no query, "?page=N" for a page number (with "&after=K" or "&before=K" for a
    category's "Next" and "Previous" links), None for any other query: a page is cached only
    under the URL that names it (and, once rendered, only if its view marked it as that URL's
    page: `?page=1` and pages past the end show another page's content, and a "Next" link
    is that page's only while its key is where the page begins), so a stream of `?x=N` or
    `?page=N` requests cannot fill the cache with copies and evict the rest."""
    if not request.GET:
        return ""
    names = list(request.GET)
    if names[0] != "page" or names[1:] not in ([], ["after"], ["before"]):
        return None
    if any(len(request.GET.getlist(name)) != 1 for name in names):
        return None
    number = paging.canonical_page_number(request.GET["page"])
    if number is None:
        return None
    if len(names) == 1:
        return f"?page={number}"
    key = request.GET[names[1]]
    return f"?page={number}&{names[1]}={key}" if paging.LIST_KEY.fullmatch(key) else None


def mark_canonical(
    response: HttpResponse, *, page_number: int, after: str = "", before: str = ""
) -> HttpResponse:
    """The view says which page it rendered: the query of the URL that names that page (with
    the key of the "Next" or "Previous" link that led there, when it is where that page
    begins or ends)."""
    if after or before:
        side = "after" if after else "before"
        response.canonical_query = f"?page={page_number}&{side}={after or before}"
    else:
        response.canonical_query = "" if page_number == 1 else f"?page={page_number}"
    return response


def _is_canonical(response: HttpResponse, query: str) -> bool:
    return getattr(response, "canonical_query", None) == query


def _page_key(request) -> str | None:
    if not settings.FOLKMOOT["PAGE_CACHE_SECONDS"]:
        return None
    if request.user.is_authenticated or any(c in request.COOKIES for c in _PERSONAL_COOKIES):
        return None
    query = _canonical_query(request)
    if query is None:
        return None
    # Readers who picked another language (the footer's menu) get that language's copy.
    return f"page:{get_language()}:{request.get_host()}:{request.path}{query}"


def _etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


def _not_modified(request, etag: str) -> bool:
    sent = request.headers.get("If-None-Match", "")
    # GZipMiddleware weakens the ETag it passes on (W/"..."); a weak match is enough for GET.
    return any(tag.strip().removeprefix("W/") == etag for tag in sent.split(","))


def _served(request, etag: str, content: bytes) -> HttpResponse:
    response = HttpResponseNotModified() if _not_modified(request, etag) else HttpResponse(content)
    response["ETag"] = etag
    return response


def _versions(cache, version_keys: list[str]) -> tuple | None:
    """The versions the page depends on, each created if missing (evicted, never bumped)."""
    for key in version_keys:
        cache.add(key, _token(changed_at=0), timeout=None)  # missing is not a change
    found = cache.get_many(version_keys)
    if any(key not in found for key in version_keys):
        return None  # the cache is unavailable
    return tuple(found[key] for key in version_keys)


def _wait_for_copy(cache, key: str, lock: str, versions: tuple[str, str]):
    """Another request is rendering this page: its copy, once stored, or None if the lock
    is released or expires without one."""
    deadline = time.monotonic() + LOCK_SECONDS
    while time.monotonic() < deadline:
        time.sleep(_WAIT_STEP)
        found = cache.get_many([lock, key])  # in this order: the copy is stored before the
        entry = found.get(key)  # lock goes, so a lock seen gone means no copy is coming
        if entry is not None and entry[0] == versions:
            return entry
        if lock not in found:
            return None
    return None


def cached_or_rendered(request, render: Callable[[], HttpResponse], *, scope: str):
    """The page from the cache, or made by `render()` and kept under the versions read
    *before* rendering: if a post is committed meanwhile, the version of `scope` (the topic,
    the category, the index) has moved on and this copy is never served as the newer page."""
    key = _page_key(request)
    if key is None:
        return render()
    cache = pages_cache()
    version_keys = [SITE_VERSION_KEY, _version_key(scope)]
    found = cache.get_many([*version_keys, key])  # the one round trip of a hit
    entry = found.get(key)
    versions = tuple(found.get(version) for version in version_keys)
    if entry is not None and entry[0] == versions:
        return _served(request, entry[1], entry[2])
    if None in versions:
        versions = _versions(cache, version_keys)
        if versions is None:
            return render()
    lock = f"lock:{key}"
    locked = cache.add(lock, 1, timeout=LOCK_SECONDS)
    try:
        # Locked: the copy may have been stored (and the lock released) since the first read.
        # Not locked: another request is rendering it.
        entry = cache.get(key) if locked else _wait_for_copy(cache, key, lock, versions)
        if entry is not None and entry[0] == versions:
            return _served(request, entry[1], entry[2])
        if _changed_within(versions, settings.FOLKMOOT["REPLICA_LAG_SECONDS"]):
            with replicas.from_the_primary():  # a replica may not have the change yet
                response = render()
        else:
            response = render()
        if response.status_code == 200 and _is_canonical(response, _canonical_query(request)):
            etag = _etag(response.content)
            cache.set(
                key, (versions, etag, response.content), settings.FOLKMOOT["PAGE_CACHE_SECONDS"]
            )
            if _not_modified(request, etag):
                response = HttpResponseNotModified()
            response["ETag"] = etag
        return response
    finally:
        if locked:
            cache.delete(lock)


# --- where the pages of a list begin and end --------------------------------------------------
#
# A numbered page deep in a long list (`?page=200` of a category, the last page of a topic of
# 10,000 posts) would skip thousands of index entries to find its own. Each page rendered
# leaves where it began and ended here (a category page its first and last topic's list key, a
# topic page its first and last post's number), under the same versions as the pages (its
# scope's and the site's), so the next request for it or a neighbour seeks there instead: a
# change to the category or topic makes them all stale at once, as it does the pages. Kept
# whether or not whole pages are (members' pages are never cached, and use them too).


@dataclass(frozen=True)
class ListMarks:
    versions: tuple | None  # None: not kept (turned off, or the cache is unavailable)
    found: dict[int, tuple[str, str]]  # page number: where it begins and ends


NO_MARKS = ListMarks(None, {})


def _mark_key(scope: str, number: int) -> str:
    return f"marks:{scope}:{number}"


def list_marks(scope: str, numbers: Iterable[int]) -> ListMarks:
    """The marks of these pages of the scope's list, where still current: 1 read of the
    cache."""
    if not settings.FOLKMOOT["LIST_MARK_SECONDS"]:
        return NO_MARKS
    cache = pages_cache()
    version_keys = [SITE_VERSION_KEY, _version_key(scope)]
    keys = {number: _mark_key(scope, number) for number in numbers}
    found = cache.get_many([*version_keys, *keys.values()])
    versions = tuple(found.get(key) for key in version_keys)
    if None in versions:
        return ListMarks(_versions(cache, version_keys), {})
    marks = {
        number: found[key][1]
        for number, key in keys.items()
        if key in found and found[key][0] == versions
    }
    return ListMarks(versions, marks)


def remember_list_mark(scope: str, marks: ListMarks, number: int, mark: tuple[str, str]):
    """Page `number` of the scope's list, just read, begins and ends at `mark`. Not kept
    within the replica lag of a change: the page may have been read from a replica without
    it."""
    if marks.versions is None or marks.found.get(number) == mark:
        return
    lag = settings.FOLKMOOT["REPLICA_LAG_SECONDS"]
    if replicas.replica_aliases() and _changed_within(marks.versions, lag):
        return
    pages_cache().set(
        _mark_key(scope, number), (marks.versions, mark), settings.FOLKMOOT["LIST_MARK_SECONDS"]
    )
