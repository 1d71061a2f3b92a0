"""Rendered post chrome, cached per post.

The post body is cooked at write time, but the frame around it (author card, dates, share
box) costs most of a topic page's render time. That frame is the same for every reader, so it
is cached under a key that changes whenever what it shows changes: the post's cooked body
(hashed: a background task may redraw it after the fact, as link previews do), its edit time,
the author's post count, and the host the share links name. The parts that
differ per reader (edit and moderation links) stay outside the cache.
"""

import hashlib

from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from .models import Post

CACHE_SECONDS = 24 * 60 * 60


def _key(post: Post, host: str) -> str:
    edited = post.edited_at.timestamp() if post.edited_at else 0
    author_posts = post.author.post_count if post.author else 0
    cooked = hashlib.blake2b(post.cooked.encode(), digest_size=12).hexdigest()
    return (
        f"post-frame:{post.pk}:{post.number}:{post.renderer_version}:{cooked}:{edited}:"
        f"{post.author_id}:{author_posts}:{host}"
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
