"""Whole pages for anonymous readers (topics, categories, the index), cached until anything
they show may have changed.

Most readers are not signed in, and for them a page is the same bytes every time. Each page
is stored with the version of its scope (its topic, its category, or the index: a random
token, replaced after commit by every publish, edit, deletion and topic change there, see
discussions/events.py) and the site's version (replaced only for changes that touch every
page, such as bulk loads). A hit is one read of the cache (the two versions and the copy's
entry in one MGET on Redis; the body, named by its ETag and so never stale, from the
process's memory once it has served it), and serves the page only if both versions still
match: a reader never
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
cookie) or with a message to show never get a cached page. A copy is rendered with a CSRF
secret nobody holds (not that of the reader whose request rendered it, which the page's
tokens would give away): the guest's proof-of-work script swaps in the reader's own token
(from the challenge endpoint) before submitting, and without JavaScript a guest cannot pass
the proof of work anyway.

Hits are served before Django runs (CachedPagesFirst, the WSGI application `serve` runs),
and by PageCacheMiddleware, the first middleware but GZip, where the WSGI application is
Django's own (tests, runserver): a request for a page the view marked with `cached_page`,
from a reader without a session, is answered with the headers the whole stack gave the copy
when it was rendered (the security headers, Vary, Content-Language, the CSP,
X-Frame-Options). Each copy is
also kept gzipped, compressed once when stored, and readers whose browser accepts gzip (all
of them) get those bytes. BREACH needs a secret of the reader's and text of the attacker's in
one compressed response; a cached copy has neither: it is the same bytes for every anonymous
reader (the CSRF token in its forms is of a secret nobody holds, and a guest's own is
fetched by script), it is kept only under the URL that names it (no query but ?page=N), and
its length is fixed when stored, whatever the request. Every other response is still
compressed per request by GZipMiddleware with its random padding.
"""

import functools
import gzip
import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, get_resolver
from django.utils.cache import patch_vary_headers
from django.utils.crypto import get_random_string

from .. import languages, replicas
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


def _version_keys(scope: str) -> list[str]:
    """What a page of the scope depends on: the site's version and its scope's."""
    return [SITE_VERSION_KEY, _version_key(scope)]


def topic_version_key(topic_id: int) -> str:
    return _version_key(topic_scope(topic_id))


def bump(*, topics: Iterable[int] = (), categories: Iterable[int] = ()) -> None:
    """Called after commit by discussions.events: the pages of these topics and categories,
    and the index, are stale."""
    scopes = [topic_scope(pk) for pk in topics] + [category_scope(pk) for pk in categories]
    tokens = {_version_key(scope): _token() for scope in [*scopes, INDEX_SCOPE]}
    _changed(lambda cache: cache.set_many(tokens, timeout=None))


def bump_version() -> None:
    """Every cached page is stale (bulk loads, restores)."""
    _changed(lambda cache: cache.set(SITE_VERSION_KEY, _token(), timeout=None))


def _changed(change: Callable) -> None:
    """Makes a change to versions, and with Redis returns once every process that keeps
    versions in its memory has been told (faults/tracked_keys.py)."""
    cache = pages_cache()
    change(cache)
    if after_tracked_change := getattr(cache, "after_tracked_change", None):
        after_tracked_change()


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
    """None for a reader who may not get a cached page. Called before authentication: no
    session cookie means no member (request.user is checked too when a test sets it)."""
    if not settings.FOLKMOOT["PAGE_CACHE_SECONDS"]:
        return None
    if any(c in request.COOKIES for c in _PERSONAL_COOKIES):
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    query = _canonical_query(request)
    if query is None:
        return None
    # Readers who picked another language (the footer's menu) get that language's copy. The
    # scheme: a copy carries the headers of its scheme (HSTS only over HTTPS), and over HTTP
    # a site on HTTPS answers with a redirect, never a copy.
    # "pages3": entries of earlier releases (without the outer headers) are never read.
    language = languages.anonymous_language(request)
    host = request.get_host()
    return f"pages3:{request.scheme}:{language}:{host}:{request.path}{query}"


def _accepts_gzip(request) -> bool:
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


# Not kept with a copy: its length and tag are set per copy, cookies belong to one reader.
_UNKEPT_HEADERS = {"content-length", "etag", "set-cookie", "date"}


def _etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


def _not_modified(request, etag: str) -> bool:
    sent = request.META.get("HTTP_IF_NONE_MATCH", "")
    # GZipMiddleware weakens the ETag it passes on (W/"..."); a weak match is enough for GET.
    return any(tag.strip().removeprefix("W/") == etag for tag in sent.split(","))


# Headers a 304 leaves out: it has no body.
_BODY_HEADERS = {"content-type", "content-length", "content-encoding"}


@dataclass(frozen=True)
class _Copy:
    """A stored copy as served: its status (200, or 304 for a reader who has it), headers
    and body."""

    status: int
    headers: dict
    body: bytes

    def as_response(self) -> HttpResponse:
        if self.status == 304:
            return HttpResponseNotModified(headers=self.headers)
        return HttpResponse(self.body, headers=self.headers)


class _Bodies:
    """The bodies of copies this process served lately, up to a number of bytes. They are
    named by the page's ETag (a hash of its bytes), so a body kept here is never stale: a hit
    still reads the versions and the copy's small entry from the shared cache each time, and
    the 10-110 KB body only when this process has not served that copy yet."""

    def __init__(self, budget: int):
        self._budget = budget
        self._held: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # a serve process runs a few threads

    def get(self, key: str) -> bytes | None:
        with self._lock:
            body = self._held.get(key)
            if body is not None:
                self._held.move_to_end(key)
            return body

    def keep(self, key: str, body: bytes) -> None:
        with self._lock:
            if key in self._held or len(body) > self._budget:
                return
            self._held[key] = body
            self._size += len(body)
            while self._size > self._budget:
                self._size -= len(self._held.popitem(last=False)[1])


# ~400 gzipped topic pages (or ~35 uncompressed): the popular pages of a forum, at a cost a
# web worker carries in its memory (BENCHMARKS.md, memory).
_bodies = _Bodies(4 * 2**20)


def _copy_to_serve(request, cache, entry, versions: tuple) -> _Copy | None:
    """The stored page, if there is one and it was rendered under `versions` (else None), in
    the encoding the reader accepts, its body from this process's memory, else the shared
    cache (None if it was evicted there: the page is rendered again), or a 304 with the same
    headers but those of a body, to a reader who has that page."""
    if not entry or entry[0] != versions:
        return None
    _versions, etag, copies = entry
    headers, body_key = copies[_accepts_gzip(request)]
    if _not_modified(request, etag):
        kept = {name: value for name, value in headers.items() if name.lower() not in _BODY_HEADERS}
        return _Copy(304, kept, b"")
    body = _bodies.get(body_key)
    if body is None:
        body = cache.get(body_key)
        if body is None:
            return None
        _bodies.keep(body_key, body)
    return _Copy(200, headers, body)


def _copies(response: HttpResponse, versions: tuple, key: str) -> tuple[str, dict]:
    """The page's ETag and what is stored for it: its body as rendered and gzipped once,
    here, each named by the ETag, and the page's entry: the versions it was rendered under,
    and for each body the headers the stack gave the rendered page with the body's own length
    and tag. Bodies first: an entry is never there without its bodies."""
    content = response.content
    etag = _etag(content)
    patch_vary_headers(response, ("Accept-Encoding",))
    headers = {
        name: value
        for name, value in response.headers.items()
        if name.lower() not in _UNKEPT_HEADERS
    }
    compressed = gzip.compress(content, compresslevel=9, mtime=0)
    plain_headers = {**headers, "Content-Length": str(len(content)), "ETag": etag}
    gzip_headers = {
        **headers,
        "Content-Encoding": "gzip",
        "Content-Length": str(len(compressed)),
        "ETag": "W/" + etag,  # as GZipMiddleware marks a compressed copy of a strong tag
    }
    plain_body, gzip_body = f"body:{etag}", f"body:{etag}:gzip"
    copies = {False: (plain_headers, plain_body), True: (gzip_headers, gzip_body)}
    return etag, {plain_body: content, gzip_body: compressed, key: (versions, etag, copies)}


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


def cached_page(scope: Callable[..., str]):
    """Marks a view whose pages anonymous readers get from the cache: `scope` names the
    scope of a page from the URL's arguments. The view marks each response it renders with
    `mark_canonical`; PageCacheMiddleware does the rest."""

    def mark(view):
        @functools.wraps(view)
        def page_view(request, *args, **kwargs):
            if not getattr(request, "renders_shared_copy", False):
                return view(request, *args, **kwargs)
            with _csrf_secret_of_no_one(request):
                return view(request, *args, **kwargs)

        page_view.page_cache_scope = scope
        return page_view

    return mark


@contextmanager
def _csrf_secret_of_no_one(request):
    """A copy every anonymous reader gets must not carry the CSRF secret of the reader whose
    request rendered it: a form's token is that secret masked, anyone can unmask it, and with
    it forge that reader's forms (sign them in to another account, post as them). So the copy
    is rendered with a fresh secret nobody holds, and the reader keeps (or never gets) their
    own cookie. Forms on a cached page take the reader's own token from the guest challenge
    (guest-pow.js), as every later reader of the copy does."""
    own_secret = request.META.get("CSRF_COOKIE")
    needs_update = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
    request.META["CSRF_COOKIE"] = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    try:
        yield
    finally:
        if own_secret is None:
            del request.META["CSRF_COOKIE"]
        else:
            request.META["CSRF_COOKIE"] = own_secret
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = needs_update


class PageCacheMiddleware:
    """First but GZip: anonymous GETs and HEADs of the pages views mark with `cached_page`,
    served from the cache (or rendered by the rest of the stack and kept)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _page_key(request) if request.method in ("GET", "HEAD") else None
        scope = key and _scope(request)
        if not scope:
            return self.get_response(request)
        return _cached_or_rendered(request, lambda: self.get_response(request), key, scope)


def _scope(request) -> str | None:
    return _scope_of_path(get_resolver(), request.path_info)


class CachedPagesFirst:
    """The WSGI application around Django's (folkmoot/wsgi.py): a request for a current
    cached page is answered here, before Django's handler builds its request, sends its
    signals and runs the middleware, which cost twice what the hit itself does. Everything
    else (misses included: PageCacheMiddleware renders and stores them) goes to Django.

    A copy is stored by PageCacheMiddleware, which comes before every middleware but GZip
    (which passes a stored copy on untouched), so it holds the headers the whole stack gave
    the page: what is served here is what Django would have served."""

    def __init__(self, django_application):
        self.django_application = django_application
        self.static_prefix = settings.STATIC_URL

    def __call__(self, environ, start_response):
        copy = None
        if environ["REQUEST_METHOD"] in ("GET", "HEAD") and not environ.get(
            "PATH_INFO", ""
        ).startswith(self.static_prefix):
            copy = _early_hit(WSGIRequest(environ))
        if copy is None:
            return self.django_application(environ, start_response)
        start_response(_STATUS_LINES[copy.status], list(copy.headers.items()))
        return [copy.body]  # to a HEAD too, as Django does: the HTTP server leaves it out


_STATUS_LINES = {200: "200 OK", 304: "304 Not Modified"}


def _early_hit(request) -> _Copy | None:
    try:
        key = _page_key(request)
    except DisallowedHost:
        return None  # Django answers it (400)
    scope = key and _scope(request)
    return _hit(request, pages_cache(), key, scope)[0] if scope else None


@functools.lru_cache(maxsize=4096)
def _scope_of_path(resolver, path: str) -> str | None:
    """Resolving a URL costs as much as the rest of a hit: done once per path (and URLconf)."""
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    scope = getattr(match.func, "page_cache_scope", None)
    return scope(**match.kwargs) if scope else None


def cached_or_rendered(request, render: Callable[[], HttpResponse], *, scope: str):
    """The page from the cache, or made by `render()` and kept under the versions read
    *before* rendering: if a post is committed meanwhile, the version of `scope` (the topic,
    the category, the index) has moved on and this copy is never served as the newer page."""
    key = _page_key(request)
    return render() if key is None else _cached_or_rendered(request, render, key, scope)


def _hit(request, cache, key: str, scope: str) -> tuple[_Copy | None, tuple]:
    """The stored copy if it is current (else None), and the versions read."""
    version_keys = _version_keys(scope)
    # One read: from Redis, of the values this process keeps current by client tracking.
    read = getattr(cache, "get_many_tracked", cache.get_many)
    found = read([*version_keys, key])
    entry = found.get(key)
    versions = tuple(found.get(version) for version in version_keys)
    return _copy_to_serve(request, cache, entry, versions), versions


def _cached_or_rendered(request, render, key: str, scope: str):
    cache = pages_cache()
    served, versions = _hit(request, cache, key, scope)
    if served is not None:
        return served.as_response()
    if None in versions:
        versions = _versions(cache, _version_keys(scope))
        if versions is None:
            return render()
    lock = f"lock:{key}"
    locked = cache.add(lock, 1, timeout=LOCK_SECONDS)
    try:
        # Locked: the copy may have been stored (and the lock released) since the first read.
        # Not locked: another request is rendering it.
        entry = cache.get(key) if locked else _wait_for_copy(cache, key, lock, versions)
        served = _copy_to_serve(request, cache, entry, versions)
        if served is not None:
            return served.as_response()
        request.renders_shared_copy = True  # see _csrf_secret_of_no_one
        if _changed_within(versions, settings.FOLKMOOT["REPLICA_LAG_SECONDS"]):
            with replicas.from_the_primary():  # a replica may not have the change yet
                response = render()
        else:
            response = render()
        if response.status_code == 200 and _is_canonical(response, _canonical_query(request)):
            etag, copies = _copies(response, versions, key)
            cache.set_many(copies, settings.FOLKMOOT["PAGE_CACHE_SECONDS"])
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
    version_keys = _version_keys(scope)
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
