"""Slow far servers against the real processes: `folkmoot serve` keeps answering readers while
members give it image URLs that drip one byte a second, and `folkmoot worker` runs default-queue
tasks while a post's link drips (in a thread of the same process)."""

import contextlib
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.test_demo_e2e import (  # noqa: F401 (fixtures)
    child_pids,
    demo_database_url,
    folkmoot,
    folkmoot_env,
    process_ended,
    serving,
)
from tests.web import start_web_server, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture
def slow_web():
    server = start_web_server()
    yield server
    server.stop()


def fetching_env(folkmoot_env: dict, slow_web, *, deadline: int) -> dict:  # noqa: F811
    """The operator's allow lists open the test server on 127.0.0.1 (nothing else is open)."""
    return {
        **folkmoot_env,
        "FOLKMOOT_FETCH_ALLOW_NETWORKS": "127.0.0.1/32",
        "FOLKMOOT_FETCH_PORTS": f"80,443,{slow_web.port}",
        "FOLKMOOT_FETCH_DEADLINE": str(deadline),
    }


def signed_in_client(base_url: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=60)
    form = client.get("/accounts/login/").text
    token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    answer = client.post(
        "/accounts/login/",
        data={"login": "admin", "password": password, "csrfmiddlewaretoken": token},
    )
    assert answer.status_code == 302, answer.text[:500]
    return client


def test_slow_image_urls_do_not_make_anonymous_pages_slow(folkmoot_env, slow_web):  # noqa: F811
    env = {**fetching_env(folkmoot_env, slow_web, deadline=8), "FOLKMOOT_THREADS": "4"}
    folkmoot(env, "demo", "--setup-only")
    password = (Path(env["FOLKMOOT_DATA_DIR"]) / "demo_admin_password").read_text().strip()
    slow_image = slow_web.drip("/slow.png", every=1.0, size=100)  # 100 s, one byte a second

    with serving(env, "serve", "--workers", "1") as (base_url, _):
        member = signed_in_client(base_url, password)
        token = member.cookies["csrftoken"]
        answers: list[tuple[int, float]] = []

        def upload_by_url():
            started = time.monotonic()
            with httpx.Client(base_url=base_url, cookies=member.cookies, timeout=60) as client:
                answer = client.post(
                    "/uploads/", data={"url": slow_image}, headers={"X-CSRFToken": token}
                )
            answers.append((answer.status_code, time.monotonic() - started))

        uploads = [threading.Thread(target=upload_by_url, daemon=True) for _ in range(4)]
        for upload in uploads:
            upload.start()
        assert wait_for(lambda: slow_web.hits, timeout=10)  # a fetch is dripping now
        time.sleep(0.5)
        reader_seconds = []
        with httpx.Client(base_url=base_url, timeout=30) as reader:
            for path in ["/", "/", "/", "/", "/"]:
                started = time.monotonic()
                assert reader.get(path).status_code == 200
                reader_seconds.append(time.monotonic() - started)
        for upload in uploads:
            upload.join(timeout=30)

    assert max(reader_seconds) < 2, reader_seconds
    assert sorted(status for status, _ in answers) == [400, 503, 503, 503]
    refused_at_once = [seconds for status, seconds in answers if status == 503]
    assert max(refused_at_once) < 2
    [fetch_seconds] = [seconds for status, seconds in answers if status == 400]
    assert fetch_seconds < 8 + 2  # gave up by its deadline


ENQUEUE_AND_WAIT = """
import time
from django_tasks import TaskResultStatus
from folkmoot.composer.tasks import composer_housekeeping
result = composer_housekeeping.enqueue()
started = time.monotonic()
while time.monotonic() - started < 20 and result.status != TaskResultStatus.SUCCESSFUL:
    time.sleep(0.1)
    result.refresh()
print(result.status, round(time.monotonic() - started, 2))
"""

POST_A_LINK = """
from folkmoot.accounts.models import User
from folkmoot.discussions import services
from folkmoot.discussions.models import Topic
services.reply(
    topic=Topic.objects.order_by("pk").first(),
    author=User.objects.get(username="admin"),
    body="{url}",
    enforce_limits=False,
)
"""


@contextlib.contextmanager
def running_worker(env: dict):
    worker = subprocess.Popen(
        [sys.executable, "-m", "folkmoot.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield worker
    finally:
        helpers = child_pids(worker.pid) if worker.poll() is None else []
        worker.terminate()
        worker.wait(timeout=30)
        assert wait_for(lambda: all(process_ended(pid) for pid in helpers), timeout=30)


def test_a_slow_link_in_a_post_does_not_hold_up_the_default_queue(
    folkmoot_env,  # noqa: F811
    slow_web,
):
    env = {
        **fetching_env(folkmoot_env, slow_web, deadline=60),
        # The database backend (RQ, with REDIS_URL, has a process per queue).
        "FOLKMOOT_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    folkmoot(env, "demo", "--setup-only")
    slow_page = slow_web.drip("/story", every=1.0, size=200)  # 200 s, one byte a second

    with running_worker(env) as worker:
        folkmoot(env, "manage", "shell", "-c", POST_A_LINK.format(url=slow_page))
        assert wait_for(lambda: slow_web.hits, timeout=30)  # the worker is fetching it
        # ...in a thread of its own: one process, one Django in memory.
        assert child_pids(worker.pid) == []
        status, seconds = folkmoot(env, "manage", "shell", "-c", ENQUEUE_AND_WAIT).split()[-2:]
        assert worker.poll() is None

    assert status == "SUCCESSFUL"
    assert float(seconds) < 5
