"""A mail server that refuses a recipient for good (5xx at RCPT TO) bounces that address: the
outbox records it, never retries it, delivers to the other recipients, and no notification
or digest email goes to the address again until its member changes it. Refusals for now
(4xx), like a server that is down, are retried with back-off."""

import pytest
from allauth.account.models import EmailAddress
from django.core.mail import send_mail
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from folkmoot.discussions import services as discussions
from folkmoot.mail import tasks as mail_tasks
from folkmoot.mail.models import Bounce, OutboxEmail
from folkmoot.notifications import tasks as notification_tasks
from folkmoot.notifications.models import Delivery, Notification
from tests.conftest import use_smtp_server
from tests.factories import MemberFactory, make_topic
from tests.notifications.helpers import follow_topic, run_fan_out
from tests.smtp import start_smtp_server

GONE = "gone@example.org"
HERE = "here@example.org"
NO_SUCH_USER = "550 5.1.1 <gone@example.org>: no such user here"


@pytest.fixture
def refusing_smtp(settings):
    """An aiosmtpd server on 127.0.0.1 that refuses GONE for good and takes everyone else."""
    controller, mailbox = start_smtp_server(refuse={GONE: NO_SUCH_USER})
    use_smtp_server(settings, controller.port)
    yield controller, mailbox
    controller.stop()


def send_tasks():
    return DBTaskResult.objects.filter(
        task_path=mail_tasks.send_email.module_path, status=TaskResultStatus.READY
    ).order_by("enqueued_at")


def run_send_tasks() -> list[str]:
    """What the worker does with the queued sends (retries included, as they fall due)."""
    outcomes = []
    for result in send_tasks():
        DBTaskResult.objects.filter(pk=result.pk).update(status=TaskResultStatus.SUCCESSFUL)
        outcomes.append(mail_tasks.send_email.call(*result.args_kwargs["args"]))
    return outcomes


def test_a_recipient_refused_for_good_bounces_and_the_rest_of_the_batch_is_delivered(
    db, refusing_smtp
):
    _, mailbox = refusing_smtp
    gone, here = MemberFactory(email=GONE), MemberFactory(email=HERE)
    topic = make_topic(title="Allotment rota")
    follow_topic(gone, topic)
    follow_topic(here, topic)
    discussions.reply(topic=topic, author=MemberFactory(), body="Who waters on Sunday?")
    run_fan_out()
    assert sorted(run_send_tasks()) == ["bounced", "sent"]

    assert mailbox.delivered_to == [[HERE]]
    assert "Allotment rota" in mailbox.subject(mailbox.received[0])
    bounce = Bounce.objects.get()
    assert (bounce.address, bounce.code) == (GONE, 550)
    assert "no such user" in bounce.reply
    bounced_email = OutboxEmail.objects.get(recipients=[GONE])
    assert bounce.email == bounced_email
    assert bounced_email.sent_at is None and bounced_email.given_up_at is not None
    assert bounced_email.attempts == 1
    assert "550" in bounced_email.last_error
    assert not send_tasks().exists()  # never retried


def test_one_email_to_both_reaches_the_address_that_takes_it(db, refusing_smtp):
    _, mailbox = refusing_smtp
    send_mail("Meeting notes", "Attached below.", None, [GONE, HERE])
    assert run_send_tasks() == ["sent"]
    assert mailbox.delivered_to == [[HERE]]
    row = OutboxEmail.objects.get()
    assert row.sent_at is not None and GONE in row.last_error
    assert Bounce.objects.get().address == GONE


def test_no_notification_or_digest_email_goes_to_a_bounced_address_until_it_changes(
    db, refusing_smtp, django_capture_on_commit_callbacks
):
    _, mailbox = refusing_smtp
    member = MemberFactory(email=GONE)
    first, second = make_topic(title="First"), make_topic(title="Second")
    follow_topic(member, first)
    follow_topic(member, second, delivery=Delivery.DAILY)
    discussions.reply(topic=first, author=MemberFactory(), body="One")
    run_fan_out()
    assert run_send_tasks() == ["bounced"]

    # Told on the site, never by email: an instant email, a mention, a digest.
    other = make_topic(title="Third")
    follow_topic(member, other)
    discussions.reply(topic=other, author=MemberFactory(), body="Two")
    with django_capture_on_commit_callbacks(execute=True):  # mentions are told after commit
        discussions.reply(
            topic=other, author=MemberFactory(), body=f"Hello @{member.username}, see this"
        )
    discussions.reply(topic=second, author=MemberFactory(), body="For the digest")
    run_fan_out()
    assert notification_tasks.send_digests.call("daily") == 0
    told = Notification.objects.filter(recipient=member, on_site=True)
    assert sorted(told.values_list("kind", flat=True)) == ["mentioned", "reply", "reply", "reply"]
    assert not OutboxEmail.objects.filter(recipients=[GONE], given_up_at__isnull=True).exists()

    # A new address (allauth's: confirmed, made primary): emails reach it again.
    address = EmailAddress.objects.create(
        user=member, email="new@example.org", verified=True, primary=False
    )
    address.set_as_primary()
    latest = make_topic(title="Fourth")
    follow_topic(member, latest)
    discussions.reply(topic=latest, author=MemberFactory(), body="Three")
    run_fan_out()
    assert run_send_tasks() == ["sent"]
    assert mailbox.delivered_to == [["new@example.org"]]


def test_a_recipient_refused_for_now_is_tried_again_and_gets_it_once(db, settings):
    controller, mailbox = start_smtp_server(refuse={GONE: "450 4.2.1 Mailbox busy, try later"})
    try:
        use_smtp_server(settings, controller.port)
        send_mail("Meeting notes", "Attached below.", None, [GONE, HERE])
        assert run_send_tasks() == ["will retry"]
        assert mailbox.delivered_to == [[HERE]]
        row = OutboxEmail.objects.get()
        assert (row.recipients, row.attempts, row.sent_at) == ([GONE], 1, None)
        assert "450" in row.last_error
        [retry] = send_tasks()
        assert retry.run_after > retry.enqueued_at  # later, with back-off
        assert not Bounce.objects.exists()

        controller.handler.refuse.clear()  # the mailbox has room again
        assert run_send_tasks() == ["sent"]
        assert mailbox.delivered_to == [[HERE], [GONE]]
        row.refresh_from_db()
        assert (row.attempts, row.given_up_at) == (2, None) and row.sent_at is not None
    finally:
        controller.stop()


def test_the_admin_lists_bounces_and_shows_them_on_the_email(db, refusing_smtp, admin_client):
    send_mail("Meeting notes", "Attached below.", None, [GONE])
    run_send_tasks()
    page = admin_client.get("/admin/mail/bounce/").content.decode()
    assert GONE in page and "550" in page
    row = OutboxEmail.objects.get()
    page = admin_client.get(f"/admin/mail/outboxemail/{row.pk}/change/").content.decode()
    assert GONE in page and "no such user" in page
