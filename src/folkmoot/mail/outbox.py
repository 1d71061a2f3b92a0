"""The outbox: every email is stored first (in the caller's transaction) and sent later by a
worker, so a slow or dead mail server never holds up a request. Sending is idempotent: an
email marked sent is never sent again, whoever runs its task twice."""

import logging
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxEmail

logger = logging.getLogger(__name__)


def store(message: EmailMessage) -> OutboxEmail:
    from_email = message.from_email or settings.DEFAULT_FROM_EMAIL
    # Django names the Message-ID after this host's fully qualified name, a DNS lookup that
    # can take seconds: name it after the sender's domain instead, with no lookup.
    domain = parseaddr(str(from_email))[1].rpartition("@")[2] or "localhost"
    message.extra_headers.setdefault("Message-ID", make_msgid(domain=domain))
    return OutboxEmail.objects.create(
        subject=str(message.subject)[:300],
        from_email=from_email,
        recipients=list(message.recipients()),
        mime=message.message().as_bytes(linesep="\r\n"),
    )


class RawMIME:
    """The stored bytes, in the shape of the MIME message a mail backend writes out."""

    def __init__(self, data: bytes):
        self.data = data  # CRLF line ends, as SMTP wants them

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())

    def get_charset(self):
        return None


class StoredMessage:
    """An outbox row in the shape Django's mail backends send: the exact bytes that were
    queued, to the envelope recipients that were queued (Bcc included)."""

    encoding = None

    def __init__(self, row: OutboxEmail):
        self.row = row
        self.from_email = row.from_email

    def recipients(self) -> list[str]:
        return list(self.row.recipients)

    def message(self) -> RawMIME:
        return RawMIME(bytes(self.row.mime))


def send(email_id: int) -> bool:
    """Send one queued email through the operator's transport. Returns False when there is
    nothing to send (already sent, given up, gone); raises what the transport raised."""
    row = OutboxEmail.objects.filter(
        pk=email_id, sent_at__isnull=True, given_up_at__isnull=True
    ).first()
    if row is None:
        return False
    OutboxEmail.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
    # EMAIL_TIMEOUT bounds each socket operation, so a server that never answers fails the
    # attempt instead of holding the worker.
    with get_connection(settings.EMAIL_TRANSPORT, fail_silently=False) as connection:
        connection.send_messages([StoredMessage(row)])
    OutboxEmail.objects.filter(pk=row.pk).update(sent_at=timezone.now(), last_error="")
    return True


@transaction.atomic
def record_failure(email_id: int, error: BaseException) -> datetime | None:
    """Note a failed attempt. Returns when to try again (1, 2, 4… times
    EMAIL_RETRY_SECONDS later), or None once EMAIL_SEND_ATTEMPTS are spent."""
    row = OutboxEmail.objects.select_for_update().get(pk=email_id)
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    now = timezone.now()
    if row.attempts >= settings.EMAIL_SEND_ATTEMPTS:
        row.given_up_at = now
        row.save(update_fields=["last_error", "given_up_at"])
        logger.error(
            "Gave up sending email %s after %s attempts: %s", email_id, row.attempts, error
        )
        return None
    row.save(update_fields=["last_error"])
    delay = settings.EMAIL_RETRY_SECONDS * 2 ** max(row.attempts - 1, 0)
    logger.warning("Sending email %s failed (%s); trying again in %s s", email_id, error, delay)
    return now + timedelta(seconds=delay)
