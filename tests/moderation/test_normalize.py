"""Who counts as the same sender: the keys limits and bans compare (moderation/normalize.py)."""

import pytest

from folkmoot.moderation import normalize
from folkmoot.moderation.models import Ban


@pytest.mark.parametrize(
    ("variant", "same_as"),
    [
        ("Jane.Doe@Example.org", "janedoe@example.org"),  # case and dots
        ("jane+forum@example.org", "jane@example.org"),  # +tag
        ("j.a.n.e+x+y@example.org", "jane@example.org"),  # dots and a tag with a plus
        ('"jane"@example.org', "jane@example.org"),  # a quoted local part
        ('"j.ane+q"@example.org', "jane@example.org"),  # dots and a tag inside the quotes
        ('"ja\\ne"@example.org', "jane@example.org"),  # a quoted pair
        ("jane@exаmple.org", "jane@example.org"),  # Cyrillic а in the domain
        ("jane@ЕXAMPLE.ORG", "jane@example.org"),  # Cyrillic Е, capitals
        ("jаne@example.org", "jane@example.org"),  # Cyrillic а in the local part
        ("jane@xn--exmple-4nf.org", "jane@example.org"),  # the homoglyph domain as IDNA
        ("ｊａｎｅ@ｅｘａｍｐｌｅ.org", "jane@example.org"),  # fullwidth letters
        ("jane@example.org.", "jane@example.org"),  # the root's trailing dot
        ("jane@xn--bcher-kva.de", "jane@bücher.de"),  # IDNA and Unicode, one domain
        ("JANE@BÜCHER.DE", "jane@bücher.de"),
    ],
)
def test_variants_of_one_inbox_have_one_key(variant, same_as):
    assert normalize.email_key(variant) == normalize.email_key(same_as)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("jane@example.org", "john@example.org"),
        ("jane@example.org", "jane@example.net"),
        ("jane1@example.org", "janel@example.org"),  # ASCII stays as typed
        ("jane@bücher.de", "jane@bucher.de"),  # a real accent is a real difference
    ],
)
def test_different_inboxes_keep_different_keys(one, other):
    assert normalize.email_key(one) != normalize.email_key(other)


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.9", "192.0.2.9"),
        ("::ffff:192.0.2.9", "192.0.2.9"),  # IPv4-mapped IPv6 is the IPv4 address
        ("::ffff:c000:209", "192.0.2.9"),  # the same, in hex
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),  # same /64
        ("2001:DB8:1:2:a:b:c:d", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),  # the next /64 is another sender
        ("fe80::1%eth0", "fe80::/64"),
        ("not an address", "unknown"),
        (None, "unknown"),
    ],
)
def test_addresses_count_per_ipv4_address_or_ipv6_64(address, key):
    assert normalize.ip_key(address) == key


@pytest.mark.parametrize(
    ("ban", "address", "banned"),
    [
        ("192.0.2.0/24", "::ffff:192.0.2.9", True),  # mapped form of a banned IPv4
        ("192.0.2.0/24", "192.0.2.9", True),
        ("192.0.2.0/24", "192.0.3.9", False),
        ("::ffff:192.0.2.0/120", "192.0.2.9", True),  # a range entered in mapped form
        ("2001:db8:1:2::1", "2001:db8:1:2::beef", True),  # an IPv6 ban covers its /64
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),
        ("2001:db8::/32", "2001:db8:ffff::1", True),
    ],
)
def test_ip_bans_match_every_spelling_of_an_address(ban, address, banned):
    assert Ban(ip_network=ban).matches(email=None, ip_address=address) is banned


@pytest.mark.parametrize(
    "variant",
    [
        "Spammer@Example.net",
        "spam.mer+again@example.net",
        '"spammer"@example.net',
        "spammer@exаmple.net",
        "spammer@xn--exmple-4nf.net",
    ],
)
def test_an_email_ban_matches_every_variant_of_the_address(variant):
    assert Ban(email="spammer@example.net").matches(email=variant, ip_address=None)
