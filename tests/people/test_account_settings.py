"""A member's account settings: display name, signature (sanitized, capped, shown under their
posts), time zone (dates shown in it) and theme (applied by the server before the first
paint, on every device; guests keep their browser's choice)."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from folkmoot.accounts.models import SIGNATURE_MAX, User
from folkmoot.people import services
from tests.factories import make_topic

VALID = {"display_name": "", "signature": "", "time_zone": "", "theme": "system"}


def save(member, **changes):
    services.update_settings(member=member, **{**VALID, **changes})


def test_a_member_saves_their_settings_from_the_page(client, member, db):
    client.force_login(member)
    page = client.get("/settings/").text
    assert 'href="/settings/avatar/"' in page and 'href="/notifications/settings/"' in page
    response = client.post(
        "/settings/",
        {
            "display_name": "  Ingrid   the Bold ",
            "signature": "Skål from *Bergen*",
            "time_zone": "Europe/Oslo",
            "theme": "dark",
        },
    )
    assert response.status_code == 302
    saved = User.objects.get(pk=member.pk)
    assert saved.display_name == "Ingrid the Bold"
    assert saved.signature_html == "<p>Skål from <em>Bergen</em></p>"
    assert (saved.time_zone, saved.theme) == ("Europe/Oslo", "dark")
    page = client.get("/settings/").text
    assert 'value="Ingrid the Bold"' in page and "<option selected>Europe/Oslo</option>" in page


def test_bad_input_is_refused_field_by_field_and_nothing_is_lost(client, member, db):
    client.force_login(member)
    long_signature = "x" * (SIGNATURE_MAX + 1)
    response = client.post(
        "/settings/",
        {
            "display_name": "Kept",
            "signature": long_signature,
            "time_zone": "Mars/Olympus",
            "theme": "neon",
        },
    )
    assert response.status_code == 400
    page = response.text
    assert f"At most {SIGNATURE_MAX} characters ({SIGNATURE_MAX + 1} now)." in page
    assert "Choose a time zone from the list." in page
    assert "Choose light, dark or the same as your device." in page
    assert 'value="Kept"' in page and long_signature in page  # what they typed, kept
    assert User.objects.get(pk=member.pk).chosen_name == ""  # nothing saved


@pytest.mark.parametrize(
    "field, value",
    [
        ("display_name", "n" * 51),
        ("signature", "s" * (SIGNATURE_MAX + 1)),
        ("time_zone", "Nowhere/Land"),
        ("theme", "sepia"),
    ],
)
def test_the_service_refuses_each_bad_field(member, field, value, db):
    with pytest.raises(ValidationError) as refused:
        save(member, **{field: value})
    assert list(refused.value.message_dict) == [field]


def test_signatures_are_sanitized_down_to_text_and_links(member, db):
    save(
        member,
        signature=(
            "<script>alert(1)</script> [site](https://example.org) ![x](/media/a.png) "
            "[bad](javascript:alert(1))\n# Heading"
        ),
    )
    html = User.objects.get(pk=member.pk).signature_html
    assert "<script" not in html and "<img" not in html and "<h1" not in html
    assert 'href="javascript' not in html
    assert '<a href="https://example.org" rel="nofollow ugc noopener noreferrer">site</a>' in html


def test_the_signature_and_display_name_show_on_posts(client, member, db):
    topic = make_topic(author=member)
    client.get(topic.get_absolute_url())  # the post's frame is cached…
    save(member, display_name="Ingrid", signature="Sent from my longship")
    html = client.get(topic.get_absolute_url()).text  # …and drawn again
    assert '<div class="signature"><p>Sent from my longship</p></div>' in html
    assert 'data-user-card="/u/' + member.username + '/card/">Ingrid</a>' in html


def test_dates_are_shown_in_the_members_time_zone(client, member, other_member, db):
    topic = make_topic(author=member)
    post = topic.posts.get(number=1)
    post.created_at = datetime(2026, 1, 1, 23, 30, tzinfo=UTC)
    post.save(update_fields=["created_at"])
    client.get(topic.get_absolute_url())
    save(other_member, time_zone="Asia/Tokyo")
    client.force_login(other_member)
    html = client.get(topic.get_absolute_url()).text
    assert 'datetime="2026-01-02T08:30:00+0900"' in html
    client.logout()
    assert 'datetime="2026-01-01T23:30:00+0000"' in client.get(topic.get_absolute_url()).text


def test_a_members_theme_is_set_by_the_server_and_a_guests_is_left_to_the_browser(
    client, member, db
):
    assert "data-theme" not in client.get("/").text.split("<head>")[0]
    client.force_login(member)
    html_tag = client.get("/").text.split("<head>")[0]
    assert 'data-theme-saved="system"' in html_tag and 'data-theme="' not in html_tag
    save(member, theme="dark")
    html_tag = client.get("/").text.split("<head>")[0]
    assert 'data-theme-saved="dark"' in html_tag and 'data-theme="dark"' in html_tag


def test_the_header_toggle_saves_a_members_theme(client, member, db):
    client.force_login(member)
    response = client.post(
        "/settings/theme/", {"theme": "light"}, headers={"Accept": "application/json"}
    )
    assert response.json() == {"theme": "light"}
    assert User.objects.get(pk=member.pk).theme == "light"
    assert client.post("/settings/theme/", {"theme": "plaid"}).status_code == 400


def test_the_settings_page_costs_a_fixed_number_of_queries(
    client, member, django_assert_max_num_queries, db
):
    client.force_login(member)
    # 1 session, 2 member, 3 the categories they moderate (header), 4 the bell's count.
    with django_assert_max_num_queries(4):
        assert client.get("/settings/").status_code == 200
