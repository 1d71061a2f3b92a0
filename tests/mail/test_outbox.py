"""No request waits for a mail server: every email is queued and the worker sends it, with a
timeout, retries with backoff, and never twice."""

import time

from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from folkmoot import settings as project_settings
from folkmoot.mail import tasks as mail_tasks
from folkmoot.mail.models import OutboxEmail
from tests.conftest import send_queued_emails, use_smtp_server
from tests.guests import guest_reply, solved_check
from tests.smtp import free_port


def _send_tasks():
    return DBTaskResult.objects.filter(
        task_path=mail_tasks.send_email.module_path, status=TaskResultStatus.READY
    ).order_by("enqueued_at")


def _run_due_send_tasks() -> None:
    """What the worker does once the retries fall due."""
    for result in _send_tasks():
        DBTaskResult.objects.filter(pk=result.pk).update(status=TaskResultStatus.SUCCESSFUL)
        mail_tasks.send_email.call(*result.args_kwargs["args"])


def test_a_stalled_mail_server_holds_up_no_request_and_the_emails_arrive_once_it_is_back(
    settings, client, topic, member, mailbox, stalling_smtp, django_capture_on_commit_callbacks
):
    working_port = settings.EMAIL_PORT
    use_smtp_server(settings, stalling_smtp.port)
    settings.EMAIL_TIMEOUT = 2
    mailbox.deliver = None  # no worker yet

    solved = solved_check(client)  # the browser's proof of work, before the post is sent
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        posted = guest_reply(
            client, topic, body="Posted while mail stalls", email="g@x.net", altcha=solved
        )
    guest_seconds = time.monotonic() - started
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        reset = client.post("/accounts/password/reset/", {"email": member.email})
    reset_seconds = time.monotonic() - started
    started = time.monotonic()
    index = client.get("/")
    index_seconds = time.monotonic() - started

    assert (posted.status_code, reset.status_code, index.status_code) == (302, 302, 200)
    # Well under a second, and under the 2 s a single try of the stalled server would take.
    assert guest_seconds < 1 and reset_seconds < 1 and index_seconds < 1
    assert not stalling_smtp.accepted.is_set()  # no request even tried the mail server
    assert OutboxEmail.objects.count() == 2

    # The worker tries: the server never answers, the attempt times out, a retry is queued.
    started = time.monotonic()
    _run_due_send_tasks()
    assert 2 <= time.monotonic() - started < 10  # two attempts, each cut at EMAIL_TIMEOUT
    assert stalling_smtp.accepted.is_set()
    for row in OutboxEmail.objects.all():
        assert (row.attempts, row.sent_at) == (1, None)
        assert "timed out" in row.last_error
    retries = list(_send_tasks())
    assert len(retries) == 2
    for retry in retries:
        assert retry.run_after > retry.enqueued_at  # later, not at once
    assert mailbox.received == []

    # The mail server is back: the retries send each email exactly once.
    use_smtp_server(settings, working_port)
    _run_due_send_tasks()
    send_queued_emails()  # and a worker running them all again changes nothing
    for result_args in (1, 2):
        mail_tasks.send_email.call(result_args)
    assert len(mailbox.to("g@x.net")) == 1
    assert len(mailbox.to(member.email)) == 1
    assert len(mailbox.received) == 2
    assert OutboxEmail.objects.filter(sent_at__isnull=False).count() == 2


def test_retries_back_off_and_stop_after_the_last_attempt(settings, db):
    use_smtp_server(settings, free_port())  # nobody listens
    settings.EMAIL_SEND_ATTEMPTS = 3
    settings.EMAIL_RETRY_SECONDS = 60
    send_mail("Hello", "Body", None, ["someone@example.net"])
    row = OutboxEmail.objects.get()
    delays = []
    for _ in range(3):
        _run_due_send_tasks()
        delays += [(t.run_after - timezone.now()).total_seconds() for t in _send_tasks()]
    row.refresh_from_db()
    assert row.attempts == 3 and row.given_up_at is not None and row.sent_at is None
    assert "ConnectionRefusedError" in row.last_error
    assert not _send_tasks().exists()
    assert len(delays) == 2 and 55 < delays[0] < 65 and 115 < delays[1] < 125


def test_without_an_email_host_the_worker_prints_emails(settings, db, capsys):
    assert project_settings.EMAIL_TRANSPORT.endswith("console.EmailBackend")  # no EMAIL_HOST
    assert project_settings.EMAIL_BACKEND == "folkmoot.mail.backend.OutboxBackend"
    settings.EMAIL_BACKEND = project_settings.EMAIL_BACKEND
    settings.EMAIL_TRANSPORT = project_settings.EMAIL_TRANSPORT
    send_mail("Printed by the worker", "Héllo from the console", None, ["a@example.net"])
    assert "Printed by the worker" not in capsys.readouterr().out  # queued, not sent
    send_queued_emails()
    printed = capsys.readouterr().out
    assert "Subject: Printed by the worker" in printed and "To: a@example.net" in printed
    assert OutboxEmail.objects.get().sent_at is not None


def test_bcc_recipients_get_the_email_without_appearing_in_it(settings, db, mailbox):
    from django.core.mail import EmailMessage

    settings.EMAIL_BACKEND = "folkmoot.mail.backend.OutboxBackend"
    EmailMessage("Hi", "Body", None, ["to@example.net"], bcc=["hidden@example.net"]).send()
    [message] = mailbox.messages
    assert "hidden@example.net" not in message.as_string()
    assert OutboxEmail.objects.get().recipients == ["to@example.net", "hidden@example.net"]
