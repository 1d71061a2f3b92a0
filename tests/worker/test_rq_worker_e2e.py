"""With REDIS_URL set, tasks go through RQ (django-tasks' RQ backend): `folkmoot worker`, a real
process, runs RQ workers on a redis-server of the test's own, the default queue (emails) and
the fetches queue (link previews) each in a process of its own; nothing is queued in the
database."""

import pytest

from tests.redis_server import RedisServer
from tests.smtp import start_smtp_server
from tests.test_demo_e2e import (  # noqa: F401 (fixtures)
    demo_database_url,
    folkmoot,
    folkmoot_env,
)
from tests.test_slow_fetches_e2e import running_worker
from tests.web import start_web_server, wait_for

pytestmark = pytest.mark.e2e

STORY = b"""<!doctype html><html><head><meta charset="utf-8">
<meta property="og:title" content="Village hall saved by bake sale">
<meta property="og:description" content="Neighbours raised four thousand pounds.">
</head><body><p>Story</p></body></html>"""

SEND_AN_EMAIL = """
from django.core.mail import send_mail
send_mail("Through RQ", "Queued in Redis, sent by the worker.", None, ["rq@example.net"])
"""

POST_A_LINK = """
from folkmoot.accounts.models import User
from folkmoot.discussions import services
from folkmoot.discussions.models import Topic
services.reply(
    topic=Topic.objects.order_by("pk").first(),
    author=User.objects.get(username="admin"),
    body="Have you seen this?\\n\\n{url}",
    enforce_limits=False,
)
"""

WAIT_FOR_THE_PREVIEW = """
import time
from folkmoot.composer.models import LinkPreview
deadline = time.monotonic() + 60
while time.monotonic() < deadline and not LinkPreview.objects.filter(url="{url}").exists():
    time.sleep(0.2)
print([preview.title for preview in LinkPreview.objects.filter(url="{url}")])
"""

TASKS_IN_THE_DATABASE = """
from django_tasks_db.models import DBTaskResult
print(DBTaskResult.objects.count())
"""


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def smtp():
    controller, mailbox = start_smtp_server()
    yield controller.port, mailbox
    controller.stop()


@pytest.fixture
def story_site():
    server = start_web_server()
    yield server
    server.stop()


def test_the_rq_worker_sends_emails_and_fetches_previews(
    folkmoot_env,  # noqa: F811
    redis_server,
    smtp,
    story_site,
):
    smtp_port, mailbox = smtp
    env = {
        **folkmoot_env,
        "REDIS_URL": redis_server.url,
        "FOLKMOOT_CACHE_PREFIX": "rq-e2e",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "FOLKMOOT_FETCH_ALLOW_NETWORKS": "127.0.0.1/32",
        "FOLKMOOT_FETCH_PORTS": f"80,443,{story_site.port}",
    }
    env.pop("FOLKMOOT_TASKS_BACKEND", None)
    folkmoot(env, "demo", "--setup-only")
    story = story_site.serve("/story", STORY, "text/html; charset=utf-8")

    with running_worker(env):
        folkmoot(env, "manage", "shell", "-c", SEND_AN_EMAIL)
        folkmoot(env, "manage", "shell", "-c", POST_A_LINK.format(url=story))
        titles = folkmoot(env, "manage", "shell", "-c", WAIT_FOR_THE_PREVIEW.format(url=story))
        assert wait_for(lambda: mailbox.to("rq@example.net"), timeout=60)

    assert "['Village hall saved by bake sale']" in titles

    assert mailbox.text(mailbox.to("rq@example.net")[0]).strip().startswith("Queued in Redis")
    # Both went through Redis: RQ finished a job on each queue, the database queued none.
    finished = {
        queue: redis_server.client.zcard(f"rq:finished:{queue}") for queue in ("default", "fetches")
    }
    assert finished["default"] >= 1 and finished["fetches"] >= 1, finished
    assert folkmoot(env, "manage", "shell", "-c", TASKS_IN_THE_DATABASE).split()[-1] == "0"
