from django.db import models
from django.utils import timezone


class OutboxEmail(models.Model):
    """One email as it will go on the wire, waiting for the worker to send it (or sent)."""

    created_at = models.DateTimeField(default=timezone.now)
    subject = models.CharField(max_length=300, blank=True)  # for the admin; the MIME has it
    from_email = models.CharField(max_length=320)
    recipients = models.JSONField(default=list)  # envelope: To, Cc and Bcc
    mime = models.BinaryField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # At most one of these is set: done, either way.
    sent_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "mail_outbox"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients)}"


class Bounce(models.Model):
    """An address the mail server refused for good (a 5xx reply to RCPT TO, a hard bounce).
    Notification and digest emails are not sent to it; a member who changes their address
    gets them again at the new one, and deleting the row here lifts it. Account emails
    (password reset, address confirmation) still go: they are how a member fixes this."""

    address = models.CharField(max_length=320, unique=True)  # lower case
    code = models.PositiveSmallIntegerField()
    reply = models.TextField(blank=True)  # the server's words
    bounced_at = models.DateTimeField(default=timezone.now)
    # The email that bounced (kept while it is in the outbox).
    email = models.ForeignKey(
        OutboxEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="bounces"
    )

    class Meta:
        db_table = "mail_bounce"
        ordering = ["-bounced_at"]

    def __str__(self) -> str:
        return f"{self.address} ({self.code})"
