"""Redis keys a process reads on every page-cache hit, kept in its memory and dropped the
moment Redis says they changed.

A page-cache hit reads three small keys (the site's version, its scope's version and the
copy's entry, discussions/page_cache.py); from Redis that is a round trip per hit, which
costs a hit more than all its other work. Redis's client tracking (RESP3, Redis 6+) makes
it unnecessary: the connection that reads a key is sent an "invalidate" message, on that
same connection, as soon as any client changes or evicts that key. So each process keeps what
it read, and before each lookup takes the messages already on the socket (a poll, no round
trip): a key changed by another process is gone from here before a request that follows the
change can read it, because Redis writes the message to this socket while it answers the
change itself.

One connection a process (its threads take turns: a lookup that finds its keys here holds it
for microseconds); a fork, a broken connection or a failed write in this process
(faults/cache.py) starts afresh with nothing kept. A Redis that hangs without closing the
connection sends no messages: until it answers again, other processes serve what they kept,
as every process does with the copies made before an outage (see faults/cache.py). A Redis
without tracking makes `get_many` raise TrackingUnavailable once, and the caller reads as
before.
"""

import os
import threading

import redis
from redis import exceptions as redis_errors

# The keys a process keeps (a page's entry is ~0.8 KB, a version ~40 B; bodies are not kept
# here, see page_cache._bodies): ~3 MiB at most, the entries of the ~2,000 pages read most
# lately with their versions. Past this, it starts again from nothing rather than track what
# goes first.
MAX_KEYS = 4_000


class TrackingUnavailable(Exception):
    """The server does not do RESP3 client tracking."""


class TrackedKeys:
    def __init__(self, url: str, **connection_options):
        self._pool = redis.ConnectionPool.from_url(url, protocol=3, **connection_options)
        self._lock = threading.Lock()
        self._connection = None
        self._pid = None
        self._values: dict[str, bytes] = {}

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        """The raw values of those keys that exist: from this process's memory where Redis
        has not said they changed since they were read, the rest in one MGET."""
        with self._lock:
            try:
                connection = self._connected()
                while connection.can_read(timeout=0):  # messages already sent: no waiting
                    connection.read_response(push_request=True)
                found = {key: self._values[key] for key in keys if key in self._values}
                missing = [key for key in keys if key not in found]
                if missing:
                    connection.send_command("MGET", *missing)
                    # Messages about keys changed before this read come first, and are taken
                    # in passing by _invalidated; about keys changed after it, after it.
                    values = connection.read_response()
                    if len(self._values) + len(missing) > MAX_KEYS:
                        self._values.clear()
                    for key, value in zip(missing, values, strict=True):
                        if value is not None:
                            found[key] = self._values[key] = value
                return found
            except redis_errors.RedisError:
                self._drop_connection()
                raise

    def _connected(self):
        if self._pid != os.getpid():  # forked: the parent's socket is not ours
            self._connection = None
            self._values.clear()
        if self._connection is None:
            connection = self._pool.make_connection()
            try:
                connection.connect()  # says HELLO 3
                connection.send_command("CLIENT", "TRACKING", "ON")
                connection.read_response()
            except redis_errors.ResponseError as error:
                connection.disconnect()
                raise TrackingUnavailable(str(error)) from error
            # redis-py hands "invalidate" pushes to a handler set on the connection's parser
            # (as its own client-side cache does), and drops them without one.
            connection._parser.set_invalidation_push_handler(self._invalidated)
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    def _invalidated(self, message) -> None:
        """["invalidate", keys], or ["invalidate", None] when Redis drops every key it tracks
        for this connection (FLUSHALL, or its tracking table full)."""
        keys = message[1]
        if keys is None:
            self._values.clear()
            return
        for key in keys:
            self._values.pop(key.decode() if isinstance(key, bytes) else key, None)

    def forget(self) -> None:
        """Redis failed to take a change (it is down or hung): another process's change
        may not have reached it either, so nothing kept here is trusted any more, and the
        next lookup asks Redis again."""
        with self._lock:
            self._drop_connection()

    def _drop_connection(self) -> None:
        """What was kept is no longer tracked."""
        if self._connection is not None:
            self._connection.disconnect()
        self._connection = None
        self._values.clear()
