"""Moderators suspend a member for a time (they post nothing until it ends, and are told until
when), see the addresses a member's posts came from and the other accounts on them; staff hide
every post of a banned member in one action, and restore them the same way."""

from datetime import timedelta

import pytest
from django.utils import timezone

from folkmoot.discussions import services as discussions
from folkmoot.discussions.models import Post, Topic
from folkmoot.forums.models import Category
from folkmoot.moderation import services
from folkmoot.moderation.models import ModerationLog, Suspension
from folkmoot.refusal import NotFound, Refusal
from tests.factories import CategoryFactory, MemberFactory, make_topic
from tests.moderation.roles import ALLOWED
from tests.moderation.test_merge_split_move import consistent


@pytest.fixture
def troublemaker(db):
    return MemberFactory(username="troublemaker")


@pytest.fixture
def their_post(category, troublemaker):
    topic = make_topic(category=category, replies=1)
    return discussions.reply(topic=topic, author=troublemaker, body="Something rude")


@pytest.mark.parametrize("role", ALLOWED)
def test_only_moderators_of_the_category_suspend_a_posts_author(people, their_post, role):
    actor = people[role]
    if not ALLOWED[role]:
        with pytest.raises(NotFound):
            services.suspend_member(post=their_post, moderator=actor, reason="Rude", days=3)
        assert not Suspension.objects.exists()
        return
    suspension = services.suspend_member(post=their_post, moderator=actor, reason="Rude", days=3)
    assert suspension.member == their_post.author
    assert abs(suspension.until - (timezone.now() + timedelta(days=3))) < timedelta(minutes=1)
    line = ModerationLog.objects.get(action="suspend")
    assert line.moderator == actor and line.author == their_post.author


def test_a_suspended_member_cannot_post_until_it_ends_and_is_told_until_when(
    client, people, their_post, troublemaker
):
    services.suspend_member(post=their_post, moderator=people["staff"], reason="Rude", days=2)
    topic = their_post.topic
    with pytest.raises(Refusal) as refused:
        discussions.reply(topic=topic, author=troublemaker, body="Still here")
    assert refused.value.code == "suspended" and "You are suspended until" in refused.value.message
    with pytest.raises(Refusal):
        discussions.start_topic(
            category=topic.category, author=troublemaker, title="New one", body="Hello"
        )
    with pytest.raises(Refusal):
        discussions.edit_post(post=their_post, editor=troublemaker, body="Edited in")

    client.force_login(troublemaker)
    response = client.post(f"{topic.get_absolute_url()}reply/", {"body": "Through the form"})
    assert response.status_code == 403
    until = Suspension.objects.get().until
    assert f"You are suspended until {timezone.localtime(until):%-d %B %Y}" in response.text
    assert "Through the form" in response.text  # their text is kept

    Suspension.objects.update(until=timezone.now() - timedelta(seconds=1))
    assert discussions.reply(topic=topic, author=troublemaker, body="Back again").number == 4


def test_a_suspension_needs_a_reason_and_sensible_days(people, their_post):
    staff = people["staff"]
    for reason, days in (("", 3), ("Rude", 0), ("Rude", 366)):
        with pytest.raises(Refusal):
            services.suspend_member(post=their_post, moderator=staff, reason=reason, days=days)
    assert not Suspension.objects.exists()


def test_suspending_through_the_form(client, people, their_post):
    client.force_login(people["category_moderator"])
    url = f"/mod/p/{their_post.pk}/suspend/"
    assert "Suspend troublemaker" in client.get(url).text
    assert client.post(url, {"reason": "", "days": "3"}).status_code == 400
    response = client.post(url, {"reason": "Rude again", "days": "3"})
    assert response.status_code == 302
    assert "Suspended troublemaker until" in client.get(response.url, follow=True).text


@pytest.mark.parametrize("role", ALLOWED)
def test_only_staff_hide_every_post_of_a_member_and_restore_them(
    people, category, troublemaker, role
):
    own = make_topic(category=category, author=troublemaker, replies=2)
    elsewhere = make_topic(category=category, replies=1)
    discussions.reply(topic=elsewhere, author=troublemaker, body="Spam one")
    discussions.reply(topic=elsewhere, author=troublemaker, body="Spam two")
    actor = people[role]
    if role != "staff":
        with pytest.raises(NotFound):
            services.hide_member_posts(member=troublemaker, moderator=actor, reason="Spammer")
        assert Post.objects.filter(author=troublemaker, status="published").count() == 3
        return
    assert services.hide_member_posts(member=troublemaker, moderator=actor, reason="Spammer") == 3
    assert not Post.objects.filter(author=troublemaker, status="published").exists()
    assert Topic.objects.get(pk=own.pk).is_deleted  # the topic they started went with it
    troublemaker.refresh_from_db()
    assert troublemaker.post_count == 0
    consistent(category)
    assert services.restore_member_posts(member=troublemaker, moderator=actor) == 3
    assert not Topic.objects.get(pk=own.pk).is_deleted
    troublemaker.refresh_from_db()
    assert troublemaker.post_count == 3
    consistent(category)
    actions = list(ModerationLog.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["hide_member_posts", "restore_member_posts"]
    assert Category.objects.get(pk=category.pk).post_count == 7


def test_moderators_see_a_members_addresses_and_who_else_posted_from_them(
    client, people, category, troublemaker, django_assert_max_num_queries
):
    topic = make_topic(category=category)
    sock = MemberFactory(username="sockpuppet")
    bystander = MemberFactory(username="bystander")
    for author, address in (
        (troublemaker, "203.0.113.7"),
        (troublemaker, "2001:db8::1"),
        (sock, "203.0.113.7"),
        (bystander, "198.51.100.1"),
    ):
        discussions.reply(topic=topic, author=author, body=f"From {address}", ip_address=address)
    hidden_elsewhere = make_topic(category=CategoryFactory(name="Private"))
    discussions.reply(
        topic=hidden_elsewhere, author=troublemaker, body="Elsewhere", ip_address="192.0.2.99"
    )
    url = f"/mod/u/{troublemaker.pk}/"

    client.force_login(people["category_moderator"])
    # 1 session, 2 moderator, 3 their categories, 4 the member, 5 addresses, 6 accounts,
    # 7 those members, 8 suspension, 9 hidden posts count, 10-11 moderator checks in base.
    with django_assert_max_num_queries(12):
        page = client.get(url).text
    assert "203.0.113.7" in page and "2001:db8::1" in page
    assert "192.0.2.99" not in page  # from a category they do not moderate
    assert "sockpuppet" in page and "bystander" not in page
    assert "Hide every post" not in page  # staff only

    client.force_login(people["staff"])
    page = client.get(url).text
    assert "192.0.2.99" in page and "Hide every post of troublemaker" in page

    client.force_login(people["member"])
    assert client.get(url).status_code == 404
    assert client.post(f"/mod/u/{troublemaker.pk}/hide-posts/").status_code == 404
