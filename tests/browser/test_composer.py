"""The five editor behaviours of the reply box, in a real Chromium against the real site."""

import re

from playwright.sync_api import expect

from folkmoot.composer.models import Attachment, Draft
from tests.browser.composer_helpers import (
    EDITOR,
    NOTICES,
    markdown,
    open_composer,
    paste,
    paste_file,
    seed_article_html,
)
from tests.browser.conftest import sign_in
from tests.images import image_bytes


def topic_url(topic) -> str:
    return f"/t/{topic.pk}-{topic.slug}/"


def test_reading_a_topic_loads_no_editor_until_the_reply_box_is_used(page, topic, other_member):
    sign_in(page, other_member)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(topic_url(topic))
    page.wait_for_load_state("networkidle")
    assert any(url.endswith("composer-loader.js") for url in requested)
    assert not any(url.endswith("/composer.js") for url in requested)

    page.get_by_placeholder("Reply to this topic...").click()
    expect(page.locator(EDITOR)).to_be_visible()
    assert any(url.endswith("/composer.js") for url in requested)


def test_pasting_the_seed_article_keeps_its_structure_and_can_switch_to_plain_and_back(
    page, topic, other_member
):
    sign_in(page, other_member)
    open_composer(page, topic_url(topic))
    paste(page, html=seed_article_html(), text="Fighters from the Islamic State group killed")

    notices = page.locator(NOTICES)
    expect(notices).to_contain_text("Pasted as rich text.")
    rich = markdown(page)
    assert "[a *monitoring group* said](https://www.syriahr.com/en/)" in rich
    assert "### Spotlight" in rich
    assert "**In-depth coverage of escalating violence across Syria**" in rich
    assert "Deir Az Zor borders Homs province" in rich
    for junk in ("pasted_script_ran", "display", "tracker.example", "hidden promo"):
        assert junk not in rich
    assert page.evaluate("window.pasted_script_ran || window.pasted_handler_ran") is None

    page.get_by_role("button", name="Paste as plain text instead").click()
    expect(notices).to_contain_text("Pasted as plain text.")
    plain = markdown(page)
    assert "Spotlight" in plain and "###" not in plain and "**" not in plain and "](" not in plain

    page.get_by_role("button", name="Restore formatting").click()
    assert markdown(page) == rich


def test_the_76th_emoji_is_refused_with_the_limit_message(page, topic, other_member):
    sign_in(page, other_member)
    open_composer(page, topic_url(topic))
    page.keyboard.insert_text("🎉" * 74 + ":tada:")
    assert markdown(page) == "🎉" * 74 + ":tada:"
    page.keyboard.insert_text("👍🏽")
    expect(page.locator(NOTICES)).to_contain_text("Only 75 emoji are allowed.")
    assert markdown(page) == "🎉" * 74 + ":tada:"


def test_a_pasted_link_is_embedded_and_can_be_shown_as_a_plain_link(page, topic, other_member):
    sign_in(page, other_member)
    open_composer(page, topic_url(topic))
    paste(page, text="https://example.org/news/syria-gas-field")
    expect(page.locator(NOTICES)).to_contain_text("Your link has been automatically embedded.")
    assert markdown(page).strip() == "https://example.org/news/syria-gas-field"

    page.get_by_role("button", name="Display as a link instead").click()
    url = "https://example.org/news/syria-gas-field"
    assert markdown(page).strip() == f"[{url}]({url})"

    page.get_by_role("button", name="Submit reply").click()
    post = page.locator("#post-2")
    expect(post).to_be_visible()
    expect(post.locator(f'a[href="{url}"]')).to_be_visible()
    assert post.locator(".embed").count() == 0


def test_a_draft_is_restored_after_a_reload_and_clear_editor_removes_it(page, topic, other_member):
    sign_in(page, other_member)
    open_composer(page, topic_url(topic))
    page.keyboard.type("Words I do not want to lose")
    # The editor saves every two seconds; wait for the server copy rather than a fixed time.
    expect(page.locator("input[name=draft_seq]")).to_have_value("1", timeout=6000)
    assert Draft.objects.get(author=other_member).body == "Words I do not want to lose"

    page.reload()
    page.get_by_placeholder("Reply to this topic...").click()
    notices = page.locator(NOTICES)
    expect(notices).to_contain_text("Your previous content has been restored.")
    assert markdown(page) == "Words I do not want to lose"

    page.get_by_role("button", name="Clear editor").click()
    assert markdown(page) == ""
    expect(page.locator(EDITOR)).to_have_text("")
    for _ in range(50):  # the DELETE is sent in the background
        if not Draft.objects.filter(author=other_member).exists():
            break
        page.wait_for_timeout(100)
    assert not Draft.objects.filter(author=other_member).exists()
    draft_key = page.get_attribute("form[data-composer]", "data-draft-key")
    assert page.evaluate("key => localStorage.getItem(key)", draft_key) is None


def test_a_pasted_image_file_is_uploaded_and_shows_in_the_post(page, topic, other_member):
    sign_in(page, other_member)
    open_composer(page, topic_url(topic))
    page.keyboard.type("The map:")
    paste_file(page, name="map.png", content=image_bytes(size=(120, 80)), mime="image/png")
    expect(page.locator(f"{EDITOR} img")).to_be_visible()
    attachment = Attachment.objects.get(owner=other_member)
    assert attachment.file.url in markdown(page)

    page.get_by_role("button", name="Submit reply").click()
    image = page.locator("#post-2 img")
    expect(image).to_be_visible()
    assert image.get_attribute("src") == attachment.file.url
    assert page.evaluate("img => img.naturalWidth", image.element_handle()) == 120
    attachment.refresh_from_db()
    assert attachment.post.number == 2


def test_pasted_html_with_a_data_image_leaves_the_image_out_with_a_message(
    page, topic, other_member
):
    sign_in(page, other_member)
    open_composer(page, topic_url(topic))
    paste(
        page,
        html='<p>Before the picture</p><img src="data:image/png;base64,iVBORw0KGgo=">',
        text="Before the picture",
    )
    expect(page.locator(NOTICES)).to_contain_text(
        "You cannot paste images directly. Upload or insert images from URL."
    )
    assert markdown(page).strip() == "Before the picture"


def test_a_reply_written_in_the_editor_is_posted_as_markdown_and_shown_on_the_page(
    page, topic, other_member
):
    sign_in(page, other_member)
    open_composer(page, topic_url(topic))
    page.keyboard.type("Plain start, then ")
    page.keyboard.press("Control+b")
    page.keyboard.type("bold words")
    page.get_by_role("button", name="Submit reply").click()

    post = page.locator("#post-2")
    expect(post.locator(".post-body strong")).to_have_text("bold words")
    assert re.search(r"#post-2$", page.url)
    assert topic.posts.get(number=2).body == "Plain start, then **bold words**"
    # After posting, the page tells the editor to drop the browser's copy of the draft.
    draft_key = page.get_attribute("form[data-composer]", "data-draft-key")
    assert page.evaluate("key => localStorage.getItem(key)", draft_key) is None


def test_without_javascript_the_plain_reply_box_still_posts(browser, live_server, topic, member):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, member)
    page.goto(topic_url(topic))
    page.get_by_placeholder("Reply to this topic...").fill("Posted with scripts turned off")
    page.get_by_role("button", name="Submit reply").click()
    expect(page.locator("#post-2")).to_contain_text("Posted with scripts turned off")
    context.close()


def test_a_stale_tab_cannot_overwrite_the_draft_saved_from_a_newer_one(
    browser, live_server, topic, other_member
):
    context = browser.new_context(base_url=live_server.url)
    older_tab, newer_tab = context.new_page(), context.new_page()
    sign_in(older_tab, other_member)
    for tab in (older_tab, newer_tab):
        open_composer(tab, topic_url(topic))

    newer_tab.keyboard.type("Written in the newer tab")
    expect(newer_tab.locator("input[name=draft_seq]")).to_have_value("1", timeout=6000)

    older_tab.keyboard.type("Typed later in the forgotten tab")
    expect(older_tab.locator(NOTICES)).to_contain_text(
        "This draft was changed in another window.", timeout=6000
    )
    assert Draft.objects.get(author=other_member).body == "Written in the newer tab"
    context.close()
