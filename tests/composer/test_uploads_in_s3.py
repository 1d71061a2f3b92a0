"""Uploads in S3-compatible storage (FOLKMOOT_S3_BUCKET): a real S3 server on loopback (moto's),
a real upload through the site lands in the bucket and is served from it at the site's own
address, with the same strict headers as files on disk."""

import io

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer
from PIL import Image

from folkmoot.composer.models import Attachment
from tests.images import image_bytes

BUCKET = "folkmoot-uploads"
KEYS = {"access_key": "test-key", "secret_key": "test-secret"}


@pytest.fixture
def s3_bucket(settings):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    s3.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "folkmoot.storage.S3MediaStorage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "file_overwrite": False,
                "default_acl": None,
                **KEYS,
            },
        },
    }
    yield s3
    server.stop()


def test_an_upload_lands_in_the_bucket_and_is_served_from_it(member_client, s3_bucket, tmp_path):
    response = member_client.post(
        "/uploads/",
        {"file": SimpleUploadedFile("hall.png", image_bytes(size=(40, 30)), "image/png")},
    )
    assert response.status_code == 201, response.content
    url = response.json()["url"]
    assert url.startswith("/media/attachments/")  # the site's address, not the bucket's

    name = Attachment.objects.get().file.name
    assert url == f"/media/{name}"
    stored = s3_bucket.get_object(Bucket=BUCKET, Key=name)["Body"].read()
    assert not (tmp_path / "media").exists()  # nothing on the local disk

    served = member_client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == Image.open(io.BytesIO(stored)).get_format_mimetype()
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'"
    body = b"".join(served.streaming_content)
    assert body == stored
    assert Image.open(io.BytesIO(body)).size == (40, 30)


def test_a_missing_upload_is_not_found(client, db, s3_bucket):
    assert client.get("/media/attachments/2026/01/nothing-here.png").status_code == 404
