"""A member's picture: uploaded through the image pipeline (checked, re-encoded, metadata
gone), cropped square, shown beside their posts and on their profile; removable."""

import io

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from folkmoot.accounts.models import User
from tests.factories import make_topic
from tests.images import image_bytes, jpeg_with_gps_location


def upload(client, data: bytes, name="me.png"):
    return client.post("/settings/avatar/", {"avatar": SimpleUploadedFile(name, data, "image/png")})


def test_an_uploaded_picture_is_cropped_square_and_shown_beside_posts(member_client, member):
    topic = make_topic(author=member)
    response = upload(member_client, image_bytes(size=(600, 300)))
    assert response.status_code == 302 and response.url == f"/u/{member.username}/"
    member.refresh_from_db()
    with default_storage.open(member.avatar.name) as stored:
        picture = Image.open(io.BytesIO(stored.read()))
        assert picture.size == (256, 256)
    page = member_client.get(topic.get_absolute_url()).text
    assert f'src="{member.avatar.url}"' in page
    assert f'src="{member.avatar.url}"' in member_client.get(f"/u/{member.username}/").text


def test_the_picture_keeps_no_metadata(member_client, member):
    upload(member_client, jpeg_with_gps_location(), name="holiday.jpg")
    member.refresh_from_db()
    with default_storage.open(member.avatar.name) as stored:
        data = stored.read()
    assert b"PhoneMaker" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


def test_a_new_picture_replaces_the_old_file_and_removing_goes_back_to_the_initial(
    member_client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(member_client, image_bytes())
    first = User.objects.get(pk=member.pk).avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        upload(member_client, image_bytes(colour=(0, 90, 200)))
    second = User.objects.get(pk=member.pk).avatar.name
    assert first != second
    assert not default_storage.exists(first) and default_storage.exists(second)
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post("/settings/avatar/", {"remove": "1"})
    assert User.objects.get(pk=member.pk).avatar.name == ""
    assert not default_storage.exists(second)
    page = member_client.get(f"/u/{member.username}/").text
    assert f">{member.initial}</span>" in page


def test_a_file_that_is_no_image_is_refused(member_client, member):
    response = upload(member_client, b"<svg onload=alert(1)>", name="evil.png")
    assert response.status_code == 400
    assert "not an image we can read" in response.text
    member.refresh_from_db()
    assert member.avatar.name == ""


def test_members_who_may_not_upload_set_no_picture(member_client, member, settings):
    no_uploads = {**settings.FOLKMOOT["UPLOADS_DEFAULT"], "may_upload": False}
    settings.FOLKMOOT = {**settings.FOLKMOOT, "UPLOADS_DEFAULT": no_uploads}
    response = upload(member_client, image_bytes())
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.avatar.name == ""


def test_guests_are_sent_to_sign_in(client, db):
    response = client.get("/settings/avatar/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
