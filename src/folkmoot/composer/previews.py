"""Link previews: what a page says about itself, fetched for links that stand alone in a post.

Fetching goes through the one SSRF-guarded fetcher, outside any transaction, in a background
task (discussions.tasks.fetch_link_previews, on the worker's own fetch queue) that then has the
post re-rendered by its lifecycle so its embeds become cards. The same task copies the
post's off-site images and the cards' images (composer.remote_images), so readers never load
them from elsewhere. Failed fetches are stored too and tried again only after a day.
"""

import hashlib
import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone

from folkmoot.fetcher import fetch

from . import mentions, remote_images
from .models import LinkPreview
from .rendering import (
    embed_urls,
    embed_urls_in,
    is_remote_image,
    mention_names_in,
    parse,
    remote_image_urls,
    remote_image_urls_in,
    render_tokens,
)

logger = logging.getLogger(__name__)

MAX_PAGE_BYTES = 512 * 1024
# A post of fifty bare links must not keep a worker busy fetching for minutes.
MAX_FETCHES_PER_POST = 10
MAX_IMAGES_PER_POST = 10
# Past this, the rest of a post's fetches wait for its next edit: the fetch queue moves on.
POST_FETCH_BUDGET_SECONDS = 60
HTML_TYPES = {"text/html", "application/xhtml+xml"}
RETRY_FAILED_AFTER = timedelta(days=1)
REFRESH_OK_AFTER = timedelta(days=30)
TITLE_MAX, DESCRIPTION_MAX, SITE_NAME_MAX = 200, 300, 100

TITLE_KEYS = ("og:title", "twitter:title")
DESCRIPTION_KEYS = ("og:description", "twitter:description", "description")
SITE_NAME_KEYS = ("og:site_name", "application-name")
IMAGE_KEYS = (
    "og:image:secure_url", "og:image", "og:image:url", "twitter:image", "twitter:image:src",
)  # fmt: skip


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


class _PageFacts(HTMLParser):
    """The page's <title> and its <meta> tags by property or name (first one wins)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False
        self._title_done = False
        self._in_svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            self._in_svg += 1  # an <svg> has <title>s of its own
        elif tag == "title" and not self._in_svg and not self._title_done:
            self._in_title = True
        elif tag == "meta":
            values = {name: value or "" for name, value in attrs}
            key = (values.get("property") or values.get("name") or "").strip().lower()
            if key and "content" in values:
                self.meta.setdefault(key, values["content"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._in_svg:
            self._in_svg -= 1
        elif tag == "title" and self._in_title:
            self._in_title = False
            self._title_done = True

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def first(self, keys: Iterable[str]) -> str:
        for key in keys:
            if _clean(self.meta.get(key, "")):
                return self.meta[key]
        return ""


def _clean(text: str, limit: int = 1000) -> str:
    """One line of plain text, no longer than `limit` characters."""
    text = " ".join(text.split())
    text = "".join(ch for ch in text if ch.isprintable())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _charset(content: bytes) -> str:
    found = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", content[:2048], re.I)
    if found:
        name = found[1].decode("ascii", "replace")
        try:
            "".encode(name)
            return name
        except LookupError:
            pass
    return "utf-8"


def _image_url(raw: str, base: str) -> str:
    """An absolute http(s) URL for the image, or "" for anything else."""
    raw = raw.strip()
    if not raw:
        return ""
    url = urljoin(base, raw)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    if any(ch.isspace() or ch in "\"'<>" for ch in url) or len(url) > 2000:
        return ""
    return url


def parse_page(content: bytes, *, url: str) -> dict[str, str]:
    """The preview fields a page gives (empty strings where it gives nothing)."""
    facts = _PageFacts()
    facts.feed(content.decode(_charset(content), errors="replace"))
    facts.close()
    return {
        "title": _clean(facts.first(TITLE_KEYS) or facts.title, TITLE_MAX),
        "description": _clean(facts.first(DESCRIPTION_KEYS), DESCRIPTION_MAX),
        "site_name": _clean(facts.first(SITE_NAME_KEYS), SITE_NAME_MAX)
        or (urlsplit(url).hostname or ""),
        "image_url": _image_url(facts.first(IMAGE_KEYS), url),
    }


def _due(preview: LinkPreview | None) -> bool:
    if preview is None:
        return True
    age = timezone.now() - preview.fetched_at
    return age >= (REFRESH_OK_AFTER if preview.is_ok else RETRY_FAILED_AFTER)


def previews_for(urls: Iterable[str]) -> dict[str, LinkPreview]:
    """The stored previews of these URLs, by URL (one query; none when there are no URLs)."""
    by_hash = {url_hash(url): url for url in urls}
    if not by_hash:
        return {}
    return {
        by_hash[preview.url_hash]: preview
        for preview in LinkPreview.objects.filter(url_hash__in=list(by_hash))
    }


def fetch_preview(url: str) -> LinkPreview:
    """Fetch `url` and store what it says about itself, or that it could not be used."""
    fields = {"title": "", "description": "", "site_name": "", "image_url": ""}
    status = LinkPreview.Status.FAILED
    try:
        page = fetch(url, max_bytes=MAX_PAGE_BYTES)
        if page.content_type.lower() in HTML_TYPES:
            fields = parse_page(page.content, url=page.url)
            if fields["title"]:
                status = LinkPreview.Status.OK
    except Exception as error:  # FetchRefused, and whatever a hostile URL or page provokes
        logger.info("No preview for %s: %s", url, error)
    defaults = {**fields, "url": url, "status": status, "fetched_at": timezone.now()}
    try:
        with transaction.atomic():
            preview, _ = LinkPreview.objects.update_or_create(
                url_hash=url_hash(url), defaults=defaults
            )
    except IntegrityError:  # another worker stored it at the same moment
        preview = LinkPreview.objects.get(url_hash=url_hash(url))
    return preview


@dataclass(frozen=True)
class Cooked:
    """A body rendered, with what it links to, from one parse."""

    html: str
    embed_urls: tuple[str, ...]
    image_urls: tuple[str, ...]
    mentions: tuple[str, ...] = ()  # usernames of the members it mentions (links)


def needs_previews(body: str) -> bool:
    """Whether a post with this body has embeds whose previews are missing or due, or
    off-site images we have no copy of yet."""
    tokens = parse(body)
    return needs_fetching(embed_urls_in(tokens), remote_image_urls_in(tokens))


def needs_fetching(embeds, images) -> bool:
    """Whether any of these embed URLs lacks a fresh preview, or any of these images a copy."""
    urls = list(embeds)[:MAX_FETCHES_PER_POST]
    images = list(images)[:MAX_IMAGES_PER_POST]
    if not urls and not images:
        return False
    known = previews_for(urls)
    copies = remote_images.images_for(images)
    return any(_due(known.get(url)) for url in urls) or any(
        remote_images.is_due(copies.get(url)) for url in images
    )


def _card_images(previews: dict[str, LinkPreview]) -> list[str]:
    return [p.image_url for p in previews.values() if p.is_ok and is_remote_image(p.image_url)]


def cook_once(body: str) -> Cooked:
    """A post body's cooked HTML with the previews and image copies fetched so far, and the
    URLs it embeds and shows, from one parse of the Markdown."""
    tokens = parse(body)
    urls, images = embed_urls_in(tokens), remote_image_urls_in(tokens)
    previews = previews_for(urls)
    copies = remote_images.images_for(images + _card_images(previews))
    members = mentions.members_named(mention_names_in(tokens))
    return Cooked(
        html=render_tokens(tokens, previews, copies, members),
        embed_urls=tuple(urls),
        image_urls=tuple(images),
        mentions=tuple(members.values()),
    )


def cook(body: str) -> str:
    """A post body's cooked HTML with the previews and image copies fetched so far."""
    return cook_once(body).html


def fetch_due(body: str) -> None:
    """Fetch the due previews for a body's embeds and copies of its off-site images, within
    the post's time budget. Outside any transaction: fetching is slow."""
    budget_ends = time.monotonic() + POST_FETCH_BUDGET_SECONDS
    urls = embed_urls(body)[:MAX_FETCHES_PER_POST]
    known = previews_for(urls)
    for url in urls:
        if _due(known.get(url)) and time.monotonic() < budget_ends:
            known[url] = fetch_preview(url)
    images = (remote_image_urls(body) + _card_images(known))[: MAX_IMAGES_PER_POST * 2]
    copies = remote_images.images_for(images)
    for url in dict.fromkeys(images):
        if remote_images.is_due(copies.get(url)) and time.monotonic() < budget_ends:
            remote_images.fetch_remote_image(url)


def card_count(body: str) -> int:
    """How many of a body's embeds have a preview card."""
    urls = embed_urls(body)
    previews = previews_for(urls)
    return sum(1 for url in urls if url in previews and previews[url].is_ok)
