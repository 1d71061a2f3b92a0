"""A worker killed mid-task (kill -9, a crash, the machine going down) leaves its task marked
RUNNING; django_tasks_db would never look at it again. `folkmoot worker` runs it again once
its lease is over and its worker has stopped beating, and tasks are safe to run twice."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core.mail import send_mail
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from folkmoot.mail import tasks as mail_tasks
from folkmoot.mail.models import OutboxEmail
from folkmoot.worker import recovery
from folkmoot.worker.models import WorkerHeartbeat
from tests.smtp import start_smtp_server

pytestmark = pytest.mark.e2e


def _running(task_result, *, started_ago: float, worker_ids: list[str]) -> None:
    DBTaskResult.objects.filter(pk=task_result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=started_ago),
        worker_ids=worker_ids,
    )


def _status(task_result) -> str:
    return DBTaskResult.objects.get(pk=task_result.id).status


def test_only_tasks_past_their_lease_whose_worker_stopped_are_run_again(settings, db):
    settings.TASK_LEASE_SECONDS = 60
    WorkerHeartbeat.objects.create(worker_id="alive", seen_at=timezone.now())
    WorkerHeartbeat.objects.create(worker_id="dead", seen_at=timezone.now() - timedelta(seconds=90))
    orphan = mail_tasks.send_email.enqueue(1)
    _running(orphan, started_ago=120, worker_ids=["dead"])
    long_but_alive = mail_tasks.send_email.enqueue(2)
    _running(long_but_alive, started_ago=120, worker_ids=["dead", "alive"])
    just_started = mail_tasks.send_email.enqueue(3)
    _running(just_started, started_ago=5, worker_ids=["never-beat"])
    poison = mail_tasks.send_email.enqueue(4)
    _running(poison, started_ago=120, worker_ids=["a", "b", "c", "d", "e"])

    assert recovery.recover_abandoned_tasks() == 2
    assert _status(orphan) == TaskResultStatus.READY
    assert _status(long_but_alive) == TaskResultStatus.RUNNING
    assert _status(just_started) == TaskResultStatus.RUNNING
    assert _status(poison) == TaskResultStatus.FAILED  # it took five workers down
    assert recovery.recover_abandoned_tasks() == 0


def test_running_an_email_task_twice_sends_once(settings, db, mailbox):
    settings.EMAIL_BACKEND = "folkmoot.mail.backend.OutboxBackend"
    send_mail("Once", "Only once", None, ["once@example.net"])
    email_id = OutboxEmail.objects.get().pk
    assert mail_tasks.send_email.call(email_id) == "sent"
    assert mail_tasks.send_email.call(email_id) == "nothing to send"
    assert len(mailbox.to("once@example.net")) == 1


def _database_url() -> str:
    """The test database, for a worker started as its own process."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgres://{auth}@{params['HOST']}:{params['PORT'] or 5432}/{params['NAME']}"


def _start_worker(tmp_path, name: str, *, smtp_port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "120",
        "FOLKMOOT_TASK_LEASE_SECONDS": "2",
        # The database backend's own recovery, whether or not REDIS_URL would choose RQ.
        "FOLKMOOT_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, "-m", "folkmoot.cli", "worker"], env=env, stdout=log, stderr=log
    )


def _wait_for(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_task_killed_with_its_worker_is_run_again_and_the_email_arrives_once(
    settings, transactional_db, tmp_path, stalling_smtp
):
    settings.EMAIL_BACKEND = "folkmoot.mail.backend.OutboxBackend"
    send_mail("Survives a crash", "Sent exactly once", None, ["crash@example.net"])
    [task] = DBTaskResult.objects.filter(task_path=mail_tasks.send_email.module_path)

    # The first worker takes the task and hangs on a mail server that never answers...
    first = _start_worker(tmp_path, "first", smtp_port=stalling_smtp.port)
    try:
        _wait_for(stalling_smtp.accepted.is_set, seconds=60, what="the first worker to connect")
        assert _status(task) == TaskResultStatus.RUNNING
    finally:
        first.send_signal(signal.SIGKILL)  # ...and is killed there.
        first.wait(timeout=10)
    assert _status(task) == TaskResultStatus.RUNNING
    assert OutboxEmail.objects.get().sent_at is None

    controller, mailbox = start_smtp_server()
    second = _start_worker(tmp_path, "second", smtp_port=controller.port)
    try:
        _wait_for(lambda: mailbox.received, seconds=60, what="the email")
        time.sleep(3)  # more than a lease: nothing runs it a third time
        assert len(mailbox.received) == 1
        assert mailbox.received[0]["To"] == "crash@example.net"
        result = DBTaskResult.objects.get(pk=task.pk)
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert len(result.worker_ids) == 2  # the killed worker's run, then this one
        assert DBTaskResult.objects.filter(task_path=task.task_path).count() == 1
        email = OutboxEmail.objects.get()
        assert email.sent_at is not None and email.attempts == 2
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=15)
        controller.stop()
    # A worker that stops cleanly says so: no heartbeat left behind for it.
    assert WorkerHeartbeat.objects.count() == 1  # only the killed one's
