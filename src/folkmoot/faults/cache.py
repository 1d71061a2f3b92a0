"""Redis as a cache the site can live without.

When Redis is down, slow or refusing writes, every read is a miss and every write is skipped,
so pages render uncached instead of failing, and a post committed during the outage still
answers success (its after-commit page-cache bump is one of the skipped writes). Sockets time
out quickly, and after one failure this process leaves Redis alone for a few seconds, so an
outage costs a request at most one short timeout rather than one per cache call.

Pages cached before an outage can be served for up to their timeout after Redis returns: the
version bumps of posts made during the outage never reached it.
"""

import logging
import threading
import time
from functools import partial

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient, RedisSerializer
from redis import exceptions as redis_errors

from .tracked_keys import TrackedKeys, TrackingUnavailable

logger = logging.getLogger(__name__)

# Error replies from a Redis that is up but cannot serve: out of memory, failing to persist,
# still loading its data, or a replica without its primary.
OUTAGE_REPLIES = ("OOM", "MISCONF", "LOADING", "MASTERDOWN")

# Redis found unusable, per server list, until this monotonic time; shared by the threads of
# a process (each thread has its own cache object).
_unusable_until: dict[str, float] = {}
_lock = threading.Lock()


class _ClientPerPool(RedisCacheClient):
    """Django builds a new redis.Redis object for every command, which costs about as much as
    the rest of an anonymous page-cache hit's own work; one per connection pool does (a client
    takes a connection from its pool per command, so threads may share it)."""

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(index)
        if client is None:
            client = clients[index] = super().get_client(key, write=write)
        return client


class DegradingRedisCache(RedisCache):
    """Django's Redis cache, but a Redis fault is a miss or a skipped write, never an error.

    OPTIONS (besides redis-py's pool options): `socket_connect_timeout` and `socket_timeout`
    default to 0.25 s; `RETRY_AFTER_SECONDS` (default 5) is how long Redis is left alone after
    a failure.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self._retry_after = float(options.pop("RETRY_AFTER_SECONDS", 5))
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.25)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _ClientPerPool
        self._name = ",".join(self._servers)

    # --- the outage switch ---
    def _usable(self) -> bool:
        return time.monotonic() >= _unusable_until.get(self._name, 0.0)

    def _failed(self, error: Exception) -> None:
        with _lock:
            was_usable = self._usable()
            _unusable_until[self._name] = time.monotonic() + self._retry_after
        if tracked := _tracked_keys.get(self._name):
            tracked.forget()
        if was_usable:
            logger.warning(
                "Cache unavailable (%s: %s); pages render uncached, retrying in %g s",
                type(error).__name__,
                error,
                self._retry_after,
            )

    def _try(self, operation, fallback):
        if not self._usable():
            return fallback()
        try:
            return operation()
        except redis_errors.RedisError as error:
            if not _is_outage(error):
                raise
            self._failed(error)
            return fallback()

    def validate_key(self, key):
        pass  # keys go to Redis as they are: Django's checks for memcached cost a hit ~10 µs

    # --- reads miss ---
    def get_many_tracked(self, keys) -> dict:
        """get_many, from the values this process keeps current with Redis's client tracking
        (faults/tracked_keys.py): what a page-cache hit reads, without a round trip."""
        tracked = _tracked_keys_of(self)
        if tracked is None:
            return self.get_many(keys)
        redis_keys = {self.make_key(key): key for key in keys}

        def from_tracked():
            try:
                found = tracked.get_many(list(redis_keys))
            except TrackingUnavailable as error:
                logger.warning("Redis does not track keys (%s): hits read it each time", error)
                _tracked_keys[self._name] = None
                return self.get_many(keys)
            return {redis_keys[key]: _serializer.loads(value) for key, value in found.items()}

        return self._try(from_tracked, dict)

    def after_tracked_change(self) -> None:
        """Returns once Redis has sent every process the messages about changes this process
        made (tracked_keys.py): Redis writes them while it answers the change, but may write
        the answer first; the answer to one more command comes after them all. So a response
        sent after this is never followed by a request that another process answers from
        what it kept from before the change."""
        self._try(lambda: self._cache.get_client(write=True).ping(), lambda: None)

    def get(self, key, default=None, version=None):
        return self._try(partial(RedisCache.get, self, key, default, version), lambda: default)

    def get_many(self, keys, version=None):
        return self._try(partial(RedisCache.get_many, self, keys, version), dict)

    def has_key(self, key, version=None):
        return self._try(partial(RedisCache.has_key, self, key, version), lambda: False)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key {key!r} not found: the cache is unavailable.")

        return self._try(partial(RedisCache.incr, self, key, delta, version), missing)

    # --- writes are skipped ---
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Reads miss, so as far as callers can tell the key was absent and is now "added".
        # Limits built on add() let posts through during an outage rather than refuse them all.
        return self._try(partial(RedisCache.add, self, key, value, timeout, version), lambda: True)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._try(partial(RedisCache.set, self, key, value, timeout, version), lambda: None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(
            partial(RedisCache.set_many, self, data, timeout, version), lambda: list(data)
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(partial(RedisCache.touch, self, key, timeout, version), lambda: False)

    def delete(self, key, version=None):
        return self._try(partial(RedisCache.delete, self, key, version), lambda: False)

    def delete_many(self, keys, version=None):
        self._try(partial(RedisCache.delete_many, self, keys, version), lambda: None)

    def clear(self):
        return self._try(partial(RedisCache.clear, self), lambda: False)


_serializer = RedisSerializer()  # as RedisCache stores values
_tracked_keys: dict[str, TrackedKeys | None] = {}  # per server list; None: no tracking there


def _tracked_keys_of(cache: DegradingRedisCache) -> TrackedKeys | None:
    if cache._name not in _tracked_keys:
        with _lock:
            options = {
                name: cache._options[name]
                for name in ("socket_connect_timeout", "socket_timeout")
                if name in cache._options
            }
            _tracked_keys.setdefault(cache._name, TrackedKeys(cache._servers[0], **options))
    return _tracked_keys[cache._name]


def _is_outage(error: redis_errors.RedisError) -> bool:
    """Redis unreachable, slow, read-only or out of memory: not a bug in how we call it."""
    if isinstance(
        error,
        redis_errors.ConnectionError | redis_errors.TimeoutError | redis_errors.ReadOnlyError,
    ):
        return True
    return isinstance(error, redis_errors.ResponseError) and str(error).startswith(OUTAGE_REPLIES)
