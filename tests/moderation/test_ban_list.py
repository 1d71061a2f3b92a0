import pytest
from django.core.exceptions import ValidationError

from folkmoot.moderation.limits import find_ban
from folkmoot.moderation.models import Ban


def test_a_ban_matches_an_email_whatever_its_case(db):
    Ban.objects.create(email="Troll@Example.org")
    assert find_ban(email="troll@example.ORG", ip_address=None)
    assert not find_ban(email="friend@example.org", ip_address=None)


@pytest.mark.parametrize(
    ("network", "inside", "outside"),
    [
        ("198.51.100.0/24", "198.51.100.77", "198.51.101.1"),
        ("203.0.113.9", "203.0.113.9", "203.0.113.10"),
        ("2001:db8::/32", "2001:db8:1::1", "2001:db9::1"),
    ],
)
def test_a_ban_matches_an_ip_range(db, network, inside, outside):
    Ban.objects.create(ip_network=network)
    assert find_ban(email=None, ip_address=inside)
    assert not find_ban(email=None, ip_address=outside)


def test_a_ban_needs_an_email_or_a_valid_range(db):
    with pytest.raises(ValidationError):
        Ban(ip_network="not a range").full_clean()
    with pytest.raises(ValidationError):
        Ban().full_clean()


def test_staff_edit_the_ban_list_in_the_admin(db, client, django_user_model):
    admin = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(admin)
    response = client.post(
        "/admin/moderation/ban/add/",
        {"email": "", "ip_network": "192.0.2.0/24", "reason": "spam wave"},
    )
    assert response.status_code == 302
    assert find_ban(email=None, ip_address="192.0.2.200").reason == "spam wave"
    assert client.get("/admin/moderation/moderationlog/").status_code == 200
    assert client.get("/admin/guests/guestpost/").status_code == 200
