"""Live events: who is waiting for what in this process, and how a change reaches them from
any process of the site.

A live event is a channel ("topic:12", "member:7") and a number: the new post's number in a
topic, the newest notification's id for a member. It never carries content: a reader's page
asks the permission-checked endpoints for what it may see (discussions' new-posts JSON, the
bell's count), so nothing a reader may not see can travel this way.

- `Broker` holds this process's subscribers (one asyncio queue per open stream) and delivers
  to them from any thread.
- `publish` is called after commit (discussions/events.py, notifications.notify), in whatever
  process made the change: a WSGI worker, the task worker. It sends the event to the live
  server by the first of:
  1. Redis publish/subscribe when REDIS_URL is set: every live process of every machine hears
     it (`listen_to_redis`).
  2. A UDP datagram to 127.0.0.1:FOLKMOOT_LIVE_PORT when `folkmoot serve` runs its live server
     on this machine without Redis (`listen_on_loopback`): the site's workers and the live
     server are separate processes.
  3. This process's own broker otherwise (everything in one process: tests, an ASGI server
     running the whole site).
Events are hints: a lost one (Redis restarting, a full queue) is made good when the stream
reconnects with Last-Event-ID, or at the next event, since each stream sends the state after
the number it last sent, not a diff."""

import asyncio
import json
import logging
import os
import socket
import threading
from collections import defaultdict
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings

if TYPE_CHECKING:
    import redis

# redis is imported by the functions that use it, which run only with REDIS_URL set: without
# it every process of the site would hold Redis's client (~7 MiB of modules) for nothing.

logger = logging.getLogger(__name__)

# Events a slow reader may fall behind by before its stream ends (it reconnects and resumes).
QUEUE_SIZE = 100
# A "resync" message: the transport may have dropped events, so every stream re-reads.
RESYNC = {"resync": True}


class Subscription:
    """One open stream's queue of messages, bound to the event loop it was made in."""

    def __init__(self, broker: "Broker", channel: str):
        self.broker = broker
        self.channel = channel
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[dict] = asyncio.Queue(QUEUE_SIZE)
        self.overflowed = False

    def _put(self, message: dict) -> None:  # in the subscriber's loop
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed = True

    async def get(self) -> dict:
        return await self.queue.get()

    def close(self) -> None:
        self.broker._remove(self)


class Broker:
    """This process's subscribers by channel. `deliver` may be called from any thread."""

    def __init__(self):
        self._lock = threading.Lock()
        self._channels: dict[str, set[Subscription]] = defaultdict(set)

    def subscribe(self, channel: str) -> Subscription:
        subscription = Subscription(self, channel)
        with self._lock:
            self._channels[channel].add(subscription)
        return subscription

    def _remove(self, subscription: Subscription) -> None:
        with self._lock:
            waiting = self._channels.get(subscription.channel)
            if waiting is not None:
                waiting.discard(subscription)
                if not waiting:
                    del self._channels[subscription.channel]

    def subscriber_count(self) -> int:
        with self._lock:
            return sum(len(waiting) for waiting in self._channels.values())

    def deliver(self, channel: str, message: dict) -> None:
        with self._lock:
            waiting = list(self._channels.get(channel, ()))
        for subscription in waiting:
            subscription.loop.call_soon_threadsafe(subscription._put, message)

    def deliver_to_all(self, message: dict) -> None:
        with self._lock:
            channels = list(self._channels)
        for channel in channels:
            self.deliver(channel, message)


broker = Broker()


def topic_channel(topic_id: int) -> str:
    return f"topic:{topic_id}"


def member_channel(member_id: int) -> str:
    return f"member:{member_id}"


# --- publishing (any process, synchronous) --------------------------------------------------


def redis_channel_prefix(url: str) -> str:
    """Redis's channels are shared by all its databases: the database number and the cache
    prefix keep two sites (or two test runs) on one Redis apart."""
    database = urlsplit(url).path.strip("/") or "0"
    cache_prefix = settings.CACHES["default"].get("KEY_PREFIX", "folkmoot")
    return f"{cache_prefix}:{database}:live:"


_redis_clients: dict[str, "redis.Redis"] = {}  # by URL: one connection pool a process
_udp_socket: socket.socket | None = None


def _redis(url: str) -> "redis.Redis":
    import redis

    client = _redis_clients.get(url)
    if client is None:
        # As short as the cache's: a hung Redis must not hold up the request after commit.
        timeout = float(os.environ.get("FOLKMOOT_REDIS_TIMEOUT_SECONDS", 0.5))
        client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        _redis_clients[url] = client
    return client


def _udp() -> socket.socket:
    global _udp_socket
    if _udp_socket is None:
        _udp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        _udp_socket.setblocking(False)
    return _udp_socket


def publish(channel: str, event_id: int) -> None:
    """Tell live readers of `channel` that it reached `event_id`. Never raises: a change is
    committed already, and readers catch up when they reconnect."""
    message = {"channel": channel, "id": int(event_id)}
    encoded = json.dumps(message)
    live_port = settings.FOLKMOOT["LIVE_PORT"]
    if settings.REDIS_URL:
        _publish_on_redis(settings.REDIS_URL, channel, encoded)
        return
    try:
        if live_port:
            _udp().sendto(encoded.encode(), ("127.0.0.1", live_port))
        else:
            broker.deliver(channel, message)
    except OSError as error:
        logger.warning("Live event %s not sent: %s", message, error)


def _publish_on_redis(url: str, channel: str, encoded: str) -> None:
    import redis

    try:
        _redis(url).publish(redis_channel_prefix(url) + channel, encoded)
    except (redis.RedisError, OSError) as error:
        logger.warning("Live event %s not sent: %s", encoded, error)


# --- listening (the live server's event loop) -------------------------------------------------


def _deliver_raw(raw: bytes | str) -> None:
    try:
        message = json.loads(raw)
        channel, event_id = message["channel"], int(message["id"])
    except (ValueError, KeyError, TypeError):
        return  # not ours
    broker.deliver(str(channel), {"channel": channel, "id": event_id})


async def listen_to_redis(url: str, *, ready: asyncio.Event | None = None) -> None:
    """Hears every live event published on Redis, for as long as the process lives: after a
    lost connection it subscribes again (with back-off) and tells every stream to re-read."""
    import redis
    import redis.asyncio as async_redis

    prefix = redis_channel_prefix(url)
    delay = 0.5
    lost = False
    while True:
        client = async_redis.Redis.from_url(url, socket_connect_timeout=2)
        try:
            async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
                await pubsub.psubscribe(prefix + "*")
                # psubscribe only sends the command: the confirmation says Redis has it.
                while (await pubsub.get_message(timeout=5.0)) is None and not pubsub.subscribed:
                    pass
                if lost:
                    broker.deliver_to_all(RESYNC)
                if ready is not None:
                    ready.set()
                delay = 0.5
                async for message in pubsub.listen():
                    if message["type"] == "pmessage":
                        _deliver_raw(message["data"])
        except (redis.RedisError, OSError) as error:
            lost = True
            logger.warning(
                "Live events: Redis lost (%s); subscribing again in %.1f s", error, delay
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10)
        finally:
            await client.aclose()


class _LoopbackReceiver(asyncio.DatagramProtocol):
    def datagram_received(self, data: bytes, addr) -> None:
        _deliver_raw(data)


async def listen_on_loopback(port: int) -> asyncio.DatagramTransport:
    """Hears the datagrams `publish` sends to 127.0.0.1:port (no Redis, one machine)."""
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(
        _LoopbackReceiver, local_addr=("127.0.0.1", port)
    )
    return transport
