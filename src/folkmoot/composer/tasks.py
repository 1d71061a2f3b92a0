"""Composer background work, run by `folkmoot worker`: link previews for new and edited posts,
and housekeeping that reschedules itself every hour."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from . import previews, services

HOUSEKEEPING_EVERY = timedelta(hours=1)


@task()
def fetch_link_previews(post_id: int) -> int:
    """Fetch the previews a post's embeds still need and redraw them as cards."""
    return previews.refresh_post_previews(post_id)


@task()
def composer_housekeeping() -> dict[str, int]:
    """Delete drafts past their expiry and uploads no post used in time."""
    removed = {
        "drafts": services.remove_expired_drafts(),
        "attachments": services.remove_unused_attachments(),
    }
    schedule_housekeeping(after=HOUSEKEEPING_EVERY)
    return removed


def schedule_housekeeping(*, after: timedelta = timedelta(0)) -> None:
    """Queue the next run unless one is already waiting (every worker calls this at start)."""
    waiting = DBTaskResult.objects.filter(
        task_path=composer_housekeeping.module_path, status=TaskResultStatus.READY
    )
    if not waiting.exists():
        composer_housekeeping.using(run_after=timezone.now() + after).enqueue()
