"""Checking and re-encoding uploaded images with Pillow.

The file is judged by its content, never its name or declared type. Re-encoding drops every
byte of metadata (EXIF location included, comments, colour profiles, XMP, text chunks) and
anything hidden after the image data: only the pixels are copied into a fresh image, so
nothing Pillow read from the file (its `info`) can be written out again. A colour profile is
applied to the pixels first (converted to sRGB), so the picture still looks as it did.
"""

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from PIL import Image

# Pillow is imported by the functions below, at the first image: a web process that never
# takes an upload does not hold it (~2 MiB).

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
IMAGE_ACCEPT = "image/jpeg, image/png, image/gif, image/webp"


class ImageRefused(Exception):
    pass


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    width: int
    height: int
    extension: str


def clean_image(data: bytes) -> CleanImage:
    from PIL import Image, ImageOps, UnidentifiedImageError

    limits = settings.FOLKMOOT
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise ImageRefused(_("Only JPEG, PNG, GIF and WebP images can be uploaded."))
            if image.width * image.height > limits["IMAGE_MAX_PIXELS"]:
                raise ImageRefused(_("That image has too many pixels to be processed."))
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageRefused(_("That file is not an image we can read.")) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(_("That image has too many pixels to be processed.")) from None

    image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF data asked for
    max_side = limits["IMAGE_MAX_SIDE"]
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    icc_profile = image.info.get("icc_profile")
    image = image.convert("RGBA" if has_alpha else "RGB")
    if icc_profile:
        image = _in_srgb(image, icc_profile)
    # Pixels only: Image.frombytes starts with empty `info`, so no comment, profile, EXIF or
    # text chunk of the original can reach the encoder.
    image = Image.frombytes(image.mode, image.size, image.tobytes())

    output = io.BytesIO()
    if has_alpha:
        image.save(output, "PNG", optimize=True)
        extension = "png"
    else:
        image.save(output, "JPEG", quality=85, optimize=True)
        extension = "jpg"
    return CleanImage(output.getvalue(), image.width, image.height, extension)


def _in_srgb(image: "Image.Image", icc_profile: bytes) -> "Image.Image":
    """The image's pixels converted from its embedded profile to sRGB (what browsers assume
    for an image without one); unchanged if the profile is unusable."""
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        srgb = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(image, source, srgb, outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def square_avatar(data: bytes, *, side: int) -> CleanImage:
    """An uploaded picture checked and re-encoded like any image (clean_image), then cropped
    to its centre square and scaled to `side` pixels: a member's avatar."""
    from PIL import Image, ImageOps

    clean = clean_image(data)
    image = Image.open(io.BytesIO(clean.content))
    image = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
    image = Image.frombytes(image.mode, image.size, image.tobytes())
    output = io.BytesIO()
    if image.mode == "RGBA":
        image.save(output, "PNG", optimize=True)
    else:
        image.convert("RGB").save(output, "JPEG", quality=88, optimize=True)
    return CleanImage(output.getvalue(), side, side, clean.extension)
