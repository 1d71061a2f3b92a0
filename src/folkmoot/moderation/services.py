"""Moderators' decisions on held posts: one function each, logged, the author told by email."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from folkmoot.discussions.models import Post
from folkmoot.discussions.services import publish_post

from . import policy
from .models import ModerationLog, QueuedPost

logger = logging.getLogger(__name__)


def _locked_entry(post: Post) -> QueuedPost | None:
    return QueuedPost.objects.select_for_update().filter(post=post).first()


def _notify(post: Post, *, approved: bool, origin: str, reason: str = "") -> None:
    author = post.author
    if author is None or not author.email:
        return
    topic = post.topic
    if approved:
        subject = f"Your post in “{topic.title}” is published"
        text = (
            f"A moderator approved your post. Read it here:\n\n{origin}{post.get_absolute_url()}\n"
        )
    else:
        subject = f"Your post in “{topic.title}” was not approved"
        text = "A moderator decided not to publish your post."
        if reason:
            text += f"\n\nReason: {reason}"
        text += f"\n\nYour text, so you can keep it:\n\n{post.body}\n"

    def send():
        try:
            send_mail(f"{subject} · {settings.SITE_NAME}", text, None, [author.email])
        except Exception:  # the decision stands even if the mail server is down
            logger.exception("Could not email the author of post %s", post.pk)

    transaction.on_commit(send)


@transaction.atomic
def approve_post(*, post: Post, moderator, origin: str = "") -> Post:
    if not policy.is_moderator_of(moderator, post.topic.category):
        raise PermissionDenied("You do not moderate this category.")
    entry = _locked_entry(post)
    if entry is None:
        return post  # someone else decided first
    entry.delete()
    post.created_at = timezone.now()
    publish_post(post)
    ModerationLog.objects.create(
        action=ModerationLog.Action.APPROVE, post=post, moderator=moderator, author=post.author
    )
    _notify(post, approved=True, origin=origin)
    return post


@transaction.atomic
def reject_post(*, post: Post, moderator, reason: str = "", origin: str = "") -> Post:
    if not policy.is_moderator_of(moderator, post.topic.category):
        raise PermissionDenied("You do not moderate this category.")
    entry = _locked_entry(post)
    if entry is None:
        return post
    entry.delete()
    post.status = Post.Status.DELETED
    post.save(update_fields=["status"])
    ModerationLog.objects.create(
        action=ModerationLog.Action.REJECT,
        post=post,
        moderator=moderator,
        author=post.author,
        reason=reason[:500],
    )
    _notify(post, approved=False, origin=origin, reason=reason)
    return post
