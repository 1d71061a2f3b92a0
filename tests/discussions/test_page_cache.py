"""Whole topic pages cached for anonymous readers: fast, and never older than the last change.

These tests use real transactions (transactional_db): the cache is invalidated after commit."""

import gzip
import re

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
    from folkmoot.discussions import tasks

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
        # Marked as the topic's page 1, as the view marks it: cacheable, but under the old key.
        return page_cache.mark_canonical(
            HttpResponse("the page as it was before that reply"), page_number=1
        )

    scope = page_cache.topic_scope(topic.pk)
    page_cache.cached_or_rendered(request, render_while_someone_replies, scope=scope)
    fresh = page_cache.cached_or_rendered(
        request, lambda: HttpResponse("a fresh render"), scope=scope
    )
    assert fresh.content == b"a fresh render"


def test_a_lock_shows_to_anonymous_readers_at_once_and_no_moderator_tool_is_ever_cached(client):
    from folkmoot.discussions.models import Post

    moderator = MemberFactory(is_staff=True)
    topic = make_topic(replies=2)
    url = topic.get_absolute_url()
    client.get(url)  # cached for anonymous readers
    services.lock_topic(topic=topic, actor=moderator, locked=True)
    services.hide_post(post=topic.posts.get(number=2), actor=moderator, reason="Secret reason")
    # A moderator reads the page (uncached, with tools and the hidden post) ...
    client.force_login(moderator)
    moderator_page = client.get(url).text
    assert "Moderator tools" in moderator_page and "Secret reason" in moderator_page
    client.logout()
    # ... and anonymous readers get the locked page, without any of it.
    page = client.get(url).text
    again = client.get(url).text
    for anonymous_page in (page, again):
        assert "This topic is locked." in anonymous_page
        assert "Moderator tools" not in anonymous_page and "Secret reason" not in anonymous_page
        assert "This post was hidden" not in anonymous_page
        assert 'id="post-2"' not in anonymous_page
    assert Post.objects.get(topic=topic, number=2).hidden_note == "Secret reason"


def test_a_reply_leaves_other_topics_pages_cached(client, django_assert_num_queries):
    replied, untouched = make_topic(), make_topic()
    client.get(replied.get_absolute_url())
    client.get(untouched.get_absolute_url())
    services.reply(topic=replied, author=MemberFactory(), body="Only here")
    with django_assert_num_queries(0):
        assert client.get(untouched.get_absolute_url()).status_code == 200
    assert "Only here" in client.get(replied.get_absolute_url()).text


def test_a_reader_sending_the_pages_etag_back_gets_a_304_until_the_topic_changes(client):
    topic = make_topic()
    url = topic.get_absolute_url()
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")
    weak = client.get(url, headers={"If-None-Match": f"W/{etag}"})  # as GZipMiddleware sends it
    assert weak.status_code == 304

    services.reply(topic=topic, author=MemberFactory(), body="News since your copy")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "News since your copy" in changed.text
    assert changed["ETag"] != etag


def test_a_cached_page_carries_the_headers_a_fresh_one_does(client, django_assert_num_queries):
    topic = make_topic()
    url = topic.get_absolute_url()
    fresh = client.get(url)
    with django_assert_num_queries(0):
        cached = client.get(url)
    for header in (
        "Content-Type",
        "Content-Security-Policy",
        "X-Frame-Options",
        "Content-Language",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert cached[header] == fresh[header], header
    assert "Cookie" in cached["Vary"]  # shared caches keep a copy per language cookie
    assert not cached.cookies  # no reader's session or CSRF cookie is stored with the copy


def test_browsers_get_the_cached_page_compressed_and_other_clients_get_it_plain(
    client, django_assert_num_queries
):
    topic = make_topic(replies=5)
    url = topic.get_absolute_url()
    plain = client.get(url)
    gzip_accepted = {"Accept-Encoding": "gzip, deflate, br"}
    with django_assert_num_queries(0):
        compressed = client.get(url, headers=gzip_accepted)
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 3
    assert "Accept-Encoding" in compressed["Vary"]
    # Compressed once when stored: every reader gets the same bytes (nothing of theirs in it).
    assert client.get(url, headers=gzip_accepted).content == compressed.content
    not_modified = client.get(url, headers={**gzip_accepted, "If-None-Match": compressed["ETag"]})
    assert (not_modified.status_code, not_modified.content) == (304, b"")
    again = client.get(url)
    assert not again.has_header("Content-Encoding")
    assert again.content == plain.content


def test_a_copy_whose_body_was_evicted_from_the_shared_cache_is_rendered_again(client, monkeypatch):
    from folkmoot.discussions import page_cache

    topic = make_topic(replies=2)
    url = topic.get_absolute_url()
    first = client.get(url)
    # Evicted from the shared cache, and never served by this process (say, another one).
    page_cache.pages_cache().delete(f"body:{first['ETag']}")
    monkeypatch.setattr(page_cache, "_bodies", page_cache._Bodies(2**20))
    again = client.get(url)
    assert again.status_code == 200
    assert topic.title in again.text
    assert again["ETag"] != first["ETag"]  # rendered afresh (another CSRF token in its form)


def test_a_topic_addressed_with_a_leading_zero_shows_a_new_reply_at_once(client):
    topic = make_topic(replies=1)
    url = topic.get_absolute_url().replace(f"/t/{topic.pk}-", f"/t/0{topic.pk}-")
    assert client.get(url).status_code == 200  # the same topic, kept under this URL too
    services.reply(topic=topic, author=MemberFactory(), body="Seen under every address")
    assert "Seen under every address" in client.get(url).text


def test_members_get_no_etag_from_the_anonymous_cache(client):
    member = MemberFactory()
    topic = make_topic()
    client.get(topic.get_absolute_url())
    client.force_login(member)
    assert not client.get(topic.get_absolute_url()).has_header("ETag")


def test_a_cold_page_requested_by_a_burst_of_readers_is_rendered_once(rf):
    import threading
    import time

    from django.contrib.auth.models import AnonymousUser
    from django.db import connections
    from django.http import HttpResponse

    from folkmoot.discussions import page_cache

    topic = make_topic()
    renders = []

    def slow_render():
        renders.append(1)
        time.sleep(0.3)
        return page_cache.mark_canonical(HttpResponse("rendered once"), page_number=1)

    served = []

    def reader():
        request = rf.get(topic.get_absolute_url())
        request.user = AnonymousUser()
        scope = page_cache.topic_scope(topic.pk)
        served.append(page_cache.cached_or_rendered(request, slow_render, scope=scope))
        connections.close_all()

    readers = [threading.Thread(target=reader) for _ in range(6)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()
    assert len(renders) == 1
    assert [response.content for response in served] == [b"rendered once"] * 6


def test_a_new_topic_shows_at_once_on_its_category_and_the_index_and_not_elsewhere(
    client, django_assert_num_queries
):
    from tests.factories import CategoryFactory

    busy, quiet = CategoryFactory(name="Busy"), CategoryFactory(name="Quiet")
    make_topic(category=quiet, title="Nothing new here")
    for url in ("/", busy.get_absolute_url(), quiet.get_absolute_url()):
        client.get(url)
    make_topic(category=busy, title="Fresh headline")
    with django_assert_num_queries(0):  # still the cached page
        assert client.get(quiet.get_absolute_url()).status_code == 200
    assert "Fresh headline" in client.get(busy.get_absolute_url()).text
    assert "Fresh headline" in client.get("/").text


def test_a_moved_topic_leaves_the_cached_page_of_its_old_category_at_once(client):
    from django.db import transaction

    from folkmoot.discussions import lifecycle
    from tests.factories import CategoryFactory

    old, new = CategoryFactory(name="Old home"), CategoryFactory(name="New home")
    topic = make_topic(category=old, title="A wandering topic")
    assert "A wandering topic" in client.get(old.get_absolute_url()).text
    client.get(new.get_absolute_url())
    with transaction.atomic():
        lifecycle.move_topic(topic, to=new)
    assert "A wandering topic" not in client.get(old.get_absolute_url()).text
    assert "A wandering topic" in client.get(new.get_absolute_url()).text


def test_a_cached_page_gives_away_no_readers_csrf_secret(client):
    """The copy is rendered for everyone: its forms' token must not unmask to the secret in
    the cookie of the reader whose request rendered it (anyone could then forge their forms)."""
    from django.middleware.csrf import _unmask_cipher_token
    from django.test import Client

    topic = make_topic(replies=1)
    url = topic.get_absolute_url()
    own_secret = "a" * 32
    client.cookies["csrftoken"] = own_secret
    rendered = client.get(url)
    page_tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', rendered.text))
    assert page_tokens, "the anonymous topic page has a form (the guest reply)"
    page_secrets = {_unmask_cipher_token(token) for token in page_tokens}
    assert own_secret not in page_secrets
    kept = rendered.cookies.get("csrftoken")
    assert kept is None or kept.value == own_secret  # the reader keeps their own cookie

    # A newcomer without a cookie whose visit renders a copy: any cookie they are given does
    # not open the copy's tokens either.
    other_topic = make_topic(replies=1)
    first_visit = Client().get(other_topic.get_absolute_url())
    copy_secrets = {
        _unmask_cipher_token(token)
        for token in re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', first_visit.text)
    }
    given = first_visit.cookies.get("csrftoken")
    assert given is None or given.value not in copy_secrets
    assert Client().get(other_topic.get_absolute_url()).text == first_visit.text  # the copy
