"""`folkmoot worker`: django_tasks_db's worker, plus a heartbeat thread that tells other
workers this one is alive and, every beat, recovers tasks that died with another worker.
Side queues (the fetches queue) run in threads of the same process, each with a worker loop
of its own: a slow fetch holds up only its thread (and ends by the fetcher's deadline), and
the process holds Django once instead of once a queue.
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
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

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


# How long a stopping worker waits for a side queue's task in hand; a task cut short there
# is run again after its lease, like one whose worker was killed.
SIDE_QUEUE_STOP_SECONDS = 5


def uses_database_backend() -> bool:
    return isinstance(task_backends["default"], DatabaseBackend)


def run(*, queue_name: str = "default", side_queues: tuple[str, ...] = ()) -> None:
    if uses_database_backend():
        run_database(queue_name=queue_name, side_queues=side_queues)
    else:
        run_rq(queue_name=queue_name)


def run_rq(*, queue_name: str) -> None:
    """One RQ worker on one queue. Its scheduler moves tasks given a run_after (email retries,
    guest reminders, housekeeping) onto the queue when due; a job runs in a forked child, so a
    task that hangs past its timeout is killed without taking the worker down."""
    call_command("rqworker", queue_name, "--job-class", "django_tasks_rq.Job", "--with-scheduler")


def _queue_worker(queue_name: str, worker_id: str) -> Worker:
    """db_worker's loop on one queue, as its command builds it. One worker id (and heartbeat)
    for the whole process: its threads live and die together."""
    return Worker(
        queue_names=[queue_name],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=True,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def _run_side_queue(worker: Worker) -> None:
    try:
        worker.run()
    except Exception:
        # The database gone for good, say. The whole process stops (as if told to), for its
        # supervisor to start it again, rather than live on with a queue nobody serves.
        logger.exception("The %s queue's worker stopped", ",".join(worker.queue_names))
        os.kill(os.getpid(), signal.SIGTERM)
    finally:
        connection.close()  # this thread's own connection


def run_database(*, queue_name: str, side_queues: tuple[str, ...] = ()) -> None:
    worker_id = get_random_string(32)
    # Until the main worker installs its own handler, a SIGTERM must still reach the clean-up
    # below (a worker stopped while starting would otherwise leave its heartbeat behind).
    signal.signal(signal.SIGTERM, _stop)
    stop = threading.Event()
    heart = threading.Thread(
        target=_beat_forever, args=(worker_id, stop), name="worker-heartbeat", daemon=True
    )
    side_workers = [_queue_worker(name, worker_id) for name in side_queues]
    side_threads = [
        threading.Thread(target=_run_side_queue, args=(worker,), name=f"worker-{name}", daemon=True)
        for name, worker in zip(side_queues, side_workers, strict=True)
    ]
    try:
        DbWorkerCommand().configure_logging(verbosity=1)  # what db_worker prints, as before
        recovery.beat(worker_id=worker_id, host=socket.gethostname(), pid=os.getpid())
        recovery.recover_abandoned_tasks()
        heart.start()
        main = _queue_worker(queue_name, worker_id)
        main.configure_signals()  # SIGTERM: finish the task in hand, then stop
        for thread in side_threads:
            thread.start()
        main.run()
    finally:
        # Winding down is bounded (below): a second SIGTERM must not cut the clean-up short.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for worker in side_workers:
            worker.running = False  # each ends after the task in hand, if any
        for thread in side_threads:
            if thread.is_alive():
                thread.join(timeout=SIDE_QUEUE_STOP_SECONDS)
        stop.set()
        if heart.is_alive():
            heart.join(timeout=5)
        recovery.forget(worker_id)
