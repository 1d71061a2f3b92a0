"""Text typed into the plain reply box while the editor's code is still arriving is posted.

The editor loads on first use, so a quick typist types into the textarea it is about to
replace. On a slow machine (the CPU throttled here) and a slow network (the module held back),
at each moment the editor can arrive — before the typing, during it, before the submit — the
reply must carry what was typed."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

# The browser's side of pages that are the same whatever the database: CI runs these on
# SQLite only (pyproject.toml's `frontend` marker).
pytestmark = pytest.mark.frontend


@pytest.mark.parametrize(
    "module_delay,pause_before_submit", [(0.0, 0.0), (0.1, 0.05), (0.8, 0.0), (0.8, 1.2)]
)
def test_text_typed_while_the_editor_loads_is_posted(
    page, live_server, topic, other_member, module_delay, pause_before_submit
):
    sign_in(page, other_member)
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 8})

    def held_back(route):
        time.sleep(module_delay)
        route.continue_()

    page.route("**/composer/composer.js*", held_back)
    page.goto(f"/t/{topic.pk}-{topic.slug}/")
    page.get_by_placeholder("Reply to this topic...").fill("Typed while the editor loads")
    page.wait_for_timeout(pause_before_submit * 1000)
    page.get_by_role("button", name="Submit reply").click()
    expect(page.locator("#post-2")).to_contain_text("Typed while the editor loads")
