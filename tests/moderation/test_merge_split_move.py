"""Moderators merge two topics, split posts into a new topic and move posts to another topic:
posts interleaved by time, numbers unique and without gaps, every permalink (/p/<id>/) still
lands on its post, counters of topics and categories exact, the merged topic's URL redirects.
Only moderators of both categories may; every change is one line in the moderation log."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from folkmoot.discussions import lifecycle, services
from folkmoot.discussions.models import Post, Topic
from folkmoot.forums.models import Category
from folkmoot.moderation.models import ModerationLog
from folkmoot.refusal import NotFound, Refusal
from tests.factories import CategoryFactory, MemberFactory
from tests.moderation.roles import ALLOWED

T0 = timezone.now() - timedelta(days=1)


def dated_topic(category, title, minutes: list[int]) -> Topic:
    """A topic whose posts were written at T0 + each of `minutes`."""
    topic = services.start_topic(
        category=category, author=MemberFactory(), title=title, body=f"{title} opening"
    )
    for index in range(len(minutes) - 1):
        services.reply(topic=topic, author=MemberFactory(), body=f"{title} reply {index + 1}")
    for post, minute in zip(topic.posts.order_by("number"), minutes, strict=True):
        Post.objects.filter(pk=post.pk).update(created_at=T0 + timedelta(minutes=minute))
    topic.refresh_from_db()
    return topic


def consistent(*categories: Category) -> None:
    """Every counter equals a recount, and numbers are 1..N in every topic."""
    for topic in Topic.objects.all():
        published = topic.posts.filter(status=Post.Status.PUBLISHED)
        numbers = sorted(topic.posts.exclude(number=None).values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1)), topic
        assert topic.next_number == len(numbers) + 1
        assert topic.post_count == published.count()
        latest = published.order_by("-number").first()
        assert topic.last_post_id == (latest.pk if latest else None)
    for category in Category.objects.filter(pk__in=[c.pk for c in categories]):
        shown = Topic.objects.filter(category=category, is_deleted=False, post_count__gt=0)
        totals = shown.aggregate(posts=Count("posts", filter=Q(posts__status="published")))
        assert category.topic_count == shown.count(), category
        assert category.post_count == totals["posts"], category


def bodies(topic: Topic) -> list[str]:
    return list(topic.posts.exclude(number=None).order_by("number").values_list("body", flat=True))


@pytest.mark.parametrize("role", ALLOWED)
def test_only_moderators_of_the_category_merge_topics(people, category, role):
    source = dated_topic(category, "Source", [0, 10])
    target = dated_topic(category, "Target", [5, 15])
    actor = people[role]
    if not ALLOWED[role]:
        with pytest.raises(NotFound):
            services.merge_topics(source=source, into=target, actor=actor)
        assert not Topic.objects.get(pk=source.pk).merged_into_id
        assert not ModerationLog.objects.exists()
        return
    assert services.merge_topics(source=source, into=target, actor=actor, reason="Same thing")
    line = ModerationLog.objects.get(action="merge")
    assert (line.moderator, line.topic_id, line.reason) == (actor, target.pk, "Same thing")
    assert line.before == f"#{source.pk} Source" and line.after == f"#{target.pk} Target"


def test_merging_interleaves_posts_by_time_and_renumbers(client, people, category):
    other = CategoryFactory(name="Other")
    other.moderators.add(people["category_moderator"])
    source = dated_topic(category, "Source", [0, 10, 20])
    target = dated_topic(other, "Target", [5, 15])
    hidden = source.posts.get(number=3)
    services.hide_post(post=hidden, actor=people["staff"], reason="Off topic")
    permalinks = {p.pk: p.body for p in Post.objects.all()}

    assert services.merge_topics(source=source, into=target, actor=people["category_moderator"])

    target.refresh_from_db()
    assert bodies(target) == [
        "Source opening",
        "Target opening",
        "Source reply 1",
        "Target reply 1",
        "Source reply 2",
    ]
    hidden.refresh_from_db()
    assert (hidden.number, hidden.status) == (5, Post.Status.DELETED)  # a hidden post keeps a place
    source.refresh_from_db()
    assert source.is_deleted and source.merged_into_id == target.pk and source.post_count == 0
    consistent(category, other)
    assert Category.objects.get(pk=category.pk).topic_count == 0
    assert Category.objects.get(pk=other.pk).post_count == 4

    # The merged topic's URL redirects; every old permalink lands on its own post.
    response = client.get(f"/t/{source.pk}-source/")
    assert response.status_code == 301 and response.url == target.get_absolute_url()
    for post_id, body in permalinks.items():
        post = Post.objects.get(pk=post_id)
        if post.status != Post.Status.PUBLISHED:
            continue
        response = client.get(f"/p/{post_id}/")
        assert response.url == f"{target.get_absolute_url()}#post-{post.number}"
        page = client.get(response.url).text
        assert f'id="post-{post.number}" data-post-id="{post_id}"' in page and body in page


def test_merging_twice_or_into_a_merged_topic_changes_nothing_more(people, category):
    a = dated_topic(category, "Topic A", [0])
    b = dated_topic(category, "Topic B", [1])
    c = dated_topic(category, "Topic C", [2])
    staff = people["staff"]
    assert services.merge_topics(source=a, into=b, actor=staff)
    a.refresh_from_db()
    with pytest.raises(Refusal):
        services.merge_topics(source=a, into=c, actor=staff)
    with pytest.raises(Refusal):
        services.merge_topics(source=c, into=a, actor=staff)
    with pytest.raises(Refusal):
        services.merge_topics(source=b, into=b, actor=staff)
    consistent(category)
    assert ModerationLog.objects.filter(action="merge").count() == 1


def test_a_reply_to_a_topic_merged_meanwhile_is_refused_with_its_text_kept(people, category):
    source = dated_topic(category, "Source", [0])
    target = dated_topic(category, "Target", [5])
    stale = Topic.objects.get(pk=source.pk)  # the reply form was opened before the merge
    services.merge_topics(source=source, into=target, actor=people["staff"])
    with pytest.raises(Refusal) as refused:
        services.reply(topic=stale, author=MemberFactory(), body="Late reply")
    assert refused.value.code == "merged"
    consistent(category)


def test_a_held_post_of_a_merged_topic_is_published_where_the_topic_went(people, category):
    source = dated_topic(category, "Source", [0])
    target = dated_topic(category, "Target", [5])
    stale = Topic.objects.get(pk=source.pk)
    services.merge_topics(source=source, into=target, actor=people["staff"])
    with transaction.atomic():  # a post written in the merged topic (a race), then published
        post = lifecycle.submit(
            topic=stale, author=None, rendered=lifecycle.render("Late guest"), ip_address=None
        )
        lifecycle.publish(post, author=MemberFactory(), at=timezone.now())
    post.refresh_from_db()
    assert post.topic_id == target.pk and post.number == 3
    consistent(category)


@pytest.mark.parametrize("role", ALLOWED)
def test_only_moderators_of_both_categories_split_posts(people, category, role):
    topic = dated_topic(category, "Long", [0, 1, 2, 3])
    chosen = list(
        topic.posts.filter(number__in=[2, 4]).order_by("number").values_list("pk", flat=True)
    )
    actor = people[role]
    if not ALLOWED[role]:
        with pytest.raises(NotFound):
            services.split_posts(
                topic=topic, post_ids=chosen, actor=actor, title="Side talk", category=category
            )
        assert Topic.objects.count() == 1
        return
    new = services.split_posts(
        topic=topic, post_ids=chosen, actor=actor, title="Side talk", category=category
    )
    assert bodies(new) == ["Long reply 1", "Long reply 3"]
    topic.refresh_from_db()
    assert bodies(topic) == ["Long opening", "Long reply 2"]
    assert new.title == "Side talk" and new.author == Post.objects.get(pk=chosen[0]).author
    consistent(category)
    line = ModerationLog.objects.get(action="split")
    assert line.topic_id == new.pk and line.moderator == actor
    elsewhere = people["other_moderator"].moderated_categories.get()
    if role == "category_moderator":  # a category they do not moderate
        with pytest.raises(NotFound):
            services.split_posts(
                topic=topic, post_ids=chosen[1:], actor=actor, title="Away", category=elsewhere
            )


def test_splitting_the_opening_post_or_nothing_is_refused(people, category):
    topic = dated_topic(category, "Long", [0, 1])
    staff = people["staff"]
    first = topic.posts.get(number=1)
    for ids, code in (([first.pk], "opening_post"), ([], "no_posts"), ([999999], "no_posts")):
        with pytest.raises(Refusal) as refused:
            services.split_posts(
                topic=topic, post_ids=ids, actor=staff, title="X y", category=category
            )
        assert refused.value.code == code
    with pytest.raises(Refusal) as refused:
        reply = topic.posts.get(number=2)
        services.split_posts(
            topic=topic, post_ids=[reply.pk], actor=staff, title="", category=category
        )
    assert refused.value.field == "title"
    consistent(category)


@pytest.mark.parametrize("role", ALLOWED)
def test_only_moderators_of_both_topics_move_posts(people, category, role):
    other = CategoryFactory(name="Other")
    other.moderators.add(people["category_moderator"])
    source = dated_topic(category, "Source", [0, 10, 30])
    target = dated_topic(other, "Target", [5, 20])
    moving = list(
        source.posts.filter(number__in=[2, 3]).order_by("number").values_list("pk", flat=True)
    )
    actor = people[role]
    if not ALLOWED[role]:
        with pytest.raises(NotFound):
            services.move_posts(topic=source, post_ids=moving, to=target, actor=actor)
        consistent(category, other)
        return
    assert services.move_posts(topic=source, post_ids=moving, to=target, actor=actor) == 2
    target.refresh_from_db()
    source.refresh_from_db()
    assert bodies(target) == [
        "Target opening",
        "Source reply 1",
        "Target reply 1",
        "Source reply 2",
    ]
    assert bodies(source) == ["Source opening"]
    consistent(category, other)
    assert ModerationLog.objects.get(action="move_posts").after == f"#{target.pk} Target (2 posts)"


def test_an_older_post_moved_in_never_takes_the_opening_place(people, category):
    source = dated_topic(category, "Source", [0, 1])
    target = dated_topic(category, "Target", [50])
    moving = [source.posts.get(number=2).pk]
    services.move_posts(topic=source, post_ids=moving, to=target, actor=people["staff"])
    assert bodies(Topic.objects.get(pk=target.pk)) == ["Target opening", "Source reply 1"]
    consistent(category)


@pytest.mark.parametrize("role", ALLOWED)
def test_several_posts_hidden_or_deleted_at_once(people, category, role):
    topic = dated_topic(category, "Busy", [0, 1, 2, 3])
    chosen = list(
        topic.posts.filter(number__in=[2, 3]).order_by("number").values_list("pk", flat=True)
    )
    actor = people[role]
    if not ALLOWED[role]:
        with pytest.raises(NotFound):
            services.hide_posts(topic=topic, post_ids=chosen, actor=actor, reason="Spam")
        with pytest.raises(NotFound):
            services.delete_posts(topic=topic, post_ids=chosen, actor=actor)
        assert topic.posts.published().count() == 4
        return
    assert services.hide_posts(topic=topic, post_ids=chosen, actor=actor, reason="Spam") == 2
    assert services.delete_posts(topic=topic, post_ids=chosen, actor=actor) == 0  # hidden already
    last = [topic.posts.get(number=4).pk]
    assert services.delete_posts(topic=topic, post_ids=last, actor=actor) == 1
    assert ModerationLog.objects.filter(action="hide").count() == 2
    assert ModerationLog.objects.filter(action="delete").count() == 1
    consistent(category)
    with pytest.raises(Refusal):
        services.hide_posts(topic=topic, post_ids=chosen, actor=actor, reason="")
