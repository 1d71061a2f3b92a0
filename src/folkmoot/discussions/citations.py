"""Whom a post's HTML names: the members it @mentions (links with class "mention", drawn by
the composer's renderer) and the posts it quotes (a block quote opening with a bold link to
a permalink: "**[name](/p/ID/) wrote:**"). Read from the cooked HTML, so an edit compares
what readers saw before with what they see now."""

import re
from urllib.parse import unquote

from folkmoot.accounts.models import User

from . import policy
from .models import Post

_MENTION = re.compile(r'<a href="/u/([^"/]+)/" class="mention"')
_QUOTE = re.compile(r'<blockquote>\s*<p><strong><a href="/p/(\d+)/"')


def mentioned_usernames(cooked: str) -> set[str]:
    return {unquote(name) for name in _MENTION.findall(cooked)}


def quoted_post_ids(cooked: str) -> set[int]:
    return {int(pk) for pk in _QUOTE.findall(cooked) if len(pk) < 12}


def _who_may_see(members, post: Post) -> list:
    return [
        member
        for member in members
        if member.pk != post.author_id and policy.can_view_topic(member, post.topic)
    ]


def new_mentions(post: Post, *, previous_cooked: str = "") -> list[User]:
    """Members this post mentions and did not before, who may see it (1 query, when any)."""
    names = mentioned_usernames(post.cooked) - mentioned_usernames(previous_cooked)
    if not names:
        return []
    members = User.objects.filter(username__in=names, is_active=True).order_by("pk")
    return _who_may_see(members, post)


def new_quoted_authors(post: Post, *, previous_cooked: str = "") -> list[User]:
    """Authors of the published posts this post quotes and did not before (1 query)."""
    ids = quoted_post_ids(post.cooked) - quoted_post_ids(previous_cooked)
    if not ids:
        return []
    authors = (
        User.objects.filter(posts__pk__in=ids, posts__status=Post.Status.PUBLISHED, is_active=True)
        .distinct()
        .order_by("pk")
    )
    return _who_may_see(authors, post)
