"""axe-core (as axe-playwright-python ships it, put into each page by Playwright) over the main
pages, in the light and the dark theme: no violation of WCAG 2.2 A/AA or axe's best practices,
whatever its impact (minor ones too: duplicate landmark names, say, the two pagination navs).
And the parts of the design axe cannot judge: the skip link, the focus ring, the theme choice
applied before the first paint, the post a permalink lands on."""

from importlib.resources import files

import pytest

from folkmoot.discussions import services
from tests.factories import PASSWORD

# The browser's side of pages that are the same whatever the database: CI runs these on
# SQLite only (pyproject.toml's `frontend` marker).
pytestmark = pytest.mark.frontend

# The script as axe-playwright-python ships it: a Python dev dependency, so a plain
# `uv run pytest` has it.
AXE = files("axe_playwright_python") / "axe.min.js"
RULE_SETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
IMPACTS = ("minor", "moderate", "serious", "critical")  # every one of them fails the test


def axe_source() -> str:
    return AXE.read_text()


def violations(page) -> list[dict]:
    page.evaluate(axe_source())
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))",
        RULE_SETS,
    )
    return result


def describe(found: list[dict]) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in found
    )


@pytest.fixture(params=["light", "dark"])
def theme_page(request, browser, live_server):
    # Playwright's evaluate would be refused by the site's CSP if it injected a <script>; it
    # does not, but bypass_csp keeps axe's own workers and blobs out of the question.
    context = browser.new_context(
        base_url=live_server.url, color_scheme=request.param, bypass_csp=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in_as(page, user) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.account-form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def assert_clean(page, path: str | None) -> None:
    """No violation on the page at `path` (None: the page as it is now)."""
    if path is not None:
        page.goto(path)
    page.wait_for_load_state("networkidle")
    found = [v for v in violations(page) if v["impact"] in IMPACTS]
    assert not found, f"{path}:\n{describe(found)}"


def test_the_public_pages_have_no_serious_violations(theme_page, forum):
    topic, category = forum["topic"], forum["category"]
    for path in (
        "/",
        category.get_absolute_url(),
        topic.get_absolute_url(),
        topic.get_absolute_url() + "?page=2",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/no-such-page/",
        "/language/?next=/",
    ):
        assert_clean(theme_page, path)


def test_the_members_pages_have_no_serious_violations(theme_page, forum):
    topic, category = forum["topic"], forum["category"]
    sign_in_as(theme_page, forum["member"])
    first_post = topic.posts.get(number=1)
    assert_clean(theme_page, topic.get_absolute_url() + "?page=2")
    # The reply box's editor, opened.
    theme_page.get_by_placeholder("Reply to this topic...").click()
    theme_page.locator("[data-composer-editor]").wait_for()
    assert_clean(theme_page, None)
    for path in (
        category.get_absolute_url() + "new/",
        f"/p/{first_post.pk}/edit/",
        "/accounts/email/",
        "/settings/",
        f"/u/{forum['moderator'].username}/",
    ):
        assert_clean(theme_page, path)


def test_the_moderation_queue_has_no_serious_violations(theme_page, forum):
    # A nominated post too, so its section's form is checked.
    nominated = forum["topic"].posts.get(number=2)
    services.nominate_post(post=nominated, member=forum["member"], note="Worth a read")
    sign_in_as(theme_page, forum["moderator"])
    assert_clean(theme_page, "/mod/queue/")


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(page, forum):
    page.goto(forum["topic"].get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] >= 24  # shown when focused
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # a visible focus ring
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


def test_a_chosen_theme_is_applied_before_the_body_is_painted(browser, live_server, forum):
    context = browser.new_context(base_url=live_server.url, color_scheme="light")
    # Note the theme when the <body> element first exists, before anything is painted.
    context.add_init_script(
        "new MutationObserver((_, observer) => { if (document.body) {"
        " window.themeAtBody = document.documentElement.dataset.theme || 'system';"
        " observer.disconnect(); } }).observe(document, {childList: true, subtree: true});"
    )
    page = context.new_page()
    page.goto("/")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert page.evaluate("window.themeAtBody") == "system"
    toggle = page.get_by_role("button", name="Dark theme")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark != light
    page.goto(forum["topic"].get_absolute_url())
    assert page.evaluate("window.themeAtBody") == "dark"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == dark
    # Choosing light again, which the system prefers, goes back to following the system.
    page.get_by_role("button", name="Dark theme").click()
    page.reload()
    assert page.evaluate("window.themeAtBody") == "system"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == light
    context.close()


def test_the_post_a_permalink_lands_on_is_highlighted(page, forum):
    post = forum["topic"].posts.get(number=27)
    page.goto(f"/p/{post.pk}/")
    page.wait_for_url("**#post-27")
    landed = page.locator("#post-27")
    other = page.locator("#post-28")
    ring = landed.evaluate("el => getComputedStyle(el).boxShadow")
    assert ring != "none"
    assert other.evaluate("el => getComputedStyle(el).boxShadow") != ring


def test_header_and_pagination_targets_are_at_least_24_px(page, forum):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(forum["topic"].get_absolute_url())
    small = page.evaluate(
        "() => [...document.querySelectorAll("
        "'.site-header a, .site-header button, .pagination a, .topic-actions a,"
        " .topic-actions button, .post-number, .share summary')]"
        ".filter(el => el.offsetParent !== null)"
        ".map(el => [el.textContent.trim(), el.getBoundingClientRect()])"
        ".filter(([, r]) => r.width < 24 || r.height < 24)"
        ".map(([t, r]) => `${t} ${r.width}x${r.height}`)"
    )
    assert small == []
