from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """A running `folkmoot worker`, as last seen: a task whose worker stops beating was cut
    short and is run again (recovery.py)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "worker_heartbeat"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
