"""Browser tests: Playwright driving Debian's Chromium against Django's live server."""

import json
import os
import threading
from dataclasses import dataclass

import pytest
from playwright.sync_api import sync_playwright

from folkmoot.discussions import services
from tests.browser import composer_helpers
from tests.factories import PASSWORD, CategoryFactory, MemberFactory, make_topic

CHROMIUM = "/usr/bin/chromium"
# Chromium's own background traffic would be refused by this machine's closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around
# it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Debian's chromium at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class RequestsInFlight:
    """Counts the live server's requests from accept to finish. A page's last requests (a
    read mark sent as it is left, say) can still be writing when the test ends; the database
    is emptied only once they are done, or the flush and the request lock each other's
    tables (PostgreSQL reports a deadlock)."""

    def __init__(self, httpd):
        self._count = 0
        self._changed = threading.Condition()
        accept, handle = httpd.process_request, httpd.process_request_thread

        def counted_accept(request, client_address):
            with self._changed:
                self._count += 1
            accept(request, client_address)

        def counted_handle(request, client_address):
            try:
                handle(request, client_address)
            finally:
                with self._changed:
                    self._count -= 1
                    self._changed.notify_all()

        httpd.process_request, httpd.process_request_thread = counted_accept, counted_handle

    def wait_until_idle(self, timeout: float = 30.0) -> None:
        with self._changed:
            idle = self._changed.wait_for(lambda: not self._count, timeout)
            assert idle, f"{self._count} requests still running after {timeout}s"


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, counting the requests it is serving."""
    live_server.requests_in_flight = RequestsInFlight(live_server.thread.httpd)
    return live_server


@pytest.fixture(autouse=True)
def _no_request_outlives_its_test(request):
    """After a test on the live server: close every page it left open, then wait for the
    requests they had sent, before the database is emptied for the next test."""
    if "live_server" not in request.fixturenames:
        yield
        return
    live_server, browser = (
        request.getfixturevalue("live_server"),
        request.getfixturevalue("browser"),
    )
    yield
    for context in browser.contexts:
        context.close()
    live_server.requests_in_flight.wait_until_idle()


# Every page reports what its Content-Security-Policy blocked (the policy asks for a sample of
# the blocked text) as a console line the tests collect.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error('[csp-violation] ' + JSON.stringify({
    directive: event.effectiveDirective, blocked: event.blockedURI || 'inline',
    sample: event.sample, source: event.sourceFile + ':' + event.lineNumber,
  }))
})
"""
CSP_VIOLATION = "[csp-violation] "


@dataclass(frozen=True)
class CSPViolation:
    directive: str
    blocked: str
    sample: str
    source: str

    def __str__(self) -> str:
        return f"{self.directive} blocked {self.blocked} {self.sample!r} at {self.source}"


def is_pasted_junk(violation: CSPViolation) -> bool:
    """A style or handler of hostile HTML a test pasted, refused while the editor's sanitizer
    parsed it (browsers check the policy even in that inert document). That is the policy
    working on the attacker's text, not the site needing inline code."""
    return (
        violation.blocked == "inline"
        and bool(violation.sample)
        and any(violation.sample in html for html in composer_helpers.PASTED_HTML)
    )


@pytest.fixture
def csp_violations():
    """What the site's Content-Security-Policy blocked during the test, in every page."""
    return []


@pytest.fixture
def page(browser, live_server, csp_violations):
    composer_helpers.PASTED_HTML.clear()
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    context.add_init_script(_REPORT_CSP_VIOLATIONS)
    page = context.new_page()

    def on_console(message):
        if message.text.startswith(CSP_VIOLATION):
            report = json.loads(message.text.removeprefix(CSP_VIOLATION))
            csp_violations.append(CSPViolation(**report))

    page.on("console", on_console)
    yield page
    context.close()
    # The site works under its policy: nothing it serves needs what the policy forbids.
    unexpected = [str(v) for v in csp_violations if not is_pasted_junk(v)]
    assert not unexpected, "\n".join(unexpected)


def sign_in(page, member) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", member.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def forum(db):
    """For the whole-site checks (axe, the Nu validator): a category with a topic of two pages
    (30 posts), a moderator, a member and a held post."""
    category = CategoryFactory(name="General talk")
    member = MemberFactory(username="Reader")
    moderator = MemberFactory(username="Keeper", is_staff=True)
    topic = make_topic(category=category, author=member, title="A long discussion", replies=29)
    held_in = make_topic(category=CategoryFactory(moderate_new_members=True), author=moderator)
    services.reply(topic=held_in, author=MemberFactory(), body="A held reply from a newcomer")
    return {"category": category, "topic": topic, "member": member, "moderator": moderator}
