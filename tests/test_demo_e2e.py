"""`folkmoot demo` as a real process, fetched over HTTP like a reader would."""

import contextlib
import html
import os
import re
import subprocess
import sys
import time
import uuid

import httpx
import pytest

from tests.smtp import free_port

pytestmark = pytest.mark.e2e
SEED_TITLE = "Islamic State Kills 700 Alawite Syrian Soldiers"
# The seed topic's link on its category page: its path.
SEED_TOPIC_LINK = re.compile(r'href="(/t/\d+-[-\w]+/)"[^>]*>' + re.escape(SEED_TITLE))


# The start of the scripts e2e tests run with `folkmoot manage shell -c`: `session_of(member)`
# is a session key that signs the test's HTTP client in as that member, with no password.
SESSION_OF = """
from importlib import import_module
from django.conf import settings

def session_of(member):
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["_auth_user_id"] = str(member.pk)
    store["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    store["_auth_user_hash"] = member.get_session_auth_hash()
    store.create()
    return store.session_key
"""


@contextlib.contextmanager
def throwaway_database_url(prefix: str = "folkmoot_e2e"):
    """A throwaway database of the kind the suite runs on (SQLite unless DATABASE_URL says):
    None for SQLite, else a new PostgreSQL database's URL, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield None
        return
    import psycopg

    base, _, _ = url.rpartition("/")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def demo_database_url():
    with throwaway_database_url() as url:
        yield url


def wait_until_serving(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"folkmoot demo exited: {process.stdout.read()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError("folkmoot demo did not start serving in time")


@pytest.fixture
def folkmoot_env(tmp_path, demo_database_url) -> dict:
    """The environment of a fresh install: its own data dir and database."""
    env = {**os.environ, "FOLKMOOT_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    if demo_database_url:
        env["DATABASE_URL"] = demo_database_url
    return env


def folkmoot(env: dict, *arguments: str) -> str:
    command = [sys.executable, "-m", "folkmoot.cli", *arguments]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


@contextlib.contextmanager
def serving(env: dict, *arguments: str):
    """`folkmoot <arguments> --port N` as a real process, until the block ends. `demo` and
    `serve` start the live server on the next port unless told another: a port of its own,
    since the next one may be taken on a busy machine (another test's server or client)."""
    port = free_port()
    if "--live-port" not in arguments:
        arguments = (*arguments, "--live-port", str(free_port()))
    command = [sys.executable, "-m", "folkmoot.cli", *arguments, "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base_url + "/", process)
        yield base_url, process
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def demo_server(folkmoot_env):
    with serving(folkmoot_env, "demo") as server:
        yield server


def seed_topic_path(http: httpx.Client) -> str:
    index = http.get("/").text
    category_path = re.search(r'href="(/c/\d+-world-news/)"', index)[1]
    category = http.get(category_path).text
    return SEED_TOPIC_LINK.search(category)[1]


def test_demo_serves_the_seed_topic_on_two_pages_and_its_permalinks(demo_server):
    base_url, _ = demo_server
    with httpx.Client(base_url=base_url, timeout=10) as http:
        index = http.get("/").text
        assert "World News" in index and SEED_TITLE in index

        category_path = re.search(r'href="(/c/\d+-world-news/)"', index)[1]
        category = http.get(category_path).text
        topic_path = SEED_TOPIC_LINK.search(category)[1]

        first_page = http.get(topic_path)
        assert first_page.status_code == 200
        assert "CidanSultan" in first_page.text
        assert "Fighters from the Islamic State group killed 700 soldiers" in first_page.text
        assert "Share post 1 by CidanSultan" in first_page.text
        assert "Join the conversation" in first_page.text
        second_page = http.get(topic_path + "?page=2")
        assert second_page.status_code == 200
        assert 'id="post-35"' in second_page.text
        assert 'id="post-1"' not in second_page.text

        last_post_id = re.findall(r'data-post-id="(\d+)"', second_page.text)[-1]
        permalink = http.get(f"/p/{last_post_id}/")
        assert permalink.status_code == 302
        assert permalink.headers["location"] == f"{topic_path}?page=2#post-35"


def child_pids(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as children:
        return [int(child) for child in children.read().split()]


def command_line(pid: int) -> bytes:
    with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
        return cmdline.read()


def process_ended(pid: int) -> bool:
    """Gone, or a zombie: finished, only not yet reaped."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(") ", 1)[1].startswith("Z")
    except FileNotFoundError:
        return True


def first_event(url: str, timeout: float = 60) -> list[str]:
    """The lines of a Server-Sent Events stream up to its first event's data, once the
    server (which starts beside the site) accepts connections."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with httpx.stream("GET", url, timeout=10) as stream:
                assert stream.status_code == 200
                assert stream.headers["content-type"].startswith("text/event-stream")
                lines = []
                for line in stream.iter_lines():
                    lines.append(line)
                    if line.startswith("data:"):
                        return lines
                raise AssertionError(f"the stream ended: {lines}")
        except httpx.ConnectError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_the_demo_streams_live_replies_where_its_topic_page_opens_them(demo_server):
    base_url, _ = demo_server
    with httpx.Client(base_url=base_url, timeout=10) as http:
        last_page = http.get(seed_topic_path(http) + "?page=2").text
    # The topic's last page opens its stream on the demo's live server.
    live_url = html.unescape(re.search(r'data-live="([^"]+)"', last_page)[1])
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/live/t/\d+/", live_url)
    lines = first_event(live_url + "?after=1")  # the newest post's number, at once
    assert "event: reply" in lines and lines[-1] == "data: 35"


def test_stopping_the_demo_stops_its_background_worker_and_live_server_too(demo_server):
    _, process = demo_server
    children = child_pids(process.pid)
    [worker] = [pid for pid in children if b"worker" in command_line(pid)]
    [live] = [pid for pid in children if b"serve-live" in command_line(pid)]
    process.terminate()
    process.wait(timeout=20)
    deadline = time.monotonic() + 10
    while not (process_ended(worker) and process_ended(live)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert process_ended(worker) and process_ended(live)


def test_running_the_demo_again_loads_nothing_twice(folkmoot_env):
    assert "demo created" in folkmoot(folkmoot_env, "demo", "--setup-only")
    assert "demo loaded" in folkmoot(folkmoot_env, "demo", "--setup-only")
    count_topics = "from folkmoot.discussions.models import Topic; print(Topic.objects.count())"
    topics = folkmoot(folkmoot_env, "manage", "shell", "-c", count_topics)
    assert topics.strip().splitlines()[-1] == "4"


def test_the_production_server_serves_pages_and_compressed_static_files(folkmoot_env):
    folkmoot(folkmoot_env, "demo", "--setup-only")
    with (
        serving(folkmoot_env, "serve", "--workers", "2") as (base_url, _),
        httpx.Client(base_url=base_url, timeout=10) as http,
    ):
        index = http.get("/").text
        assert SEED_TITLE in index
        category_path = re.search(r'href="(/c/\d+-world-news/)"', index)[1]
        category = http.get(category_path).text
        topic_path = SEED_TOPIC_LINK.search(category)[1]
        # Pages are compressed too (they were sent whole before), and decode to the page.
        page = http.get(topic_path, headers={"Accept-Encoding": "gzip"})
        assert page.headers["content-encoding"] == "gzip"
        assert int(page.headers["content-length"]) * 3 < len(page.content)
        assert SEED_TITLE in page.text and "</html>" in page.text
        css = http.get("/static/folkmoot/site.css", headers={"Accept-Encoding": "gzip"})
        assert css.status_code == 200
        assert css.headers["content-encoding"] == "gzip"
        assert "max-age" in css.headers["cache-control"]
        # The admin's own files too, compressed, and a missing one is a 404.
        admin_css = http.get("/static/admin/css/base.css", headers={"Accept-Encoding": "gzip"})
        assert admin_css.status_code == 200
        assert admin_css.headers["content-type"].startswith("text/css")
        assert admin_css.headers["content-encoding"] == "gzip"
        assert "max-age" in admin_css.headers["cache-control"]
        assert http.get("/static/admin/css/missing.css").status_code == 404
        missing = http.get("/t/999999-missing/")
        assert missing.status_code == 404
        assert "Traceback" not in missing.text  # DEBUG is off
