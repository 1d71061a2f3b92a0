"""Running what the worker would run, here and now."""

from django_tasks_db.models import DBTaskResult

from folkmoot.notifications import tasks
from folkmoot.notifications.models import Follow


def run_fan_out() -> int:
    """Run the queued fan-out tasks as the worker does (from their stored arguments)."""
    queued = list(
        DBTaskResult.objects.filter(
            task_path=tasks.fan_out_new_post.module_path, status="READY"
        ).order_by("enqueued_at")
    )
    for row in queued:
        tasks.fan_out_new_post.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        DBTaskResult.objects.filter(pk=row.pk).update(status="SUCCESSFUL")
    return len(queued)


def follow_topic(member, topic, **options) -> Follow:
    return Follow.objects.create(member=member, topic=topic, **options)
