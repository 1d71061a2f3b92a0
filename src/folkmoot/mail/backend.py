"""EMAIL_BACKEND for the whole site: allauth's mails and ours are queued, never sent in the
request. The worker sends them through settings.EMAIL_TRANSPORT (mail/tasks.py)."""

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from . import outbox, tasks


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        queued = 0
        with transaction.atomic():
            for message in email_messages:
                if not message.recipients():
                    continue
                row = outbox.store(message)
                tasks.enqueue_send(row.pk)
                queued += 1
        return queued
