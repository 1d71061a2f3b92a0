"""A real `folkmoot serve` (site and live server), a forum set up through `folkmoot manage
shell`, replies made by a third process or through the site's reply form, and a reader of a
Server-Sent Events stream on a thread of its own."""

import contextlib
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from tests.redis_server import RedisServer, free_port
from tests.test_demo_e2e import (
    SESSION_OF,
    folkmoot,
    throwaway_database_url,
    wait_until_serving,
)

# Starting a site takes minutes when the machine is busy with other test runs.
START_SECONDS = 300


@contextlib.contextmanager
def serving(env: dict, *arguments: str):
    """`folkmoot <arguments> --port N` as a real process, until the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "folkmoot.cli", *arguments, "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base_url + "/", process, timeout=START_SECONDS)
        yield base_url, process
    finally:
        process.terminate()
        process.wait(timeout=30)


SETUP = (
    SESSION_OF
    + """
import json
from folkmoot.accounts.models import User
from folkmoot.discussions import services
from folkmoot.forums.models import Category

open_category = Category.objects.create(name="Open", guest_policy="none")
held_category = Category.objects.create(
    name="Held", guest_policy="none", moderate_new_members=True
)
# Members sign in by session (session_of): no password to hash.
author = User.objects.create_user("author", "author@example.org", is_staff=True)
reader = User.objects.create_user("reader", "reader@example.org")
newcomer = User.objects.create_user("newcomer", "newcomer@example.org")
topic = services.start_topic(category=open_category, author=author, title="Live", body="One")
bell_topic = services.start_topic(
    category=open_category, author=author, title="Bells", body="One"
)
held_topic = services.start_topic(
    category=held_category, author=author, title="Watched", body="One"
)
waiting = services.start_topic(
    category=held_category, author=newcomer, title="Waiting", body="Held back"
)
assert waiting.post_count == 0  # its first post awaits a moderator
print("RESULT " + json.dumps({
    "topic": topic.pk, "topic_url": topic.get_absolute_url(), "bell_topic": bell_topic.pk,
    "held_topic": held_topic.pk, "waiting_topic": waiting.pk,
    "author": session_of(author), "reader": session_of(reader),
}))
"""
)

REPLY = """
import json, sys
from folkmoot.accounts.models import User
from folkmoot.discussions import services
from folkmoot.discussions.models import Topic

post = services.reply(
    topic=Topic.objects.get(pk={topic}), author=User.objects.get(username="{author}"),
    body={body!r},
)
print("RESULT " + json.dumps({{"number": post.number, "status": post.status}}))
"""


def result_of(output: str) -> dict:
    return json.loads(output.split("RESULT ", 1)[1])


def set_up_forum(env: dict) -> dict:
    folkmoot(env, "migrate")
    return result_of(folkmoot(env, "manage", "shell", "-c", SETUP))


def reply_elsewhere(env: dict, *, topic: int, author: str, body: str) -> dict:
    """A reply made by a process of its own (as the task worker's would be)."""
    script = REPLY.format(topic=topic, author=author, body=body)
    return result_of(folkmoot(env, "manage", "shell", "-c", script))


def reply_through_site(base_url: str, topic_url: str, *, session: str, body: str) -> None:
    """The reply form, as a browser sends it: the page's CSRF token, then the POST."""
    cookies = {"sessionid": session}
    with httpx.Client(base_url=base_url, cookies=cookies, timeout=30) as http:
        page = http.get(topic_url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        response = http.post(
            topic_url + "reply/",
            data={"csrfmiddlewaretoken": token, "body": body},
            headers={"Referer": base_url + topic_url},
        )
        assert response.status_code == 302, response.text[:500]


def database_url():
    """A throwaway database for the live servers' tests (test_demo_e2e's, named apart)."""
    return throwaway_database_url("folkmoot_live")


@contextlib.contextmanager
def forum_environment(data_dir: Path, *, redis: bool):
    """The environment of a fresh install (its own data dir, database, and Redis or none);
    without Redis, FOLKMOOT_LIVE_PORT for every process, as docs/deploy.md says."""
    with contextlib.ExitStack() as stack:
        env = {**os.environ, "FOLKMOOT_DATA_DIR": str(data_dir)}
        env.update(FOLKMOOT_FLOOD_SECONDS="0", LOG_LEVEL="warning")
        for name in ("DATABASE_URL", "REDIS_URL", "FOLKMOOT_LIVE_PORT"):
            env.pop(name, None)
        database = stack.enter_context(database_url())
        if database:
            env["DATABASE_URL"] = database
        if redis:
            (data_dir / "redis").mkdir()
            server = RedisServer(data_dir / "redis")
            stack.callback(server.stop)
            env["REDIS_URL"] = server.url
        else:
            env["FOLKMOOT_LIVE_PORT"] = str(free_port())
        yield env


@contextlib.contextmanager
def serving_with_live(env: dict):
    """`folkmoot serve` with its live server on a port of its own: (site URL, live URL)."""
    live_port = int(env.get("FOLKMOOT_LIVE_PORT") or free_port())
    with serving(env, "serve", "--workers", "1", "--live-port", str(live_port)) as (site, _):
        live = f"http://127.0.0.1:{live_port}"
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                if httpx.get(live + "/live/", timeout=2).status_code == 404:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the live server did not start"
            time.sleep(0.3)
        yield site, live


class EventStream:
    """Reads a text/event-stream on a thread: `status` once answered, then `next_event()`."""

    def __init__(self, url: str, *, session: str | None = None, headers: dict | None = None):
        self.url = url
        self.cookies = {"sessionid": session} if session else {}
        self.headers = headers or {}
        self.events: queue.Queue = queue.Queue()
        self.answered = threading.Event()
        self.status = None
        self.response_headers: dict = {}
        self._client = httpx.Client(timeout=httpx.Timeout(30, read=None), cookies=self.cookies)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            with self._client.stream("GET", self.url, headers=self.headers) as response:
                self.status = response.status_code
                self.response_headers = dict(response.headers)
                self.answered.set()
                event: dict = {}
                for line in response.iter_lines():
                    if not line:
                        if "data" in event:
                            self.events.put(event)
                        event = {}
                    elif not line.startswith(":"):
                        field, _, value = line.partition(":")
                        event[field] = value.removeprefix(" ")
        except httpx.HTTPError:
            pass
        finally:
            self.answered.set()

    def wait_answered(self, timeout: float = 60) -> int:
        assert self.answered.wait(timeout), "the stream did not answer"
        return self.status

    def next_event(self, timeout: float = 60) -> dict:
        return self.events.get(timeout=timeout)

    def close(self) -> None:
        self._client.close()
