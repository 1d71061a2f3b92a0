"""Background work for guests, enqueued with run_after when a guest posts."""

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from . import follow_ups
from .models import GuestPost


@task()
def remind_guest(guest_id: int) -> bool:
    return follow_ups.remind_guest(guest_id=guest_id)


@task()
def expire_guest_post(guest_id: int) -> bool:
    return follow_ups.expire_guest_post(guest_id=guest_id)


def schedule_follow_ups(guest: GuestPost) -> None:
    """One reminder, then deletion if nobody claimed the post."""
    days = settings.FOLKMOOT
    remind_guest.using(
        run_after=guest.created_at + timedelta(days=days["GUEST_REMINDER_AFTER_DAYS"])
    ).enqueue(guest.pk)
    expire_guest_post.using(
        run_after=guest.created_at + timedelta(days=days["GUEST_EXPIRE_AFTER_DAYS"])
    ).enqueue(guest.pk)
