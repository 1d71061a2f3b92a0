"""A guest's pending post is seen by nobody but the browser that wrote it."""

import pytest

from folkmoot.discussions.models import Post
from tests.guests import guest_reply


@pytest.fixture
def pending(client, topic):
    guest_reply(client, topic, body="A secret still pending")
    return Post.objects.get(body="A secret still pending")


def test_a_pending_post_is_not_on_the_topic_page_for_anyone_else(
    pending, topic, django_user_model, member, moderator, client_factory
):
    for viewer in (None, member, moderator):
        other = client_factory()
        if viewer:
            other.force_login(viewer)
        page = other.get(topic.get_absolute_url()).content.decode()
        assert "A secret still pending" not in page
        assert "finish registering" not in page


def test_a_pending_post_is_not_counted_anywhere(pending, topic, client_factory):
    topic.refresh_from_db()
    category = topic.category
    category.refresh_from_db()
    assert topic.post_count == 1
    assert category.post_count == 1
    assert category.last_post_id != pending.pk
    assert topic.last_post_id != pending.pk
    other = client_factory()
    index = other.get("/").content.decode()
    assert "1</strong> post" in index
    listing = other.get(category.get_absolute_url()).content.decode()
    assert "0 replies" in listing


def test_a_pending_posts_permalink_is_404(pending, client_factory, client):
    assert client_factory().get(f"/p/{pending.pk}/").status_code == 404
    # Even for its own browser: it has no number and no place in the topic yet.
    assert client.get(f"/p/{pending.pk}/").status_code == 404


def test_a_tampered_cookie_is_ignored_without_an_error_page(pending, topic, client):
    value = client.cookies["folkmoot_pending"].value
    client.cookies["folkmoot_pending"] = value.replace(str(pending.pk), str(pending.pk + 1), 1)
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "A secret still pending" not in page
    assert "could not be verified, so it was ignored" in page
    assert response.cookies["folkmoot_pending"].value == ""  # forgotten


def test_a_forged_cookie_cannot_reveal_someone_elses_pending_post(pending, topic, client_factory):
    other = client_factory()
    other.cookies["folkmoot_pending"] = f"{pending.pk}:forged:signature"
    page = other.get(topic.get_absolute_url()).content.decode()
    assert "A secret still pending" not in page
