"""A member's own posts count as read by them: replying (with or without the page's script)
never turns the topic unread for its author."""

from datetime import timedelta

import pytest
from django.utils import timezone

from folkmoot.discussions import services as discussion_services
from folkmoot.discussions.models import Post
from folkmoot.moderation import services as moderation_services
from folkmoot.notifications.models import TopicRead
from tests.factories import CategoryFactory, MemberFactory, make_topic


@pytest.fixture
def writer(reader):
    """A member who joined before everything the tests write (conftest's reader)."""
    return reader


@pytest.fixture
def writer_client(reader_client):
    return reader_client


def category_page(client, topic) -> str:
    return client.get(topic.category.get_absolute_url()).content.decode()


def read_mark(member, topic) -> int | None:
    return (
        TopicRead.objects.filter(member=member, topic=topic)
        .values_list("last_number", flat=True)
        .first()
    )


def test_a_reply_posted_from_the_plain_form_leaves_the_topic_read_for_its_author(
    writer_client, writer
):
    topic = make_topic(replies=2)
    writer_client.post(f"/t/{topic.pk}/read/", {"number": "3"})
    assert "topic-row unread" not in category_page(writer_client, topic)
    # The form as a browser without JavaScript posts it: no read report from the page.
    response = writer_client.post(
        f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "My own answer", "follow": "on"}
    )
    assert response.status_code == 302
    mine = Post.objects.get(body="My own answer")
    assert read_mark(writer, topic) == mine.number == 4
    page = category_page(writer_client, topic)
    assert "topic-row unread" not in page
    assert f'href="/t/{topic.pk}/unread/"' not in page
    assert f'href="/t/{topic.pk}/unread/"' not in writer_client.get("/").content.decode()


def test_a_reply_moves_the_mark_of_a_member_who_had_not_reported_reading(writer_client, writer):
    topic = make_topic(replies=1)
    assert read_mark(writer, topic) is None
    writer_client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "Straight to the point"})
    assert read_mark(writer, topic) == 3
    assert "topic-row unread" not in category_page(writer_client, topic)


def test_a_later_reply_by_someone_else_makes_the_topic_unread_again(writer_client, writer):
    topic = make_topic(replies=1)
    discussion_services.reply(topic=topic, author=writer, body="Mine")
    assert "topic-row unread" not in category_page(writer_client, topic)
    discussion_services.reply(topic=topic, author=MemberFactory(), body="Someone else's")
    assert "topic-row unread" in category_page(writer_client, topic)
    location = writer_client.get(f"/t/{topic.pk}/unread/")["Location"]
    assert location.endswith("#post-4")


def test_a_reply_never_moves_a_mark_back(writer):
    topic = make_topic(replies=3)
    # A mark past the new post's number (posts moved in by a merge renumber the topic).
    TopicRead.objects.create(member=writer, topic=topic, last_number=9)
    post = discussion_services.reply(topic=topic, author=writer, body="Late")
    assert post.number == 5
    assert read_mark(writer, topic) == 9


def test_starting_a_topic_leaves_it_read_for_its_author(writer_client, writer):
    category = CategoryFactory()
    response = writer_client.post(
        f"/c/{category.pk}-{category.slug}/new/",
        {"title": "A question of mine", "body": "What do you think?"},
    )
    assert response.status_code == 302
    topic = Post.objects.get(body="What do you think?").topic
    assert read_mark(writer, topic) == 1
    assert "topic-row unread" not in category_page(writer_client, topic)


def test_a_held_reply_moves_no_mark_and_its_approval_leaves_what_came_between_unread(client, db):
    newcomer = MemberFactory(date_joined=timezone.now() - timedelta(days=1))
    held = CategoryFactory(moderate_new_members=True)
    topic = make_topic(category=held, author=MemberFactory(is_staff=True))
    client.force_login(newcomer)
    client.post(f"/t/{topic.pk}/read/", {"number": "1"})
    client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "Waiting for a moderator"})
    post = Post.objects.get(body="Waiting for a moderator")
    assert post.status == Post.Status.PENDING
    assert read_mark(newcomer, topic) == 1
    discussion_services.reply(topic=topic, author=MemberFactory(is_staff=True), body="Meanwhile")
    moderation_services.approve_post(post=post, moderator=MemberFactory(is_staff=True))
    post.refresh_from_db()
    assert post.number == 3
    assert read_mark(newcomer, topic) == 1
    assert client.get(f"/t/{topic.pk}/unread/")["Location"].endswith("#post-2")
