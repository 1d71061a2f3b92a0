"""Abuse controls: each limit refuses with a clear message, HTTP 429 for rate limits, and the
text the writer typed comes back in the form."""

from folkmoot.discussions.models import Post
from folkmoot.moderation.models import Ban, RateLimit
from tests.conftest import set_limits
from tests.factories import MemberFactory
from tests.guests import guest_reply, solved_check


def _reply(client, topic, body):
    return client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": body})


def test_a_member_posting_again_too_quickly_gets_429_with_the_text_kept(
    settings, member_client, topic
):
    set_limits(settings, FLOOD_SECONDS=30)
    assert _reply(member_client, topic, "First thought").status_code == 302
    response = _reply(member_client, topic, "Second thought, too soon")
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "You are posting too quickly. Wait 30 seconds between posts" in page
    assert "Second thought, too soon</textarea>" in page
    assert not Post.objects.filter(body="Second thought, too soon").exists()


def test_a_double_submit_is_one_post_not_a_flood_refusal(settings, member_client, topic):
    set_limits(settings, FLOOD_SECONDS=30)
    first = _reply(member_client, topic, "Clicked twice")
    second = _reply(member_client, topic, "Clicked twice")
    assert first.status_code == second.status_code == 302
    assert Post.objects.filter(body="Clicked twice").count() == 1


def test_a_guest_posting_again_too_quickly_gets_429(settings, client, topic):
    set_limits(settings, FLOOD_SECONDS=30)
    assert guest_reply(client, topic, body="One").status_code == 302
    response = guest_reply(client, topic, body="Two, too soon", email="another@example.net")
    assert response.status_code == 429
    assert "Two, too soon</textarea>" in response.content.decode()


def test_guest_posts_from_one_ip_are_capped_per_day(settings, client, topic):
    set_limits(settings, GUEST_POSTS_PER_IP_PER_DAY=2)
    for n in range(2):
        assert (
            guest_reply(client, topic, body=f"Post {n}", email=f"g{n}@example.net").status_code
            == 302
        )
    response = guest_reply(client, topic, body="One too many", email="g9@example.net")
    assert response.status_code == 429
    page = response.content.decode()
    assert "the most we accept" in page and "One too many</textarea>" in page
    assert Post.objects.filter(status="pending").count() == 2


def test_guest_posts_from_one_email_are_capped_per_day(settings, client, topic):
    set_limits(settings, GUEST_POSTS_PER_EMAIL_PER_DAY=1)
    assert guest_reply(client, topic, body="Mine", email="same@example.net").status_code == 302
    response = guest_reply(client, topic, body="Mine again", email="SAME@example.net")
    assert response.status_code == 429
    assert "SAME@example.net has posted 1 guest posts today" in response.content.decode()


def test_a_new_member_may_put_only_a_few_links_in_their_first_posts(
    settings, member_client, topic, client_factory
):
    set_limits(settings, NEW_MEMBER_MAX_LINKS=1)
    body = "See https://spam.example/a and https://spam.example/b"
    response = _reply(member_client, topic, body)
    assert response.status_code == 400
    page = response.content.decode()
    assert "New members can include at most 1 link in each of their first 3 posts" in page
    assert "https://spam.example/b</textarea>" in page

    veteran = client_factory()
    veteran.force_login(MemberFactory(post_count=50))
    assert _reply(veteran, topic, body).status_code == 302


def test_a_guest_is_limited_in_links_too(settings, client, topic):
    set_limits(settings, NEW_MEMBER_MAX_LINKS=0)
    response = guest_reply(client, topic, body="Visit https://spam.example/")
    assert response.status_code == 400
    assert "at most 0 links" in response.content.decode()


def test_a_guest_double_submit_saves_one_post(client, topic):
    solved = solved_check(client)  # a double click sends the same solution twice
    first = guest_reply(client, topic, body="Sent twice by a guest", altcha=solved)
    second = guest_reply(client, topic, body="Sent twice by a guest", altcha=solved)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Post.objects.filter(body="Sent twice by a guest").count() == 1


def test_a_banned_email_cannot_post_as_a_guest(client, topic):
    Ban.objects.create(email="spammer@example.net")
    response = guest_reply(client, topic, body="Buy now", email="Spammer@Example.net")
    assert response.status_code == 400
    assert "Posts from this address are not accepted here." in response.content.decode()
    assert "Buy now</textarea>" in response.content.decode()
    assert not Post.objects.filter(body="Buy now").exists()


def test_a_banned_ip_range_cannot_post_as_a_guest_or_member(client, member, topic, client_factory):
    Ban.objects.create(ip_network="127.0.0.0/8")
    assert guest_reply(client, topic, body="From a banned range").status_code == 400
    signed_in = client_factory()
    signed_in.force_login(member)
    assert _reply(signed_in, topic, "Also from the range").status_code == 400
    assert Post.objects.filter(status__in=["pending", "published"]).count() == 1


def test_an_ip_outside_the_banned_range_may_post(client, topic):
    Ban.objects.create(ip_network="203.0.113.0/24")
    assert guest_reply(client, topic).status_code == 302


def test_limits_are_kept_in_the_database_not_the_cache(settings, client, topic):
    """Every process shares the database, and a cache may evict; clearing the cache (as
    eviction would) leaves the count in place."""
    from django.core.cache import cache

    set_limits(settings, FLOOD_SECONDS=30)
    guest_reply(client, topic, body="Counted")
    assert RateLimit.objects.get(key="flood:ip:127.0.0.1").count == 1
    cache.clear()
    response = guest_reply(client, topic, body="Again", email="another@example.net")
    assert response.status_code == 429
