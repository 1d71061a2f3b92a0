from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from folkmoot.discussions.models import Post
from folkmoot.guests import tasks
from folkmoot.guests.models import GuestPost
from folkmoot.guests.services import publish_waiting_posts
from tests.factories import make_topic
from tests.guests import guest_reply


def _age(guest: GuestPost, days: float) -> None:
    GuestPost.objects.filter(pk=guest.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_posting_as_a_guest_schedules_a_reminder_after_2_days_and_expiry_after_8(
    client, topic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        guest_reply(client, topic)
    guest = GuestPost.objects.get()
    scheduled = {
        result.task_path.rsplit(".", 1)[-1]: result for result in DBTaskResult.objects.all()
    }
    assert scheduled["remind_guest"].run_after == guest.created_at + timedelta(days=2)
    assert scheduled["expire_guest_post"].run_after == guest.created_at + timedelta(days=8)
    assert scheduled["remind_guest"].args_kwargs["args"] == [guest.pk]


def _reminders(mailbox, address: str) -> list:
    return [m for m in mailbox.to(address) if mailbox.subject(m).startswith("Reminder:")]


def test_the_reminder_is_sent_once_with_the_link(client, topic, mailbox):
    guest_reply(client, topic, email="forgetful@example.net")
    guest = GuestPost.objects.get()
    _age(guest, 2)
    assert tasks.remind_guest.call(guest.pk) is True
    assert tasks.remind_guest.call(guest.pk) is False
    [first, reminder] = mailbox.to("forgetful@example.net")
    assert _reminders(mailbox, "forgetful@example.net") == [reminder]
    assert f"/guests/finish/{guest.claim_token}/" in mailbox.text(reminder)


def test_no_reminder_once_the_post_is_claimed(client, topic, other_member, mailbox):
    guest_reply(client, topic, email=other_member.email)
    publish_waiting_posts(user=other_member)
    assert tasks.remind_guest.call(GuestPost.objects.get().pk) is False
    assert len(mailbox.to(other_member.email)) == 1  # the first email only
    assert _reminders(mailbox, other_member.email) == []


def test_an_unclaimed_post_is_deleted_after_8_days(client, topic):
    guest_reply(client, topic, body="Nobody came back for me")
    guest = GuestPost.objects.get()
    _age(guest, 7.9)
    assert tasks.expire_guest_post.call(guest.pk) is False
    _age(guest, 8)
    assert tasks.expire_guest_post.call(guest.pk) is True
    assert tasks.expire_guest_post.call(guest.pk) is False  # run again (a recovered task)
    assert not Post.objects.filter(body="Nobody came back for me").exists()
    assert not GuestPost.objects.exists()
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_a_claimed_post_is_never_expired(client, topic, other_member):
    guest_reply(client, topic, body="Claimed in time", email=other_member.email)
    publish_waiting_posts(user=other_member)
    guest = GuestPost.objects.get()
    _age(guest, 9)
    assert tasks.expire_guest_post.call(guest.pk) is False
    assert Post.objects.get(body="Claimed in time").status == Post.Status.PUBLISHED


def test_the_worker_runs_the_scheduled_reminder_and_expiry_when_they_fall_due(
    transactional_db, client, mailbox
):
    # The worker opens and closes its own connections: a real transaction per test.
    from django.core.management import call_command

    topic = make_topic()
    guest_reply(client, topic, body="Left behind", email="gone@example.net")
    guest = GuestPost.objects.get()

    def worker():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    worker()  # nothing is due yet
    assert len(mailbox.to("gone@example.net")) == 1  # the first email only
    assert Post.objects.filter(body="Left behind").exists()

    # Nine days later:
    _age(guest, 9)
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    worker()
    assert [mailbox.subject(m)[:9] for m in mailbox.to("gone@example.net")][-1] == "Reminder:"
    assert not Post.objects.filter(body="Left behind").exists()
