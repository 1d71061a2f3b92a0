"""Rendered post chrome, cached per post.

The post body is cooked at write time, but the frame around it (author card, dates, share
box) costs most of a topic page's render time. That frame is the same for every reader, so it
is cached under a key that changes whenever what it shows changes: the post's cooked body
(hashed: a background task may redraw it after the fact, as link previews do), its edit time,
the author's post count and picture, the host the share links name, and the reader's time
zone and language. The parts that
differ per reader (edit and moderation links) stay outside the cache.

The row around each frame (reactions, share box, quote, edit and moderation links) differs per
reader, but only in a few flags: the template for it is rendered once per shape (those flags,
the reader's kind and language) with placeholders for the per-post values, kept in this
process (it holds no data, only markup and translations), and each post fills the
placeholders in. A page of 25 posts then costs a few template renders, not 25.
"""

import hashlib
from dataclasses import asdict, dataclass, replace
from html import escape as _escape
from types import SimpleNamespace
from urllib.parse import quote

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from folkmoot.accounts import queries as accounts_queries

from . import policy, queries, sharing, stamps
from .models import REACTION_EMOJI, Post

CACHE_SECONDS = 24 * 60 * 60


def _key(post: Post, host: str) -> str:
    edited = post.edited_at.timestamp() if post.edited_at else 0
    author_posts = post.author.post_count if post.author else 0
    avatar = post.author.avatar.name if post.author else ""
    # The author's name and signature as they show them (account settings).
    shown = f"{post.author.chosen_name}\n{post.author.signature_html}" if post.author else ""
    cooked = hashlib.blake2b(f"{post.cooked}\n{shown}".encode(), digest_size=12).hexdigest()
    # Dates are shown in the reader's time zone (a member's setting).
    zone = timezone.get_current_timezone_name()
    # And in the reader's language.
    language = translation.get_language()
    return (
        f"post-frame:{post.pk}:{post.number}:{post.renderer_version}:{cooked}:{edited}:"
        f"{post.author_id}:{author_posts}:{avatar}:{host}:{zone}:{language}"
    )


def render_post_frames(request, posts: list[Post], *, topic) -> list[tuple[Post, str]]:
    """Each post with its rendered frame: one cache round trip, rendering only the misses."""
    host = request.get_host()
    keys = {post.pk: _key(post, host) for post in posts}
    cached = cache.get_many(list(keys.values()))
    template = get_template("discussions/_post_frame.html")
    site_url = f"{request.scheme}://{host}"
    missing = {}
    framed = []
    for post in posts:
        html = cached.get(keys[post.pk])
        if html is None:
            html = template.render({"post": post, "topic": topic, "site_url": site_url})
            missing[keys[post.pk]] = html
        framed.append((post, mark_safe(html)))  # rendered by our own template, autoescaped
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return framed


@dataclass(frozen=True)
class PostRow:
    """One post of a topic page, as the page shows it to this reader."""

    post: Post
    html: str


def post_rows(
    request, listing, *, topic, is_moderator: bool, can_quote: bool, unread_from: int | None
) -> list[PostRow]:
    """The page's posts, each as the reader sees it: its frame in its row (reaction counts
    from the post's row, the member's own reactions: 1 query, members only, the members they
    ignore: 1 query, members only, recommendation marks, the reader's links)."""
    user = _unwrapped(request.user)
    mine = queries.own_reactions(member=user, posts=listing.posts)
    ignored = accounts_queries.ignored_ids(user)
    recommended = listing.recommended_post_ids
    site_url = f"{request.scheme}://{request.get_host()}"
    topic_url = site_url + topic.get_absolute_url()
    permalink = sharing.permalinks("")
    page = _PageValues(
        request,
        title=topic.title,
        quote_page=f"page={listing.window.number}&" if listing.window.number > 1 else "",
        shape=(
            translation.get_language(),
            user.is_authenticated,
            user.is_staff,
            is_moderator,
            can_quote,
            topic.is_deleted,
        ),
    )
    guest = _escape(gettext("Guest"))
    hidden_template = None
    rows = []
    for post, frame in render_post_frames(request, listing.posts, topic=topic):
        post.topic = topic  # the page's topic: asking the policy costs no query
        if post.status != Post.Status.PUBLISHED:  # a moderator's page: shown in its place
            hidden_template = hidden_template or get_template("moderation/_hidden_post.html")
            context = {"post": post, "frame": frame, "csrf_token": page.csrf_token()}
            rows.append(PostRow(post=post, html=mark_safe(hidden_template.render(context))))
            continue
        own = user.is_authenticated and post.author_id == user.pk
        is_recommended = post.pk in recommended
        counts = post.reaction_counts or {}
        shape = _RowShape(
            recommended=is_recommended,
            unread=bool(unread_from) and post.number >= unread_from,
            first_unread=post.number == unread_from,
            ignored=post.author_id in ignored,
            can_react=policy.can_react(user, post),
            mine=mine.get(post.pk),
            reacted=tuple(kind for kind in _KINDS if counts.get(kind)),
            can_nominate=not is_recommended and policy.can_nominate(user, post),
            own_post=own,
            others_post=bool(post.author_id) and not own,
            first_post=post.number == 1,
        )
        link = permalink(post.pk)
        share_url = topic_url if post.number == 1 else site_url + link
        author = post.author.display_name if post.author else ""
        # Escaped here, once each: names and addresses may hold anything; numbers, the
        # frame (our own template's output) and quoted URLs need nothing. (html.escape is what
        # Django's escape() calls, without its checks for lazy text: these are all str.)
        values = {
            "pk": str(post.pk),
            "number": str(post.number),
            "author_id": str(post.author_id or ""),
            "frame": frame,
            "author_name": _escape(author) if author else guest,
            "author_display": _escape(author),
            "permalink": _escape(link),
            "share_url": _escape(share_url),
            "share_url_q": quote(share_url, safe=""),
            **{f"count_{kind}": str(int(counts.get(kind, 0))) for kind in shape.reacted},
        }
        rows.append(PostRow(post=post, html=_fill(shape, page, values)))
    return rows


def _unwrapped(user):
    """The reader without the lazy wrapper the auth middleware puts on the request: the policy
    reads the reader's attributes ~30 times a post, each read through the wrapper costing a few
    function calls (~1 ms a member's page)."""
    user.is_authenticated  # noqa: B018 (loads the reader, if nothing has yet)
    return getattr(user, "_wrapped", user)


@dataclass(frozen=True)
class _RowShape:
    """What makes one post's row differ from another's beyond the values filled in."""

    recommended: bool
    unread: bool
    first_unread: bool
    ignored: bool
    can_react: bool
    mine: str | None
    reacted: tuple[str, ...]  # the kinds with a count: their chips show
    can_nominate: bool
    own_post: bool
    others_post: bool  # by a member other than the reader
    first_post: bool


class _PageValues:
    """The values that are the same for every post of the page, escaped once."""

    def __init__(self, request, *, title: str, quote_page: str, shape: tuple):
        self.request = request
        self.shape = shape
        self.values = {
            "title": conditional_escape(title),
            "title_q": quote(title, safe=""),
            "quote_page": conditional_escape(quote_page),
        }

    def csrf_token(self) -> str:
        # Asked for only when a row has a form, as {% csrf_token %} did: asking marks the
        # response to set the CSRF cookie.
        if "csrf_token" not in self.values:
            self.values["csrf_token"] = get_token(self.request)
        return self.values["csrf_token"]


_KINDS = [kind.value for kind in REACTION_EMOJI]
_STAMPS = stamps.Stamps(
    "discussions/_post_row.html",
    [
        *("pk", "number", "author_id", "frame", "author_name", "author_display", "permalink"),
        *("share_url", "share_url_q", "title", "title_q", "quote_page", "csrf_token"),
        *(f"count_{kind}" for kind in _KINDS),
    ],
)


def _fill(shape: _RowShape, page: _PageValues, values: dict) -> str:
    stamp = _STAMPS.get((shape, page.shape), lambda: _row_context(shape, page.shape))
    if stamp.uses("csrf_token"):
        page.csrf_token()
    return stamp.fill(values | page.values)


_slot = _STAMPS.slot


def _row_context(shape: _RowShape, page_shape: tuple) -> dict:
    """The row template's context, every per-post and per-page value a placeholder."""
    _language, is_authenticated, is_staff, is_moderator, can_quote, topic_deleted = page_shape
    reactions = [
        replace(count, count=_slot(f"count_{count.kind}") if count.kind in shape.reacted else 0)
        for count in queries.reaction_counts(Post(reaction_counts={}))  # names, emoji
    ]
    return {
        "row": SimpleNamespace(
            **asdict(shape),
            reactions=reactions,
            frame=_slot("frame"),
            author_display=_slot("author_display"),
            permalink=_slot("permalink"),
            share_url=_slot("share_url"),
            share_url_q=_slot("share_url_q"),
        ),
        "post": SimpleNamespace(
            pk=_slot("pk"), number=_slot("number"), author_id=_slot("author_id")
        ),
        "topic": SimpleNamespace(
            title=_slot("title"), title_q=_slot("title_q"), is_deleted=topic_deleted
        ),
        "user": SimpleNamespace(is_authenticated=is_authenticated, is_staff=is_staff),
        "author_name": _slot("author_name"),
        "quote_page": _slot("quote_page"),
        "csrf_token": _slot("csrf_token"),
        "is_moderator": is_moderator,
        "can_quote": can_quote,
    }
