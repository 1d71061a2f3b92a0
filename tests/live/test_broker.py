"""The live broker carries an event from whoever publishes it (a request thread, after
commit) to the streams waiting on its channel, and to no other: within one process, through
a real redis-server (as between the site's processes), and on loopback without Redis."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from folkmoot.live import broker as live
from tests.redis_server import RedisServer, free_port


def run_in_own_loop(coroutine):
    """asyncio.run in a thread of its own: a browser test earlier in this process leaves
    Playwright's event loop running in the main thread, where asyncio.run refuses to start."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


WAIT = 10  # seconds: an upper bound for a busy machine, not a timing


@pytest.fixture
def no_transport(settings):
    settings.REDIS_URL = None
    settings.FOLKMOOT = {**settings.FOLKMOOT, "LIVE_PORT": 0}


async def _publish_from_a_thread(channel: str, event_id: int) -> None:
    """As a WSGI request thread does after its commit."""
    await asyncio.to_thread(live.publish, channel, event_id)


async def _exchange(channel_events, *, listening=None):
    """Subscribes to topic:1 and topic:2, publishes `channel_events`, returns what each got."""
    first = live.broker.subscribe(live.topic_channel(1))
    second = live.broker.subscribe(live.topic_channel(2))
    try:
        for channel, event_id in channel_events:
            await _publish_from_a_thread(channel, event_id)
        got = await asyncio.wait_for(first.get(), WAIT)
        # topic:2 gets nothing: a marker published after the rest arrives first.
        await _publish_from_a_thread(live.topic_channel(2), 999)
        marker = await asyncio.wait_for(second.get(), WAIT)
        return got, marker
    finally:
        first.close()
        second.close()


def test_an_event_reaches_the_streams_of_its_channel_in_this_process_only(no_transport):
    got, marker = run_in_own_loop(_exchange([(live.topic_channel(1), 7)]))
    assert got == {"channel": "topic:1", "id": 7}
    assert marker["id"] == 999  # and not 7: topic:2 heard nothing of topic:1
    assert live.broker.subscriber_count() == 0  # closed streams are forgotten


def test_an_event_published_on_redis_reaches_the_listening_process(settings, tmp_path):
    server = RedisServer(tmp_path)
    settings.REDIS_URL = server.url

    async def scenario():
        ready = asyncio.Event()
        listener = asyncio.create_task(live.listen_to_redis(server.url, ready=ready))
        try:
            await asyncio.wait_for(ready.wait(), WAIT)
            return await _exchange([(live.topic_channel(1), 12)])
        finally:
            listener.cancel()

    try:
        got, marker = run_in_own_loop(scenario())
    finally:
        server.stop()
    assert got == {"channel": "topic:1", "id": 12}
    assert marker["id"] == 999


def test_redis_channels_keep_two_databases_of_one_redis_apart(settings):
    assert live.redis_channel_prefix("redis://127.0.0.1:6379/1") != live.redis_channel_prefix(
        "redis://127.0.0.1:6379/2"
    )


def test_without_redis_an_event_reaches_the_live_server_on_loopback(settings):
    port = free_port()
    settings.REDIS_URL = None
    settings.FOLKMOOT = {**settings.FOLKMOOT, "LIVE_PORT": port}

    async def scenario():
        transport = await live.listen_on_loopback(port)
        try:
            return await _exchange([(live.topic_channel(1), 3)])
        finally:
            transport.close()

    got, marker = run_in_own_loop(scenario())
    assert got == {"channel": "topic:1", "id": 3}
    assert marker["id"] == 999


def test_publishing_with_redis_down_loses_the_event_and_raises_nothing(settings, tmp_path):
    server = RedisServer(tmp_path)
    server.stop()
    settings.REDIS_URL = server.url
    live.publish(live.topic_channel(1), 1)  # logged, not raised: the change is committed


def test_a_reader_who_falls_too_far_behind_is_told_to_reconnect(no_transport):
    async def scenario():
        subscription = live.broker.subscribe(live.member_channel(5))
        try:
            for number in range(live.QUEUE_SIZE + 1):
                live.publish(live.member_channel(5), number)
            await asyncio.sleep(0)  # deliveries are scheduled on this loop
            for _ in range(live.QUEUE_SIZE * 2):
                await asyncio.sleep(0)
            return subscription.overflowed
        finally:
            subscription.close()

    assert run_in_own_loop(scenario()) is True
