"""A German page's scripts speak German: the editor's toolbar, its emoji-limit notice and the
"new replies" button come from the German JavaScript catalogue the page loads.

The page is German three ways at once, so the test holds whichever the site's language
middleware honours: the site's language (FOLKMOOT_LANGUAGE, which Django uses when no
middleware picks another), the member's own choice (User.language) and the browser's
Accept-Language. Selectors never use the templates' English, which is translated too."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from folkmoot.discussions import services as discussions
from tests.browser.composer_helpers import EDITOR, NOTICES
from tests.browser.conftest import sign_in
from tests.factories import MemberFactory, make_topic


@pytest.fixture
def german(settings):
    settings.LANGUAGE_CODE = "de"
    settings.FOLKMOOT = {**settings.FOLKMOOT, "EMOJI_MAX": 3, "NEW_REPLIES_POLL_SECONDS": 1}


@pytest.fixture
def german_page(browser, live_server, german):
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def german_member(db):
    return MemberFactory(language="de", date_joined=timezone.now() - timedelta(days=1))


def test_the_editor_speaks_german(german_page, german_member):
    page = german_page
    topic = make_topic(title="Obstbaumschnitt", replies=1)
    sign_in(page, german_member)
    page.goto(f"/t/{topic.pk}-{topic.slug}/")
    page.locator("form[data-composer] textarea[name=body]").click()
    page.wait_for_selector(EDITOR)

    toolbar = page.get_by_role("toolbar", name="Formatierung")
    bold = toolbar.get_by_role("button", name="Fett", exact=True)
    expect(bold).to_be_visible()
    expect(bold).to_have_attribute("title", "Fett (Strg+B)")
    expect(toolbar.get_by_role("button", name="Aufzählung")).to_be_visible()
    expect(page.get_by_role("textbox", name="Beitragstext")).to_be_focused()

    page.keyboard.insert_text("🎉🎉🎉")
    page.keyboard.insert_text("👍")
    notices = page.locator(NOTICES)
    expect(notices).to_contain_text("Nur 3 Emojis sind erlaubt.")
    notices.get_by_role("button", name="Schließen").click()
    expect(notices).not_to_contain_text("Emojis")


def test_new_replies_are_announced_in_german(german_page, german_member):
    page = german_page
    topic = make_topic(title="Obstbaumschnitt", replies=2)
    sign_in(page, german_member)
    page.goto(f"/t/{topic.pk}-{topic.slug}/")
    expect(page.locator("article.post")).to_have_count(3)

    discussions.reply(topic=topic, author=MemberFactory(), body="Ich bringe die Leitern mit")
    button = page.locator("[data-new-replies] button")
    expect(button).to_have_text("1 neue Antwort: anzeigen", timeout=10_000)
    button.click()
    expect(page.locator("article.post")).to_have_count(4)

    discussions.reply(topic=topic, author=MemberFactory(), body="Und die Sägen")
    discussions.reply(topic=topic, author=MemberFactory(), body="Und Handschuhe")
    expect(button).to_have_text("2 neue Antworten: anzeigen", timeout=10_000)
