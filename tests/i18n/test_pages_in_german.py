"""A member who chose German reads the forum in German; one who chose Arabic gets it mirrored.
Everyone else still reads the site's language (English here), as before."""

import datetime

import pytest
from django.utils import timezone

from folkmoot.discussions.models import Post
from tests.factories import MemberFactory, make_topic


@pytest.fixture
def german_client(client, db):
    client.force_login(MemberFactory(language="de"))
    return client


@pytest.fixture
def topic_from_march(db):
    """A topic whose posts were written in March: its month is März in German."""
    topic = make_topic(replies=2)
    march = timezone.make_aware(datetime.datetime(2025, 3, 14, 9, 30))
    Post.objects.filter(topic=topic).update(created_at=march)
    topic.__class__.objects.filter(pk=topic.pk).update(created_at=march)
    return topic


def test_a_german_member_reads_the_topic_page_in_german(german_client, topic_from_march):
    page = german_client.get(topic_from_march.get_absolute_url()).text
    assert '<html lang="de" dir="ltr"' in page
    assert "2 Antworten" in page
    assert "Mach mit" in page  # the reply box's heading
    assert "Antwort absenden" in page
    assert ">Teilen</summary>" in page
    assert ">Zitieren</a>" in page
    assert "Diesem Thema folgen" in page
    assert "Join the conversation" not in page
    assert "2 replies" not in page


def test_a_german_reader_sees_dates_with_german_month_names(german_client, topic_from_march):
    page = german_client.get(topic_from_march.get_absolute_url()).text
    assert ">14. März 2025</time>" in page
    assert "March" not in page
    # The machine-readable moment stays ISO 8601 whatever the language.
    assert 'datetime="2025-03-14T09:30:00+0000"' in page


def test_a_german_member_reads_the_index_and_a_category_in_german(german_client, topic_from_march):
    index = german_client.get("/").text
    assert "<h1>Foren</h1>" in index
    assert "<strong>1</strong> Thema" in index
    assert "<strong>3</strong> Beiträge" in index
    assert "Alle als gelesen markieren" in index
    category = german_client.get(topic_from_march.category.get_absolute_url()).text
    assert "Neues Thema beginnen" in category
    assert "2 Antworten" in category
    assert ">14. Mär 2025</time>" in category  # the short month name


def test_a_german_member_starts_a_topic_on_a_german_page(german_client, category):
    page = german_client.get(f"/c/{category.pk}-{category.slug}/new/").text
    assert "<h1>Neues Thema beginnen</h1>" in page
    assert 'placeholder="Schreib deinen Beitrag …"' in page
    assert ">Thema beginnen</button>" in page
    refused = german_client.post(f"/c/{category.pk}-{category.slug}/new/", {"title": "x"})
    assert "Gib dem Thema einen Titel mit mindestens 3 Zeichen." in refused.text
    assert "Schreib etwas, bevor du es absendest." in refused.text


def test_a_german_member_gets_the_not_found_page_in_german(german_client):
    response = german_client.get("/t/999999-nothing-here/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text
    assert "Hier ist nichts" in response.text
    assert "Zurück zu den Foren" in response.text


def test_a_member_who_chose_arabic_gets_a_right_to_left_page(client, topic):
    client.force_login(MemberFactory(language="ar"))
    page = client.get(topic.get_absolute_url()).text
    assert '<html lang="ar" dir="rtl"' in page


def test_a_member_who_chose_no_language_reads_the_site_language(member_client, topic):
    page = member_client.get(topic.get_absolute_url()).text
    assert '<html lang="en" dir="ltr"' in page
    assert "Join the conversation" in page


def test_a_member_chooses_german_in_the_settings(member_client, member):
    page = member_client.get("/settings/").text
    assert '<select id="id_language" name="language"' in page
    response = member_client.post(
        "/settings/",
        {"display_name": "", "signature": "", "time_zone": "", "theme": "system", "language": "de"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "de"
    assert "Kontoeinstellungen" in member_client.get("/settings/").text


def test_a_language_the_site_does_not_offer_is_refused_in_the_settings(member_client, member):
    response = member_client.post(
        "/settings/",
        {"display_name": "", "signature": "", "time_zone": "", "theme": "system", "language": "xx"},
    )
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.language == ""


def test_a_german_site_greets_anonymous_readers_and_members_without_a_choice_in_german(
    client, settings, topic, member
):
    settings.LANGUAGE_CODE = "de"  # FOLKMOOT_LANGUAGE=de
    assert "<h1>Foren</h1>" in client.get("/").text
    client.force_login(member)
    assert "Mach mit" in client.get(topic.get_absolute_url()).text
