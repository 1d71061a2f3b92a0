"""Guests: post now, register later. Every write for a guest's post, one function per action.

A guest's reply is saved as a pending post with a GuestPost beside it (email, name, IP, claim
token). Nobody but the guest's own browser sees it. Anyone can type any address, a member's
included, so nothing is ever published under an account without its owner's say: the signed-in
owner of a verified address sees the posts waiting under it and publishes them
(`publish_waiting_posts`, numbered at publication, or queued for a moderator where the category
says so) or discards them (`discard_waiting_posts`). Unclaimed posts get one reminder and are
deleted later (tasks.py). The guest's answer never says whether the address has an account.
"""

import secrets
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from folkmoot.accounts.models import User
from folkmoot.composer.validation import validate_post_body, validate_title
from folkmoot.discussions import lifecycle
from folkmoot.discussions import policy as discussion_policy
from folkmoot.discussions import queries as discussion_queries
from folkmoot.discussions.models import Post, Topic
from folkmoot.forums.models import Category
from folkmoot.moderation import antibot, limits
from folkmoot.refusal import Refusal

from . import queries, tasks
from .models import GuestPost

DISPLAY_NAME_MAX = 60
EMAIL_MAX = 254  # GuestPost.email's column


class GuestsNotAllowed(Refusal):
    status = 403


@dataclass(frozen=True)
class GuestPostSaved:
    post: Post
    guest: GuestPost


@dataclass(frozen=True)
class GuestFields:
    """What a guest gives beside their text, checked."""

    email: str
    display_name: str


def _checked_guest_fields(
    errors: dict[str, list[str]], *, email: str, display_name: str
) -> GuestFields:
    """The guest's address and display name, tidied; what is wrong goes into `errors`."""
    email = email.strip()
    try:
        if not email:
            raise ValidationError(_("Give your email address so you can finish registering."))
        validate_email(email)
        if len(email) > EMAIL_MAX:
            raise ValidationError(_("Too long."))
    except ValidationError:
        errors["email"] = [
            _(
                "Enter a valid email address, like name@example.org: it's where we send the "
                "link to publish your post."
            )
        ]
    display_name = " ".join(display_name.split())
    if len(display_name) > DISPLAY_NAME_MAX:
        errors["display_name"] = [
            _("Display names can be at most %(max)s characters.") % {"max": DISPLAY_NAME_MAX}
        ]
    return GuestFields(email=email, display_name=display_name)


def _checked_body(errors: dict[str, list[str]], body: str) -> str:
    try:
        return validate_post_body(body)
    except ValidationError as error:
        errors["body"] = error.messages
        return body


@dataclass(frozen=True)
class _Submission:
    """A guest's post, checked and rendered, with what its saving checks next."""

    rendered: lifecycle.Rendered
    guest: GuestFields
    antibot_payload: str
    ip_address: str | None
    origin: str


def _checked_submission(
    errors: dict[str, list[str]],
    *,
    body: str,
    email: str,
    display_name: str = "",
    antibot_payload: str = "",
    honeypot: str = "",
    ip_address: str | None = None,
    origin: str = "",
) -> _Submission:
    """Raises ValidationError with every problem (those already in `errors` too), or a
    Refusal for a filled-in honeypot. Renders before the transaction: it holds the write lock."""
    body = _checked_body(errors, body)
    guest = _checked_guest_fields(errors, email=email, display_name=display_name)
    if errors:
        raise ValidationError(errors)
    antibot.check_honeypot(honeypot)
    return _Submission(lifecycle.render(body), guest, antibot_payload, ip_address, origin)


def guest_reply(*, topic: Topic, **submission) -> GuestPostSaved:
    """Save a guest's reply as pending. `submission`: body, email, display_name,
    antibot_payload, honeypot, ip_address, origin. Raises GuestsNotAllowed where guests may not
    post, ValidationError for bad input, a Refusal for a failed anti-bot check, a ban or a limit."""
    if not discussion_policy.can_guest_reply(AnonymousUser(), topic):
        raise GuestsNotAllowed(
            _("Guests cannot reply in this category. Sign in or register to post.")
        )
    checked = _checked_submission({}, **submission)
    with transaction.atomic():
        # Lock the topic, then look for the same reply from the same address a moment ago.
        Topic.objects.select_for_update().filter(pk=topic.pk).first()
        duplicate = discussion_queries.recent_duplicate(
            topic=topic, body=checked.rendered.body, guest_email=checked.guest.email
        )
        if duplicate:
            # A double submit (its anti-bot solution already spent by the first): the same post.
            return GuestPostSaved(post=duplicate, guest=duplicate.guest)
        return _save_guest_post(topic, checked)


def guest_topic(*, category: Category, title: str, **submission) -> GuestPostSaved:
    """Save a topic a guest starts: nobody sees it until the owner of the address publishes
    its opening post (or a moderator approves it, where the category holds guests' posts).
    `submission` and what it raises as for guest_reply."""
    if not discussion_policy.can_guest_start_topic(AnonymousUser(), category):
        raise GuestsNotAllowed(
            _("Guests cannot start topics in this category. Sign in or register to post.")
        )
    errors: dict[str, list[str]] = {}
    try:
        title = validate_title(title)
    except ValidationError as error:
        errors["title"] = error.messages
    checked = _checked_submission(errors, **submission)
    with transaction.atomic():
        # Lock the category, then look for the same topic from the same address a moment ago.
        Category.objects.select_for_update().filter(pk=category.pk).first()
        duplicate = queries.recent_duplicate_topic(
            category=category,
            title=title,
            body=checked.rendered.body,
            guest_email=checked.guest.email,
        )
        if duplicate:
            return GuestPostSaved(post=duplicate, guest=duplicate.guest)
        topic = lifecycle.create_topic(category=category, author=None, title=title)
        return _save_guest_post(topic, checked)


def _save_guest_post(topic: Topic, checked: _Submission) -> GuestPostSaved:
    antibot.verify_solution(checked.antibot_payload)
    email, ip_address = checked.guest.email, checked.ip_address
    # Whether the address is a member's, even a suspended one's, changes nothing here: the
    # answer must not tell. A suspended member can never sign in to publish, so it expires.
    limits.check_ban(email=email, ip_address=ip_address)
    limits.check_links(member=None, cooked=checked.rendered.cooked)
    limits.check_flood(ip_address=ip_address)
    limits.check_guest_daily_caps(email=email, ip_address=ip_address)

    post = lifecycle.submit(
        topic=topic, author=None, rendered=checked.rendered, ip_address=ip_address
    )
    guest_post = GuestPost.objects.create(
        post=post,
        email=email,
        display_name=checked.guest.display_name,
        ip_address=ip_address,
        claim_token=secrets.token_urlsafe(32),
        origin=checked.origin,
    )
    # The email is queued (folkmoot.mail, an event of the post), and both follow-ups are task
    # rows: all commit with the post or not at all.
    lifecycle.guest_post_waits(post, guest=guest_post)
    tasks.schedule_follow_ups(guest_post)
    return GuestPostSaved(post=post, guest=guest_post)


def _claim(guests: list[GuestPost], *, user: User) -> list[Post]:
    """Make each guest post `user`'s: published, or queued for a moderator where the category
    holds guests' posts (the lifecycle decides). The caller has locked the rows."""
    now = timezone.now()
    claimed = []
    for guest in guests:
        guest.claimed_at = now
        guest.claimed_by = user
        guest.save(update_fields=["claimed_at", "claimed_by"])
        claimed.append(lifecycle.assign_author(guest.post, author=user, at=now))
    user.refresh_from_db(fields=["post_count"])
    return claimed


def _locked_waiting(*, user: User, post_ids: list[int] | None) -> list[GuestPost]:
    """The guest posts waiting under `user`'s verified addresses (those of `post_ids` only,
    when given), locked."""
    if not user.is_active:
        return []
    waiting = queries.waiting_guest_posts_for(user).select_for_update(of=("self",))
    if post_ids is not None:
        waiting = waiting.filter(post_id__in=post_ids)
    return list(waiting)


@transaction.atomic
def publish_waiting_posts(*, user: User, post_ids: list[int] | None = None) -> list[Post]:
    """The owner of a verified address publishes the posts a guest wrote with it (all of
    them, or those of `post_ids`). Returns the posts, published or held for a moderator."""
    return _claim(_locked_waiting(user=user, post_ids=post_ids), user=user)


@transaction.atomic
def discard_waiting_posts(*, user: User, post_ids: list[int] | None = None) -> int:
    """The owner of a verified address deletes the posts a guest wrote with it. Returns how
    many were deleted."""
    guests = _locked_waiting(user=user, post_ids=post_ids)
    return lifecycle.discard_waiting([guest.post_id for guest in guests])


@transaction.atomic
def confirm_address_by_finish_link(address: EmailAddress) -> bool:
    """The guest's finish link, opened in the browser that signed up with its address, proves
    that whoever made the account reads the address: it confirms it, as allauth's own link
    would have. Nothing is published: the owner chooses on the waiting-posts page."""
    if not address.set_verified(commit=True):
        return False  # another account verified this address meanwhile
    address.set_as_primary(conditional=True)
    return True
