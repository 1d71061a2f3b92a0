import pytest
from django.core.cache import cache

from tests.factories import CategoryFactory, MemberFactory, make_topic
from tests.smtp import start_smtp_server
from tests.web import start_web_server


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
    """The anonymous page cache is invalidated after commit, which tests wrapped in a
    transaction never reach; tests/discussions/test_page_cache.py turns it on with real
    transactions."""
    set_limits(settings, PAGE_CACHE_SECONDS=0)


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


@pytest.fixture
def mailbox(settings):
    """Django sends through real SMTP to an aiosmtpd server on 127.0.0.1."""
    controller, mailbox = start_smtp_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    yield mailbox
    controller.stop()


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits and cached pages live in the cache (Redis in CI): each test starts clean."""
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
