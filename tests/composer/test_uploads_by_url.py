"""Images by URL through the real /uploads/ endpoint: junk and hostile URLs get one clear
refusal (never a 500, never a hint about what is listening where), and a busy process says
so at once instead of queueing readers behind slow servers."""

import pytest

from folkmoot.composer import services
from folkmoot.composer.models import Attachment
from tests.conftest import set_limits
from tests.images import image_bytes
from tests.smtp import free_port

GENERIC = "We could not get an image from that link."

JUNK_AND_HOSTILE = [
    "http://[::1", "http://[::1]]/", "http://example.org:99999/x.png", "http://example.org:0/",
    "http://" + "a" * 64 + ".example.org/x.png", "http://" + "a." * 130 + "org/",
    "http://exa mple.org/", "http://\x00/", "http://[fe80::1%25eth0]/", "http://%zz/",
    "http://127.0.0.1:9/x.png", "http://[::ffff:127.0.0.1]/", "http://2130706433/",
    "http://0x7f.0.0.1/", "http://localhost./", "http://user:pw@example.org/",
    "http://192.0.0.192/latest", "http://[64:ff9b::a9fe:a9fe]/", "http://93.184.215.14:6379/",
    "https://10.0.0.5/x.png", "ftp://example.org/x.png", "javascript:alert(1)", "//x/",
]  # fmt: skip


@pytest.mark.parametrize("url", JUNK_AND_HOSTILE)
def test_junk_and_hostile_image_urls_get_the_one_generic_refusal(member_client, url):
    response = member_client.post("/uploads/", {"url": url})
    assert response.status_code == 400
    assert response.json() == {"error": GENERIC}
    assert not Attachment.objects.exists()


def test_a_closed_port_an_error_page_and_a_non_image_look_the_same(member_client, local_web):
    """Today's answers differed, which made /uploads/ a port scanner."""
    answers = {
        member_client.post("/uploads/", {"url": url}).content
        for url in (
            f"http://127.0.0.1:{free_port()}/x.png",  # nothing listens
            local_web.url + "/missing.png",  # 404
            local_web.serve("/page.png", b"<html>not an image</html>", "text/html"),
            local_web.serve("/huge.png", b"\x89PNG" + b"\0" * 6_000_000),
        )
    }
    assert len(answers) == 1


def test_an_image_by_url_still_works(member_client, local_web):
    url = local_web.serve("/cat.png", image_bytes(size=(64, 48)))
    response = member_client.post("/uploads/", {"url": url})
    assert response.status_code == 201


def test_when_every_fetch_slot_is_taken_the_member_is_told_to_retry_at_once(
    member_client, local_web, settings
):
    set_limits(settings, URL_UPLOADS_PER_PROCESS=1)
    url = local_web.serve("/cat.png", image_bytes())
    assert services._url_upload_slots.try_acquire(1)  # a slow fetch in another thread
    try:
        response = member_client.post("/uploads/", {"url": url})
    finally:
        services._url_upload_slots.release()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Try again" in response.json()["error"]
    assert local_web.hits == []
    assert member_client.post("/uploads/", {"url": url}).status_code == 201
