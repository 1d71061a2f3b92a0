"""A moderator's reason for rejecting is logged and emailed whole, or refused with the reason
kept in the form: never a 500 (NUL on PostgreSQL), never silently cut."""

import pytest

from folkmoot.discussions import services
from folkmoot.discussions.models import Post
from folkmoot.moderation.models import ModerationLog, QueuedPost
from tests.factories import CategoryFactory, MemberFactory, make_topic


@pytest.fixture
def held_post(db, other_member):
    category = CategoryFactory(moderate_new_members=True)
    topic = make_topic(category=category, author=MemberFactory(is_staff=True))
    return services.reply(topic=topic, author=other_member, body="Please approve me")


def reject(client, post, reason):
    return client.post(f"/mod/queue/{post.pk}/reject/", {"reason": reason})


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("Off topic\x00 here", "Null characters are not allowed."),
        ("Too long. " * 60, "Keep the reason under 500 characters (this one has 599)."),
    ],
)
def test_a_bad_reason_is_refused_with_the_reason_kept(moderator_client, held_post, reason, message):
    response = reject(moderator_client, held_post, reason)
    assert response.status_code == 400
    assert message in response.text
    assert f'value="{reason}"' in response.text
    held_post.refresh_from_db()
    assert held_post.status == Post.Status.PENDING
    assert QueuedPost.objects.filter(post=held_post).exists()
    assert not ModerationLog.objects.exists()


def test_a_reason_at_the_limit_is_logged_whole(moderator_client, held_post):
    reason = "r" * 500
    assert reject(moderator_client, held_post, reason).status_code == 302
    assert ModerationLog.objects.get(post=held_post).reason == reason
