"""The W3C Nu Html Checker finds no error on the site's pages: the public pages, the members'
pages, the moderation queue, the error pages, and the reply box with its editor open (the page as
the browser holds it then)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from folkmoot.faults.views import server_error
from tests.conftest import set_limits
from tests.factories import PASSWORD, MemberFactory, make_topic
from tests.html_validator import validation_errors

# The browser's side of pages that are the same whatever the database: CI runs these on
# SQLite only (pyproject.toml's `frontend` marker).
pytestmark = pytest.mark.frontend


def fetch(client: Client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, path
    return response.text


def report(errors: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}:\n  " + "\n  ".join(found) for page, found in errors.items())


def test_the_pages_have_no_html_errors(forum, settings, tmp_path):
    topic, category = forum["topic"], forum["category"]
    first_post = topic.posts.get(number=1)
    guest, member, moderator = Client(), Client(), Client()
    member.force_login(forum["member"])
    moderator.force_login(forum["moderator"])
    pages = {
        "index": fetch(guest, "/"),
        "category": fetch(guest, category.get_absolute_url()),
        "topic page 1": fetch(guest, topic.get_absolute_url()),
        "topic page 2": fetch(guest, topic.get_absolute_url() + "?page=2"),
        "topic page 2, member": fetch(member, topic.get_absolute_url() + "?page=2"),
        "new topic": fetch(member, category.get_absolute_url() + "new/"),
        "edit": fetch(member, f"/p/{first_post.pk}/edit/"),
        "sign-in": fetch(guest, "/accounts/login/"),
        "sign-up": fetch(guest, "/accounts/signup/"),
        "password reset": fetch(guest, "/accounts/password/reset/"),
        "moderation queue": fetch(moderator, "/mod/queue/"),
        "404": fetch(guest, "/no-such-page/", 404),
        "language menu": fetch(guest, "/language/?next=/"),
    }
    # A category of four pages: page 3's "Previous" and "Next" carry topics' list keys.
    for title in ("A second topic", "A third topic", "A fourth topic"):
        make_topic(category=category, author=forum["member"], title=title)
    set_limits(settings, TOPICS_PER_PAGE=1)
    pages["category page 3 of 4"] = fetch(guest, category.get_absolute_url() + "?page=3")
    assert "&amp;before=" in pages["category page 3 of 4"]
    assert "&amp;after=" in pages["category page 3 of 4"]
    arabic = Client()
    arabic.force_login(MemberFactory(language="ar"))
    pages["topic page 1, right to left"] = fetch(arabic, topic.get_absolute_url())
    csrf_checked = Client(enforce_csrf_checks=True)
    refused = csrf_checked.post(topic.get_absolute_url() + "reply/", {"body": "Hello"})
    assert refused.status_code == 403
    pages["403"] = refused.text
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    sign_in = {"login": forum["member"].username, "password": PASSWORD}
    limited = Client()
    limited.post("/accounts/login/", sign_in)
    too_many = limited.post("/accounts/login/", sign_in)
    assert too_many.status_code == 429
    pages["429"] = too_many.text
    failing = RequestFactory().get("/")
    failing.user = AnonymousUser()  # as the middleware left it before the view failed
    broken = server_error(failing)
    assert broken.status_code == 500
    pages["500"] = broken.content.decode()

    errors = validation_errors(pages, tmp_path)
    assert not errors, report(errors)


def test_the_reply_box_with_its_editor_open_has_no_html_errors(page, live_server, forum, tmp_path):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", forum["member"].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.account-form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(forum["topic"].get_absolute_url())
    page.get_by_placeholder("Reply to this topic...").click()
    page.locator("[data-composer-editor]").wait_for()
    html = "<!DOCTYPE html>\n" + page.evaluate("document.documentElement.outerHTML")
    errors = validation_errors({"topic, composer open": html}, tmp_path)
    assert not errors, report(errors)


def test_the_checker_reports_what_it_finds(tmp_path):
    # The run above would pass as well if the checker read nothing: it does read.
    errors = validation_errors(
        {"broken": '<!DOCTYPE html><html lang="en"><title>x</title><p><time datetime="x">'},
        tmp_path,
    )
    assert list(errors) == ["broken"]
    assert "Bad value “x” for attribute “datetime”" in errors["broken"][0]
