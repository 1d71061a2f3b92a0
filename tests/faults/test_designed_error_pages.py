"""404, 403 and 429 answer on the site's own designed pages, saying what happened and what to
do; the 404 page renders without touching the database (this module has no database access:
a query would fail the test)."""

import pytest
from django.test import Client

from tests.factories import PASSWORD


def test_a_missing_page_is_the_designed_404_without_the_database():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    page = response.text
    assert 'class="site-header"' in page
    assert "There is nothing here" in page
    assert 'href="/"' in page  # back to the forums
    assert "Not Found</h1>" not in page  # not Django's bare page


def test_a_missing_page_names_no_one_and_offers_search():
    page = Client().get("/t/does-not-exist/").text
    assert "Sign out" not in page and "Sign in" not in page  # no account state read
    assert 'action="/search/"' in page


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_gets_the_designed_403(topic):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "Hello"})
    assert response.status_code == 403
    assert 'class="site-header"' in response.text
    assert "The form could not be sent" in response.text
    assert "nothing was saved" in response.text


@pytest.mark.django_db
def test_too_many_sign_ins_get_the_designed_429_saying_when_to_retry(settings, member):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    browser = Client()
    form = {"login": member.username, "password": PASSWORD}
    browser.post("/accounts/login/", form)
    response = browser.post("/accounts/login/", form)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert 'class="site-header"' in response.text
    assert "Try again in a minute." in response.text


def test_favicon_ico_leads_to_the_icon_and_pages_link_the_manifest(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/static/folkmoot/favicon-32.png")
    page = Client().get("/").text
    assert 'rel="manifest" href="/static/folkmoot/site.webmanifest"' in page
    assert 'rel="icon" href="/static/folkmoot/favicon.svg"' in page
