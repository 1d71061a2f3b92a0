"""Where a category holds new members' posts, a new member's topic waits for approval too."""

import pytest

from folkmoot.discussions.models import Topic
from folkmoot.moderation.models import QueuedPost
from tests.factories import CategoryFactory


@pytest.fixture
def held_category(db):
    return CategoryFactory(moderate_new_members=True)


def _start(client, category, title="Held topic title"):
    return client.post(
        f"/c/{category.pk}-{category.slug}/new/", {"title": title, "body": "Held topic body"}
    )


def test_a_new_members_topic_is_hidden_until_approved(
    member_client, held_category, client_factory, moderator
):
    response = _start(member_client, held_category)
    topic = Topic.objects.get(title="Held topic title")
    assert response.status_code == 302
    assert topic.post_count == 0
    held_category.refresh_from_db()
    assert held_category.topic_count == 0

    # The author sees it, marked; nobody else finds it.
    page = member_client.get(response.url).content.decode()
    assert "Your topic is awaiting approval by a moderator." in page
    assert "Awaiting approval" in page and "Held topic body" in page
    stranger = client_factory()
    assert stranger.get(topic.get_absolute_url()).status_code == 404
    assert "Held topic title" not in stranger.get(held_category.get_absolute_url()).content.decode()

    mod = client_factory()
    mod.force_login(moderator)
    post = QueuedPost.objects.get().post
    mod.post(f"/mod/queue/{post.pk}/approve/")

    topic.refresh_from_db()
    held_category.refresh_from_db()
    post.refresh_from_db()
    assert (topic.post_count, held_category.topic_count, post.number) == (1, 1, 1)
    assert "Held topic body" in stranger.get(topic.get_absolute_url()).content.decode()
    assert "Held topic title" in stranger.get(held_category.get_absolute_url()).content.decode()


def test_nobody_can_reply_to_a_topic_awaiting_approval(member_client, held_category, client):
    _start(member_client, held_category)
    topic = Topic.objects.get()
    response = member_client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "Me first"})
    assert response.status_code == 404
    assert topic.posts.count() == 1


def test_a_rejected_topic_stays_hidden(member_client, held_category, moderator, client_factory):
    _start(member_client, held_category)
    topic = Topic.objects.get()
    mod = client_factory()
    mod.force_login(moderator)
    mod.post(f"/mod/queue/{QueuedPost.objects.get().post_id}/reject/")
    assert client_factory().get(topic.get_absolute_url()).status_code == 404
    held_category.refresh_from_db()
    assert held_category.topic_count == 0
