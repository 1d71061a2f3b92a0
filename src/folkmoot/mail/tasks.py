"""Sending queued emails, one task per email, retried with backoff; never retried for an
address the mail server refused for good (a bounce, recorded: mail/bounces.py)."""

from django.db import transaction
from django_tasks import task
from django_tasks_db import DatabaseBackend

from . import outbox


@task()
def send_email(email_id: int) -> str:
    try:
        outcome = outbox.send(email_id)
    except Exception as error:  # the transport's: refused for now, timed out, unreachable…
        with transaction.atomic():
            retry_at = outbox.record_failure(email_id, error)
            if retry_at is None:
                return "gave up"
            enqueue_send(email_id, run_after=retry_at)
        return "will retry"
    return outcome or "nothing to send"


def enqueue_send(email_id: int, *, run_after=None) -> None:
    """With the database task backend the task row commits with the caller's transaction (the
    outbox row, the failure record), so neither is ever without the other. Any other backend
    is told after commit, so its worker never looks for a row not yet committed."""
    sender = send_email.using(run_after=run_after) if run_after else send_email
    if isinstance(sender.get_backend(), DatabaseBackend):
        sender.enqueue(email_id)
    else:
        transaction.on_commit(lambda: sender.enqueue(email_id))
