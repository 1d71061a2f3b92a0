"""A member's profile: avatar, name, join date, post count, what they wrote that anyone may
read; names on posts link to it."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from folkmoot.discussions import services
from folkmoot.notifications import services as notification_services
from folkmoot.notifications.models import Follow
from tests.factories import CategoryFactory, MemberFactory, make_topic


def test_a_profile_shows_the_member_and_their_recent_public_posts(client, db):
    author = MemberFactory(username="ingrid")
    topic = make_topic(author=author, title="Ingrid's topic")
    reply = services.reply(topic=topic, author=author, body="A second thought")
    services.react(post=reply, member=MemberFactory(), kind="like")
    html = client.get("/u/ingrid/").text
    assert "<h1" in html and "ingrid</h1>" in html
    assert "Joined" in html
    assert "<dt>Posts</dt><dd>2</dd>" in html
    assert "<dt>Reactions received</dt><dd>1</dd>" in html
    assert "A second thought" in html
    assert f'href="/p/{reply.pk}/"' in html
    assert "Ingrid&#x27;s topic" in html


def test_a_profile_leaves_out_hidden_posts_and_held_topics(client, moderator, db):
    author = MemberFactory(username="olaf")
    topic = make_topic(author=author)
    hidden = services.reply(topic=topic, author=author, body="Something regretted")
    services.delete_post(post=hidden, actor=moderator)
    held = CategoryFactory(moderate_new_members=True)
    services.start_topic(category=held, author=author, title="Waiting topic", body="Held body")
    html = client.get("/u/olaf/").text
    assert "Something regretted" not in html
    assert "Waiting topic" not in html and "Held body" not in html


def test_unknown_and_deactivated_members_have_no_profile(client, db):
    MemberFactory(username="gone", is_active=False)
    assert client.get("/u/gone/").status_code == 404
    assert client.get("/u/nobody/").status_code == 404


def test_names_on_posts_link_to_profiles(client, db):
    author = MemberFactory(username="astrid")
    topic = make_topic(author=author)
    assert (
        '<a href="/u/astrid/" data-user-card="/u/astrid/card/">astrid</a>'
        in client.get(topic.get_absolute_url()).text
    )


def test_a_profile_costs_the_same_for_one_post_as_for_many(client, db):
    quiet, busy = MemberFactory(username="quiet"), MemberFactory(username="busy")
    make_topic(author=quiet)
    topic = make_topic(author=busy)
    for index in range(15):
        services.reply(topic=topic, author=busy, body=f"Busy reply {index}")

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    # 1 member, 2 recent posts with topics, 3 topics started, 4 reactions received,
    # 5 the follower count.
    assert count("/u/quiet/") == count("/u/busy/") == 5


def test_a_member_follows_another_from_the_profile_and_the_count_shows(db):
    followed, reader = MemberFactory(username="sigrid"), MemberFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    html = client.get("/u/sigrid/").text
    assert 'aria-pressed="false">Follow <span' in html and 'aria-label="0 followers"' in html
    form = re.search(r'<form method="post" action="(/follow/member/\d+/)"', html)
    assert form and form.group(1) == f"/follow/member/{followed.pk}/"
    response = client.post(
        form.group(1),
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "is_public": "on",
            "next": "/u/sigrid/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/u/sigrid/"
    assert Follow.objects.filter(member=reader, followed_member=followed).exists()
    html = client.get("/u/sigrid/").text
    assert 'aria-pressed="true">Following' in html and 'aria-label="1 follower"' in html
    assert "<dt>Followers</dt>" in html and ">1</a></dd>" in html


def test_following_from_the_profile_without_the_csrf_token_is_refused(db):
    followed, reader = MemberFactory(), MemberFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post(f"/follow/member/{followed.pk}/").status_code == 403
    assert not Follow.objects.exists()


def test_guests_see_the_count_and_sign_in_to_follow_and_owners_get_no_button(client, db):
    followed = MemberFactory(username="tove")
    for index in range(3):
        notification_services.follow(
            member=MemberFactory(), followed_member=followed, is_public=index != 0
        )
    html = client.get("/u/tove/").text
    assert "Sign in to follow this" in html
    assert f'href="/follow/member/{followed.pk}/?next=/u/tove/"' in html
    assert "<dt>Followers</dt>" in html and ">3</a></dd>" in html
    client.force_login(followed)
    html = client.get("/u/tove/").text
    assert "follow-button" not in html and "Sign in to follow this" not in html
    assert '<dd class="profile-followers">3</dd>' in html


def test_the_follower_list_names_public_followers_and_counts_the_rest(db):
    followed, reader = MemberFactory(username="runa"), MemberFactory()
    notification_services.follow(
        member=MemberFactory(username="openly"), followed_member=followed, is_public=True
    )
    notification_services.follow(member=MemberFactory(), followed_member=followed, is_public=False)
    client = Client()
    client.force_login(reader)
    html = client.get("/u/runa/").text
    link = re.search(r'<dd class="profile-followers"><a href="([^"]+)"', html).group(1)
    listing = client.get(link.replace("&amp;", "&")).text
    assert "2 followers" in listing and "openly" in listing
    assert "1 anonymous follower" in listing
    assert 'href="/u/runa/"' in listing


def test_a_profile_with_followers_keeps_its_query_count(client, db, django_assert_max_num_queries):
    followed, reader = MemberFactory(username="many"), MemberFactory()
    for _ in range(12):
        notification_services.follow(member=MemberFactory(), followed_member=followed)
    client.force_login(reader)
    # The page's 6 reads for a member (with whether they ignore this one), the session and its
    # member, the bell, and whether they moderate: the same for 12 followers as for none.
    with django_assert_max_num_queries(10):
        assert client.get("/u/many/").status_code == 200
