"""Link previews: what a page says about itself, fetched for links that stand alone in a post.

Fetching goes through the one SSRF-guarded fetcher, outside any transaction, in a background
task (composer.tasks.fetch_link_previews) that then re-renders the post so its embeds become
cards. Failed fetches are stored too and tried again only after a day.
"""

import hashlib
import logging
import re
from collections.abc import Iterable
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone

from folkmoot.fetcher import fetch

from .models import LinkPreview
from .rendering import RENDERER_VERSION, embed_urls, render_markdown

logger = logging.getLogger(__name__)

MAX_PAGE_BYTES = 512 * 1024
# A post of fifty bare links must not keep a worker busy fetching for minutes.
MAX_FETCHES_PER_POST = 10
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


def needs_previews(body: str) -> bool:
    """Whether a post with this body has embeds whose previews are missing or due."""
    urls = embed_urls(body)[:MAX_FETCHES_PER_POST]
    if not urls:
        return False
    known = previews_for(urls)
    return any(_due(known.get(url)) for url in urls)


def cook(body: str) -> str:
    """A post body's cooked HTML with the previews fetched so far."""
    return render_markdown(body, previews_for(embed_urls(body)))


def refresh_post_previews(post_id: int) -> int:
    """Fetch the due previews for a post's embeds, then re-render the post with them.
    Returns how many of its embeds have a card."""
    # discussions imports this module, so its names are imported here, when first needed.
    from folkmoot.discussions import page_cache
    from folkmoot.discussions.models import Post

    post = Post.objects.filter(pk=post_id).only("body").first()
    if post is None:
        return 0
    urls = embed_urls(post.body)[:MAX_FETCHES_PER_POST]
    known = previews_for(urls)
    for url in urls:
        if _due(known.get(url)):
            known[url] = fetch_preview(url)
    with transaction.atomic():
        # The body may have been edited while we fetched: render what is there now.
        post = Post.objects.select_for_update().filter(pk=post_id).first()
        if post is None:
            return 0
        urls = embed_urls(post.body)
        previews = previews_for(urls)
        cooked = render_markdown(post.body, previews)
        if cooked != post.cooked:
            post.cooked = cooked
            post.renderer_version = RENDERER_VERSION
            post.save(update_fields=["cooked", "renderer_version"])
            page_cache.content_changed()  # cached pages show the plain link until now
    return sum(1 for url in urls if url in previews and previews[url].is_ok)
