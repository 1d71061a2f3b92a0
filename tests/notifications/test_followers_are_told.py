"""Replies, new topics, followed members, approval and rejection: consequences of the
lifecycle's events, told to followers by a background fan-out."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from folkmoot.accounts.models import User
from folkmoot.discussions import services as discussions
from folkmoot.moderation import services as moderation
from folkmoot.notifications import kinds
from folkmoot.notifications.models import Delivery, Follow, Notification
from tests.factories import CategoryFactory, MemberFactory, make_topic
from tests.notifications.helpers import follow_topic, run_fan_out


def kinds_of(member) -> list[str]:
    return list(Notification.objects.filter(recipient=member).values_list("kind", flat=True))


def test_a_reply_in_a_followed_topic_tells_its_followers_but_not_its_author(db, member):
    topic = make_topic()
    follow_topic(member, topic, delivery=Delivery.SITE)
    author = MemberFactory()
    follow_topic(author, topic)
    reply = discussions.reply(topic=topic, author=author, body="News from the meeting")
    assert not Notification.objects.exists()  # told by the worker, not in the request
    run_fan_out()
    [notification] = Notification.objects.all()
    assert (notification.recipient, notification.kind, notification.post) == (
        member,
        kinds.REPLY,
        reply,
    )


def test_a_new_topic_in_a_followed_category_tells_its_followers(db, member):
    category = CategoryFactory()
    Follow.objects.create(member=member, category=category)
    make_topic(category=category, title="Spring fair")
    run_fan_out()
    assert kinds_of(member) == [kinds.NEW_TOPIC]


def test_a_followed_member_s_reply_tells_their_followers_once(db, member):
    writer = MemberFactory()
    topic = make_topic()
    Follow.objects.create(member=member, followed_member=writer)
    follow_topic(member, topic)  # follows both: hears once, as a reply
    discussions.reply(topic=topic, author=writer, body="Hello")
    run_fan_out()
    assert kinds_of(member) == [kinds.REPLY]


def test_following_not_at_all_keeps_it_in_the_list_but_tells_nothing(db, member):
    topic = make_topic()
    follow_topic(member, topic, delivery=Delivery.NONE)
    discussions.reply(topic=topic, author=MemberFactory(), body="Hello")
    run_fan_out()
    assert not Notification.objects.exists()


def test_a_post_hidden_before_the_worker_ran_tells_nobody(db, member, moderator):
    topic = make_topic()
    follow_topic(member, topic)
    reply = discussions.reply(topic=topic, author=MemberFactory(), body="Spam")
    discussions.delete_post(post=reply, actor=moderator)
    run_fan_out()
    assert not Notification.objects.exists()


def test_a_hidden_post_s_notifications_disappear(db, member, moderator):
    topic = make_topic()
    follow_topic(member, topic)
    reply = discussions.reply(topic=topic, author=MemberFactory(), body="Spam")
    run_fan_out()
    assert kinds_of(member) == [kinds.REPLY]
    discussions.delete_post(post=reply, actor=moderator)
    assert kinds_of(member) == []


def test_a_held_reply_tells_followers_only_once_approved_and_its_author_is_told(db, member):
    moderator = MemberFactory(is_staff=True)
    topic = make_topic(category=CategoryFactory(moderate_new_members=True), author=moderator)
    follow_topic(member, topic)
    newcomer = MemberFactory()
    held = discussions.reply(topic=topic, author=newcomer, body="My first post")
    run_fan_out()
    assert not Notification.objects.exists()
    moderation.approve_post(post=held, moderator=moderator)
    run_fan_out()
    assert kinds_of(member) == [kinds.REPLY]
    assert kinds_of(newcomer) == [kinds.APPROVED]


def test_a_rejected_post_s_author_is_told_with_the_reason(db):
    moderator = MemberFactory(is_staff=True)
    topic = make_topic(category=CategoryFactory(moderate_new_members=True), author=moderator)
    newcomer = MemberFactory()
    held = discussions.reply(topic=topic, author=newcomer, body="Buy now")
    moderation.reject_post(post=held, moderator=moderator, reason="Advertising")
    [notification] = Notification.objects.filter(recipient=newcomer)
    assert (notification.kind, notification.note) == (kinds.REJECTED, "Advertising")


def test_reply_costs_the_same_queries_with_ten_thousand_followers_as_with_none(db):
    quiet, busy = make_topic(), make_topic()
    followers = MemberFactory.create_batch(3)
    User.objects.bulk_create(
        [User(username=f"follower{i}", email=f"f{i}@example.org") for i in range(10_000)],
        batch_size=1000,
    )
    ids = list(User.objects.filter(username__startswith="follower").values_list("pk", flat=True))
    Follow.objects.bulk_create(
        [Follow(member_id=pk, topic=busy, delivery=Delivery.SITE) for pk in ids]
        + [Follow(member=m, topic=busy) for m in followers],
        batch_size=1000,
    )
    author = MemberFactory()
    replies = iter(range(10))

    def reply_queries(topic) -> int:
        body = f"Reply {next(replies)}"
        with CaptureQueriesContext(connection) as captured:
            discussions.reply(topic=topic, author=author, body=body)
        return len(captured)

    # The first reply to each warms what later ones reuse (the moderated categories, the
    # topic's category); then a reply costs the same whoever follows the topic.
    reply_queries(quiet), reply_queries(busy)
    assert reply_queries(busy) == reply_queries(quiet)
    run_fan_out()
    # The busy topic's one reply told every follower but its author.
    assert Notification.objects.filter(kind=kinds.REPLY, topic=busy).count() == 10_003 * 2
