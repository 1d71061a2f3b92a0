"""The moderation tools act in place with JavaScript (in-place.js): lock, hide with a reason,
delete with its confirmation in a dialog and undo, the selected posts and a report change the
page without leaving it (a value the test leaves on `window` is still there), keep the post
acted on where it was on the screen, move focus to what comes next and announce the result.
Without JavaScript, and when a request fails, the same forms work as plain forms."""

import re

from playwright.sync_api import expect

from folkmoot.discussions.models import Post, Topic
from folkmoot.moderation.models import Report
from tests.browser.conftest import sign_in
from tests.factories import MemberFactory, make_topic

STAYED = "window.__stayed === true"


def moderator_on_topic(page, category, *, replies: int = 6) -> Topic:
    moderator = MemberFactory(username="the_moderator")
    category.moderators.add(moderator)
    topic = make_topic(category=category, title="A heated discussion", replies=replies)
    sign_in(page, moderator)
    page.goto(topic.get_absolute_url())
    page.evaluate("window.__stayed = true")
    return topic


def announced(page):
    return page.locator("body > [role=status][aria-live=polite]")


def top_of(page, selector: str) -> float:
    return page.locator(selector).evaluate("element => element.getBoundingClientRect().top")


def test_a_moderator_locks_and_unlocks_a_topic_without_leaving_the_page(page, category):
    topic = moderator_on_topic(page, category)
    tools = page.get_by_role("region", name="Moderator tools for this topic")

    tools.get_by_role("button", name="Lock").click()

    expect(page.locator(".topic-locked")).to_have_text("This topic is locked.")
    expect(page.locator(".topic-header .badge-locked")).to_have_text("Locked")
    expect(tools.get_by_role("button", name="Unlock")).to_be_focused()
    expect(announced(page)).to_have_text("Locked the topic.")
    expect(page.locator(".messages")).to_have_text("Locked the topic.")
    assert page.evaluate(STAYED)
    assert Topic.objects.get(pk=topic.pk).is_locked

    tools.get_by_role("button", name="Unlock").click()
    expect(page.locator(".topic-locked")).to_have_count(0)
    expect(tools.get_by_role("button", name="Lock")).to_be_focused()
    expect(announced(page)).to_have_text("Unlocked the topic.")
    assert page.evaluate(STAYED)
    assert not Topic.objects.get(pk=topic.pk).is_locked


def test_a_moderator_hides_a_post_with_a_reason_in_place(page, category):
    topic = moderator_on_topic(page, category)
    post = page.locator("#post-5")
    post.scroll_into_view_if_needed()
    page.mouse.wheel(0, 200)
    post.locator("summary", has_text="Hide").click()
    post.get_by_label("Reason (shown to moderators)").fill("Off topic")
    before = top_of(page, "#post-5")

    post.get_by_role("button", name="Hide post #5").click()

    expect(post).to_contain_text("This post was hidden: Off topic")
    expect(post.get_by_role("button", name="Unhide")).to_be_focused()
    expect(announced(page)).to_have_text("Hid post #5. Restore it from its place to undo.")
    assert abs(top_of(page, "#post-5") - before) < 2  # where it was on the screen
    assert page.evaluate(STAYED)
    hidden = Post.objects.get(topic=topic, number=5)
    assert (hidden.status, hidden.hidden_note) == (Post.Status.DELETED, "Off topic")
    expect(page.locator("#post-4 .post-body")).to_be_visible()  # the others untouched


def test_a_moderator_deletes_a_post_in_a_dialog_and_undoes_it_in_place(page, category):
    topic = moderator_on_topic(page, category)
    post = page.locator("#post-3")
    body = post.locator(".post-body").inner_text()

    post.get_by_role("link", name="Delete").click()
    dialog = page.get_by_role("dialog", name="Delete post #3?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Reason (optional, kept in the moderation log)")).to_be_focused()
    dialog.get_by_label("Reason (optional, kept in the moderation log)").fill("Spam")
    dialog.get_by_role("button", name="Delete").click()

    expect(dialog).to_have_count(0)
    expect(post).to_contain_text("This post was deleted")
    expect(post.get_by_role("button", name="Undo delete")).to_be_focused()
    expect(announced(page)).to_have_text("Deleted post #3. Restore it from its place to undo.")
    assert Post.objects.get(topic=topic, number=3).hidden_as == "deleted"

    post.get_by_role("button", name="Undo delete").click()
    expect(post.locator(".post-body")).to_have_text(body)
    expect(post).to_be_focused()
    expect(announced(page)).to_have_text("Restored post #3.")
    assert Post.objects.get(topic=topic, number=3).status == Post.Status.PUBLISHED
    assert page.evaluate(STAYED)
    # The redrawn post has the buttons the page's scripts show, as it had before.
    expect(post.get_by_role("button", name="Multi-quote")).to_be_visible()
    post.get_by_text("Share", exact=True).click()
    expect(post.get_by_role("button", name="Copy link")).to_be_visible()


def test_a_moderator_deletes_the_whole_topic_from_its_tools_in_place(page, category):
    topic = moderator_on_topic(page, category, replies=1)
    tools = page.get_by_role("region", name="Moderator tools for this topic")
    tools.get_by_role("link", name="Delete topic").click()
    dialog = page.get_by_role("dialog", name=f"Delete the topic “{topic.title}”?")
    dialog.get_by_role("button", name="Delete").click()

    expect(dialog).to_have_count(0)
    expect(page.locator(".topic-deleted")).to_contain_text("This topic was deleted")
    expect(page.locator("#post-1")).to_contain_text("This post was deleted")
    expect(page.locator("#post-1").get_by_role("button", name="Undo delete")).to_be_focused()
    assert page.evaluate(STAYED)
    assert Topic.objects.get(pk=topic.pk).is_deleted


def test_cancelling_the_dialog_changes_nothing(page, category):
    topic = moderator_on_topic(page, category)
    link = page.locator("#post-2").get_by_role("link", name="Delete")
    link.click()
    dialog = page.get_by_role("dialog", name="Delete post #2?")
    dialog.get_by_role("link", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(link).to_be_focused()
    assert Post.objects.get(topic=topic, number=2).status == Post.Status.PUBLISHED
    assert page.evaluate(STAYED)


def test_selected_posts_are_deleted_after_a_confirmation_in_place(page, category):
    topic = moderator_on_topic(page, category)
    for number in (2, 4):
        page.locator(f"#post-{number}").get_by_label("Select").check()
    tools = page.get_by_role("region", name="Moderator tools for this topic")
    tools.locator("summary", has_text="Selected posts").click()
    expect(tools.locator(".selected-count")).to_have_text(" (2)")
    tools.get_by_label("Delete", exact=True).check()
    tools.get_by_role("button", name="Apply to selected posts").click()

    dialog = page.get_by_role("dialog", name="Delete 2 posts?")
    dialog.get_by_role("button", name="Delete them").click()

    expect(dialog).to_have_count(0)
    for number in (2, 4):
        expect(page.locator(f"#post-{number}")).to_contain_text("This post was deleted")
    expect(page.locator("#post-3 .post-body")).to_be_visible()
    expect(announced(page)).to_have_text("Deleted 2 posts. Restore each from its place to undo.")
    expect(tools.locator(".selected-count")).to_have_text("")
    assert page.evaluate(STAYED)
    assert set(topic.posts.filter(status=Post.Status.DELETED).values_list("number", flat=True)) == {
        2,
        4,
    }


def test_a_member_reports_a_post_in_a_dialog(page, category):
    topic = make_topic(category=category, replies=2)
    sign_in(page, MemberFactory(username="the_reporter"))
    page.goto(topic.get_absolute_url())
    page.evaluate("window.__stayed = true")

    page.locator("#post-2").get_by_role("link", name="Report").click()
    dialog = page.get_by_role("dialog", name="Report post #2")
    dialog.get_by_label("Spam or advertising").check()
    dialog.get_by_role("button", name="Send report").click()

    expect(dialog).to_have_count(0)
    expect(announced(page)).to_have_text("Thank you: the moderators will look at this post.")
    assert page.evaluate(STAYED)
    assert Report.objects.get().reason == "spam"


def test_when_the_request_fails_the_form_is_sent_the_plain_way(page, category):
    topic = moderator_on_topic(page, category)
    page.route(
        "**/*",
        lambda route: (
            route.abort() if route.request.resource_type == "fetch" else route.continue_()
        ),
    )
    tools = page.get_by_role("region", name="Moderator tools for this topic")
    tools.get_by_role("button", name="Lock").click()
    expect(page.locator(".messages")).to_have_text("Locked the topic.")
    expect(page.locator(".topic-locked")).to_have_text("This topic is locked.")
    assert not page.evaluate(STAYED)  # a new page: the plain form's answer
    assert Topic.objects.get(pk=topic.pk).is_locked


def test_without_javascript_the_same_tools_are_plain_forms(browser, live_server, category):
    moderator = MemberFactory(username="the_moderator")
    category.moderators.add(moderator)
    topic = make_topic(category=category, title="A heated discussion", replies=3)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, moderator)
    page.goto(topic.get_absolute_url())
    tools = page.get_by_role("region", name="Moderator tools for this topic")

    tools.get_by_role("button", name="Lock").click()
    expect(page.locator(".messages")).to_have_text("Locked the topic.")
    expect(page.locator(".topic-locked")).to_have_text("This topic is locked.")

    page.locator("#post-3").get_by_role("link", name="Delete").click()
    expect(page).to_have_url(re.compile(r"/delete/$"))
    page.get_by_role("button", name="Delete").click()
    expect(page.locator("#post-3")).to_contain_text("This post was deleted")
    page.locator("#post-3").get_by_role("button", name="Undo delete").click()
    expect(page.locator(".messages")).to_have_text("Restored post #3.")
    expect(page.locator("#post-3 .post-body")).to_be_visible()
    context.close()
