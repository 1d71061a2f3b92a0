"""Read replicas (DATABASE_REPLICA_URLS) against a real `folkmoot serve`: the "replica" is a copy
of the primary taken before the primary changed, so a page shows which database it was read
from. Anonymous readers' pages come from the replica; members, and a browser that has just
written, read from the primary; writes (sessions here) land on the primary."""

import shutil
import time
import uuid
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.test_demo_e2e import (  # noqa: F401 (fixtures)
    demo_database_url,
    folkmoot,
    folkmoot_env,
    serving,
)
from tests.test_slow_fetches_e2e import signed_in_client

pytestmark = pytest.mark.e2e

RETITLE_ON_THE_PRIMARY = """
from folkmoot.discussions.models import Topic
topic = Topic.objects.order_by("pk").first()
Topic.objects.filter(pk=topic.pk).update(title="Retitled on the primary")
print(topic.get_absolute_url(), topic.title)
"""


def copy_of_the_database(env: dict) -> str:
    """A copy of the primary as it is now, as a replica would be; its URL."""
    url = env.get("DATABASE_URL")
    if url is None:
        primary = Path(env["FOLKMOOT_DATA_DIR"]) / "folkmoot.sqlite3"
        replica = primary.with_name("replica.sqlite3")
        shutil.copyfile(primary, replica)  # the demo process closed it: WAL checkpointed
        return f"sqlite:///{replica}"
    base, _, primary_name = url.rpartition("/")
    replica_name = f"folkmoot_replica_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{replica_name}" TEMPLATE "{primary_name}"')
    return f"{base}/{replica_name}"


def drop(replica_url: str) -> None:
    if replica_url.startswith("postgres"):
        base, _, name = replica_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_anonymous_pages_read_from_the_replica_members_and_writers_from_the_primary(
    folkmoot_env,  # noqa: F811
):
    env = {**folkmoot_env, "FOLKMOOT_PAGE_CACHE_SECONDS": "0"}
    folkmoot(env, "demo", "--setup-only")
    password = (Path(env["FOLKMOOT_DATA_DIR"]) / "demo_admin_password").read_text().strip()
    replica_url = copy_of_the_database(env)
    try:
        topic_path, replica_title = (
            folkmoot(env, "manage", "shell", "-c", RETITLE_ON_THE_PRIMARY)
            .splitlines()[-1]
            .split(" ", 1)
        )
        serving_env = {**env, "DATABASE_REPLICA_URLS": replica_url}
        with serving(serving_env, "serve", "--workers", "1") as (base_url, _):
            with httpx.Client(base_url=base_url, timeout=30) as anonymous:
                page = anonymous.get(topic_path).text
                assert replica_title in page and "Retitled on the primary" not in page

                # A failed sign-in is a POST: the browser reads from the primary for a while.
                form = anonymous.get("/accounts/login/").text
                token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
                anonymous.post(
                    "/accounts/login/",
                    data={"login": "admin", "password": "wrong", "csrfmiddlewaretoken": token},
                )
                assert "folkmoot_primary" in anonymous.cookies
                assert "Retitled on the primary" in anonymous.get(topic_path).text

            # Signing in writes the session on the primary, where the member's pages are read.
            member = signed_in_client(base_url, password)
            member.cookies.delete("folkmoot_primary")
            assert "Retitled on the primary" in member.get(topic_path).text
            member.close()

            with httpx.Client(base_url=base_url, timeout=30) as another_reader:
                assert replica_title in another_reader.get(topic_path).text
    finally:
        drop(replica_url)


RETITLE_AND_TELL_THE_CACHE = """
from folkmoot.discussions import page_cache
from folkmoot.discussions.models import Topic
topic = Topic.objects.order_by("pk").first()
Topic.objects.filter(pk=topic.pk).update(title="Retitled again on the primary")
page_cache.bump(topics=[topic.pk], categories=[topic.category_id])  # as every change does
"""


def test_a_page_changed_moments_ago_is_cached_from_the_primary_not_a_lagging_replica(
    folkmoot_env,  # noqa: F811
):
    env = {**folkmoot_env, "FOLKMOOT_PAGE_CACHE_SECONDS": "300"}
    lag_seconds = 8
    folkmoot(env, "demo", "--setup-only")  # its posts changed every page's version
    set_up = time.monotonic()
    replica_url = copy_of_the_database(env)  # it never catches up: lag without end
    try:
        topic_path, replica_title = (
            folkmoot(env, "manage", "shell", "-c", RETITLE_ON_THE_PRIMARY)
            .splitlines()[-1]
            .split(" ", 1)
        )
        serving_env = {
            **env,
            "DATABASE_REPLICA_URLS": replica_url,
            "FOLKMOOT_REPLICA_LAG_SECONDS": str(lag_seconds),
        }
        with serving(serving_env, "serve", "--workers", "1") as (base_url, _):
            time.sleep(max(0, lag_seconds - (time.monotonic() - set_up)))
            with httpx.Client(base_url=base_url, timeout=30) as reader:
                # Nothing changed lately: the page is read from the replica, and cached.
                assert replica_title in reader.get(topic_path).text
            folkmoot(serving_env, "manage", "shell", "-c", RETITLE_AND_TELL_THE_CACHE)
            for _ in range(2):  # the first renders it, the second is the cached copy
                with httpx.Client(base_url=base_url, timeout=30) as reader:
                    page = reader.get(topic_path)
                    assert "Retitled again on the primary" in page.text
                    assert "folkmoot_primary" not in reader.cookies  # not a writer's browser
    finally:
        drop(replica_url)
