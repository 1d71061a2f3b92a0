"""Every answer of the site carries the strict Content-Security-Policy, whichever way it was
made: a page rendered or served from the anonymous page cache, JSON, an error, the admin.
Uploaded files keep their own stricter one. (That the site works under it is the browser
tests' job: each fails on any violation.)"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tests.conftest import set_limits
from tests.factories import make_topic
from tests.images import image_bytes

POLICY = {
    "default-src": "'self'",
    "script-src": "'self' 'report-sample'",
    "style-src": "'self' 'report-sample'",
    "img-src": "'self' data: blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in parts}


def assert_strict(response):
    policy = directives(response)
    for name, value in POLICY.items():
        assert policy.get(name) == value, (name, policy)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_pages_json_errors_and_the_admin_carry_the_policy(client, member_client, topic):
    assert_strict(client.get(topic.get_absolute_url()))
    assert_strict(member_client.get(topic.get_absolute_url()))
    assert_strict(client.get("/guests/challenge/"))
    assert_strict(client.get("/no-such-page/"))
    assert_strict(client.get("/admin/login/"))
    assert client.get("/").headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db(transaction=True)
def test_a_page_from_the_anonymous_cache_carries_the_policy_too(
    client, settings, django_assert_num_queries
):
    set_limits(settings, PAGE_CACHE_SECONDS=60)
    with transaction.atomic():
        topic = make_topic()
    client.get(topic.get_absolute_url())
    with django_assert_num_queries(0):  # the cached copy: only its bytes were kept
        again = client.get(topic.get_absolute_url())
    assert_strict(again)


def test_uploaded_files_keep_their_own_stricter_policy(member_client):
    photo = SimpleUploadedFile("photo.png", image_bytes(), "image/png")
    response = member_client.post("/uploads/", {"file": photo})
    assert response.status_code == 201, response.content
    served = member_client.get(response.json()["url"])
    assert served["Content-Security-Policy"] == "default-src 'none'"
