"""The anonymous page cache keeps a topic page only under its canonical URL: the topic, or
`?page=N` for a page that exists. Any other query is rendered and not kept, so a stream of
`?x=N` requests cannot fill the cache and push everything else out."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import set_limits
from tests.factories import make_topic

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def whole_page_cache(settings):
    set_limits(settings, PAGE_CACHE_SECONDS=300, POSTS_PER_PAGE=2)


def _queries_for_second_read(client, url) -> int:
    first = client.get(url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second.status_code == 200
    return len(queries)


def test_the_topic_and_its_existing_pages_are_cached(client):
    topic = make_topic(replies=3)  # 4 posts, 2 pages
    url = topic.get_absolute_url()
    assert _queries_for_second_read(client, url) == 0  # served from the cache
    assert _queries_for_second_read(client, f"{url}?page=2") == 0


@pytest.mark.parametrize(
    "query",
    [
        "?x=1",
        "?page=2&x=1",
        "?page=2&page=2",
        "?page=1",  # the topic's own URL says page 1
        "?page=02",
        "?page=3",  # past the end: shows page 2
        "?page=999999",
        "?utm_source=spam",
        "?page=2&after=0.1.5",  # a key in the spelling of a category's "Next" link
    ],
)
def test_any_other_query_is_rendered_and_not_kept(client, query):
    topic = make_topic(replies=3)
    url = f"{topic.get_absolute_url()}{query}"
    assert _queries_for_second_read(client, url) > 0
