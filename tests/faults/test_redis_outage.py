"""Redis going away: pages render uncached and quickly, and a reply posted meanwhile is saved
once and answers success (it used to be committed and then answered 500, so people posted
twice). Against a redis-server this test starts, stops and freezes itself."""

import time

import pytest

from folkmoot.discussions.models import Post
from folkmoot.settings import redis_caches
from tests.conftest import set_limits
from tests.factories import make_topic
from tests.redis_server import RedisServer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_server(settings, tmp_path):
    server = RedisServer(tmp_path)
    settings.CACHES = redis_caches(server.url)
    set_limits(settings, PAGE_CACHE_SECONDS=300)
    yield server
    server.stop()


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def test_a_reply_posted_while_redis_is_down_is_saved_once_and_answers_success(
    redis_server, client_factory, member
):
    topic = make_topic(replies=1)
    reader = client_factory()
    assert reader.get(topic.get_absolute_url()).status_code == 200
    assert redis_server.client.dbsize() > 0  # the page is in Redis

    redis_server.stop()

    writer = client_factory()
    writer.force_login(member)
    response = writer.post(
        f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "Posted during the outage"}
    )
    assert response.status_code == 302
    assert Post.objects.filter(body="Posted during the outage").count() == 1
    assert "Your reply was posted." in writer.get(response.url, follow=True).text

    page, seconds = timed_get(reader, topic.get_absolute_url())
    assert page.status_code == 200
    assert "Posted during the outage" in page.text  # uncached, so current
    assert seconds < 1


def test_a_hung_redis_costs_a_request_at_most_one_short_timeout(
    redis_server, client_factory, member, settings
):
    # A 2 s timeout (not the default 0.5 s) so that waiting it out stands apart from a page
    # rendered slowly on a busy machine.
    settings.CACHES = redis_caches(redis_server.url)
    settings.CACHES["default"]["OPTIONS"].update(socket_connect_timeout=2, socket_timeout=2)
    topic = make_topic(replies=3)
    reader = client_factory()
    reader.get(topic.get_absolute_url())

    redis_server.freeze()
    try:
        timings = [timed_get(reader, topic.get_absolute_url()) for _ in range(5)]
        writer = client_factory()
        writer.force_login(member)
        reply = writer.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "Still here"})
    finally:
        redis_server.thaw()

    assert all(page.status_code == 200 for page, _ in timings)
    # The first read waits out one socket timeout; the rest skip Redis altogether.
    assert timings[0][1] < 2 + 1.5
    assert max(seconds for _, seconds in timings[1:]) < 2
    assert reply.status_code == 302
    assert Post.objects.filter(body="Still here").count() == 1


def test_the_cache_is_used_again_once_redis_is_back(redis_server, client_factory, settings):
    settings.CACHES = redis_caches(redis_server.url)
    settings.CACHES["default"]["OPTIONS"]["RETRY_AFTER_SECONDS"] = 0.2
    topic = make_topic()
    reader = client_factory()
    redis_server.freeze()
    try:
        assert reader.get(topic.get_absolute_url()).status_code == 200
    finally:
        redis_server.thaw()
    time.sleep(0.3)
    reader.get(topic.get_absolute_url())
    assert redis_server.client.dbsize() > 0
