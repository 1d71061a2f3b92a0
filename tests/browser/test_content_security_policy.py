"""The site works under its strict Content-Security-Policy: the composer opens and takes a
pasted news article without needing anything the policy forbids, and the policy blocks what
the pasted page smuggled in. (Every browser test also fails on an unexpected violation: see
the `page` fixture.)"""

import pytest
from playwright.sync_api import expect

from tests.browser.composer_helpers import (
    NOTICES,
    markdown,
    open_composer,
    paste,
    seed_article_html,
)
from tests.browser.conftest import is_pasted_junk, sign_in

# The browser's side of pages that are the same whatever the database: CI runs these on
# SQLite only (pyproject.toml's `frontend` marker).
pytestmark = pytest.mark.frontend


def topic_url(topic) -> str:
    return f"/t/{topic.pk}-{topic.slug}/"


def test_opening_the_composer_and_pasting_records_no_csp_violation(
    page, topic, other_member, csp_violations
):
    sign_in(page, other_member)
    response = page.goto(topic_url(topic))
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy

    open_composer(page, topic_url(topic))
    paste(page, text="Just words, nothing hostile.")
    assert csp_violations == []

    paste(page, html=seed_article_html(), text="Fighters from the Islamic State group killed")
    expect(page.locator(NOTICES)).to_contain_text("Pasted as rich text.")
    assert "### Spotlight" in markdown(page)
    page.get_by_role("button", name="Paste as plain text instead").click()
    page.get_by_role("button", name="Restore formatting").click()
    page.get_by_role("button", name="Submit reply").click()
    expect(page.locator("article.post").last).to_contain_text("In-depth coverage")

    # Only the pasted page's own style and handler were refused (inside the sanitizer's inert
    # parse), nothing the editor or the site needs.
    assert [v for v in csp_violations if not is_pasted_junk(v)] == []


def test_an_inline_script_is_blocked_and_reported(page, topic, csp_violations):
    """The recorder itself works: a script injected into the page is refused and noted."""
    page.goto(topic_url(topic))
    page.evaluate(
        """() => {
            const script = document.createElement('script')
            script.textContent = 'window.injected_ran = true'
            document.body.append(script)
        }"""
    )
    expect(page.locator("body")).to_be_visible()
    page.wait_for_function("() => true")
    assert page.evaluate("window.injected_ran") is None
    assert any(v.directive == "script-src-elem" for v in csp_violations), csp_violations
    csp_violations.clear()  # expected here; the fixture fails on any left over


def test_the_admin_and_account_pages_need_nothing_the_policy_forbids(
    page, topic, moderator, csp_violations
):
    moderator.is_superuser = True
    moderator.save(update_fields=["is_superuser"])
    post = topic.posts.get()
    sign_in(page, moderator)
    for url in (
        "/",
        topic.category.get_absolute_url(),
        topic_url(topic),
        f"/p/{post.pk}/edit/",
        "/mod/queue/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/admin/",
        "/admin/discussions/post/",
        f"/admin/discussions/post/{post.pk}/change/",
        f"/admin/forums/category/{topic.category.pk}/change/",
        "/admin/accounts/user/add/",
    ):
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
    assert csp_violations == []
