"""Nominating a post in a real browser: a member nominates a reply from its action row, a
moderator of the category finds it in the moderation queue and recommends it, and the post
then carries its "Recommended" mark for everyone."""

from playwright.sync_api import expect

from folkmoot.discussions.models import Nomination
from tests.browser.conftest import sign_in
from tests.factories import CategoryFactory, MemberFactory, make_topic


def test_a_nominated_post_is_recommended_from_the_queue(page, live_server):
    category = CategoryFactory()
    moderator = MemberFactory(username="mira")
    category.moderators.add(moderator)
    topic = make_topic(category=category, replies=2)
    member = MemberFactory(username="nomi")

    sign_in(page, member)
    page.goto(topic.get_absolute_url())
    post = page.locator("#post-2")
    post.get_by_text("Nominate", exact=True).click()
    post.get_by_label("Why recommend it?").fill("The clearest answer here")
    post.get_by_role("button", name="Nominate for recommendation").click()
    expect(page.get_by_text("the moderators will consider recommending it")).to_be_visible()
    assert Nomination.objects.get().note == "The clearest answer here"

    page.context.clear_cookies()
    sign_in(page, moderator)
    page.goto("/mod/queue/")
    nominated = page.locator(".nominated-post")
    expect(nominated).to_have_count(1)
    expect(nominated).to_contain_text("nomi nominated it: “The clearest answer here”")
    expect(nominated.get_by_label("Note for readers (optional)")).to_have_value(
        "The clearest answer here"
    )
    nominated.get_by_role("button", name="Recommend post").click()
    expect(page.get_by_text("Recommended post #2")).to_be_visible()
    expect(page.get_by_text("No posts nominated.")).to_be_visible()

    page.context.clear_cookies()
    page.goto(topic.get_absolute_url())
    expect(page.locator("#post-2 .recommended-mark")).to_have_text("Recommended")
    expect(page.locator(".recommended-posts")).to_contain_text("The clearest answer here")
    expect(page.locator("#post-3 .recommended-mark")).to_have_count(0)
