"""A category's moderator is a moderator there, on every page: the queue, the held topic they
can approve, revisions, deleting, and the header's link; elsewhere they are a member."""

import pytest

from folkmoot.discussions import services
from folkmoot.discussions.models import Post
from tests.factories import CategoryFactory, MemberFactory, make_topic


@pytest.fixture
def moderated(db):
    category = CategoryFactory(moderate_new_members=True)
    moderator = MemberFactory()
    category.moderators.add(moderator)
    return category, moderator


def test_a_category_moderator_opens_approves_and_deletes_in_their_category(
    moderated, client, client_factory
):
    category, moderator = moderated
    held = services.start_topic(
        category=category, author=MemberFactory(), title="Waiting for a moderator", body="Hi"
    )
    assert held.post_count == 0
    client.force_login(moderator)
    page = client.get(held.get_absolute_url())
    assert page.status_code == 200  # the held topic they can approve, in place
    assert 'href="/mod/queue/"' in client.get("/").content.decode()
    assert "Waiting for a moderator" in client.get("/mod/queue/").content.decode()

    staff = MemberFactory(is_staff=True)  # whose posts this category does not hold
    topic = make_topic(category=category, author=staff)
    reply = services.reply(topic=topic, author=staff, body="Off topic", enforce_limits=False)
    assert client.get(f"/p/{reply.pk}/revisions/").status_code == 200
    assert client.post(f"/mod/p/{reply.pk}/delete/").status_code == 302
    reply.refresh_from_db()
    assert reply.status == Post.Status.DELETED
    topic.refresh_from_db()
    assert topic.post_count == 1

    stranger = client_factory()
    stranger.force_login(MemberFactory())
    assert stranger.get(held.get_absolute_url()).status_code == 404
    assert 'href="/mod/queue/"' not in stranger.get("/").content.decode()


def test_a_category_moderator_is_a_member_in_other_categories(moderated, client):
    _, moderator = moderated
    elsewhere = make_topic(category=CategoryFactory(), replies=1)
    reply = elsewhere.posts.get(number=2)
    client.force_login(moderator)
    assert client.get(f"/p/{reply.pk}/revisions/").status_code == 404
    assert client.post(f"/mod/p/{reply.pk}/delete/").status_code == 404
    assert client.get(f"/p/{reply.pk}/edit/").status_code == 404
    reply.refresh_from_db()
    assert reply.status == Post.Status.PUBLISHED
