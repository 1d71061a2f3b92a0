"""Reactions, recommendations, quotes and mentions reach the notifications app: the member
concerned finds the notification in their list, with who did it."""

from folkmoot.discussions import services
from folkmoot.notifications import kinds
from folkmoot.notifications.models import Notification
from tests.factories import MemberFactory, make_topic


def told(member, kind):
    return list(
        Notification.objects.filter(recipient=member, kind=kind).values_list(
            "actor__username", "post_id", "note"
        )
    )


def test_each_action_notifies_the_member_concerned(django_capture_on_commit_callbacks, db):
    author = MemberFactory(username="author")
    reactor = MemberFactory(username="reactor")
    moderator = MemberFactory(username="mod", is_staff=True)
    topic = make_topic(author=author)
    opening = topic.posts.get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.react(post=opening, member=reactor, kind="like")
    with django_capture_on_commit_callbacks(execute=True):
        services.recommend_post(post=opening, moderator=moderator, note="A fine start")
    quote = f"> **[author](/p/{opening.pk}/) wrote:**\n>\n> The first post\n\nAnd @author agrees."
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.reply(topic=topic, author=reactor, body=quote)
    assert told(author, kinds.REACTED) == [("reactor", opening.pk, "")]
    assert told(author, kinds.RECOMMENDED) == [("mod", opening.pk, "A fine start")]
    assert told(author, kinds.QUOTED) == [("reactor", reply.pk, "")]
    assert told(author, kinds.MENTIONED) == [("reactor", reply.pk, "")]
