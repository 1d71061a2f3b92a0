"""Every abuse control in one place: flood control, daily caps on guest posts, links in a new
member's first posts, and the ban list.

Counters live in the Django cache, so with REDIS_URL set they hold across every app process.
Checks that count something only count what was accepted: callers validate first and call
these last, right before the write.
"""

import re
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

from folkmoot.accounts.models import User

from .models import Ban

DAY = 24 * 60 * 60


class LimitExceeded(Exception):
    """A rate limit was hit: the request is refused with HTTP 429 and this message."""

    def __init__(self, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _limits() -> dict:
    return settings.FOLKMOOT


def check_flood(*, member: User | None = None, ip_address: str | None = None) -> None:
    """At most one post every FLOOD_SECONDS per member, and per IP address for guests."""
    seconds = _limits()["FLOOD_SECONDS"]
    if seconds <= 0:
        return
    key = f"limits:flood:member:{member.pk}" if member else f"limits:flood:ip:{ip_address}"
    # add() is atomic: only the first post in the window creates the key.
    if not cache.add(key, 1, timeout=seconds):
        raise LimitExceeded(
            f"You are posting too quickly. Wait {seconds} seconds between posts, then try again.",
            retry_after=seconds,
        )


def _count_today(key: str, cap: int, message: str) -> None:
    key = f"{key}:{date.today().isoformat()}"
    cache.add(key, 0, timeout=DAY)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=DAY)
        count = 1
    if count > cap:
        cache.decr(key)
        raise LimitExceeded(message, retry_after=DAY)


def check_guest_daily_caps(*, email: str, ip_address: str | None) -> None:
    limits = _limits()
    per_ip, per_email = (
        limits["GUEST_POSTS_PER_IP_PER_DAY"],
        limits["GUEST_POSTS_PER_EMAIL_PER_DAY"],
    )
    _count_today(
        f"limits:guest-day:ip:{ip_address}",
        per_ip,
        f"Guests from your network have posted {per_ip} times today, the most we accept. "
        "Register or sign in to keep posting, or try again tomorrow.",
    )
    try:
        _count_today(
            f"limits:guest-day:email:{email.lower()}",
            per_email,
            f"{email} has posted {per_email} guest posts today, the most we accept. "
            "Finish registering to keep posting, or try again tomorrow.",
        )
    except LimitExceeded:
        cache.decr(f"limits:guest-day:ip:{ip_address}:{date.today().isoformat()}")
        raise


LINK = re.compile(r"<a\s", re.IGNORECASE)


def is_new_member(member: User | None) -> bool:
    """Guests, and members with fewer than NEW_MEMBER_POSTS published posts."""
    return member is None or member.post_count < _limits()["NEW_MEMBER_POSTS"]


def check_links(*, member: User | None, cooked: str) -> None:
    """New members may put only a few links in their first posts (counted in the HTML)."""
    if not is_new_member(member):
        return
    limits = _limits()
    allowed = limits["NEW_MEMBER_MAX_LINKS"]
    found = len(LINK.findall(cooked))
    if found > allowed:
        raise ValidationError(
            f"New members can include at most {allowed} link{'s' if allowed != 1 else ''} "
            f"in each of their first {limits['NEW_MEMBER_POSTS']} posts (this one has {found}).",
            code="too_many_links",
        )


def find_ban(*, email: str | None, ip_address: str | None) -> Ban | None:
    """The ban list is short; one query reads it all and ranges are matched here."""
    for ban in Ban.objects.all():
        if ban.matches(email=email, ip_address=ip_address):
            return ban
    return None


def check_ban(*, email: str | None, ip_address: str | None) -> None:
    if find_ban(email=email, ip_address=ip_address):
        raise ValidationError(
            "Posts from this address are not accepted here. "
            "If you think this is a mistake, contact the forum's staff.",
            code="banned",
        )
