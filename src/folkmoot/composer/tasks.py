"""Composer background work, run by `folkmoot worker`: housekeeping that reschedules itself
every hour. Link previews are discussions.tasks.fetch_link_previews, on FETCH_QUEUE.

Fetching other sites is slow at its worst (each fetch may take the whole fetch deadline), so it
runs on a queue of its own, served by its own worker process: guest emails and housekeeping on
the default queue never wait behind a slow far server."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from folkmoot.moderation import limits

from . import services

HOUSEKEEPING_EVERY = timedelta(hours=1)
FETCH_QUEUE = "fetches"
# Outside the database backend, "a run is waiting" is a cache key that lives until the run is
# due (and a little longer); the run removes it before queueing the next one.
HOUSEKEEPING_WAITING_KEY = "composer:housekeeping-waiting"


@task()
def composer_housekeeping() -> dict[str, int]:
    """Delete drafts past their expiry and uploads no post used in time."""
    removed = {
        "drafts": services.remove_expired_drafts(),
        "attachments": services.remove_unused_attachments(),
        "expired_limits": limits.remove_expired(),
    }
    cache.delete(HOUSEKEEPING_WAITING_KEY)
    schedule_housekeeping(after=HOUSEKEEPING_EVERY)
    return removed


def schedule_housekeeping(*, after: timedelta = timedelta(0)) -> None:
    """Queue the next run unless one is already waiting (every worker calls this at start)."""
    if isinstance(composer_housekeeping.get_backend(), DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=composer_housekeeping.module_path, status=TaskResultStatus.READY
        ).exists()
    else:
        expires = (after + timedelta(minutes=10)).total_seconds()
        waiting = not cache.add(HOUSEKEEPING_WAITING_KEY, True, timeout=expires)
    if not waiting:
        composer_housekeeping.using(run_after=timezone.now() + after).enqueue()
