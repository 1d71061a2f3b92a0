"""An anonymous reader picks a language in the footer's menu (a real, CSRF-checked POST); the
whole-page cache then keeps one copy of a page per language, so nobody is served a page in
another reader's language, and each copy is still served without touching the database."""

import re

import pytest
from django.test import Client

from tests.conftest import set_limits
from tests.factories import make_topic

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def whole_page_cache(settings):
    set_limits(settings, PAGE_CACHE_SECONDS=300)


def choose_language(client: Client, code: str, *, back_to: str) -> None:
    """What a reader does without JavaScript: follow the footer's link, pick, submit."""
    page = client.get(f"/language/?next={back_to}").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post(
        "/language/set/", {"csrfmiddlewaretoken": token, "language": code, "next": back_to}
    )
    assert response.status_code == 302
    assert response["Location"] == back_to


def test_every_page_links_to_the_language_menu(client):
    page = client.get("/").text
    assert '<a class="language-link" href="/language/?next=/">' in page
    menu = client.get("/language/?next=/").text
    assert 'action="/language/set/"' in menu
    assert '<label for="language-de" lang="de">Deutsch</label>' in menu
    assert '<label for="language-ar" lang="ar">العربيّة</label>' in menu


def test_the_language_menu_refuses_a_post_without_its_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/language/set/", {"language": "de", "next": "/"})
    assert response.status_code == 403
    assert "language" not in response.cookies


def test_a_reader_who_picked_german_gets_german_and_the_next_english_reader_english(
    django_assert_num_queries,
):
    topic = make_topic(replies=3)
    url = topic.get_absolute_url()
    german = Client(enforce_csrf_checks=True)
    choose_language(german, "de", back_to=url)
    german_page = german.get(url)
    assert "3 Antworten" in german_page.text
    assert german_page["Content-Language"] == "de"
    assert "Cookie" in german_page["Vary"]

    english = Client()
    english_page = english.get(url)  # rendered now: the German copy is not its copy
    assert "3 replies" in english_page.text
    assert "Antworten" not in english_page.text
    assert english_page["Content-Language"] == "en"

    # Both copies are cached: each reader is served theirs without a query.
    with django_assert_num_queries(0):
        again_english = english.get(url)
        again_german = german.get(url)
    assert again_english.content == english_page.content
    assert again_german.content == german_page.content


def test_a_reader_who_picked_german_can_go_back_to_english():
    german = Client(enforce_csrf_checks=True)
    choose_language(german, "de", back_to="/")
    assert "<h1>Foren</h1>" in german.get("/").text
    choose_language(german, "en", back_to="/")
    assert "<h1>Forums</h1>" in german.get("/").text


def test_a_language_the_site_does_not_offer_is_ignored(client):
    client.cookies["language"] = "xx"
    assert '<html lang="en" dir="ltr"' in client.get("/").text


def test_the_menu_never_sends_a_reader_to_another_site(client):
    menu = client.get("/language/?next=https://elsewhere.example/").text
    assert 'name="next" value="/"' in menu
