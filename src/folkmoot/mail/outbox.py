"""The outbox: every email is stored first (in the caller's transaction) and sent later by a
worker, so a slow or dead mail server never holds up a request. Sending is idempotent: an
email marked sent is never sent again, whoever runs its task twice."""

import logging
import smtplib
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import EmailMessage, sanitize_address
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import bounces
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


def send(email_id: int) -> str:
    """Send one queued email through the operator's transport. Returns "sent"; "bounced" when
    the mail server refused every recipient for good (recorded, given up, never retried); ""
    when there is nothing to send (already sent, given up, gone). Raises what the transport
    raised, or bounces.Deferred when some recipients were refused for now: the email then
    waits for its retry addressed to those only (whoever took it already does not get it
    twice)."""
    row = OutboxEmail.objects.filter(
        pk=email_id, sent_at__isnull=True, given_up_at__isnull=True
    ).first()
    if row is None:
        return ""
    OutboxEmail.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
    # EMAIL_TIMEOUT bounds each socket operation, so a server that never answers fails the
    # attempt instead of holding the worker.
    with get_connection(settings.EMAIL_TRANSPORT, fail_silently=False) as connection:
        if isinstance(connection, SMTPBackend):
            refused = _send_by_smtp(connection, row)
        else:
            connection.send_messages([StoredMessage(row)])
            refused = {}
    return _settle(row, refused)


def _send_by_smtp(connection: SMTPBackend, row: OutboxEmail) -> bounces.Refusals:
    """What Django's SMTP backend does for one message, keeping what it drops: the
    recipients the server refused ({address as queued: (code, reply)})."""
    encoding = settings.DEFAULT_CHARSET
    on_the_wire = {sanitize_address(address, encoding): address for address in row.recipients}
    try:
        refused = connection.connection.sendmail(
            sanitize_address(row.from_email, encoding), list(on_the_wire), bytes(row.mime)
        )
    except smtplib.SMTPRecipientsRefused as error:  # every one of them
        refused = error.recipients
    return {on_the_wire.get(address, address): reply for address, reply in refused.items()}


def _settle(row: OutboxEmail, refused: bounces.Refusals) -> str:
    permanent = {a: r for a, r in refused.items() if bounces.is_permanent(r[0])}
    later = {a: r for a, r in refused.items() if a not in permanent}
    delivered = len(refused) < len(row.recipients)
    now = timezone.now()
    this = OutboxEmail.objects.filter(pk=row.pk)
    with transaction.atomic():
        bounces.record(row, permanent)
        if later:
            this.update(recipients=list(later))
        elif delivered:
            this.update(sent_at=now, last_error=bounces.describe(permanent))
        else:
            this.update(given_up_at=now, last_error="Bounced: " + bounces.describe(permanent))
    if later:
        raise bounces.Deferred(later)
    if permanent:
        logger.warning("Email %s bounced: %s", row.pk, bounces.describe(permanent))
    return "sent" if delivered else "bounced"


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
