"""Rendered post chrome, cached per post.

The post body is cooked at write time, but the frame around it (author card, dates) costs
most of a topic page's render time. That frame is the same for every reader, so it is kept
under a digest of everything it shows: the post's cooked body (a background task may redraw it
after the fact, as link previews do: there is no version to go by), its number, dates and
renderer, the author's names, picture, join date, post count and signature, the host, and the
reader's time zone and language. Being a function of its key alone, a frame is kept in this
process (bounded by size) and, with Redis, in the shared cache for the other processes. The
parts that differ per reader (edit and moderation links) stay outside it.

The row around each frame (reactions, share box, quote, edit and moderation links) differs per
reader, but only in a few flags: the template for it is rendered once per shape (those flags,
the reader's kind and language) with placeholders for the per-post values, kept in this
process (it holds no data, only markup and translations), and each post fills the
placeholders in. A page of 25 posts then costs a few template renders, not 25.
"""

import hashlib
from dataclasses import dataclass, replace
from html import escape as _escape
from types import SimpleNamespace
from typing import NamedTuple
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from folkmoot.accounts import queries as accounts_queries

from . import policy, queries, sharing, stamps
from .models import REACTION_EMOJI, Post

CACHE_SECONDS = 24 * 60 * 60
# Frames kept in this process, by their key: a function of it alone, like the shared cache's
# copies (what would change a frame changes its key). Bounded by size (each frame holds its
# post's HTML): past it, the memo starts again from nothing.
FRAME_MEMO_CHARS = 1_000_000


class _FrameMemo:
    def __init__(self, max_chars: int):
        self._max_chars = max_chars
        self._chars = 0
        self._frames: dict[bytes, SafeString] = {}

    def get(self, key: bytes) -> SafeString | None:
        return self._frames.get(key)

    def keep(self, key: bytes, html: SafeString) -> None:
        if settings.DEBUG:  # templates change under a running development server
            return
        if self._chars + len(html) > self._max_chars:
            self._frames.clear()
            self._chars = 0
        self._frames[key] = html
        self._chars += len(html)


_frames = _FrameMemo(FRAME_MEMO_CHARS)


def _key(post: Post, page: str, authors: dict) -> bytes:
    """A digest of everything the frame shows: `page` holds what is the same for the page's
    posts (host, time zone, language), `authors` what each author's posts show of them (by id:
    the page's posts come from one query, so one author's rows are the same). Free text is
    prefixed with its length, so no two different frames' inputs make the same string."""
    shown = authors.get(post.author_id)
    if shown is None:
        shown = authors[post.author_id] = _author_shown(post.author)
    # Moments as isoformat() writes them: the instant and the offset it is given in (as
    # much as the frame's dates can show), faster than a float's digits.
    edited = post.edited_at.isoformat() if post.edited_at else ""
    text = (
        f"{page}{post.pk} {post.number} {post.renderer_version} {post.created_at.isoformat()} "
        f"{edited} {shown}\n{len(post.cooked)}:{post.cooked}"
    )
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _author_shown(author) -> str:
    """The author as the frame shows them: the name (chosen, else the username), the username
    in the profile links, the picture (or the colour by id), when they joined, their posts,
    their signature."""
    if author is None:
        return "-"
    avatar = author.avatar.name
    return (
        f"{author.pk} {len(author.username)}:{author.username}"
        f"{len(author.chosen_name)}:{author.chosen_name}{len(avatar)}:{avatar}"
        f"{author.date_joined.isoformat()} {author.post_count} "
        f"{len(author.signature_html)}:{author.signature_html}"
    )


def render_post_frames(request, posts: list[Post], *, topic) -> list[tuple[Post, str]]:
    """Each post with its rendered frame: from this process's memo, else the shared cache (one
    round trip for all the memo lacks), else rendered."""
    host = request.get_host()
    # Dates are shown in the reader's time zone (a member's setting) and language.
    page = f"{host}\n{timezone.get_current_timezone_name()}\n{translation.get_language()}\n"
    authors = {}
    keys = [_key(post, page, authors) for post in posts]
    frames = [_frames.get(key) for key in keys]
    if None in frames:
        _fill_missing(frames, keys, posts, topic=topic, site_url=f"{request.scheme}://{host}")
    return list(zip(posts, frames, strict=True))


def _fill_missing(frames: list, keys: list[bytes], posts: list[Post], *, topic, site_url):
    """The frames the memo lacks, from the shared cache or rendered (and kept in both). A cache
    in this process's own memory (LocMemCache: no Redis) would only hold a second copy."""
    shared = None if isinstance(caches["default"], LocMemCache) else cache
    missing = [index for index, html in enumerate(frames) if html is None]
    names = {index: f"post-frame:{keys[index].hex()}" for index in missing}
    cached = shared.get_many(list(names.values())) if shared else {}
    template = get_template("discussions/_post_frame.html")
    rendered = {}
    for index in missing:
        html = cached.get(names[index])
        if html is None:
            html = template.render({"post": posts[index], "topic": topic, "site_url": site_url})
            rendered[names[index]] = html
        # Rendered by our own template, autoescaped. (SafeString, not mark_safe(): that checks
        # its argument for laziness, ~1 us a call, 25 a page.)
        frames[index] = SafeString(html)
        _frames.keep(keys[index], frames[index])
    if rendered and shared:
        shared.set_many(rendered, CACHE_SECONDS)


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
    # A post's permalink is head + id + tail, and escaping and quoting go character by
    # character: each part is escaped and quoted once for the page, the ids (digits) need
    # neither.
    head, tail = sharing.path_parts("post_permalink", kwargs={"post_id": 2147483647})
    link_e = (_escape(head), _escape(tail))
    share_e = (_escape(site_url + head), link_e[1])
    share_q = (quote(site_url + head, safe=""), quote(tail, safe=""))
    topic_url_e, topic_url_q = _escape(topic_url), quote(topic_url, safe="")
    guest = _escape(gettext("Guest"))
    is_member = user.is_authenticated
    published = Post.Status.PUBLISHED
    hidden_template = None
    rows = []
    for post, frame in render_post_frames(request, listing.posts, topic=topic):
        post.topic = topic  # the page's topic: asking the policy costs no query
        if post.status != published:  # a moderator's page: shown in its place
            hidden_template = hidden_template or get_template("moderation/_hidden_post.html")
            context = {"post": post, "frame": frame, "csrf_token": page.csrf_token()}
            rows.append(PostRow(post=post, html=mark_safe(hidden_template.render(context))))
            continue
        # (Each read once: the id and the author are properties and descriptors.)
        post_id, number, author_id, author = post.pk, post.number, post.author_id, post.author
        own = is_member and author_id == user.pk
        is_recommended = post_id in recommended
        counts = post.reaction_counts
        reacted = tuple(kind for kind in _KINDS if counts.get(kind)) if counts else ()
        shape = _RowShape(
            recommended=is_recommended,
            unread=bool(unread_from) and number >= unread_from,
            first_unread=number == unread_from,
            ignored=author_id in ignored,
            can_react=policy.can_react(user, post),
            mine=mine.get(post_id),
            reacted=reacted,
            can_nominate=not is_recommended and policy.can_nominate(user, post),
            own_post=own,
            others_post=bool(author_id) and not own,
            first_post=number == 1,
        )
        pk = str(post_id)
        # Escaped here, once each: names may hold anything; numbers, the frame (our own
        # template's output) and quoted URLs need nothing. (html.escape is what Django's
        # escape() calls, without its checks for lazy text: these are all str.)
        author_display = _escape(author.display_name) if author else ""
        values = {
            "pk": pk,
            "number": str(number),
            "author_id": str(author_id or ""),
            "frame": frame,
            "author_name": author_display or guest,
            "author_display": author_display,
            "permalink": f"{link_e[0]}{pk}{link_e[1]}",
            "share_url": topic_url_e if shape.first_post else f"{share_e[0]}{pk}{share_e[1]}",
            "share_url_q": topic_url_q if shape.first_post else f"{share_q[0]}{pk}{share_q[1]}",
        }
        for kind in reacted:
            values[f"count_{kind}"] = str(int(counts[kind]))
        rows.append(PostRow(post=post, html=_fill(shape, page, values)))
    return rows


def _unwrapped(user):
    """The reader without the lazy wrapper the auth middleware puts on the request: the policy
    reads the reader's attributes ~30 times a post, each read through the wrapper costing a few
    function calls (~1 ms a member's page)."""
    user.is_authenticated  # noqa: B018 (loads the reader, if nothing has yet)
    return getattr(user, "_wrapped", user)


class _RowShape(NamedTuple):
    """What makes one post's row differ from another's beyond the values filled in (a named
    tuple: made and hashed 25 times a page, ~4 times faster than a frozen dataclass)."""

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
            **shape._asdict(),
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
