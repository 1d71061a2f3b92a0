"""`folkmoot worker`: django_tasks_db's worker, plus a heartbeat thread that tells other
workers this one is alive and, every beat, recovers tasks that died with another worker.
With the RQ backend (REDIS_URL), an RQ worker instead: RQ keeps its own registry of started
jobs and of workers, so no heartbeat of ours is needed."""

import logging
import os
import signal
import socket
import threading

from django.core.management import call_command
from django.db import connection
from django.utils.crypto import get_random_string
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from . import recovery

logger = logging.getLogger(__name__)


def _beat_forever(worker_id: str, stop: threading.Event) -> None:
    interval = max(recovery.lease().total_seconds() / 4, 0.2)
    while not stop.wait(interval):
        try:
            recovery.beat(worker_id=worker_id, host=socket.gethostname(), pid=os.getpid())
            recovery.recover_abandoned_tasks()
        except Exception:  # a locked or unreachable database: beat again next time
            logger.exception("Worker heartbeat failed")
        finally:
            connection.close()  # this thread's own connection


def _stop(signum, frame) -> None:
    raise SystemExit(0)


def run(*, queue_name: str = "default") -> None:
    if isinstance(task_backends["default"], DatabaseBackend):
        run_database(queue_name=queue_name)
    else:
        run_rq(queue_name=queue_name)


def run_rq(*, queue_name: str) -> None:
    """One RQ worker on one queue. Its scheduler moves tasks given a run_after (email retries,
    guest reminders, housekeeping) onto the queue when due; a job runs in a forked child, so a
    task that hangs past its timeout is killed without taking the worker down."""
    call_command("rqworker", queue_name, "--job-class", "django_tasks_rq.Job", "--with-scheduler")


def run_database(*, queue_name: str) -> None:
    worker_id = get_random_string(32)
    # Until db_worker installs its own handler, a SIGTERM must still reach the clean-up below
    # (a worker stopped while starting would otherwise leave its heartbeat behind).
    signal.signal(signal.SIGTERM, _stop)
    stop = threading.Event()
    heart = threading.Thread(
        target=_beat_forever, args=(worker_id, stop), name="worker-heartbeat", daemon=True
    )
    try:
        recovery.beat(worker_id=worker_id, host=socket.gethostname(), pid=os.getpid())
        recovery.recover_abandoned_tasks()
        heart.start()
        call_command("db_worker", "--worker-id", worker_id, "--queue-name", queue_name)
    finally:
        stop.set()
        if heart.is_alive():
            heart.join(timeout=5)
        recovery.forget(worker_id)
