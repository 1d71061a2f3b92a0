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
