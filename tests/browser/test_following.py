"""Following in Chromium: a guest signs in to follow and comes back; the bell; the new
pages fit a phone's width."""

import os

import pytest
from playwright.sync_api import expect

from folkmoot.discussions import services as discussions
from folkmoot.notifications.models import Follow
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, MemberFactory, make_topic
from tests.notifications.helpers import follow_topic, run_fan_out


def test_a_guest_signs_in_to_follow_and_is_back_on_the_page_following(page, db):
    member = MemberFactory()
    topic = make_topic(title="Harvest supper", replies=3)
    page.goto(f"/t/{topic.pk}-{topic.slug}/#post-3")
    page.get_by_role("link", name="Sign in to follow this").click()
    page.fill("input[name=login]", member.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.get_by_role("heading", name="Follow “Harvest supper”")).to_be_visible()
    page.get_by_role("button", name="Follow").click()
    expect(page.get_by_role("button", name="Following")).to_be_visible()
    assert page.url.endswith(f"/t/{topic.pk}-{topic.slug}/")
    assert Follow.objects.filter(member=member, topic=topic).exists()


SHOTS = os.environ.get("FOLKMOOT_SCREENSHOTS", "")


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_new_pages_fit_the_screen(page, db, width, scheme, tmp_path):
    member = MemberFactory(username="rosa")
    topic = make_topic(title="Community garden: who waters in August?", replies=2)
    run_fan_out()  # the first replies, from before rosa followed
    follow_topic(member, topic)
    for index in range(3):
        discussions.reply(topic=topic, author=MemberFactory(), body=f"I can do week {index + 1}")
    run_fan_out()
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    sign_in(page, member)
    for name, url in [
        ("notifications", "/notifications/"),
        ("followed", "/followed/"),
        ("follow", f"/follow/topic/{topic.pk}/"),
        ("settings", "/notifications/settings/"),
        # Last: reading the topic marks the replies seen on the screen read, which a wide
        # screen shows more of (the bell is checked before it).
        ("topic", f"/t/{topic.pk}-{topic.slug}/"),
    ]:
        if name == "topic":
            expect(page.locator(".bell-count")).to_have_text("3")
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} at {width}px is {overflow}px too wide"
        page.screenshot(path=str(tmp_path / f"{name}-{scheme}-{width}.png"), full_page=True)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}-{scheme}-{width}.png", full_page=True)
