"""Every byte of metadata an uploaded image carries is gone from the stored copy: EXIF, JPEG
comments, ICC colour profiles, XMP, PNG text chunks, GIF comments, WebP chunks. Checked on the
stored bytes, segment by segment."""

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from folkmoot.composer.models import Attachment

SECRET = b"SECRET-METADATA"
ICC_SIGNATURE = b"acsp"  # every ICC profile carries it at byte 36
JPEG_ALLOWED_MARKERS = {0xD8, 0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDA, 0xD9, 0xDD}
PNG_ALLOWED_CHUNKS = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}


def icc_profile() -> bytes:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return profile.tobytes()


def exif() -> Image.Exif:
    data = Image.Exif()
    data[0x010F] = SECRET.decode()  # Make
    data[0x9286] = SECRET.decode()  # UserComment
    return data


XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + SECRET + b"</x:xmpmeta>"


def saved(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg_full_of_metadata() -> bytes:
    return saved(
        Image.new("RGB", (40, 30), (10, 120, 200)),
        "JPEG",
        exif=exif(),
        comment=SECRET,
        icc_profile=icc_profile(),
        xmp=XMP,
    )


def png_full_of_metadata(mode: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET.decode())
    info.add_text("Secret", SECRET.decode() * 20, zip=True)  # zTXt
    info.add_itxt("XML:com.adobe.xmp", XMP.decode(), lang="en", tkey="xmp")  # iTXt
    return saved(
        Image.new(mode, (40, 30), (10, 120, 200, 128)[: len(mode)]),
        "PNG",
        pnginfo=info,
        icc_profile=icc_profile(),
        exif=exif(),
    )


def gif_full_of_metadata() -> bytes:
    image = Image.new("P", (40, 30), 3)
    return saved(image, "GIF", comment=SECRET, transparency=0)


def webp_full_of_metadata() -> bytes:
    return saved(
        Image.new("RGB", (40, 30), (10, 120, 200)),
        "WEBP",
        exif=exif(),
        icc_profile=icc_profile(),
        xmp=XMP,
    )


def jpeg_segments(data: bytes) -> list[int]:
    markers, position = [], 2
    assert data[:2] == b"\xff\xd8"
    markers.append(0xD8)
    while position < len(data):
        assert data[position] == 0xFF
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows up to EOI
            markers.append(data[-1])
            break
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        chunks.append(data[position + 4 : position + 8])
        position += 12 + length
    return chunks


@pytest.mark.parametrize(
    "name, make",
    [
        ("photo.jpg", jpeg_full_of_metadata),
        ("opaque.png", lambda: png_full_of_metadata("RGB")),
        ("transparent.png", lambda: png_full_of_metadata("RGBA")),
        ("animation.gif", gif_full_of_metadata),
        ("picture.webp", webp_full_of_metadata),
    ],
)
def test_stored_images_keep_no_byte_of_metadata(member_client, name, make):
    original = make()
    assert SECRET in original or SECRET in Image.open(io.BytesIO(original)).info.get("comment", b"")
    response = member_client.post(
        "/uploads/", {"file": SimpleUploadedFile(name, original, "application/octet-stream")}
    )
    assert response.status_code == 201, response.json()
    stored = Attachment.objects.get(pk=response.json()["id"]).file.read()

    assert SECRET not in stored
    assert ICC_SIGNATURE not in stored
    assert b"Exif" not in stored and b"xmpmeta" not in stored
    if stored.startswith(b"\xff\xd8"):
        assert set(jpeg_segments(stored)) <= JPEG_ALLOWED_MARKERS
    else:
        assert stored.startswith(b"\x89PNG\r\n\x1a\n")
        assert set(png_chunks(stored)) <= PNG_ALLOWED_CHUNKS
    assert Image.open(io.BytesIO(stored)).size == (40, 30)
