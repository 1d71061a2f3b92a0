"""The post action row in a real browser: reactions change in place, "Copy link" copies a
permalink that leads to the right page and post, and "Quote" puts the selected words into
the reply box."""

from django.conf import settings
from playwright.sync_api import expect

from folkmoot.discussions import services
from folkmoot.discussions.models import Reaction
from tests.browser.conftest import sign_in
from tests.factories import MemberFactory, make_topic


def test_a_reaction_changes_the_counts_in_place(page, live_server, member):
    topic = make_topic(replies=1)
    reply = topic.posts.get(number=2)
    sign_in(page, member)
    page.goto(topic.get_absolute_url())
    page.evaluate("window.notReloaded = true")
    post = page.locator("#post-2")
    post.get_by_text("React", exact=True).click()
    post.get_by_role("button", name="Like").click()
    chip = post.locator(".reaction-chip")
    expect(chip).to_have_text("👍 Like1")
    expect(post.locator(".react-menu summary")).to_contain_text("You: Like")
    # Another kind replaces it, in place too.
    post.locator(".react-menu summary").click()
    post.get_by_role("button", name="Thanks").click()
    expect(post.locator(".reaction-chip")).to_have_text("🙏 Thanks1")
    assert page.evaluate("window.notReloaded") is True
    assert list(Reaction.objects.filter(post=reply).values_list("kind", flat=True)) == ["thanks"]


def test_a_copied_post_link_leads_to_the_right_page_and_post(page, live_server, member):
    per_page = settings.FOLKMOOT["POSTS_PER_PAGE"]
    topic = make_topic(replies=per_page + 1)
    target = topic.posts.get(number=per_page + 2)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{topic.get_absolute_url()}?page=2")
    post = page.locator(f"#post-{target.number}")
    post.get_by_text("Share", exact=True).click()
    expect(post.get_by_label("Link to post")).to_have_value(f"{live_server.url}/p/{target.pk}/")
    post.get_by_role("button", name="Copy link").click()
    expect(post.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/p/{target.pk}/"
    page.goto("/")
    page.goto(copied)
    assert page.url.endswith(f"{topic.get_absolute_url()}?page=2#post-{target.number}")
    expect(page.locator(f"#post-{target.number}")).to_contain_text(
        f"Reply number {target.number - 1}"
    )


def test_quote_puts_the_selected_words_into_the_reply_box(page, live_server, member):
    author = MemberFactory(username="selma")
    topic = make_topic(author=author)
    services.edit_post(
        post=topic.posts.get(number=1), editor=author, body="Keep this part. Leave this out."
    )
    sign_in(page, member)
    page.goto(topic.get_absolute_url())
    page.evaluate(
        """() => {
          const p = document.querySelector('#post-1 .post-body p');
          const text = p.firstChild;
          const range = document.createRange();
          range.setStart(text, 0);
          range.setEnd(text, 'Keep this part.'.length);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        }"""
    )
    page.locator("#post-1 .quote-link").dispatch_event("click")
    body = page.locator("#reply textarea[name=body]")
    expect(body).to_have_value(
        f"> **[selma](/p/{topic.posts.get(number=1).pk}/) wrote:**\n>\n> Keep this part.\n\n"
    )
    editor = page.locator("[data-composer-editor]")
    expect(editor).to_contain_text("Keep this part.")
    expect(editor).not_to_contain_text("Leave this out.")
    page.get_by_role("button", name="Submit reply").click()
    reply = page.locator("#post-2")
    expect(reply.locator("blockquote a")).to_have_text("selma")


def test_quote_without_a_selection_quotes_the_whole_post(page, live_server, member):
    topic = make_topic(replies=1)
    sign_in(page, member)
    page.goto(topic.get_absolute_url())
    page.locator("#post-2").get_by_role("link", name="Quote").click()
    expect(page.locator("#reply textarea[name=body]")).to_have_value(
        f"> **[{topic.posts.get(number=2).author.username}](/p/{topic.posts.get(number=2).pk}/)"
        " wrote:**\n>\n> Reply number 1\n\n"
    )
    assert "quote=" not in page.url  # in place, not the page without JavaScript


def test_the_multi_quote_basket_collects_posts_from_two_topics(page, live_server, member):
    first = make_topic(replies=1, title="First topic")
    second = make_topic(title="Second topic")
    quoted_reply, quoted_opening = first.posts.get(number=2), second.posts.get(number=1)
    sign_in(page, member)
    page.goto(first.get_absolute_url())
    page.locator("#post-2").get_by_role("button", name="Multi-quote").click()
    expect(page.locator("#post-2 .multi-quote")).to_have_attribute("aria-pressed", "true")
    page.goto(second.get_absolute_url())
    basket = page.get_by_role("region", name="Quotes to insert")
    expect(basket).to_contain_text("1 post to quote")
    page.locator("#post-1").get_by_role("button", name="Multi-quote").click()
    expect(basket).to_contain_text("2 posts to quote")
    basket.get_by_role("button", name="Insert quotes").click()
    body = page.locator("#reply textarea[name=body]")
    expect(body).to_have_value(
        f"> **[{quoted_reply.author.username}](/p/{quoted_reply.pk}/) wrote:**\n>\n"
        "> Reply number 1\n\n"
        f"> **[{quoted_opening.author.username}](/p/{quoted_opening.pk}/) wrote:**\n>\n"
        "> The first post of the topic.\n\n"
    )
    expect(basket).to_be_hidden()
