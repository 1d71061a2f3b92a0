"""Tasks a killed worker left marked RUNNING (django_tasks_db never looks at them again) are
made runnable again once their lease is over and their worker has stopped beating. Every
task is written to be safe to run twice (the outbox never sends a sent email, a reminder is
marked in the same transaction it is queued, expiry deletes what is still there)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# A task that took its worker down this many times is not tried again.
MAX_RUNS = 5


def lease() -> timedelta:
    return timedelta(seconds=settings.TASK_LEASE_SECONDS)


def beat(*, worker_id: str, host: str = "", pid: int | None = None) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": timezone.now(), "host": host, "pid": pid}
    )


def forget(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def recover_abandoned_tasks() -> int:
    """Make tasks RUNNING past the lease, whose last worker has not beaten within it, READY
    again (or FAILED after MAX_RUNS). Returns how many were recovered."""
    now = timezone.now()
    cutoff = now - lease()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    recovered = 0
    stale = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    for task in stale.only("id", "worker_ids", "started_at", "task_path"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue  # still running, just long
        exhausted = len(task.worker_ids) >= MAX_RUNS
        outcome = (
            {
                "status": TaskResultStatus.FAILED,
                "finished_at": now,
                "traceback": "Killed its worker.",
            }
            if exhausted
            else {"status": TaskResultStatus.READY}
        )
        # Only if nobody changed it since we looked (another worker recovering it too).
        changed = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        ).update(**outcome)
        if changed:
            recovered += 1
            logger.warning(
                "Task %s (%s) was cut short by a worker that stopped; %s",
                task.pk,
                task.task_path,
                "giving up" if exhausted else "running it again",
            )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return recovered
