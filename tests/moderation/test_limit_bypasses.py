"""The ways round the guest caps and bans that an attacker tried: rotating through an IPv6
/64, dressing up one email address, writing an IPv4 address as IPv6."""

import pytest

from folkmoot.discussions.models import Post
from folkmoot.moderation.models import Ban
from tests.conftest import set_limits
from tests.guests import guest_reply


def test_guests_rotating_through_one_ipv6_64_share_its_daily_cap(settings, client_factory, topic):
    set_limits(settings, GUEST_POSTS_PER_IP_PER_DAY=10, GUEST_POSTS_PER_EMAIL_PER_DAY=100)
    answers = [
        guest_reply(
            client_factory(REMOTE_ADDR=f"2001:db8:5:6:{n:x}:{n:x}:{n:x}:1"),
            topic,
            body=f"Rotating {n}",
            email=f"rot{n}@example.net",
        ).status_code
        for n in range(20)
    ]
    assert answers == [302] * 10 + [429] * 10
    assert Post.objects.filter(body__startswith="Rotating").count() == 10
    # Another /64 is another customer: not capped.
    neighbour = client_factory(REMOTE_ADDR="2001:db8:5:7::1")
    assert guest_reply(neighbour, topic, email="n@example.net").status_code == 302


def test_a_mapped_ipv4_address_shares_the_ipv4_daily_cap(settings, client_factory, topic):
    set_limits(settings, GUEST_POSTS_PER_IP_PER_DAY=1)
    plain = client_factory(REMOTE_ADDR="192.0.2.9")
    assert guest_reply(plain, topic, email="a@example.net").status_code == 302
    mapped = client_factory(REMOTE_ADDR="::ffff:192.0.2.9")
    assert guest_reply(mapped, topic, email="b@example.net").status_code == 429


@pytest.mark.parametrize(
    "variant",
    [
        "Jane.Doe@example.org",
        "janedoe+again@example.org",
        '"jane.doe"@example.org',
        "janedoe@exаmple.org",  # Cyrillic а
    ],
)
def test_variants_of_one_address_share_its_daily_cap(settings, client, topic, variant):
    set_limits(settings, GUEST_POSTS_PER_EMAIL_PER_DAY=1)
    assert guest_reply(client, topic, body="First", email="janedoe@example.org").status_code == 302
    response = guest_reply(client, topic, body="Dressed up", email=variant)
    assert response.status_code == 429
    assert "guest posts today, the most we accept" in response.content.decode()
    assert not Post.objects.filter(body="Dressed up").exists()


@pytest.mark.parametrize(
    "variant",
    [
        "spam.mer@example.net",
        "spammer+x@example.net",
        '"spammer"@example.net',
        "spammer@еxample.net",
    ],  # Cyrillic е
)
def test_an_email_ban_holds_against_variants_of_the_address(client, topic, variant):
    Ban.objects.create(email="spammer@example.net")
    response = guest_reply(client, topic, body="Buy now", email=variant)
    assert response.status_code == 400
    assert "Posts from this address are not accepted here." in response.content.decode()
    assert not Post.objects.filter(body="Buy now").exists()


def test_an_ipv4_range_ban_holds_against_the_mapped_address(topic, member, client_factory):
    Ban.objects.create(ip_network="192.0.2.0/24")
    guest = client_factory(REMOTE_ADDR="::ffff:192.0.2.9")
    assert guest_reply(guest, topic, body="Sneaky").status_code == 400
    signed_in = client_factory(REMOTE_ADDR="::ffff:c000:209")
    signed_in.force_login(member)
    reply = signed_in.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "Also sneaky"})
    assert reply.status_code == 400
    assert not Post.objects.filter(body__in=["Sneaky", "Also sneaky"]).exists()


def test_an_ipv6_address_ban_covers_its_64(client_factory, topic):
    Ban.objects.create(ip_network="2001:db8:9:9::1")
    next_address = client_factory(REMOTE_ADDR="2001:db8:9:9::2")
    assert guest_reply(next_address, topic, body="Next address").status_code == 400
