"""A guest types the reply and then the email address, key by key, on a slow machine, while the
editor's code is still arriving: whenever it arrives, the post says what was typed and the
address is the address.

What made tests/browser/test_guest_proof_of_work.py fail on a busy machine (a 400: the address
typed into the post, or keys gone): the editor took the focus with TipTap's focus command, which
focuses a frame later. Keys pressed in that frame went to the hidden textarea's place (nowhere),
and if the visitor had moved to the email field meanwhile, the focus was taken from it. And until
composer.css arrived the editor had the page's white-space, which collapses a space typed at the
end of a line: the next key went before it or beside it ("Typed bya quick", "Typed by  a")."""

import pytest
from playwright.sync_api import expect

from folkmoot.discussions.models import Post

# The browser's side of pages that are the same whatever the database: CI runs these on
# SQLite only (pyproject.toml's `frontend` marker).
pytestmark = pytest.mark.frontend

BODY = "Typed by a quick guest"
EMAIL = "quick@example.net"
# The reply's keys, a click on the email field, the address's keys.
KEYS = [*BODY, None, *EMAIL]


@pytest.mark.parametrize("arrives_before_key", range(0, len(KEYS) + 1, 4))
def test_the_editor_arriving_mid_typing_loses_no_key(page, topic, arrives_before_key):
    held = []
    page.route("**/composer/composer.js", lambda route: held.append(route))
    page.goto(topic.get_absolute_url())
    # Slowed once the page is there (its load is not what is tested): the editor's code is
    # only asked for on the click below.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 6})
    page.get_by_placeholder("Reply to this topic...").click()  # asks for the editor's code
    for index, key in enumerate([*KEYS, "submit"]):
        if index == arrives_before_key:
            while not held:
                page.wait_for_timeout(20)
            held[0].continue_()  # the editor's code arrives; the typing goes on regardless
        if key is None:
            page.get_by_label("Email address").click()
        elif key == "submit":
            page.get_by_role("button", name="Submit reply").click()
        else:
            page.keyboard.type(key)
    # The proof of work and the sign-up page run throttled too: wait for the navigation, not
    # for the page's "load", then let the CPU go.
    page.wait_for_url("**/accounts/signup/**", wait_until="commit", timeout=60_000)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    expect(page.locator("input[name=email]")).to_have_value(EMAIL)
    assert Post.objects.get(status=Post.Status.PENDING).body == BODY
