import os
import re

import pytest
from django.conf import settings
from django.core.cache import cache

from folkmoot.mail import tasks as mail_tasks
from folkmoot.mail.models import OutboxEmail
from tests.factories import CategoryFactory, MemberFactory, make_topic
from tests.smtp import StallingSMTPServer, start_smtp_server
from tests.web import start_web_server


def _own_redis_database_per_xdist_worker():
    """Each xdist worker flushes the cache between tests: give each its own Redis database
    (the given one for gw0, the ones below it for the others) so they don't flush each other's.
    Settings are read before this file, so the cache settings are changed as well as the
    environment that servers started by tests inherit."""
    url, worker = os.environ.get("REDIS_URL"), os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    match = re.fullmatch(r"(redis://[^/]+/)(\d+)", url or "")
    if not match or worker == "gw0":
        return
    database = int(match[2]) - int(worker.removeprefix("gw"))
    assert database >= 0, f"too many xdist workers for Redis database {match[2]}"
    os.environ["REDIS_URL"] = settings.REDIS_URL = f"{match[1]}{database}"
    for alias in settings.CACHES.values():
        if alias.get("LOCATION") == url:
            alias["LOCATION"] = os.environ["REDIS_URL"]


_own_redis_database_per_xdist_worker()


@pytest.fixture
def member(db):
    return MemberFactory()


@pytest.fixture
def other_member(db):
    return MemberFactory()


@pytest.fixture
def moderator(db):
    return MemberFactory(is_staff=True)


@pytest.fixture
def banned(db):
    """A member whose account was deactivated."""
    return MemberFactory(is_active=False)


@pytest.fixture
def category(db):
    return CategoryFactory()


@pytest.fixture
def topic(db, category, member):
    return make_topic(category=category, author=member)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture(autouse=True)
def no_whole_page_cache(settings):
    """The anonymous page cache (and the category pages' marks kept beside it) is invalidated
    after commit, which tests wrapped in a transaction never reach;
    tests/discussions/test_page_cache.py and test_keyset_pages.py turn them on with real
    transactions."""
    set_limits(settings, PAGE_CACHE_SECONDS=0, LIST_MARK_SECONDS=0)


@pytest.fixture(autouse=True)
def tasks_in_the_database(settings):
    """Tests queue tasks in the database and run them themselves, here and now, whether or not
    REDIS_URL (which puts the site's tasks on RQ) is set: no test needs a worker process unless
    it starts one (tests/worker/test_rq_worker_e2e.py)."""
    settings.TASKS = {
        "default": {**settings.TASKS["default"], "BACKEND": settings.DATABASE_TASKS_BACKEND}
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s a member; tests make hundreds of members."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def set_limits(settings, **limits):
    """Change some of settings.FOLKMOOT for one test (a new dict, so nothing leaks)."""
    settings.FOLKMOOT = {**settings.FOLKMOOT, **limits}


@pytest.fixture(autouse=True)
def forum_limits_for_tests(settings):
    """A cheap proof of work, and no flood control except in the tests about it: most tests
    post several times a second."""
    set_limits(settings, ALTCHA_MAX_NUMBER=2000, FLOOD_SECONDS=0)


def use_smtp_server(settings, port: int) -> None:
    """The site queues every email (folkmoot.mail); the worker sends through SMTP here."""
    settings.EMAIL_BACKEND = "folkmoot.mail.backend.OutboxBackend"
    settings.EMAIL_TRANSPORT = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False


def send_queued_emails() -> None:
    """What the worker does with the outbox, run here and now."""
    for email_id in (
        OutboxEmail.objects.filter(sent_at__isnull=True, given_up_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        mail_tasks.send_email.call(email_id)


@pytest.fixture
def mailbox(settings):
    """The site queues emails in the outbox; looking in the mailbox first sends what is queued
    through real SMTP to an aiosmtpd server on 127.0.0.1, as the worker would."""
    controller, mailbox = start_smtp_server()
    use_smtp_server(settings, controller.port)
    mailbox.deliver = send_queued_emails
    yield mailbox
    controller.stop()


@pytest.fixture
def stalling_smtp(settings):
    """A mail server that accepts the connection and never answers."""
    server = StallingSMTPServer()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def empty_cache(settings, tmp_path):
    """Rate limits and cached pages live in the cache (Redis in CI): each test starts clean.
    Without Redis, pages are files: in the test's own directory, not shared by xdist workers."""
    if "pages" in settings.CACHES:
        settings.CACHES = {
            **settings.CACHES,
            "pages": {**settings.CACHES["pages"], "LOCATION": str(tmp_path / "page-cache")},
        }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads from tests land in a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def local_web(settings):
    """A web server on 127.0.0.1 serving files given as {path: (content_type, bytes)}; the
    SSRF guard is told loopback is allowed, as only a test may."""
    set_limits(settings, FETCH_ALLOW_LOOPBACK=True)
    server = start_web_server()
    yield server
    server.stop()


@pytest.fixture
def client_factory(db):
    """Fresh browsers, each with its own cookies."""
    from django.test import Client

    return Client
