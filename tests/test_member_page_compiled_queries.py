"""A signed-in member's topic page reads its per-member state through compiled queries
(folkmoot.compiled_queries): each returns what Django's own query returned, and every change
a member makes shows on their next fresh page (nothing read is kept between requests)."""

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from folkmoot.accounts import queries as accounts_queries
from folkmoot.accounts.models import Ignore
from folkmoot.compiled_queries import COUNT, CompiledAggregate, CompiledQuery, NotCompilable
from folkmoot.composer import policy as composer_policy
from folkmoot.composer.models import UploadPolicy
from folkmoot.discussions import queries, services
from folkmoot.discussions.models import Post, Reaction, Topic
from folkmoot.forums import policy as forums_policy
from folkmoot.notifications import kinds
from folkmoot.notifications import queries as notification_queries
from folkmoot.notifications import services as notification_services
from folkmoot.notifications.models import Follow, MemberSettings, Notification, TopicRead
from folkmoot.people import services as people_services
from tests.factories import MemberFactory, make_topic
from tests.test_compiled_queries import snapshot


@pytest.fixture
def busy_topic(db, member, other_member, moderator, category):
    """30 posts by two members; the member reacted to some, follows the topic, ignores
    nobody yet, has notifications, a read mark, and moderates the topic's category."""
    topic = make_topic(replies=29, category=category)
    posts = list(topic.posts.order_by("number"))
    for post in posts[2:8]:
        services.react(post=post, member=member, kind=Reaction.Kind.LIKE)
    services.react(post=posts[26], member=member, kind=Reaction.Kind.THANKS)
    services.react(post=posts[3], member=other_member, kind=Reaction.Kind.HAHA)
    services.delete_post(post=posts[5], actor=moderator)  # a reacted post, now hidden
    notification_services.follow(member=member, topic=topic)
    notification_services.follow(member=other_member, topic=topic)
    category.moderators.add(other_member)
    TopicRead.objects.create(member=member, topic=topic, last_number=12)
    TopicRead.objects.create(member=member, topic=None)
    for post in posts[10:13]:
        Notification.objects.create(recipient=member, kind=kinds.REPLY, post=post, topic=topic)
    topic.refresh_from_db()
    return topic


def same_instances(ours, theirs):
    assert [snapshot(row) for row in ours] == [snapshot(row) for row in list(theirs)]


@pytest.mark.parametrize("who", ["member", "other_member", "nobody"])
def test_each_compiled_read_returns_what_djangos_own_query_returns(busy_topic, request, who):
    viewer = request.getfixturevalue(who) if who != "nobody" else MemberFactory()
    pk, topic_id = viewer.pk, busy_topic.pk
    assert forums_policy._moderated_categories(user_id=pk) == list(
        viewer.moderated_categories.values_list("pk", flat=True)
    )
    assert accounts_queries._ignored_ids(member_id=pk) == list(
        Ignore.objects.filter(member=viewer).values_list("ignored_id", flat=True)
    )
    same_instances(
        composer_policy._group_policies(user_id=pk), UploadPolicy.objects.filter(group__user=viewer)
    )
    same_instances(
        notification_queries._member_settings(member_id=pk),
        MemberSettings.objects.filter(member=viewer).order_by("pk")[:1],
    )
    assert notification_queries._one_topic_reads(topic_id=topic_id, member_id=pk) == list(
        TopicRead.objects.filter(
            Q(topic_id__in=[topic_id]) | Q(topic__isnull=True), member=viewer
        ).values_list("topic_id", "last_number", "read_at")
    )
    assert notification_queries._unread_count(member_id=pk) == {
        "__count": Notification.objects.filter(
            recipient=viewer, on_site=True, read_at__isnull=True
        ).count()
    }
    assert notification_queries._topic_follow_counts(topic_id=topic_id, member_id=pk) == (
        Follow.objects.filter(topic=busy_topic).aggregate(
            count=Count("id"), mine=Count("id", filter=Q(member=viewer))
        )
    )


def test_the_settings_row_is_read_as_first_reads_it(member, db):
    notification_services.set_follow_when_posting(member=member, value=False)
    same_instances(
        notification_queries._member_settings(member_id=member.pk),
        [MemberSettings.objects.filter(member=member).first()],
    )


def test_the_compiled_sql_is_djangos_own(busy_topic, member):
    """Aggregates and the related manager's read compile to the very SQL Django runs."""

    def sql_of(call):
        with CaptureQueriesContext(connection) as captured:
            call()
        (query,) = captured.captured_queries
        return query["sql"]

    pairs = [
        (
            lambda: notification_queries._unread_count(member_id=member.pk),
            lambda: Notification.objects.filter(
                recipient=member, on_site=True, read_at__isnull=True
            ).count(),
        ),
        (
            lambda: notification_queries._topic_follow_counts(
                topic_id=busy_topic.pk, member_id=member.pk
            ),
            lambda: Follow.objects.filter(topic=busy_topic).aggregate(
                count=Count("id"), mine=Count("id", filter=Q(member=member))
            ),
        ),
        (
            lambda: forums_policy._moderated_categories(user_id=member.pk),
            lambda: list(member.moderated_categories.values_list("pk", flat=True)),
        ),
        (
            lambda: notification_queries._member_settings(member_id=member.pk),
            lambda: MemberSettings.objects.filter(member=member).first(),
        ),
    ]
    for ours, theirs in pairs:
        assert sql_of(ours) == sql_of(theirs)


@pytest.mark.parametrize("include_hidden", [False, True])
@pytest.mark.parametrize("page", [None, "2"])
def test_own_reactions_are_those_of_the_pages_posts(busy_topic, member, include_hidden, page):
    """Read over the page's number range (a shape compiled once), kept for the page's posts:
    the same as asking for the posts' ids, hidden posts between them or not."""
    listing = queries.topic_page(topic=busy_topic, page=page, include_hidden=include_hidden)
    with CaptureQueriesContext(connection) as captured:
        mine = queries.own_reactions(member=member, posts=listing.posts)
    assert len(captured) == 1
    assert mine == dict(
        Reaction.objects.filter(
            member=member, post__in=[post.pk for post in listing.posts]
        ).values_list("post_id", "kind")
    )
    hidden = busy_topic.posts.get(number=6)
    assert (hidden.pk in mine) == (include_hidden and page is None)
    # Posts from more than one topic take Django's path, with the same answer.
    other = make_topic(replies=1)
    posts = [*listing.posts, *other.posts.all()]
    assert queries.own_reactions(member=member, posts=posts) == dict(
        Reaction.objects.filter(member=member, post__in=[p.pk for p in posts]).values_list(
            "post_id", "kind"
        )
    )


def test_an_aggregate_over_a_subquery_is_refused(db):
    with pytest.raises(NotCompilable):  # sliced: Django aggregates over a subquery
        CompiledAggregate(lambda topic_id: (Post.objects.filter(topic=topic_id)[:5], COUNT))(
            topic_id=1
        )
    with pytest.raises(NotCompilable):  # annotations are not values_list() fields
        CompiledQuery(
            lambda topic_id: (
                Topic.objects.filter(pk=topic_id).annotate(n=Count("posts")).values_list("pk", "n")
            )
        )(topic_id=1)


def test_a_values_outside_the_range_takes_djangos_path(db, member):
    assert notification_queries._unread_count(member_id=2**40) == {"__count": 0}
    assert accounts_queries._ignored_ids(member_id=2**40) == []


def page_of(client, topic) -> str:
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_each_change_shows_on_the_next_fresh_page(member_client, member, other_member, db):
    topic = make_topic(replies=3)
    last = topic.posts.get(number=4)
    last.author = other_member
    last.save()
    html = page_of(member_client, topic)
    assert 'aria-pressed="true" title="Take back' not in html
    assert "You are ignoring content by" not in html
    assert "follow-button following" not in html
    assert 'name="follow" value="on" checked' in html
    assert "bell-count" not in html
    assert 'href="/mod/queue/"' not in html

    services.react(post=topic.posts.get(number=2), member=member, kind=Reaction.Kind.LIKE)
    html = page_of(member_client, topic)
    assert html.count('aria-pressed="true" title="Take back') == 1

    people_services.ignore(member=member, other=other_member)
    assert "You are ignoring content by" in page_of(member_client, topic)

    notification_services.follow(member=member, topic=topic)
    assert "follow-button following" in page_of(member_client, topic)

    notification_services.set_follow_when_posting(member=member, value=False)
    html = page_of(member_client, topic)
    assert 'name="follow" value="on">' in html and 'value="on" checked' not in html

    note = Notification.objects.create(recipient=member, kind=kinds.REPLY, post=last, topic=topic)
    assert '<span class="bell-count">1</span>' in page_of(member_client, topic)
    notification_services.mark_read(member=member, notification_id=note.pk)
    assert "bell-count" not in page_of(member_client, topic)

    topic.category.moderators.add(member)
    assert 'href="/mod/queue/"' in page_of(member_client, topic)
