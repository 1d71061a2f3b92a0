"""People in a real browser: @mention autocomplete by keyboard alone, and the user card that
hovering or focusing a member's name shows."""

import re

from playwright.sync_api import expect

from tests.browser.composer_helpers import EDITOR, open_composer
from tests.browser.conftest import sign_in
from tests.factories import MemberFactory


def test_a_member_mentions_someone_by_keyboard_and_the_reply_links_to_their_profile(
    page, live_server, topic, other_member
):
    MemberFactory(username="freya", chosen_name="Freya Holm")
    MemberFactory(username="fredrik")
    sign_in(page, other_member)
    open_composer(page, f"/t/{topic.pk}-{topic.slug}/")
    editor = page.locator(EDITOR)
    editor.click()
    page.keyboard.type("Thanks @fre")
    listbox = page.get_by_role("listbox", name="Members to mention")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_contain_text("fredrik")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(editor).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    expect(page.get_by_text("2 members found.")).to_be_attached()
    # Escape closes the list and leaves the text as typed.
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(editor).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    expect(editor).to_have_text("Thanks @fre")
    # Typed again, the list opens again, and narrows as the name grows.
    for _ in "@fre":
        page.keyboard.press("Backspace")
    page.keyboard.type("@frey")
    expect(options).to_have_count(1)
    page.keyboard.press("Backspace")
    expect(options).to_have_count(2)
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(1)).to_contain_text("Freya Holm")
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    page.keyboard.type("for the link.")
    expect(editor).to_have_text("Thanks @freya for the link.")
    page.get_by_role("button", name="Submit reply").click()
    mention = page.locator("#post-2 .post-body a.mention")
    expect(mention).to_have_text("@freya")
    expect(mention).to_have_attribute("href", "/u/freya/")


def test_tab_picks_the_highlighted_member(page, live_server, topic, other_member):
    MemberFactory(username="sigrun")
    sign_in(page, other_member)
    open_composer(page, f"/t/{topic.pk}-{topic.slug}/")
    page.locator(EDITOR).click()
    page.keyboard.type("@sig")
    expect(page.get_by_role("option", name="sigrun")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator(EDITOR)).to_have_text("@sigrun ")
    expect(page.locator(EDITOR)).to_be_focused()


def test_focusing_a_members_name_shows_their_card_and_escape_hides_it(page, live_server, topic):
    page.goto(f"/t/{topic.pk}-{topic.slug}/")
    name = page.locator("#post-1 .author-name a")
    name.focus()
    card = page.get_by_role("tooltip")
    expect(card).to_be_visible()
    expect(card).to_contain_text(topic.author.username)
    expect(card).to_contain_text("Joined")
    expect(card).to_contain_text("Reputation")
    expect(name).to_have_attribute("aria-describedby", "user-card")
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    # Hovering shows it too; moving away hides it.
    name.hover()
    expect(card).to_be_visible()
    page.locator("h1").first.hover()
    expect(card).to_be_hidden()


def test_a_members_theme_follows_them_to_another_browser_from_the_first_paint(
    browser, live_server, member
):
    """The header toggle keeps a member's choice on their account: another browser they sign
    in on (whose system prefers light) is dark before the body is painted."""
    note_theme_at_body = (
        "new MutationObserver((_, observer) => { if (document.body) {"
        " window.themeAtBody = document.documentElement.dataset.theme || 'system';"
        " observer.disconnect(); } }).observe(document, {childList: true, subtree: true});"
    )
    contexts = []
    for _ in range(2):
        context = browser.new_context(base_url=live_server.url, color_scheme="light")
        context.add_init_script(note_theme_at_body)
        contexts.append(context)
    first, second = (context.new_page() for context in contexts)
    sign_in(first, member)
    first.goto("/")
    toggle = first.get_by_role("button", name="Dark theme")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    with first.expect_response(lambda r: r.url.endswith("/settings/theme/")) as saved:
        toggle.click()
    assert saved.value.status == 200
    expect(toggle).to_have_attribute("aria-pressed", "true")
    sign_in(second, member)
    second.goto("/")
    assert second.evaluate("window.themeAtBody") == "dark"
    # A guest's choice stays in their browser: signing out shows the system's theme again.
    second.get_by_role("button", name="Sign out").click()
    second.goto("/")
    assert second.evaluate("window.themeAtBody") == "system"
    for context in contexts:
        context.close()
