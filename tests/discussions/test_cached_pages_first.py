"""Cached pages served before Django runs (page_cache.CachedPagesFirst, the WSGI application
`folkmoot serve` runs): a hit is what Django would have served, byte for byte and header for
header, and everything that is not a current copy for an anonymous reader goes to Django."""

import functools
import io
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler

from folkmoot.wsgi import application
from tests.conftest import set_limits
from tests.factories import MemberFactory, make_topic

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def whole_page_cache(settings):
    set_limits(settings, PAGE_CACHE_SECONDS=300)


class CountingDjango:
    """Django's application, counting the requests that reach it. Made on first use, so its
    middleware reads the settings of the test."""

    def __init__(self):
        self.requests = 0

    @functools.cached_property
    def handler(self):
        return WSGIHandler()

    def __call__(self, environ, start_response):
        self.requests += 1
        return self.handler(environ, start_response)


def environ(path, *, method="GET", query="", scheme="http", **headers):
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "443" if scheme == "https" else "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **{"HTTP_" + name.upper(): value for name, value in headers.items()},
    }


def call(app, env):
    """(status, headers, body) of a WSGI application's answer."""
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=headers)

    chunks = app(env, start_response)
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return started["status"], dict(started["headers"]), body


@pytest.fixture
def front():
    django = CountingDjango()
    return application.__class__(django), django


@pytest.mark.parametrize(
    "headers",
    [{}, {"accept_encoding": "gzip, deflate, br"}, {"accept_language": "de"}],
    ids=["plain", "gzip", "another-accept-language"],
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_hit_is_what_django_serves_without_django_running(front, headers, method):
    app, django = front
    url = make_topic(replies=3).get_absolute_url()
    call(app, environ(url))  # rendered by Django, and stored
    assert django.requests == 1

    by_django = call(django.handler, environ(url, method=method, **headers))
    before_django = call(app, environ(url, method=method, **headers))

    assert django.requests == 1  # the hit never reached Django
    assert before_django == by_django
    status, served_headers, body = before_django
    assert status == "200 OK"
    assert served_headers["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware's
    assert "Content-Security-Policy" in served_headers
    # As Django does, a HEAD gets the body too: the HTTP server leaves it out.
    assert int(served_headers["Content-Length"]) == len(body) > 1000


def test_a_reader_with_the_page_gets_a_304_from_the_front_and_the_page_after_a_reply(front):
    app, django = front
    topic = make_topic(replies=1)
    url = topic.get_absolute_url()
    _, headers, _ = call(app, environ(url))
    etag = headers["ETag"]

    status, not_modified_headers, body = call(app, environ(url, if_none_match=etag))
    assert (status, body) == ("304 Not Modified", b"")
    assert not_modified_headers["ETag"] == etag
    assert "Content-Length" not in not_modified_headers
    assert django.requests == 1

    from folkmoot.discussions import services

    services.reply(topic=topic, author=MemberFactory(), body="Something new to say")
    status, _, body = call(app, environ(url, if_none_match=etag))
    assert status == "200 OK"
    assert b"Something new to say" in body
    assert django.requests == 2


@pytest.mark.parametrize(
    "request_for",
    [
        pytest.param(lambda url: environ(url, method="POST"), id="a-post"),
        pytest.param(lambda url: environ(url, cookie="sessionid=abc"), id="a-member"),
        pytest.param(lambda url: environ(url, query="x=1"), id="another-query"),
        pytest.param(lambda url: environ(url, host="evil.example"), id="a-host-not-served"),
        pytest.param(lambda url: environ("/static/folkmoot/site.css"), id="a-static-file"),
        pytest.param(lambda url: environ(url, scheme="https"), id="the-page-over-https"),
    ],
)
def test_anything_but_a_current_copy_for_an_anonymous_reader_goes_to_django(front, request_for):
    app, django = front
    url = make_topic().get_absolute_url()
    call(app, environ(url))  # stored for anonymous readers over HTTP
    call(app, environ(url))
    assert django.requests == 1

    status, _, _ = call(app, request_for(url))
    assert django.requests == 2
    if "evil.example" in str(request_for(url).get("HTTP_HOST")):
        assert status.startswith("400")


def test_a_copy_stored_over_https_carries_hsts_and_is_not_served_over_http(front, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    app, django = front
    url = make_topic().get_absolute_url()
    call(app, environ(url, scheme="https"))
    status, headers, _ = call(app, environ(url, scheme="https"))
    assert (status, django.requests) == ("200 OK", 1)
    assert headers["Strict-Transport-Security"].startswith("max-age=3600")

    status, headers, _ = call(app, environ(url))
    assert django.requests == 2
    assert "Strict-Transport-Security" not in headers
