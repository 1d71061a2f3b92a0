"""The client's address: X-Forwarded-For counts only from a configured trusted proxy, and then
only up to the first hop that is not one (folkmoot/client_address.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from folkmoot.client_address import ClientAddressMiddleware, client_address, trusted_networks
from folkmoot.guests.models import GuestPost
from tests.conftest import set_limits
from tests.guests import guest_reply

PROXIES = trusted_networks(("10.0.0.0/8", "2001:db8:ffff::/48"))


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "trusted", "client"),
    [
        # No trusted proxy configured: the header is the client's own claim, ignored.
        ("198.51.100.7", "203.0.113.1", (), "198.51.100.7"),
        # A peer that is not a trusted proxy: ignored too.
        ("198.51.100.7", "203.0.113.1", PROXIES, "198.51.100.7"),
        # Behind our proxy: the hop it saw.
        ("10.0.0.2", "203.0.113.1", PROXIES, "203.0.113.1"),
        # The client's own header is kept left of the proxy's hop: never believed.
        ("10.0.0.2", "1.2.3.4, 203.0.113.1", PROXIES, "203.0.113.1"),
        # Two proxies of ours: the right-most hop that is not ours.
        ("10.0.0.2", "1.2.3.4, 203.0.113.1, 10.0.0.9", PROXIES, "203.0.113.1"),
        # Several headers arrive joined by commas; spaces and ports are tolerated.
        ("10.0.0.2", " 203.0.113.1:5555 ,10.1.1.1", PROXIES, "203.0.113.1"),
        ("10.0.0.2", "[2001:db8::7]:443", PROXIES, "2001:db8::7"),
        # Garbage stops the walk at the last proxy: the client can't pick an address.
        ("10.0.0.2", "evil, 10.0.0.3", PROXIES, "10.0.0.3"),
        ("10.0.0.2", "", PROXIES, "10.0.0.2"),
        # Mapped IPv4, from the socket or the header, is the IPv4 address.
        ("::ffff:198.51.100.7", "", (), "198.51.100.7"),
        ("::ffff:10.0.0.2", "::ffff:203.0.113.1", PROXIES, "203.0.113.1"),
        ("2001:db8:ffff:1::1", "2001:db8:1:2::3", PROXIES, "2001:db8:1:2::3"),
    ],
)
def test_the_client_is_the_right_most_hop_not_behind_a_trusted_proxy(
    peer, forwarded_for, trusted, client
):
    assert str(client_address(peer, forwarded_for, trusted)) == client


def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_cap(
    settings, client_factory, topic
):
    set_limits(settings, GUEST_POSTS_PER_IP_PER_DAY=1)
    answers = [
        guest_reply(
            client_factory(HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"),
            topic,
            email=f"forger{n}@example.net",
        ).status_code
        for n in range(3)
    ]
    assert answers == [302, 429, 429]
    assert set(GuestPost.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_a_trusted_proxy_each_client_is_counted_apart(settings, client_factory, topic):
    settings.FOLKMOOT_TRUSTED_PROXIES = ["127.0.0.1"]
    set_limits(settings, GUEST_POSTS_PER_IP_PER_DAY=1)
    first = client_factory(HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.1")
    second = client_factory(HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.2")
    again = client_factory(HTTP_X_FORWARDED_FOR="8.8.8.8, 203.0.113.1")
    assert guest_reply(first, topic, email="one@example.net").status_code == 302
    assert guest_reply(second, topic, email="two@example.net").status_code == 302
    assert guest_reply(again, topic, email="three@example.net").status_code == 429
    assert set(GuestPost.objects.values_list("ip_address", flat=True)) == {
        "203.0.113.1",
        "203.0.113.2",
    }


def test_a_mistyped_trusted_proxy_stops_the_site_from_starting(settings):
    settings.FOLKMOOT_TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.internal"]
    with pytest.raises(ImproperlyConfigured, match="'proxy.internal' is not an address"):
        ClientAddressMiddleware(lambda request: None)
