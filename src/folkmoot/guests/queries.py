"""Reads for guests' posts."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from folkmoot.accounts.models import User
from folkmoot.accounts.queries import email_has_account, member_with_email
from folkmoot.discussions.models import Post

from .models import GuestPost

__all__ = ["email_has_account", "member_with_email"]


def guest_posts_for_browser(post_ids) -> list[Post]:
    """A guest's own pending posts (ids from the signed cookie), with their topics."""
    if not post_ids:
        return []
    return list(
        Post.objects.filter(
            pk__in=post_ids,
            status=Post.Status.PENDING,
            author__isnull=True,
            guest__claimed_at__isnull=True,
        )
        .select_related("topic", "guest")
        .order_by("created_at", "pk")
    )


def waiting_guest_posts_for(user: User) -> QuerySet[GuestPost]:
    """Posts guests wrote with one of `user`'s verified addresses, still waiting for the
    owner to publish or discard them, oldest first, with their topics. One query (the
    addresses are a subquery)."""
    verified = EmailAddress.objects.filter(user=user, verified=True).values("email")
    # Addresses compare case-insensitively, like member_with_email.
    lowered = verified.annotate(lowered=Lower("email")).values("lowered")
    return (
        GuestPost.objects.unclaimed()
        .annotate(lowered_email=Lower("email"))
        .filter(lowered_email__in=lowered, post__status=Post.Status.PENDING)
        .select_related("post__topic__category")
        .order_by("created_at", "pk")
    )


def has_waiting_guest_posts(user: User) -> bool:
    return user.is_authenticated and waiting_guest_posts_for(user).exists()


def has_unclaimed_guest_post(email: str) -> bool:
    """Whether a guest post under this address still waits (so its email is on its way)."""
    return GuestPost.objects.unclaimed().filter(email__iexact=email).exists()


def unverified_address_signed_up_here(*, address_id: int | None, email: str):
    """The unverified address this browser signed up with, if it is `email`; else None."""
    if not address_id:
        return None
    return (
        EmailAddress.objects.filter(pk=address_id, email__iexact=email, verified=False)
        .select_related("user")
        .first()
    )


def recent_duplicate_topic(*, category, title: str, body: str, guest_email: str) -> Post | None:
    """The opening post of the same topic a guest with this address started here a moment ago
    (a double submit). The caller holds the category's lock."""
    since = timezone.now() - timedelta(seconds=settings.FOLKMOOT["DUPLICATE_WINDOW_SECONDS"])
    return (
        Post.objects.filter(
            topic__category=category,
            topic__title=title,
            topic__author__isnull=True,
            body=body,
            author__isnull=True,
            status=Post.Status.PENDING,
            guest__email__iexact=guest_email,
            created_at__gte=since,
        )
        .select_related("guest")
        .first()
    )
