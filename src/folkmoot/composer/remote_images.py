"""Our own copies of the images posts and preview cards show from other sites.

Readers' browsers must never fetch a third-party (or private-range) URL because a post names
it: the worker fetches each such image once, through the SSRF-guarded fetcher, re-encodes it
like an upload (images.clean_image: image types only, size and pixel caps, metadata dropped)
and stores it under MEDIA_ROOT/remote/. The renderer shows the copy, or a plain link until it
exists. A failed fetch is kept too, and tried again after a day.
"""

import hashlib
import logging
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from folkmoot.fetcher import fetch

from .images import IMAGE_ACCEPT, clean_image
from .models import RemoteImage

logger = logging.getLogger(__name__)

RETRY_FAILED_AFTER = timedelta(days=1)


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def images_for(urls: Iterable[str]) -> dict[str, RemoteImage]:
    """The stored copies (and failures) of these URLs, by URL (one query; none for no URLs)."""
    by_hash = {url_hash(url): url for url in urls if url}
    if not by_hash:
        return {}
    return {
        by_hash[image.url_hash]: image
        for image in RemoteImage.objects.filter(url_hash__in=list(by_hash))
    }


def is_due(image: RemoteImage | None) -> bool:
    """A copy, once made, is kept; a failure is retried after a day."""
    if image is None:
        return True
    return not image.is_ok and timezone.now() - image.fetched_at >= RETRY_FAILED_AFTER


def fetch_remote_image(url: str) -> RemoteImage:
    """Fetch the image at `url` and store our re-encoded copy, or that it could not be had."""
    content, width, height = None, 0, 0
    try:
        fetched = fetch(
            url, max_bytes=settings.FOLKMOOT["REMOTE_IMAGE_MAX_BYTES"], accept=IMAGE_ACCEPT
        )
        image = clean_image(fetched.content)
        content = ContentFile(image.content, name=f"{secrets.token_hex(8)}.{image.extension}")
        width, height = image.width, image.height
    except Exception as error:  # FetchRefused, ImageRefused, whatever a hostile file provokes
        logger.info("No copy of the image %s: %s", url, getattr(error, "detail", error))
    status = RemoteImage.Status.OK if content else RemoteImage.Status.FAILED
    try:
        with transaction.atomic():
            copy, _ = RemoteImage.objects.select_for_update().get_or_create(
                url_hash=url_hash(url), defaults={"url": url, "status": status}
            )
            copy.url, copy.status, copy.fetched_at = url, status, timezone.now()
            copy.width, copy.height = width, height
            if content is not None:
                copy.file.save(content.name, content, save=False)
            copy.save()
    except IntegrityError:  # another worker stored it at the same moment
        copy = RemoteImage.objects.get(url_hash=url_hash(url))
    return copy
