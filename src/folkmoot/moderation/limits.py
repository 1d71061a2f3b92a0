"""Every abuse control in one place: flood control, daily caps on guest posts, links in a new
member's first posts, and the ban list.

Counters are rows in the database (RateLimit), shared by every app process with or without
Redis and never evicted: a cache may forget, a limit must not. Each count is one conditional
UPDATE on a row with a unique key, so concurrent requests cannot both take the last place, on
SQLite or PostgreSQL. Senders are counted by their normalized identity (normalize.py): an
IPv6 /64, an IPv4 address however written, an email address however dressed up.

Checks that count something only count what was accepted: callers validate first and call
these last, right before the write, inside the write's transaction, so a refused or failed
write takes its count back with it.
"""

import hashlib
import math
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from folkmoot.accounts.models import User
from folkmoot.refusal import Refusal, TooMany

from . import normalize
from .models import Ban, RateLimit, SpentProof, Suspension

DAY = timedelta(days=1)


class LimitExceeded(TooMany):
    """A rate limit was hit: the request is refused with HTTP 429 and this message."""


def _limits() -> dict:
    return settings.FOLKMOOT


def _count(key: str, *, cap: int, window: timedelta) -> datetime | None:
    """Count one action for `key`, at most `cap` in a window of `window` from the first one.
    Returns None when counted, or when the window ends when the cap is already reached."""
    now = timezone.now()
    if cap <= 0:
        return now + window
    rows = RateLimit.objects.filter(key=key)
    for _attempt in range(2):
        # A place left in the open window: the WHERE is re-checked under the row lock, so
        # of two requests racing for the last place only one updates a row.
        if rows.filter(expires_at__gt=now, count__lt=cap).update(count=F("count") + 1):
            return None
        # The window has ended: this action opens the next one.
        if rows.filter(expires_at__lte=now).update(count=1, expires_at=now + window):
            return None
        try:
            with transaction.atomic():
                RateLimit.objects.create(key=key, count=1, expires_at=now + window)
            return None
        except IntegrityError:
            continue  # another request created the row first: count against it
    return rows.values_list("expires_at", flat=True).first() or now + window


def _seconds_until(moment: datetime) -> int:
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))


def check_flood(*, member: User | None = None, ip_address: str | None = None) -> None:
    """At most one post every FLOOD_SECONDS per member, and per IP address (IPv6: per /64)
    for guests."""
    seconds = _limits()["FLOOD_SECONDS"]
    if seconds <= 0:
        return
    key = f"flood:member:{member.pk}" if member else f"flood:ip:{normalize.ip_key(ip_address)}"
    if _count(key, cap=1, window=timedelta(seconds=seconds)) is not None:
        raise LimitExceeded(
            ngettext(
                "You are posting too quickly. Wait %(seconds)s second between posts, then try "
                "again.",
                "You are posting too quickly. Wait %(seconds)s seconds between posts, then try "
                "again.",
                seconds,
            )
            % {"seconds": seconds},
            retry_after=seconds,
        )


def check_reactions(*, member: User) -> None:
    """At most REACTIONS_PER_DAY reactions given or changed per member in a day."""
    cap = _limits()["REACTIONS_PER_DAY"]
    until = _count(f"reactions:member:{member.pk}", cap=cap, window=DAY)
    if until is not None:
        raise LimitExceeded(
            _("You have reacted %(cap)s times today, the most we accept. Try again tomorrow.")
            % {"cap": cap},
            retry_after=_seconds_until(until),
        )


def check_nominations(*, member: User) -> None:
    """At most NOMINATIONS_PER_DAY posts nominated for recommendation per member in a day."""
    cap = _limits()["NOMINATIONS_PER_DAY"]
    until = _count(f"nominations:member:{member.pk}", cap=cap, window=DAY)
    if until is not None:
        raise LimitExceeded(
            _("You have nominated %(cap)s posts today, the most we accept. Try again tomorrow.")
            % {"cap": cap},
            retry_after=_seconds_until(until),
        )


def check_searches(*, ip_address: str | None) -> None:
    """At most SEARCHES_PER_MINUTE searches a minute per client network (IPv6: per /64).

    Unlike the limits above, counted in the cache (Redis when configured, shared by every
    process), not the database: a search is a GET, which must not write, and this limit guards
    CPU, not security state, so a counter lost to eviction or a Redis outage only lets a few
    more searches through. Per-process memory without Redis: each process counts its own."""
    cap = _limits()["SEARCHES_PER_MINUTE"]
    if cap <= 0:
        return
    window = 60
    # One fixed window per minute: add() starts it, incr() counts in it.
    key = f"search-limit:{normalize.ip_key(ip_address)}:{int(timezone.now().timestamp()) // window}"
    if cache.add(key, 1, timeout=window + 1):
        return
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr(), or the cache is unavailable
        return
    if count > cap:
        raise LimitExceeded(
            _(
                "You have searched %(cap)s times in a minute, the most we answer. "
                "Wait a moment, then search again."
            )
            % {"cap": cap},
            retry_after=window - int(timezone.now().timestamp()) % window,
        )


def _key(prefix: str, subject: str) -> str:
    key = f"{prefix}:{subject}"
    if len(key) > 255:  # an address at the column's limit, widened by normalization
        key = f"{prefix}:sha256:{hashlib.sha256(subject.encode()).hexdigest()}"
    return key


@transaction.atomic
def check_guest_daily_caps(*, email: str, ip_address: str | None) -> None:
    """At most GUEST_POSTS_PER_IP_PER_DAY guest posts from one network (an IPv4 address or an
    IPv6 /64) and GUEST_POSTS_PER_EMAIL_PER_DAY from one inbox in a day. Both counts or
    neither: a refusal by the second takes back the first."""
    limits = _limits()
    per_ip, per_email = (
        limits["GUEST_POSTS_PER_IP_PER_DAY"],
        limits["GUEST_POSTS_PER_EMAIL_PER_DAY"],
    )
    until = _count(_key("guest-day:ip", normalize.ip_key(ip_address)), cap=per_ip, window=DAY)
    if until is not None:
        raise LimitExceeded(
            _(
                "Guests from your network have posted %(count)s times today, the most we "
                "accept. Register or sign in to keep posting, or try again tomorrow."
            )
            % {"count": per_ip},
            retry_after=_seconds_until(until),
        )
    until = _count(_key("guest-day:email", normalize.email_key(email)), cap=per_email, window=DAY)
    if until is not None:
        raise LimitExceeded(
            _(
                "%(email)s has posted %(count)s guest posts today, the most we accept. "
                "Finish registering to keep posting, or try again tomorrow."
            )
            % {"email": email, "count": per_email},
            retry_after=_seconds_until(until),
        )


def remove_expired() -> int:
    """Delete counters whose window has ended and spent proofs whose challenge has expired
    (run by the hourly housekeeping). Returns how many rows went."""
    now = timezone.now()
    counters, _ = RateLimit.objects.filter(expires_at__lte=now).delete()
    proofs, _ = SpentProof.objects.filter(expires_at__lte=now).delete()
    return counters + proofs


LINK = re.compile(r"<a\s", re.IGNORECASE)
# An image from another site is a link a reader's browser follows by itself: it counts.
# Uploads are served from our own paths ("/media/…"), so they do not.
REMOTE_IMAGE = re.compile(r"""<img\s[^>]*?\bsrc=["']?(?:[a-z][a-z0-9+.-]*:|//)""", re.IGNORECASE)


def trusted_member_posts() -> int:
    """The published posts a member needs not to be new (and so to be trusted)."""
    return _limits()["NEW_MEMBER_POSTS"]


def is_new_member(member: User | None) -> bool:
    """Guests, and members with fewer than NEW_MEMBER_POSTS published posts."""
    return member is None or member.post_count < _limits()["NEW_MEMBER_POSTS"]


def check_links(*, member: User | None, cooked: str) -> None:
    """New members may put only a few links in their first posts (counted in the HTML:
    anchors and remote images)."""
    if not is_new_member(member):
        return
    limits = _limits()
    allowed = limits["NEW_MEMBER_MAX_LINKS"]
    found = len(LINK.findall(cooked)) + len(REMOTE_IMAGE.findall(cooked))
    if found > allowed:
        raise Refusal(
            ngettext(
                "New members can include at most %(allowed)s link in each of their first "
                "%(posts)s posts (this one has %(found)s).",
                "New members can include at most %(allowed)s links in each of their first "
                "%(posts)s posts (this one has %(found)s).",
                allowed,
            )
            % {"allowed": allowed, "posts": limits["NEW_MEMBER_POSTS"], "found": found},
            field="body",
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
        raise Refusal(
            _(
                "Posts from this address are not accepted here. "
                "If you think this is a mistake, contact the forum's staff."
            ),
            field="body",
            code="banned",
        )


def suspended_until(member) -> datetime | None:
    """When the member's suspension ends, or None if they are not suspended. 1 query."""
    if not getattr(member, "pk", None):
        return None
    now = timezone.now()
    ends = Suspension.objects.filter(member_id=member.pk, until__gt=now).order_by("-until")
    return ends.values_list("until", flat=True).first()


def check_suspended(*, member) -> None:
    """A suspended member posts nothing until the suspension ends, and is told when."""
    until = suspended_until(member)
    if until is not None:
        when = date_format(timezone.localtime(until), _("j F Y, H:i T"))
        raise Refusal(
            _("You are suspended until %(when)s: you can post again then.") % {"when": when},
            status=403,
            field="body",
            code="suspended",
        )
