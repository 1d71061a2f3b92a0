"""A fresh topic page reads the topic and its posts as they are now: the SQL is compiled once
(folkmoot.compiled_queries), the rows are read every time."""

import re

import pytest
from django.db import transaction

from folkmoot import compiled_queries
from folkmoot.discussions import lifecycle, post_html, services
from tests.factories import CategoryFactory, MemberFactory, make_topic


def page(client, topic, query: str = "") -> str:
    response = client.get(f"/t/{topic.pk}-{topic.slug}/{query}")
    assert response.status_code == 200
    return response.text


def test_a_renamed_topic_shows_its_new_title_on_the_next_page(client, db):
    topic = make_topic(title="The title before")
    assert "The title before" in page(client, topic)
    with transaction.atomic():
        lifecycle.rename_topic(topic, title="The title after")
    html = page(client, topic)
    assert "The title after" in html and "The title before" not in html


def test_a_new_reply_is_on_the_next_page(client, db):
    topic = make_topic(replies=2)
    assert "A reply that was not there" not in page(client, topic)
    services.reply(topic=topic, author=MemberFactory(), body="A reply that was not there")
    assert "A reply that was not there" in page(client, topic)


def test_a_deleted_reply_is_gone_from_the_next_page(client, moderator):
    topic = make_topic(replies=3)
    assert "Reply number 2" in page(client, topic)
    services.delete_post(post=topic.posts.get(number=3), actor=moderator)
    html = page(client, topic)
    assert "Reply number 2" not in html and "Reply number 3" in html


def test_a_moved_topic_names_its_new_category_on_the_next_page(client, moderator):
    topic = make_topic(category=CategoryFactory(name="Where it began"))
    assert "Where it began" in page(client, topic)
    services.move_topic(topic=topic, actor=moderator, to=CategoryFactory(name="Where it went"))
    html = page(client, topic)
    assert "Where it went" in html and "Where it began" not in html


def test_a_later_page_shows_a_reply_added_since_it_was_last_read(client, db):
    topic = make_topic(replies=30)
    assert "Reply number 31" not in page(client, topic, "?page=2")  # leaves its marks
    services.reply(topic=topic, author=MemberFactory(), body="Reply number 31")
    topic.refresh_from_db()
    html = page(client, topic, "?page=2")
    assert "Reply number 30" in html and "Reply number 31" in html


def test_each_topic_shows_its_own_posts(client, db):
    """One compiled query serves every topic: the values are the request's, not the first's."""
    first = make_topic(title="The first topic")
    second = make_topic(title="The second topic", replies=1)
    assert "Reply number 1" not in page(client, first)
    html = page(client, second)
    assert "The second topic" in html and "Reply number 1" in html


def without_tokens(html: str) -> str:
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1-", html)
    html = re.sub(r'data-csrf="[^"]+"', 'data-csrf="-"', html)
    return re.sub(r'nonce="[^"]+"', 'nonce="-"', html)


class NoFrames:
    def get_many(self, keys):
        return {}

    def set_many(self, values, timeout):
        pass


@pytest.mark.parametrize("reader", ["anonymous", "member", "moderator"])
@pytest.mark.parametrize("query", ["", "?page=2", "?page=2&again"])
def test_pages_are_the_same_as_with_djangos_own_evaluation(
    client, monkeypatch, moderator, reader, query
):
    """The same page, byte for byte, whether its reads run compiled or through Django's
    QuerySet evaluation (every value sent down Django's path), on either database."""
    topic = make_topic(replies=40)
    services.delete_post(post=topic.posts.get(number=7), actor=moderator)
    services.react(post=topic.posts.get(number=2), member=MemberFactory(), kind="like")
    topic.posts.get(number=3).author.delete()  # a post whose author has gone
    services.recommend_post(post=topic.posts.get(number=30), moderator=moderator)
    topic.refresh_from_db()
    if reader == "member":
        client.force_login(MemberFactory())
    elif reader == "moderator":
        client.force_login(moderator)
    url = f"/t/{topic.pk}-{topic.slug}/"
    # Each post's frame rendered from this render's posts, not taken from the frame cache.
    monkeypatch.setattr(post_html, "cache", NoFrames())
    if query.endswith("again"):
        page(client, topic, "?page=2")  # leaves page marks: the next read seeks by number
        query = "?page=2"
    compiled = without_tokens(page(client, topic, query))
    with monkeypatch.context() as patched:
        patched.setattr(compiled_queries, "_as_value", lambda value: None)
        evaluated = without_tokens(client.get(url + query).text)
    assert compiled == evaluated
    assert topic.title in compiled and "Recommended Posts" in compiled
