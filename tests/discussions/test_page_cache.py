"""Whole topic pages cached for anonymous readers: fast, and never older than the last change.

These tests use real transactions (transactional_db): the cache is invalidated after commit."""

import pytest

from folkmoot.discussions import services
from tests.conftest import set_limits
from tests.factories import MemberFactory, make_topic
from tests.guests import guest_reply

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def whole_page_cache(settings):
    set_limits(settings, PAGE_CACHE_SECONDS=300)


def test_a_second_anonymous_reader_is_served_without_touching_the_database(
    client, django_assert_num_queries
):
    topic = make_topic(replies=5)
    first = client.get(topic.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(topic.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content


def test_a_new_reply_shows_to_anonymous_readers_at_once(client):
    topic = make_topic(replies=1)
    client.get(topic.get_absolute_url())
    services.reply(topic=topic, author=MemberFactory(), body="Breaking: a fresh reply")
    assert "Breaking: a fresh reply" in client.get(topic.get_absolute_url()).text


def test_an_edit_and_a_deletion_show_to_anonymous_readers_at_once(client):
    topic = make_topic(replies=2)
    url = topic.get_absolute_url()
    client.get(url)
    first = topic.posts.get(number=1)
    services.edit_post(post=first, editor=first.author, body="Corrected opening")
    assert "Corrected opening" in client.get(url).text

    services.delete_post(post=topic.posts.get(number=3), actor=MemberFactory(is_staff=True))
    assert 'id="post-3"' not in client.get(url).text


def test_members_never_get_the_anonymous_copy(client):
    author = MemberFactory()
    topic = make_topic(author=author)
    client.get(topic.get_absolute_url())  # cached for anonymous readers
    client.force_login(author)
    page = client.get(topic.get_absolute_url()).text
    assert f'href="/p/{topic.posts.get(number=1).pk}/edit/"' in page
    assert "You can post now and register later." not in page


def test_a_guest_with_a_pending_post_sees_it_rather_than_the_cached_page(client):
    topic = make_topic()
    client.get(topic.get_absolute_url())  # cached for anonymous readers
    guest_reply(client, topic, body="My words, not yet published")
    page = client.get(topic.get_absolute_url()).text
    assert "My words, not yet published" in page
    assert "This post will appear once you finish registering." in page


def test_a_link_preview_arriving_later_shows_to_anonymous_readers_at_once(client, local_web):
    from folkmoot.composer import tasks

    url = local_web.serve(
        "/story", b"<html><head><title>Village hall saved</title></head></html>", "text/html"
    )
    topic = make_topic()
    post = services.reply(topic=topic, author=MemberFactory(), body=url, enforce_limits=False)
    assert "Village hall saved" not in client.get(topic.get_absolute_url()).text  # now cached

    tasks.fetch_link_previews.call(post.pk)  # what the worker does after the post is saved
    assert (
        '<span class="embed-title">Village hall saved</span>'
        in client.get(topic.get_absolute_url()).text
    )


def test_a_page_rendered_while_a_post_was_committed_is_not_served_as_the_newer_page(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from folkmoot.discussions import page_cache

    topic = make_topic()
    request = rf.get(topic.get_absolute_url())
    request.user = AnonymousUser()

    def render_while_someone_replies():
        services.reply(topic=topic, author=MemberFactory(), body="Committed mid-render")
        return HttpResponse("the page as it was before that reply")

    page_cache.cached_or_rendered(request, render_while_someone_replies)
    fresh = page_cache.cached_or_rendered(request, lambda: HttpResponse("a fresh render"))
    assert fresh.content == b"a fresh render"
