"""Background work for guests, enqueued with run_after when a guest posts."""

from django_tasks import task

from . import services


@task()
def remind_guest(guest_id: int) -> bool:
    return services.remind_guest(guest_id=guest_id)


@task()
def expire_guest_post(guest_id: int) -> bool:
    return services.expire_guest_post(guest_id=guest_id)
