from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from folkmoot.composer.models import Attachment, UploadPolicy
from folkmoot.composer.services import remove_unused_attachments
from folkmoot.moderation.models import Ban
from tests.conftest import set_limits
from tests.images import image_bytes, jpeg_with_gps_location


def upload(client, data: bytes, name="picture.png", content_type="image/png"):
    return client.post("/uploads/", {"file": SimpleUploadedFile(name, data, content_type)})


def stored_image(attachment: Attachment) -> Image.Image:
    return Image.open(attachment.file.path)


def test_a_member_uploads_an_image_and_gets_its_url_and_size(member_client):
    response = upload(member_client, image_bytes(size=(40, 30)))
    assert response.status_code == 201
    data = response.json()
    assert data["width"] == 40 and data["height"] == 30
    assert data["url"].startswith("/media/attachments/")
    assert member_client.get(data["url"]).status_code == 200


def test_uploaded_photos_lose_their_location_metadata(member_client):
    original = Image.open(__import__("io").BytesIO(jpeg_with_gps_location()))
    assert original.getexif().get_ifd(0x8825)  # the original carries a GPS position

    response = upload(member_client, jpeg_with_gps_location(), "photo.jpg", "image/jpeg")
    stored = stored_image(Attachment.objects.get(pk=response.json()["id"]))
    assert not stored.getexif()


def test_huge_images_are_scaled_down_to_the_size_cap(member_client, settings):
    set_limits(settings, IMAGE_MAX_SIDE=100)
    response = upload(member_client, image_bytes(size=(400, 200)))
    assert (response.json()["width"], response.json()["height"]) == (100, 50)


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(member_client):
    response = upload(member_client, b"<?php system($_GET['c']); ?>", "innocent.png")
    assert response.status_code == 400
    assert response.json()["error"] == "That file is not an image we can read."
    assert not Attachment.objects.exists()


def test_a_decompression_bomb_is_refused_before_decoding(member_client, settings):
    set_limits(settings, IMAGE_MAX_PIXELS=1_000_000)
    response = upload(member_client, image_bytes(size=(2000, 2000)))
    assert response.status_code == 400
    assert "too many pixels" in response.json()["error"]


def test_a_file_over_the_size_limit_is_refused(member_client, settings):
    one_megabyte = {"may_upload": True, "max_file_bytes": 1024 * 1024, "quota_bytes": 10**9}
    set_limits(settings, UPLOADS_DEFAULT=one_megabyte)
    response = upload(member_client, b"\x89PNG" + b"\0" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert response.json()["error"] == "That image is too large: the limit is 1 MB."


def test_uploads_past_the_quota_are_refused(member_client, member):
    group = Group.objects.create(name="Small uploaders")
    UploadPolicy.objects.create(group=group, max_file_bytes=10**6, quota_bytes=1)
    member.groups.add(group)
    response = upload(member_client, image_bytes())
    assert response.status_code == 413
    assert response.json()["error"] == "You have used all your upload space."


def test_a_group_that_may_not_upload_is_refused(member_client, member):
    group = Group.objects.create(name="Read only")
    UploadPolicy.objects.create(group=group, may_upload=False)
    member.groups.add(group)
    response = upload(member_client, image_bytes())
    assert response.status_code == 403
    assert "cannot upload" in response.json()["error"]


def test_guests_cannot_upload(client, db):
    assert upload(client, image_bytes()).status_code == 403


def test_an_image_in_a_reply_is_tied_to_the_post_and_unused_ones_are_cleaned_up(
    member_client, topic
):
    used = upload(member_client, image_bytes()).json()
    upload(member_client, image_bytes(colour=(0, 0, 255)))  # uploaded, never used
    member_client.post(
        f"/t/{topic.pk}-{topic.slug}/reply/", {"body": f"Look: ![chart]({used['url']})"}
    )
    post = topic.posts.get(number=2)
    assert Attachment.objects.get(pk=used["id"]).post == post
    assert f'<img src="{used["url"]}" alt="chart">' in post.cooked

    Attachment.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert remove_unused_attachments() == 1
    assert list(Attachment.objects.values_list("pk", flat=True)) == [used["id"]]


def test_insert_image_from_url_fetches_and_re_encodes_it(member_client, local_web):
    url = local_web.serve("/cat.png", image_bytes(size=(64, 48)))
    response = member_client.post("/uploads/", {"url": url})
    assert response.status_code == 201
    assert (response.json()["width"], response.json()["height"]) == (64, 48)


def test_image_urls_pointing_inside_the_network_are_refused(member_client):
    # Loopback is not allowed outside the tests' own local_web fixture.
    for url in ("http://127.0.0.1:9/x.png", "http://169.254.169.254/latest/meta-data/"):
        response = member_client.post("/uploads/", {"url": url})
        assert response.status_code == 400
        assert response.json()["error"] == "We could not get an image from that link."


def test_a_banned_address_or_network_cannot_upload_images(member_client, member):
    Ban.objects.create(email=member.email, reason="Spam")
    response = upload(member_client, image_bytes())
    assert response.status_code == 400
    assert "not accepted" in response.json()["error"]
    assert not Attachment.objects.exists()

    Ban.objects.all().delete()
    Ban.objects.create(ip_network="192.0.2.0/24", reason="Spam network")
    refused = member_client.post(
        "/uploads/",
        {"file": SimpleUploadedFile("p.png", image_bytes(), "image/png")},
        REMOTE_ADDR="192.0.2.7",
    )
    assert refused.status_code == 400
    assert upload(member_client, image_bytes()).status_code == 201  # from elsewhere: fine
