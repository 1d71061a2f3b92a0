from playwright.sync_api import expect

from folkmoot.discussions.models import Topic
from tests.factories import make_topic


def test_a_guest_starts_a_topic_from_the_category_page_in_a_real_browser(
    page, live_server, transactional_db
):
    category = make_topic().category
    page.goto(category.get_absolute_url())
    page.get_by_role("link", name="Start new topic").click()
    expect(page.get_by_role("heading", name="Start new topic")).to_be_visible()
    page.get_by_label("Title").fill("A question from a passer-by")
    page.get_by_placeholder("Write your post...").click()
    page.locator("[data-composer-editor]").fill("Where do I find the timetable?")
    page.get_by_label("Email address").fill("passer@example.net")
    page.get_by_role("button", name="Start topic").click()

    # The proof of work ran in the page, then the topic was saved: on to sign-up.
    page.wait_for_url("**/accounts/signup/**")
    expect(page.locator(".signup-pending")).to_contain_text(
        "Your new topic “A question from a passer-by” is saved"
    )
    expect(page.locator(".signup-pending")).to_contain_text("Where do I find the timetable?")
    topic = Topic.objects.get(title="A question from a passer-by")
    assert topic.post_count == 0 and topic.author is None
