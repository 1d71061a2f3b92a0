"""A guest's post left waiting: the email with the link to finish, the one reminder, and the
deletion of posts nobody claimed. Run from tasks.py; each is safe to run twice."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from folkmoot.discussions import emails, lifecycle
from folkmoot.discussions.models import Post

from .models import GuestPost


def send_guest_email(guest: GuestPost, *, reminder: bool) -> None:
    emails.tell_guest_post_waits(guest, reminder=reminder)


def remind_guest(*, guest_id: int) -> bool:
    """Send the one reminder, if the post is still waiting for its author. Returns whether
    it was sent."""
    with transaction.atomic():
        guest = (
            GuestPost.objects.unclaimed()
            .select_for_update(of=("self",))
            .filter(pk=guest_id, reminded_at__isnull=True, post__status=Post.Status.PENDING)
            .select_related("post__topic")
            .first()
        )
        if guest is None:
            return False
        guest.reminded_at = timezone.now()
        guest.save(update_fields=["reminded_at"])
        # Queued in the same transaction as reminded_at: a worker killed here and run again
        # sends exactly one reminder.
        send_guest_email(guest, reminder=True)
    return True


@transaction.atomic
def expire_guest_post(*, guest_id: int) -> bool:
    """Delete a guest's post nobody claimed in time. Returns whether it was deleted."""
    cutoff = timezone.now() - timedelta(days=settings.FOLKMOOT["GUEST_EXPIRE_AFTER_DAYS"])
    guest = (
        GuestPost.objects.unclaimed()
        .filter(pk=guest_id, created_at__lte=cutoff, post__status=Post.Status.PENDING)
        .select_related("post")
        .first()
    )
    if guest is None:
        return False
    return lifecycle.discard_waiting([guest.post_id]) == 1
