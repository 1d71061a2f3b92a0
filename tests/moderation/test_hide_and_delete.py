"""Moderators hide a post with a reason, or delete it after a confirmation page, and undo
either. Hidden posts keep their number; moderators see "This post was hidden" and the reason
in its place, everyone else sees nothing of it."""

import pytest

from folkmoot.discussions import services
from folkmoot.discussions.models import Post
from folkmoot.moderation.models import ModerationLog
from folkmoot.refusal import NotFound, Refusal
from tests.factories import CategoryFactory, MemberFactory, make_topic


@pytest.fixture
def category_moderator(db, category):
    mod = MemberFactory(username="catmod")
    category.moderators.add(mod)
    return mod


@pytest.fixture
def long_topic(category):
    return make_topic(category=category, replies=3)


def test_hiding_needs_a_reason_and_a_moderator_of_the_category(long_topic, category_moderator):
    post = long_topic.posts.get(number=2)
    with pytest.raises(Refusal):
        services.hide_post(post=post, actor=category_moderator, reason="  ")
    elsewhere = MemberFactory()
    CategoryFactory().moderators.add(elsewhere)
    for actor in (MemberFactory(), elsewhere, long_topic.author):
        with pytest.raises(NotFound):
            services.hide_post(post=post, actor=actor, reason="Spam")
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED


def test_a_hidden_post_keeps_its_number_and_only_moderators_see_why(
    client, long_topic, category_moderator
):
    post = long_topic.posts.get(number=2)
    client.force_login(category_moderator)
    response = client.post(f"/mod/p/{post.pk}/hide/", {"reason": "Insults another member"})
    assert response.status_code == 302

    post.refresh_from_db()
    assert (post.status, post.number, post.hidden_as) == ("deleted", 2, "hidden")
    page = client.get(long_topic.get_absolute_url()).text
    assert 'id="post-2"' in page
    assert "This post was hidden" in page and "Insults another member" in page
    assert "Unhide" in page

    for reader in (None, MemberFactory()):
        client.logout()
        if reader:
            client.force_login(reader)
        page = client.get(long_topic.get_absolute_url()).text
        assert 'id="post-2"' not in page and "Reply number 1" not in page
        assert "This post was hidden" not in page and "Insults another member" not in page
        assert 'id="post-3"' in page  # the others keep their numbers
        assert client.get(post.get_absolute_url()).status_code == 404

    line = ModerationLog.objects.get()
    assert (line.action, line.moderator, line.author, line.reason) == (
        "hide",
        category_moderator,
        post.author,
        "Insults another member",
    )
    assert (line.before, line.after) == ("published", "hidden")


def test_unhiding_brings_the_post_back_under_its_number(client, long_topic, category_moderator):
    post = long_topic.posts.get(number=3)
    services.hide_post(post=post, actor=category_moderator, reason="Check the link")
    client.force_login(category_moderator)
    assert client.post(f"/mod/p/{post.pk}/restore/").status_code == 302
    post.refresh_from_db()
    assert (post.status, post.number, post.hidden_as, post.hidden_note) == (
        "published",
        3,
        "",
        "",
    )
    long_topic.refresh_from_db()
    assert long_topic.post_count == 4
    assert [line.action for line in ModerationLog.objects.order_by("pk")] == ["hide", "restore"]


def test_delete_asks_first_then_offers_an_undo(client, long_topic, category_moderator):
    post = long_topic.posts.get(number=2)
    client.force_login(category_moderator)
    page = client.get(long_topic.get_absolute_url()).text
    assert f'href="/mod/p/{post.pk}/delete/"' in page

    confirm = client.get(f"/mod/p/{post.pk}/delete/")
    assert confirm.status_code == 200
    assert "Delete post #2?" in confirm.text and "Reply number 1" in confirm.text
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED  # asking changed nothing

    done = client.post(f"/mod/p/{post.pk}/delete/", {"reason": "Duplicate"}, follow=True)
    assert "Deleted post #2" in done.text
    assert "This post was deleted" in done.text and "Undo delete" in done.text
    long_topic.refresh_from_db()
    assert long_topic.post_count == 3

    client.post(f"/mod/p/{post.pk}/restore/")
    long_topic.refresh_from_db()
    assert long_topic.post_count == 4
    assert list(ModerationLog.objects.order_by("pk").values_list("action", "reason")) == [
        ("delete", "Duplicate"),
        ("restore", ""),
    ]


def test_a_hidden_post_keeps_its_place_on_the_moderators_pages(
    client, settings, category, category_moderator
):
    settings.FOLKMOOT = {**settings.FOLKMOOT, "POSTS_PER_PAGE": 2}
    topic = make_topic(category=category, replies=4)  # posts 1..5
    hidden = topic.posts.get(number=2)
    services.hide_post(post=hidden, actor=category_moderator, reason="Off topic")
    client.force_login(category_moderator)
    # Moderators' pages list every numbered post: #5 is on page 3, #2 on page 1.
    assert client.get(topic.posts.get(number=5).get_absolute_url()).url.endswith("?page=3#post-5")
    assert client.get(hidden.get_absolute_url()).url.endswith("#post-2")
    page_one = client.get(topic.get_absolute_url()).text
    assert 'id="post-1"' in page_one and 'id="post-2"' in page_one
    client.logout()
    # Readers' pages skip it: #5 is on page 2.
    assert client.get(topic.posts.get(number=5).get_absolute_url()).url.endswith("?page=2#post-5")
