"""Staff ban the author of a post from the post: the email address, and at their choice the
network the post came from, go on the ban list; the member can post no more."""

import pytest

from folkmoot.discussions import services as discussions
from folkmoot.moderation import services
from folkmoot.moderation.models import Ban, ModerationLog
from folkmoot.refusal import NotFound, Refusal
from tests.factories import MemberFactory, make_topic


@pytest.fixture
def reply(category):
    topic = make_topic(category=category)
    return discussions.reply(
        topic=topic, author=MemberFactory(), body="Buy watches", ip_address="198.51.100.23"
    )


def test_staff_ban_the_email_and_the_network_and_the_member_can_post_no_more(
    client, moderator, reply
):
    client.force_login(moderator)
    assert f'href="/mod/p/{reply.pk}/ban/"' in client.get(reply.topic.get_absolute_url()).text
    response = client.post(f"/mod/p/{reply.pk}/ban/", {"reason": "Spammer", "ip_range": "on"})
    assert response.status_code == 302
    assert set(Ban.objects.values_list("email", "ip_network")) == {
        (reply.author.email, ""),
        ("", "198.51.100.0/24"),
    }
    assert ModerationLog.objects.get().action == "ban"
    with pytest.raises(Refusal):
        discussions.reply(topic=reply.topic, author=reply.author, body="Still here?")
    someone_else = MemberFactory()
    with pytest.raises(Refusal):  # from the same network
        discussions.reply(
            topic=reply.topic, author=someone_else, body="Me too", ip_address="198.51.100.77"
        )


def test_category_moderators_cannot_ban(category, reply):
    catmod = MemberFactory()
    category.moderators.add(catmod)
    with pytest.raises(NotFound):
        services.ban_member(post=reply, moderator=catmod, reason="x")
    assert not Ban.objects.exists()
