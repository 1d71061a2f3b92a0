"""Read replicas (DATABASE_REPLICA_URLS): anonymous readers' pages are read from a replica, and
everything else from the primary.

A request may read from a replica only if it is a GET or HEAD by a visitor who is not signed
in, and whose browser did not write anything in the last few seconds (the cookie below): a
replica runs behind the primary, and whoever just posted must see their post. As soon as a
request writes, the rest of it reads from the primary too. Members always read from the
primary: their pages hold their own state (unread marks, drafts, notifications).
"""

import contextlib
import contextvars
import random

from django.conf import settings

# Set for the length of one request that may read from a replica; never set otherwise
# (the worker, commands, and every other request read from the primary).
_replica_allowed = contextvars.ContextVar("folkmoot_replica_allowed", default=False)
# Set by from_the_primary(): the page cache renders a page through the rest of the middleware
# stack, this one's included, which must not allow the replica again.
_primary_required = contextvars.ContextVar("folkmoot_primary_required", default=False)

# The browser that wrote reads from the primary until this cookie expires.
READ_YOUR_WRITES_COOKIE = "folkmoot_primary"
SAFE_METHODS = frozenset({"GET", "HEAD"})


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


@contextlib.contextmanager
def from_the_primary():
    """Every read inside goes to the primary, whatever the request allows."""
    allowed = _replica_allowed.set(False)
    required = _primary_required.set(True)
    try:
        yield
    finally:
        _primary_required.reset(required)
        _replica_allowed.reset(allowed)


class ReplicaRouter:
    """Reads where the request allows, writes always to the primary ("default")."""

    def db_for_read(self, model, **hints):
        if _replica_allowed.get():
            replicas = replica_aliases()
            if replicas:
                return random.choice(replicas)
        return "default"

    def db_for_write(self, model, **hints):
        _replica_allowed.set(False)  # whatever this request reads next, it reads its writes
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied: every object is on every alias

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # replicas copy the primary's schema


class ReplicaMiddleware:
    """Decides, per request, whether its reads may go to a replica (see the module's doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        allowed = (
            not _primary_required.get()
            and request.method in SAFE_METHODS
            and READ_YOUR_WRITES_COOKIE not in request.COOKIES
            and not request.user.is_authenticated
        )
        token = _replica_allowed.set(allowed)
        try:
            response = self.get_response(request)
            wrote = allowed and not _replica_allowed.get()
        finally:
            _replica_allowed.reset(token)
        if request.method not in SAFE_METHODS or wrote:
            response.set_cookie(
                READ_YOUR_WRITES_COOKIE,
                "1",
                max_age=settings.FOLKMOOT["REPLICA_LAG_SECONDS"],
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response
