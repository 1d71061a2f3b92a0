"""Ignoring a member: their posts collapse on the ignorer's pages behind "Show this content"
(a <details>, so it works without JavaScript), their mentions and quotes no longer notify the
ignorer, and nobody else's pages change (the anonymous page cache stays whole)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from folkmoot.accounts.models import Ignore
from folkmoot.discussions import services as discussions
from folkmoot.notifications.models import Notification
from folkmoot.people import services
from folkmoot.refusal import NotFound
from tests.factories import MemberFactory, make_topic

COLLAPSED = "You are ignoring content by"


def test_a_member_ignores_another_and_stops(member, other_member, db):
    services.ignore(member=member, other=other_member)
    services.ignore(member=member, other=other_member)  # twice is once
    assert Ignore.objects.filter(member=member, ignored=other_member).count() == 1
    services.stop_ignoring(member=member, other=other_member)
    assert not Ignore.objects.exists()


@pytest.mark.parametrize("whom", ["themselves", "staff", "deactivated"])
def test_a_member_cannot_ignore_themselves_the_staff_or_the_deactivated(member, whom, db):
    other = {
        "themselves": member,
        "staff": MemberFactory(is_staff=True),
        "deactivated": MemberFactory(is_active=False),
    }[whom]
    with pytest.raises(NotFound):
        services.ignore(member=member, other=other)
    assert not Ignore.objects.exists()


def test_anonymous_visitors_cannot_ignore_anyone(other_member, db):
    with pytest.raises(NotFound):
        services.ignore(member=AnonymousUser(), other=other_member)
    with pytest.raises(NotFound):
        services.stop_ignoring(member=AnonymousUser(), other=other_member)


def test_the_profile_offers_ignore_and_stop_ignoring(client, member, db):
    troll = MemberFactory(username="troll")
    client.force_login(member)
    html = client.get("/u/troll/").text
    assert ">Ignore</button>" in html
    response = client.post("/u/troll/ignore/")
    assert response.status_code == 302 and response["Location"] == "/u/troll/"
    assert Ignore.objects.filter(member=member, ignored=troll).exists()
    html = client.get("/u/troll/").text
    assert ">Stop ignoring</button>" in html and "You are ignoring troll." in html
    client.post("/u/troll/ignore/", {"action": "stop"})
    assert not Ignore.objects.exists()


def test_nobody_offers_to_ignore_themselves_or_a_visitor_anyone(client, member, db):
    assert ">Ignore</button>" not in client.get(f"/u/{member.username}/").text
    client.force_login(member)
    assert ">Ignore</button>" not in client.get(f"/u/{member.username}/").text
    assert client.post(f"/u/{member.username}/ignore/").status_code == 404


def test_an_ignored_members_posts_collapse_for_the_ignorer_alone(client, member, db):
    troll = MemberFactory(username="troll")
    topic = make_topic(author=member)
    discussions.reply(topic=topic, author=troll, body="Bait for everyone")
    services.ignore(member=member, other=troll)
    # The visitor and other members see the post as it is.
    html = client.get(topic.get_absolute_url()).text
    assert "Bait for everyone" in html and COLLAPSED not in html
    client.force_login(MemberFactory())
    assert COLLAPSED not in client.get(topic.get_absolute_url()).text
    # The ignorer sees it collapsed, one click (no JavaScript) from showing it.
    client.force_login(member)
    html = client.get(topic.get_absolute_url()).text
    assert (
        '<details class="ignored-post"><summary>You are ignoring content by troll. '
        '<span class="ignored-show">Show this content</span></summary>'
    ) in html
    collapsed = html.split('<details class="ignored-post">', 1)[1].split("</article>")[0]
    assert "Bait for everyone" in collapsed  # in the post, shown when the <details> opens
    assert html.count('<details class="ignored-post">') == 1  # not their own first post


def _told(member, kind: str) -> int:
    return Notification.objects.filter(recipient=member, kind=kind).count()


def test_an_ignored_member_cannot_mention_or_quote_notify_the_ignorer(
    member, django_capture_on_commit_callbacks, db
):
    troll = MemberFactory(username="troll")
    topic = make_topic(author=member)
    opening = topic.posts.get(number=1)
    quote = f"> **[{member.username}](/p/{opening.pk}/) wrote:**\n>\n> Something\n\nNo."
    with django_capture_on_commit_callbacks(execute=True):
        discussions.reply(topic=topic, author=troll, body=f"Hey @{member.username}")
        discussions.reply(topic=topic, author=troll, body=quote)
    assert (_told(member, "mentioned"), _told(member, "quoted")) == (1, 1)
    services.ignore(member=member, other=troll)
    with django_capture_on_commit_callbacks(execute=True):
        discussions.reply(topic=topic, author=troll, body=f"Again @{member.username}")
        discussions.reply(topic=topic, author=troll, body=quote + " Again.")
    assert (_told(member, "mentioned"), _told(member, "quoted")) == (1, 1)
    # Others still hear of the ignored member's mentions.
    friend = MemberFactory(username="friend")
    with django_capture_on_commit_callbacks(execute=True):
        discussions.reply(topic=topic, author=troll, body="Thanks @friend")
    assert _told(friend, "mentioned") == 1
