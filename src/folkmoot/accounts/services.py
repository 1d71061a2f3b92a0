"""Guests: post now, register later. Every write for a guest's post, one function per action.

A guest's reply is saved as a pending post with a GuestPost beside it (email, name, IP, claim
token). Nobody but the guest's own browser sees it. When an account with a verified address
matching the guest's email signs up or signs in, `claim_guest_posts` publishes the posts under
that account (numbered at publication), or queues them for a moderator where the category says
so. Unclaimed posts get one reminder and are deleted later (tasks.py).
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from folkmoot.composer.validation import validate_post_body
from folkmoot.discussions import policy
from folkmoot.discussions.models import Post, Topic
from folkmoot.discussions.services import new_post, publish_post
from folkmoot.moderation import antibot, limits
from folkmoot.moderation import policy as moderation_policy
from folkmoot.moderation.models import QueuedPost

from . import queries
from .models import GuestPost, User

DISPLAY_NAME_MAX = 60
EMAIL_MAX = 254  # GuestPost.email's column
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GuestReply:
    post: Post
    guest: GuestPost
    # The address belongs to a member: they sign in (not up) to publish.
    has_account: bool


@transaction.atomic
def guest_reply(
    *,
    topic: Topic,
    body: str,
    email: str,
    display_name: str = "",
    antibot_payload: str = "",
    honeypot: str = "",
    ip_address: str | None = None,
    origin: str = "",
) -> GuestReply:
    """Save a guest's reply as pending. Raises PermissionDenied where guests may not post,
    ValidationError for bad input or a failed anti-bot check, LimitExceeded for rate limits."""
    if not policy.can_guest_reply(AnonymousUser(), topic):
        raise PermissionDenied("Guests cannot reply in this category. Sign in or register to post.")

    errors: dict[str, list[str]] = {}
    try:
        body = validate_post_body(body)
    except ValidationError as error:
        errors["body"] = error.messages
    email = email.strip()
    try:
        if not email:
            raise ValidationError("Give your email address so you can finish registering.")
        validate_email(email)
        if len(email) > EMAIL_MAX:
            raise ValidationError("Too long.")
    except ValidationError:
        errors["email"] = [
            "Enter a valid email address, like name@example.org: it's where we send the link "
            "to publish your post."
        ]
    display_name = " ".join(display_name.split())
    if len(display_name) > DISPLAY_NAME_MAX:
        errors["display_name"] = [f"Display names can be at most {DISPLAY_NAME_MAX} characters."]
    if errors:
        raise ValidationError(errors)

    antibot.check_honeypot(honeypot)
    member = queries.member_with_email(email)

    # Lock the topic, then look for the same reply from the same address a moment ago.
    Topic.objects.select_for_update().filter(pk=topic.pk).first()
    window = timedelta(seconds=settings.FOLKMOOT["DUPLICATE_WINDOW_SECONDS"])
    duplicate = (
        GuestPost.objects.select_related("post")
        .filter(
            post__topic=topic,
            post__body=body,
            email__iexact=email,
            created_at__gte=timezone.now() - window,
        )
        .first()
    )
    if duplicate:
        # A double submit (its anti-bot solution already spent by the first): the same post.
        return GuestReply(post=duplicate.post, guest=duplicate, has_account=member is not None)

    antibot.verify_solution(antibot_payload)
    if member is not None and not member.is_active:
        raise ValidationError(
            "This email address belongs to a suspended account, so its posts are not accepted.",
            code="banned",
        )
    limits.check_ban(email=email, ip_address=ip_address)

    post = new_post(topic=topic, author=None, body=body, ip_address=ip_address)
    limits.check_links(member=None, cooked=post.cooked)
    limits.check_flood(ip_address=ip_address)
    limits.check_guest_daily_caps(email=email, ip_address=ip_address)

    guest = GuestPost.objects.create(
        post=post,
        email=email,
        display_name=display_name,
        ip_address=ip_address,
        claim_token=secrets.token_urlsafe(32),
        origin=origin,
    )
    transaction.on_commit(lambda: _after_guest_post(guest.pk))
    return GuestReply(post=post, guest=guest, has_account=member is not None)


def _after_guest_post(guest_id: int) -> None:
    from . import tasks

    guest = GuestPost.objects.select_related("post__topic").get(pk=guest_id)
    try:
        send_guest_email(guest, reminder=False)
    except Exception:  # the post is saved; the reminder will carry the link again
        logger.exception("Could not email guest %s", guest_id)
    days = settings.FOLKMOOT
    tasks.remind_guest.using(
        run_after=guest.created_at + timedelta(days=days["GUEST_REMINDER_AFTER_DAYS"])
    ).enqueue(guest_id)
    tasks.expire_guest_post.using(
        run_after=guest.created_at + timedelta(days=days["GUEST_EXPIRE_AFTER_DAYS"])
    ).enqueue(guest_id)


def finish_url(guest: GuestPost) -> str:
    return guest.origin + reverse("guest_finish", kwargs={"token": guest.claim_token})


def send_guest_email(guest: GuestPost, *, reminder: bool) -> None:
    has_account = queries.member_with_email(guest.email) is not None
    context = {
        "guest": guest,
        "topic": guest.post.topic,
        "finish_url": finish_url(guest),
        "has_account": has_account,
        "reminder": reminder,
        "expire_days": settings.FOLKMOOT["GUEST_EXPIRE_AFTER_DAYS"],
        "site_name": settings.SITE_NAME,
    }
    subject = (
        f"Reminder: your post on {settings.SITE_NAME} is waiting for you"
        if reminder
        else f"Finish registering to publish your post on {settings.SITE_NAME}"
    )
    send_mail(
        subject,
        render_to_string("accounts/email/guest_post.txt", context),
        None,
        [guest.email],
    )


@transaction.atomic
def claim_guest_posts(*, user: User, email: str) -> list[Post]:
    """Publish (or queue for a moderator) every pending guest post written with `email`,
    under `user`. Call only once the address is verified as the user's."""
    if not user.is_active:
        return []
    guests = list(
        GuestPost.objects.unclaimed()
        .select_for_update()
        .filter(email__iexact=email, post__status=Post.Status.PENDING)
        .select_related("post__topic__category")
        .order_by("created_at", "pk")
    )
    now = timezone.now()
    claimed = []
    for guest in guests:
        post = guest.post
        post.author = user
        post.created_at = now
        guest.claimed_at = now
        guest.claimed_by = user
        guest.save(update_fields=["claimed_at", "claimed_by"])
        reason = moderation_policy.hold_reason(
            author=user, category=post.topic.category, guest=True
        )
        if reason:
            post.save(update_fields=["author", "created_at"])
            QueuedPost.objects.get_or_create(post=post, defaults={"reason": reason})
        else:
            publish_post(post)
            user.refresh_from_db(fields=["post_count"])
        claimed.append(post)
    return claimed


def claim_for_verified_addresses(*, user: User) -> list[Post]:
    """On sign-in: claim with every address the member has verified."""
    claimed = []
    addresses = EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    )
    for email in addresses:
        if GuestPost.objects.unclaimed().filter(email__iexact=email).exists():
            claimed += claim_guest_posts(user=user, email=email)
    return claimed


def remind_guest(*, guest_id: int) -> bool:
    """Send the one reminder, if the post is still waiting for its author. Returns whether
    it was sent."""
    with transaction.atomic():
        guest = (
            GuestPost.objects.unclaimed()
            .select_for_update()
            .filter(pk=guest_id, reminded_at__isnull=True, post__status=Post.Status.PENDING)
            .first()
        )
        if guest is None:
            return False
        guest.reminded_at = timezone.now()
        guest.save(update_fields=["reminded_at"])
    guest = GuestPost.objects.select_related("post__topic").get(pk=guest_id)
    send_guest_email(guest, reminder=True)
    return True


@transaction.atomic
def expire_guest_post(*, guest_id: int) -> bool:
    """Delete a guest's post nobody claimed in time. Returns whether it was deleted."""
    cutoff = timezone.now() - timedelta(days=settings.FOLKMOOT["GUEST_EXPIRE_AFTER_DAYS"])
    guest = (
        GuestPost.objects.unclaimed()
        .filter(pk=guest_id, created_at__lte=cutoff, post__status=Post.Status.PENDING)
        .select_related("post")
        .first()
    )
    if guest is None:
        return False
    guest.post.delete()  # the GuestPost goes with it
    return True
