"""Addresses that hard-bounced: recorded when the mail server refuses a recipient for good
(outbox.send), and looked up by the features that email members (notifications) so nothing
more is sent to them."""

import smtplib
from collections.abc import Iterable

from django.utils import timezone

from .models import Bounce, OutboxEmail

# What smtplib reports of refused recipients: {address: (code, reply bytes)}.
Refusals = dict[str, tuple[int, bytes]]


def is_permanent(code: int) -> bool:
    """5xx: the server will never take it (no such mailbox…). 4xx is "try again later"."""
    return 500 <= code < 600


def record(row: OutboxEmail, refused: Refusals) -> None:
    """The addresses the server refused for good while sending `row`."""
    now = timezone.now()
    for address, (code, reply) in refused.items():
        text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        Bounce.objects.update_or_create(
            address=address.lower(),
            defaults={"code": code, "reply": text[:1000], "bounced_at": now, "email": row},
        )


def bounced_among(addresses: Iterable[str]) -> set[str]:
    """Which of these addresses hard-bounced (lower case): 1 query, none for no address."""
    wanted = {address.lower() for address in addresses if address}
    if not wanted:
        return set()
    return set(Bounce.objects.filter(address__in=wanted).values_list("address", flat=True))


def has_bounced(address: str) -> bool:
    return bool(bounced_among([address]))


def describe(refused: Refusals) -> str:
    """For the outbox's last error: who was refused, and what the server said."""
    return "; ".join(
        f"{address}: {code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
        for address, (code, reply) in refused.items()
    )


class Deferred(smtplib.SMTPRecipientsRefused):
    """Some recipients were refused for now (4xx): the email is tried again for them only."""

    def __str__(self) -> str:
        return "refused for now: " + describe(self.recipients)
