"""The header's bell, the notification list, opening one and marking all read."""

import pytest
from django.test import Client

from folkmoot.discussions import services as discussions
from folkmoot.notifications import kinds
from folkmoot.notifications.models import Notification
from folkmoot.notifications.services import notify
from tests.conftest import set_limits
from tests.factories import MemberFactory, make_topic
from tests.notifications.helpers import follow_topic, run_fan_out


def replies_for(member, count: int):
    topic = make_topic(title="Street party")
    follow_topic(member, topic)
    posts = [
        discussions.reply(topic=topic, author=MemberFactory(), body=f"Reply {i}")
        for i in range(count)
    ]
    run_fan_out()
    return topic, posts


def test_the_bell_shows_the_unread_count_and_the_list_links_each_to_its_post(db, member, client):
    topic, posts = replies_for(member, 2)
    client.force_login(member)
    html = client.get("/").content.decode()
    assert 'class="bell-count">2<' in html
    html = client.get("/notifications/").content.decode()
    assert html.count("Reply in a topic you follow") == 2 and "Street party" in html
    newest = Notification.objects.filter(recipient=member).first()
    opened = client.post(f"/notifications/{newest.pk}/open/")
    assert opened["Location"] == f"/p/{posts[1].pk}/"
    assert 'class="bell-count">1<' in client.get("/").content.decode()
    client.post("/notifications/read-all/")
    assert "bell-count" not in client.get("/").content.decode()


def test_nobody_opens_another_member_s_notification(db, member, client):
    replies_for(member, 1)
    client.force_login(MemberFactory())
    notification = Notification.objects.get()
    assert client.post(f"/notifications/{notification.pk}/open/").status_code == 404
    assert Notification.objects.get().read_at is None


def test_opening_a_notification_needs_a_post(db, member, client):
    replies_for(member, 1)
    client.force_login(member)
    notification = Notification.objects.get()
    assert client.get(f"/notifications/{notification.pk}/open/").status_code == 405
    assert Notification.objects.get().read_at is None


def test_notification_list_costs_the_same_with_one_as_with_forty(
    db, member, client, django_assert_max_num_queries
):
    author = MemberFactory()
    topic = make_topic(author=author)
    post = topic.posts.get(number=1)
    notify(kinds.MENTIONED, recipients=[member], post=post, actor=author)
    client.force_login(member)
    client.get("/notifications/")
    for _ in range(39):
        notify(kinds.MENTIONED, recipients=[member], post=post, actor=author)
    # 1 session, 2 member, 3 the categories the member moderates (the header's queue link),
    # 4 the notifications with post, topic and actor, 5 the bell's unread count.
    with django_assert_max_num_queries(5):
        html = client.get("/notifications/").content.decode()
    assert html.count("Someone mentioned you") == 40


@pytest.mark.django_db(transaction=True)
def test_a_cached_anonymous_page_never_carries_a_member_s_bell(settings):
    set_limits(settings, PAGE_CACHE_SECONDS=60)
    member = MemberFactory()
    topic, _ = replies_for(member, 1)
    signed_in = Client()
    signed_in.force_login(member)
    assert "bell-count" in signed_in.get(topic.get_absolute_url()).content.decode()
    anonymous = Client()
    for _ in range(2):  # rendered, then from the cache
        html = anonymous.get(topic.get_absolute_url()).content.decode()
        assert 'class="bell"' not in html and "Sign in to follow this" in html
