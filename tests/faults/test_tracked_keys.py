"""Keys a process keeps in memory with Redis's client tracking (faults/tracked_keys.py): read
from Redis once, then from memory until any client changes them, and never afterwards. Against
a redis-server this test starts, restarts and flushes itself."""

import time

import pytest
import redis

from folkmoot.faults.tracked_keys import TrackedKeys
from tests.redis_server import RedisServer


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.stop()


def mget_calls(client) -> int:
    return client.info("commandstats").get("cmdstat_mget", {}).get("calls", 0)


def test_keys_read_once_are_then_served_without_asking_redis(redis_server):
    other = redis.Redis.from_url(redis_server.url)
    other.mset({"version": "1", "page": "copy"})
    tracked = TrackedKeys(redis_server.url)

    assert tracked.get_many(["version", "page", "absent"]) == {"version": b"1", "page": b"copy"}
    calls = mget_calls(other)
    for _ in range(20):
        assert tracked.get_many(["version", "page"]) == {"version": b"1", "page": b"copy"}
    assert mget_calls(other) == calls


def test_a_change_by_another_client_is_seen_by_the_next_read_every_time(redis_server):
    other = redis.Redis.from_url(redis_server.url)
    other.mset({"version": "0", "page": "copy"})
    tracked = TrackedKeys(redis_server.url)
    tracked.get_many(["version", "page"])
    for number in range(1, 300):
        other.set("version", str(number))
        other.ping()  # as page_cache.bump does (DegradingRedisCache.after_tracked_change)
        assert tracked.get_many(["version", "page"]) == {
            "version": str(number).encode(),
            "page": b"copy",
        }
    other.delete("page")
    other.ping()
    assert tracked.get_many(["version", "page"]) == {"version": b"299"}


def test_a_flush_or_an_expiry_drops_what_was_kept(redis_server):
    other = redis.Redis.from_url(redis_server.url)
    other.set("page", "copy", px=300)
    other.set("version", "1")
    tracked = TrackedKeys(redis_server.url)
    assert tracked.get_many(["page", "version"]) == {"page": b"copy", "version": b"1"}

    time.sleep(0.4)
    other.get("page")  # past its 300 ms: expired (and so dropped from memory too)
    other.ping()
    assert tracked.get_many(["page", "version"]) == {"version": b"1"}

    other.flushall()
    other.ping()
    assert tracked.get_many(["page", "version"]) == {}


def test_a_restarted_redis_is_asked_again_and_nothing_old_is_served(redis_server, tmp_path):
    other = redis.Redis.from_url(redis_server.url)
    other.set("version", "before")
    tracked = TrackedKeys(redis_server.url)
    assert tracked.get_many(["version"]) == {"version": b"before"}

    other.client_kill_filter(_type="normal", skipme=True)  # the tracking connection is gone
    other.set("version", "after")  # and so never hears of this

    with pytest.raises(redis.ConnectionError):
        tracked.get_many(["version"])
    assert tracked.get_many(["version"]) == {"version": b"after"}


def test_a_process_told_redis_failed_asks_redis_again(redis_server):
    other = redis.Redis.from_url(redis_server.url)
    other.set("version", "1")
    tracked = TrackedKeys(redis_server.url)
    tracked.get_many(["version"])
    calls = mget_calls(other)

    tracked.forget()
    assert tracked.get_many(["version"]) == {"version": b"1"}
    assert mget_calls(other) == calls + 1
