"""Rendered post chrome, cached per post.

The post body is cooked at write time, but the frame around it (author card, dates, share
box) costs most of a topic page's render time. That frame is the same for every reader, so it
is cached under a key that changes whenever what it shows changes: the post's cooked body
(hashed: a background task may redraw it after the fact, as link previews do), its edit time,
the author's post count and picture, the host the share links name, and the reader's time
zone and language. The parts that
differ per reader (edit and moderation links) stay outside the cache.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from folkmoot.accounts import queries as accounts_queries

from . import policy, queries
from .models import Post

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
    """One post of a topic page: its cached frame, and what the reader's own row shows."""

    post: Post
    frame: str
    reactions: list
    mine: str | None  # the reader's reaction, for members (pages for members are never cached)
    can_react: bool
    recommended: bool
    can_nominate: bool  # may suggest it for recommendation (members only: never cached)
    share_url: str  # the post's permalink; the first post shares the topic
    ignored: bool  # by a reader who ignores its author: shown collapsed


def post_rows(request, listing, *, topic) -> list[PostRow]:
    """The page's posts with their frames, reaction counts (from each post's row), the
    member's own reactions (1 query, members only), the members they ignore (1 query, members
    only) and recommendation marks."""
    mine = queries.own_reactions(member=request.user, posts=listing.posts)
    ignored = accounts_queries.ignored_ids(request.user)
    recommended = listing.recommended_post_ids
    site_url = f"{request.scheme}://{request.get_host()}"
    topic_url = site_url + topic.get_absolute_url()
    rows = []
    for post, frame in render_post_frames(request, listing.posts, topic=topic):
        post.topic = topic  # the page's topic: asking the policy costs no query
        rows.append(
            PostRow(
                post=post,
                frame=frame,
                reactions=queries.reaction_counts(post),
                mine=mine.get(post.pk),
                can_react=policy.can_react(request.user, post),
                recommended=post.pk in recommended,
                can_nominate=post.pk not in recommended and policy.can_nominate(request.user, post),
                share_url=topic_url if post.number == 1 else site_url + post.get_absolute_url(),
                ignored=post.author_id in ignored,
            )
        )
    return rows
