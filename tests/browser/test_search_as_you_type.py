"""Search as you type in the header, with the keyboard only, in Chromium."""

import re

from playwright.sync_api import expect

from folkmoot.discussions import services
from tests.factories import CategoryFactory, MemberFactory


def _topics(*titles):
    category, author = CategoryFactory(name="Hives"), MemberFactory()
    return [
        services.start_topic(category=category, author=author, title=title, body=f"About {title}.")
        for title in titles
    ]


def test_typing_offers_topics_that_arrow_keys_choose_and_enter_opens(page, live_server):
    _beginners, beeswax, _cheese = _topics(
        "Beekeeping for beginners", "Beeswax candles", "Cheese boards"
    )
    page.goto("/")
    box = page.get_by_role("combobox", name="Search")
    box.focus()
    page.keyboard.type("bee")
    options = page.get_by_role("listbox", name="Matching topics").get_by_role("option")
    expect(options).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(options.filter(has_text="Cheese")).to_have_count(0)

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    chosen = page.locator("[role=option][aria-selected=true]")
    expect(chosen).to_have_count(1)
    expect(box).to_have_attribute("aria-activedescendant", chosen.get_attribute("id"))
    title = chosen.inner_text().splitlines()[0]
    assert title in ("Beekeeping for beginners", "Beeswax candles")

    page.keyboard.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("listbox", name="Matching topics")).to_be_hidden()

    page.keyboard.type("sw")  # "beesw": only the candles now
    expect(options).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/t/{beeswax.pk}-"))
    expect(page.get_by_role("heading", name="Beeswax candles")).to_be_visible()


def test_enter_without_a_choice_searches_on_the_results_page(page, live_server):
    _topics("Smokers and veils")
    page.goto("/")
    page.get_by_role("combobox", name="Search").fill("veils")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=veils"))
    expect(page.locator(".search-result")).to_have_count(1)
    expect(page.locator(".search-passage mark").first).to_have_text(re.compile("veils", re.I))


def test_without_javascript_the_header_box_is_a_plain_form(browser, live_server):
    _topics("Queen excluders")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("combobox", name="Search").fill("excluders")
    page.keyboard.press("Enter")
    expect(page.locator(".search-result h2")).to_have_text("Queen excluders")
    context.close()
