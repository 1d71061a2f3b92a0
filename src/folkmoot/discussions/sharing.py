"""How our topics and posts look on other sites: Open Graph and Twitter card tags, schema.org
`DiscussionForumPosting` JSON-LD, and the oEmbed card.

Everything here is built from what an anonymous reader may see, whoever asks: the same tags
are in a member's page and in the anonymous page cache, and a moderator's view of a hidden
post or topic adds nothing to them. No function here queries the database: the topic page
hands over the posts it has already loaded (the first post comes with a later page's posts,
in the same query: queries.topic_page).
"""

import hashlib
import html
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import Resolver404, get_script_prefix, get_urlconf, resolve, reverse
from django.utils.html import escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from folkmoot.memo import Memo
from folkmoot.url_memo import memo_reverse

from . import policy
from .models import Post, Reaction, Topic

# The description other sites show under the title (Open Graph, Twitter, meta description).
DESCRIPTION_CHARS = 200
# The text of each post in the JSON-LD: enough for a search result's snippet, not the page.
JSON_LD_TEXT_CHARS = 1000

ANONYMOUS = AnonymousUser()

# Link-preview fetchers of the sites our links are shared on. They do not follow a permalink's
# redirect to its post (the fragment is the browser's business), so a permalink answers them
# with the post's own card instead (views.post_permalink). Search crawlers are not in the list:
# they follow the redirect to the canonical topic page.
LINK_PREVIEW_AGENTS = re.compile(
    r"facebookexternalhit|Facebot|Twitterbot|Slackbot|Discordbot|LinkedInBot|TelegramBot"
    r"|WhatsApp|Mastodon|Bluesky|Cardyb|redditbot|Embedly|Iframely|SkypeUriPreview"
    r"|Pinterestbot|vkShare|Applebot",
    re.IGNORECASE,
)


def is_link_preview_agent(request) -> bool:
    return bool(LINK_PREVIEW_AGENTS.search(request.headers.get("User-Agent", "")))


def anonymous_may_see(post: Post) -> bool:
    return policy.can_view_post(ANONYMOUS, post)


# Where one block of text ends and the next begins: a space there, so paragraphs do not run
# into each other once the tags are gone.
_BLOCK_END = re.compile(r"<(?:/p|br|/li|/h\d|/div|/blockquote|/pre|/td|/th)\b", re.IGNORECASE)


# A tag in cooked HTML. nh3 wrote it (composer.rendering.sanitize): no comments, attribute values
# in double quotes, and a "<" in text escaped, so each "<" opens a tag that this matches whole.
_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')

# Texts already made, by a digest of the HTML, the length and the language (Truncator's "…" is
# translated): a function of those alone (an edited post has other HTML, another digest), so
# never stale. A topic page asks for 26 of them; making one costs ~15 us a KB, finding it ~1 us.
_texts = Memo(1024)  # ~1 KB each at most


def plain_text(post: Post, chars: int, *, language: str | None = None) -> str:
    """The post's text without markup, whitespace folded, cut at a word near `chars`
    (`language`: the active one, when the caller has asked for it already)."""
    digest = hashlib.blake2b(post.cooked.encode(), digest_size=16).digest()
    key = (digest, chars, language or get_language())
    return _texts.get(key, lambda: _plain_text(post.cooked, chars))


def _plain_text(cooked: str, chars: int) -> str:
    # The tags are dropped by a pattern, not by nh3: the same text, and a reader's page then
    # needs no sanitizer loaded (~1.9 MiB a process).
    spaced = _BLOCK_END.sub(lambda match: " " + match[0], cooked)
    text = " ".join(html.unescape(_TAG.sub("", spaced)).split())
    return text if len(text) <= chars else Truncator(text).chars(chars)


class _FirstImage(HTMLParser):
    def __init__(self):
        super().__init__()
        self.src = ""

    def handle_starttag(self, tag, attrs):
        if tag == "img" and not self.src:
            self.src = dict(attrs).get("src") or ""


def first_image(post: Post) -> str:
    """The src of the post's first picture ("" without one). Sanitized HTML only holds our own
    images (composer.rendering: local sources), uploads or copies of remote ones."""
    if "<img" not in post.cooked:
        return ""
    parser = _FirstImage()
    parser.feed(post.cooked)
    return parser.src


def author_name(post: Post) -> str:
    return post.author.display_name if post.author else "Guest"


def author_url(request, post: Post) -> str:
    if post.author is None:
        return ""
    return request.build_absolute_uri(reverse("profile", args=[post.author.username]))


def oembed_discovery_url(request, url: str) -> str:
    query = urlencode({"url": url, "format": "json"})
    return absolute_url(request, memo_reverse("oembed")) + "?" + query


def absolute_url(request, path: str, *, site: str = "") -> str:
    """request.build_absolute_uri(path) for a path from reverse() (`site`: the request's
    scheme and host, when the caller has them): the site before it, unless it has dot
    segments or starts with "//", which build_absolute_uri() resolves. (It also runs
    iri_to_uri(), which changes no character that reverse() or a validated host leaves.)"""
    if path[:1] != "/" or path[:2] == "//" or "/." in path:
        return request.build_absolute_uri(path)
    return (site or f"{request.scheme}://{request.get_host()}") + path


@dataclass(frozen=True)
class ShareCard:
    """What Open Graph, Twitter and the meta description say about a page."""

    title: str
    description: str
    url: str  # canonical, absolute
    image: str  # absolute, or ""
    site_name: str
    published: str  # ISO 8601
    modified: str  # ISO 8601, or ""
    oembed_url: str


def post_card(request, post: Post, *, url: str, title: str,
              language: str | None = None) -> ShareCard:  # fmt: skip
    image = first_image(post)
    return ShareCard(
        title=title,
        description=plain_text(post, DESCRIPTION_CHARS, language=language),
        url=url,
        image=request.build_absolute_uri(image) if image else "",
        site_name=settings.SITE_NAME,
        published=post.created_at.isoformat(),
        modified=post.edited_at.isoformat() if post.edited_at else "",
        oembed_url=oembed_discovery_url(request, url),
    )


@dataclass(frozen=True)
class TopicSharing:
    card: ShareCard
    json_ld: SafeString  # the whole <script> element


def for_topic_page(request, *, topic: Topic, opening_post: Post | None, posts: list[Post],
                   page_number: int) -> TopicSharing | None:  # fmt: skip
    """The sharing tags of a topic page, or None where anonymous readers may not see the topic
    (a moderator's view of a held or deleted one: members' pages are never cached, and tags
    naming hidden content would leak it when the page is shared)."""
    for post in [opening_post, *posts] if opening_post else posts:
        post.topic = topic  # the page's topic: asking the policy costs no query
    if opening_post is None or not anonymous_may_see(opening_post):
        return None
    links = _PageLinks(request)
    topic_url = links.site + topic.get_absolute_url()
    page_url = topic_url + (f"?page={page_number}" if page_number > 1 else "")
    # json_ld_script(discussion_forum_posting(...)), each part written once for what it shows:
    # the card and the posting without its comments (_card_and_head), then the comments in
    # their list (_comment_json).
    card, head = _card_and_head(
        links, topic=topic, opening_post=opening_post, topic_url=topic_url, page_url=page_url
    )
    replies = [post for post in posts if post.number != 1 and anonymous_may_see(post)]
    comments = ",".join([_comment_json(reply, links) for reply in replies])
    return TopicSharing(
        card=card,
        json_ld=mark_safe(f"{_SCRIPT_START}{head}[{comments}]}}{_SCRIPT_END}"),  # all escaped
    )


# Cards and postings (without comments) already made, by everything they show: the page's
# links (links.key) and path (a picture's address may be relative to it), the topic's
# addresses, title, category and count, the opening post's HTML (a digest: text, picture),
# author, dates and likes, the site's name. A function of those alone, so never stale; ~3 KB
# each at most.
_heads = Memo(256)


def _card_and_head(links: "_PageLinks", *, topic: Topic, opening_post: Post, topic_url: str,
                   page_url: str) -> tuple[ShareCard, str]:  # fmt: skip
    key = (
        links.key,
        links.request.path,
        topic_url,
        page_url,
        topic.title,
        topic.category.name,
        topic.post_count,
        *_post_shown(opening_post),
        settings.SITE_NAME,
    )

    def make() -> tuple[ShareCard, str]:
        card = post_card(
            links.request, opening_post, url=page_url, title=topic.title, language=links.language
        )
        posting = _posting(
            links,
            topic=topic,
            opening_post=opening_post,
            topic_url=topic_url,
            page_url=page_url,
            image=card.image,
        )
        return card, _script_json({**posting, "comment": []}).removesuffix("[]}")

    return _heads.get(key, make)


class _PageLinks:
    """What a page's JSON-LD needs for every post: the site, its permalinks and profile
    addresses (reverse()d once: reverse() for each of a page's authors cost more than the rest
    of the JSON-LD), the language (the texts' "…"), and all of these as one string for the
    keys of what is made from them (_comment_json)."""

    def __init__(self, request):
        self.request = request
        self.site = f"{request.scheme}://{request.get_host()}"
        self.language = get_language()
        self._permalink, self._profile, oembed = _page_paths(self.language)
        # (No newline in an address from reverse(), a validated host or a language code.)
        self.key = "\n".join([self.site, self.language, *self._permalink, *self._profile, oembed])

    def permalink(self, post_id: int) -> str:
        head, tail = self._permalink
        return f"{self.site}{head}{post_id}{tail}"

    def profile_url(self, username: str) -> str:
        """The name quoted as reverse() quotes a path."""
        quoted = username if _UNQUOTED.fullmatch(username) else quote(username, safe=_PATH_SAFE)
        head, tail = self._profile
        return absolute_url(self.request, f"{head}{quoted}{tail}", site=self.site)


def _person(post: Post, links: _PageLinks) -> dict:
    """The author as a schema.org Person, with their profile's address."""
    person = {"@type": "Person", "name": author_name(post)}
    if post.author is not None:
        person["url"] = links.profile_url(post.author.username)
    return person


# What reverse() leaves unquoted in a path's arguments, and the names made only of characters
# that quote() leaves as they are (most of them: quoting is then skipped).
_PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~@+-]*")


# The paths a page's sharing tags name, by what reverse() reads besides its arguments (as in
# url_memo): one lookup for the three.
_paths = Memo(64)


def _page_paths(language: str) -> tuple[tuple[str, str], tuple[str, str], str]:
    return _paths.get(
        (get_script_prefix(), get_urlconf(), language),
        lambda: (
            path_parts("post_permalink", kwargs={"post_id": 2147483647}),
            path_parts("profile", args=["2147483647"]),
            reverse("oembed"),
        ),
    )


def path_parts(view: str, *, args=(), kwargs=None) -> tuple[str, str]:
    """The path of `view` as the two parts around its one argument, given as 2147483647."""
    head, tail = memo_reverse(view, args=args, kwargs=kwargs).split("2147483647")
    return head, tail


_LIKE = Reaction.Kind.LIKE.value  # the plain str: an enum member hashes in Python code


def _likes(post: Post) -> dict:
    return {
        "@type": "InteractionCounter",
        "interactionType": "https://schema.org/LikeAction",
        "userInteractionCount": int(post.reaction_counts.get(_LIKE, 0)),
    }


def _dates(post: Post) -> dict:
    dates = {"datePublished": post.created_at.isoformat()}
    if post.edited_at:
        dates["dateModified"] = post.edited_at.isoformat()
    return dates


def discussion_forum_posting(request, *, topic: Topic, opening_post: Post, replies: list[Post],
                             topic_url: str, page_url: str, image: str) -> dict:  # fmt: skip
    """Google's forum markup (developers.google.com/search/docs/appearance/structured-data/
    discussion-forum): required `author` (with `name`), `datePublished`, and `text` (or an
    image or video), on the posting and on each `Comment`; recommended `headline`, `url`,
    `dateModified`, `interactionStatistic`, `comment`, `author.url`. A non-threaded forum
    nests its replies as comments of the original post, and a later page repeats the original
    post with the URL of the topic's first page."""
    links = _PageLinks(request)
    posting = _posting(
        links,
        topic=topic,
        opening_post=opening_post,
        topic_url=topic_url,
        page_url=page_url,
        image=image,
    )
    posting["comment"] = [_comment(reply, links) for reply in replies]
    return posting


def _posting(links: _PageLinks, *, topic: Topic, opening_post: Post, topic_url: str,
             page_url: str, image: str) -> dict:  # fmt: skip
    """The posting without its comments (the last of its keys)."""
    posting = {
        "@context": "https://schema.org",
        "@type": "DiscussionForumPosting",
        "@id": topic_url,
        "url": topic_url,
        "mainEntityOfPage": page_url,
        "headline": topic.title,
        "text": plain_text(opening_post, JSON_LD_TEXT_CHARS, language=links.language),
        "author": _person(opening_post, links),
        **_dates(opening_post),
        "articleSection": topic.category.name,
        "interactionStatistic": [
            {
                "@type": "InteractionCounter",
                "interactionType": "https://schema.org/CommentAction",
                "userInteractionCount": max(topic.post_count - 1, 0),
            },
            _likes(opening_post),
        ],
    }
    if image:
        posting["image"] = image
    return posting


def _comment(reply: Post, links: _PageLinks) -> dict:
    url = links.permalink(reply.pk)
    return {
        "@type": "Comment",
        "@id": url,
        "url": url,
        "text": plain_text(reply, JSON_LD_TEXT_CHARS, language=links.language),
        "author": _person(reply, links),
        **_dates(reply),
        "interactionStatistic": _likes(reply),
    }


# Comments already written as JSON-LD (escaped for <script>), by everything they show: the
# page's links and language (links.key), the post's id (its permalink), a digest of its HTML
# (the text), the author's names (the name shown, the profile's address), the dates as written
# and the likes. A function of those alone, so never stale; a page reads 25 of them, each
# ~1.5 KB at most (a 1,000-character text).
_comments = Memo(1024)


def _comment_json(reply: Post, links: _PageLinks) -> str:
    key = (links.key, reply.pk, *_post_shown(reply))
    return _comments.get(key, lambda: _script_json(_comment(reply, links)))


def _post_shown(post: Post) -> tuple:
    """What the sharing tags show of a post: its HTML (by digest), its author's names, its
    dates as written and its likes."""
    author = post.author
    return (
        hashlib.blake2b(post.cooked.encode(), digest_size=16).digest(),
        (author.username, author.chosen_name) if author else None,
        post.created_at.isoformat(),
        post.edited_at.isoformat() if post.edited_at else None,
        int(post.reaction_counts.get(_LIKE, 0)),
    )


# Inside <script>, the HTML parser ends the element at the first "</script" and treats "<!--"
# specially, whatever JSON says about strings. Escaping every <, > and & as a JSON \u escape
# (what Django's json_script does) leaves no markup in the element and the same JSON value.
# (Three replace() calls: str.translate with a table looks up every character, ~3 ms a page.)
def _script_json(data) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_SCRIPT_START, _SCRIPT_END = '<script type="application/ld+json">', "</script>"


def json_ld_script(data: dict) -> SafeString:
    return mark_safe(f"{_SCRIPT_START}{_script_json(data)}{_SCRIPT_END}")  # escaped


# --- oEmbed -----------------------------------------------------------------------------------

OEMBED_WIDTH = 550  # what we return without a maxwidth
# Public content only, but a post hidden later should stop embedding soon.
OEMBED_CACHE_SECONDS = 300
OEMBED_TEXT_CHARS = 400


def oembed_height(text: str, width: int) -> int:
    """An honest guess at the card's height: the quoted text wrapped at ~7 px a character at
    16 px type, plus the byline and padding. Consumers size an iframe or a box by it."""
    chars_per_line = max(width // 8, 20)
    lines = max(1, -(-len(text) // chars_per_line))
    return 24 * lines + 90


def oembed_html(request, post: Post, *, title: str, url: str, width: int) -> str:
    """The card: a block quote of the post's text with its author and a link to it, every byte
    of user text escaped, then run through nh3 with only the card's tags allowed."""
    text = plain_text(post, OEMBED_TEXT_CHARS)
    card = (
        f'<blockquote class="folkmoot-embed" cite="{escape(url)}">'
        f"<p>{escape(text)}</p>"
        f"<footer>— {escape(author_name(post))}, "
        f'<a href="{escape(url)}">{escape(title)}</a> · {escape(settings.SITE_NAME)}</footer>'
        "</blockquote>"
    )
    import nh3  # on an oEmbed request only (plain_text says why)

    return nh3.clean(
        card,
        tags={"blockquote", "p", "footer", "a"},
        attributes={"blockquote": {"class", "cite"}, "a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="noopener",
    )


@dataclass(frozen=True)
class EmbedReference:
    """What an oEmbed `url` names: a topic (its post `number`, 1 unless the URL's fragment
    names another) or a post by id."""

    topic_id: int | None = None
    number: int = 1
    post_id: int | None = None


_POST_FRAGMENT = re.compile(r"post-(\d{1,9})")


def embed_reference(url: str, *, host: str) -> EmbedReference | None:
    """The topic or post an oEmbed `url` names on this site, or None (another site, another
    page, or no URL at all)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != host.lower():
        return None
    try:
        match = resolve(unquote(parts.path))
    except Resolver404:
        return None
    if match.url_name == "post_permalink":
        return EmbedReference(post_id=int(match.kwargs["post_id"]))
    if match.url_name == "topic":
        fragment = _POST_FRAGMENT.fullmatch(parts.fragment)
        number = int(fragment.group(1)) if fragment else 1
        return EmbedReference(topic_id=int(match.kwargs["topic_id"]), number=number)
    return None


def oembed_response_data(request, post: Post, *, maxwidth: int | None,
                         maxheight: int | None) -> dict:  # fmt: skip
    """The oEmbed 1.0 "rich" response for a post (oembed.com, section 2.3.4): `html`,
    `width` and `height` required, and neither larger than the consumer's maxwidth or
    maxheight."""
    site = f"{request.scheme}://{request.get_host()}"
    topic = post.topic
    if post.number == 1:
        url, title = site + topic.get_absolute_url(), topic.title
    else:
        url, title = site + post.get_absolute_url(), f"{topic.title} (post #{post.number})"
    width = min(OEMBED_WIDTH, maxwidth) if maxwidth else OEMBED_WIDTH
    height = oembed_height(plain_text(post, OEMBED_TEXT_CHARS), width)
    if maxheight:
        height = min(height, maxheight)
    data = {
        "version": "1.0",
        "type": "rich",
        "provider_name": settings.SITE_NAME,
        "provider_url": site + "/",
        "title": title,
        "author_name": author_name(post),
        "html": oembed_html(request, post, title=title, url=url, width=width),
        "width": width,
        "height": height,
        "cache_age": OEMBED_CACHE_SECONDS,
    }
    if post_author_url := author_url(request, post):
        data["author_url"] = post_author_url
    return data


# --- sharing on Mastodon ---------------------------------------------------------------------
# Mastodon has no one site to share to: we ask for the reader's server, then offer a link to its
# share page. Only a bare host name is accepted (no scheme, path or user), and only our own URLs
# are shared, so the page cannot be made to point anywhere a third party chooses.

_HOST_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_MASTODON_INSTANCE = re.compile(rf"{_HOST_LABEL}(?:\.{_HOST_LABEL})*(?::\d{{1,5}})?")
MASTODON_INSTANCE_CHARS = 253 + 6  # the longest host name and a port
MASTODON_TEXT_CHARS = 300


def mastodon_instance(typed: str) -> str:
    """The Mastodon server a reader typed, as a bare host name (with an optional port),
    lowercased; ValueError with the reason for anything else."""
    instance = typed.strip().lower()
    if not instance:
        raise ValueError(_("Type the name of your Mastodon server, for example mastodon.social."))
    if len(instance) > MASTODON_INSTANCE_CHARS or not _MASTODON_INSTANCE.fullmatch(instance):
        raise ValueError(
            _(
                "Type only the server's name, for example mastodon.social: "
                "no https://, no path after it and no user name."
            )
        )
    return instance


def own_absolute_url(request, url: str) -> str | None:
    """`url` made absolute if it is a page of this site (a path, or http(s) on our host),
    else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        ours = parts.netloc.lower() == request.get_host().lower()
        if parts.scheme not in ("http", "https") or not ours:
            return None
    elif not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    if "\\" in url or any(ord(char) < 32 for char in url):
        return None
    return request.build_absolute_uri(url)


def mastodon_share_url(*, instance: str, text: str, url: str) -> str:
    """The server's share page with the title and link filled in."""
    message = f"{text[:MASTODON_TEXT_CHARS]} {url}".strip()
    return f"https://{instance}/share?" + urlencode({"text": message}, quote_via=quote)
