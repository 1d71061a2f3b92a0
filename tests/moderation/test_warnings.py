"""Moderators warn the author of a post (reason, points, expiry); the member sees their own
warnings, and nobody else's."""

import pytest

from folkmoot.moderation import services
from folkmoot.moderation.models import MemberWarning, ModerationLog
from folkmoot.refusal import NotFound, Refusal
from tests.factories import CategoryFactory, MemberFactory, make_topic


@pytest.fixture
def reply(category):
    return make_topic(category=category, replies=1).posts.get(number=2)


def test_a_category_moderator_warns_the_author_from_the_post(client, category, reply):
    catmod = MemberFactory()
    category.moderators.add(catmod)
    client.force_login(catmod)
    page = client.get(reply.topic.get_absolute_url()).text
    assert f'href="/mod/p/{reply.pk}/warn/"' in page
    response = client.post(
        f"/mod/p/{reply.pk}/warn/",
        {"reason": "Be kind to newcomers", "points": "2", "expires_in_days": "30"},
    )
    assert response.status_code == 302
    warning = MemberWarning.objects.get()
    assert (warning.member, warning.moderator, warning.points) == (reply.author, catmod, 2)
    assert warning.is_active
    line = ModerationLog.objects.get()
    assert (line.action, line.author, line.reason) == ("warn", reply.author, "Be kind to newcomers")


def test_the_member_sees_their_own_warnings_only(client, reply, moderator):
    services.warn_member(post=reply, moderator=moderator, reason="No spam links", points=3)
    client.force_login(reply.author)
    page = client.get("/mod/warnings/").text
    assert "No spam links" in page and "3 points" in page and "Counts until" in page
    client.force_login(MemberFactory())
    page = client.get("/mod/warnings/").text
    assert "No spam links" not in page and "You have no warnings." in page


def test_only_moderators_of_the_category_warn_and_only_with_a_reason(reply, moderator):
    elsewhere = MemberFactory()
    CategoryFactory().moderators.add(elsewhere)
    for actor in (MemberFactory(), elsewhere):
        with pytest.raises(NotFound):
            services.warn_member(post=reply, moderator=actor, reason="x")
    with pytest.raises(Refusal):
        services.warn_member(post=reply, moderator=moderator, reason=" ")
    with pytest.raises(Refusal):
        services.warn_member(post=reply, moderator=moderator, reason="x", points=11)
    assert not MemberWarning.objects.exists()


def test_the_author_is_notified_of_a_warning(reply, moderator):
    from folkmoot.notifications.models import Notification

    services.warn_member(post=reply, moderator=moderator, reason="No spam links", points=2)
    told = Notification.objects.get(kind="warned")
    assert (told.recipient_id, told.post_id, told.actor_id) == (
        reply.author_id,
        reply.pk,
        moderator.pk,
    )
    assert told.note == "No spam links (2 points)"
