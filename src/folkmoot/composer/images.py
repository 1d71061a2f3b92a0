"""Checking and re-encoding uploaded images with Pillow.

The file is judged by its content, never its name or declared type. Re-encoding drops every
byte of metadata (EXIF location included) and anything hidden after the image data.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


class ImageRefused(Exception):
    pass


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    width: int
    height: int
    extension: str


def clean_image(data: bytes) -> CleanImage:
    limits = settings.FOLKMOOT
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise ImageRefused("Only JPEG, PNG, GIF and WebP images can be uploaded.")
            if image.width * image.height > limits["IMAGE_MAX_PIXELS"]:
                raise ImageRefused("That image has too many pixels to be processed.")
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageRefused("That file is not an image we can read.") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused("That image has too many pixels to be processed.") from None

    image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF data asked for
    max_side = limits["IMAGE_MAX_SIDE"]
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")

    output = io.BytesIO()
    if has_alpha:
        image.save(output, "PNG", optimize=True)
        extension = "png"
    else:
        image.save(output, "JPEG", quality=85, optimize=True)
        extension = "jpg"
    return CleanImage(output.getvalue(), image.width, image.height, extension)
