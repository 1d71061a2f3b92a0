"""The database refusing a write: the user gets the designed 503 page that says why, that
nothing was saved, and gives their text back; the editor's fetch() calls get JSON. Real faults:
SQLite read-only, full and locked; PostgreSQL read-only and a lock held elsewhere."""

import sqlite3
from contextlib import contextmanager

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction

from folkmoot.composer.models import Draft
from folkmoot.discussions.models import Post
from folkmoot.faults.classify import classify, raised_after_commit
from tests.antibot_solver import solve_for_tests
from tests.factories import make_topic

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="an SQLite fault")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL fault")

BODY = "My carefully written reply <with> & characters"


def reply(client, topic, body=BODY):
    return client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": body})


def assert_refused_and_kept(response, *, because: str, retry_after: str):
    assert response.status_code == 503
    assert response["Retry-After"] == retry_after
    page = response.text
    assert "The forum could not save your post because" in page
    assert because in page
    assert "Nothing was saved." in page
    # The text, escaped, in a textarea posting back to the same place.
    assert "My carefully written reply &lt;with&gt; &amp; characters</textarea>" in page
    assert 'class="site-header"' in page  # the site's own layout


@contextmanager
def sqlite_pragma(name, value):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA {name} = {before}")


@contextmanager
def read_only_database():
    """SQLite: PRAGMA query_only; PostgreSQL: default_transaction_read_only, as on a hot
    standby. Both on this test's own connection, which the test client's requests use."""
    if connection.vendor == "sqlite":
        with sqlite_pragma("query_only", "ON"):
            yield
    else:
        with postgresql_session("default_transaction_read_only", "on"):
            yield


@pytest.mark.django_db(transaction=True)
def test_a_reply_to_a_read_only_database_keeps_the_text(client, member):
    topic = make_topic()
    client.force_login(member)
    with read_only_database():
        response = reply(client, topic)
    assert_refused_and_kept(response, because="read-only", retry_after="60")
    assert topic.posts.count() == 1


@on_sqlite
def test_a_reply_to_a_full_sqlite_database_keeps_the_text(member_client, topic):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
    with sqlite_pragma("max_page_count", pages):
        response = reply(member_client, topic, BODY + " " + "long words " * 3000)
    assert response.status_code == 503
    assert "run out of disk space" in response.text
    assert "Nothing was saved." in response.text
    assert topic.posts.count() == 1


@pytest.mark.django_db(transaction=True)
@on_sqlite
def test_a_reply_while_another_writer_holds_sqlite_keeps_the_text(client, member):
    topic = make_topic()
    client.force_login(member)
    other = sqlite3.connect(connection.settings_dict["NAME"])
    other.execute("BEGIN IMMEDIATE")  # the write lock, held
    try:
        with sqlite_pragma("busy_timeout", 200):
            response = reply(client, topic)
    finally:
        other.rollback()
        other.close()
    assert_refused_and_kept(response, because="busy", retry_after="5")
    assert topic.posts.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_editor_gets_json_when_a_draft_cannot_be_saved(client, member):
    topic = make_topic()
    client.force_login(member)
    with read_only_database():
        response = client.put(
            f"/drafts/topic-{topic.pk}/",
            '{"body": "half a thought", "seq": 0}',
            "application/json",
            headers={"Accept": "application/json"},
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "could not save your changes because" in response.json()["error"]
    assert not Draft.objects.exists()


@contextmanager
def postgresql_session(setting, value):
    with connection.cursor() as cursor:
        cursor.execute(f"SET {setting} = %s", [value])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"RESET {setting}")


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_reply_waiting_on_a_postgresql_lock_gives_up_and_keeps_the_text(client, member):
    topic = make_topic()
    client.force_login(member)
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
    )
    other.execute("SELECT 1 FROM discussions_topic WHERE id = %s FOR UPDATE", [topic.pk])
    try:
        with postgresql_session("lock_timeout", "200ms"):
            response = reply(client, topic)
    finally:
        other.rollback()
        other.close()
    assert_refused_and_kept(response, because="busy", retry_after="5")
    assert topic.posts.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_error_page_renders_with_the_database_unreachable(client, member):
    topic = make_topic()
    url = topic.get_absolute_url()
    unreachable = (
        {"NAME": "/nonexistent/folkmoot/db.sqlite3"}
        if connection.vendor == "sqlite"
        else {"HOST": "127.0.0.1", "PORT": "1"}
    )
    saved = {key: connection.settings_dict[key] for key in unreachable}
    connection.close()
    connection.settings_dict.update(unreachable)
    try:
        response = client.get(url)
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "cannot reach its database" in response.text
    assert 'class="site-header"' in response.text
    assert Post.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_fault_after_the_commit_is_reported_as_saved_not_as_lost(member):
    """Callbacks run after the commit; if one fails, the write stands and the page must say
    so rather than invite the user to post twice."""
    topic = make_topic()

    def fails_after_commit():
        with read_only_database(), connection.cursor() as cursor:
            cursor.execute("UPDATE discussions_topic SET is_pinned = is_pinned")

    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        Post.objects.filter(topic=topic).update(body="Saved before the fault")
        transaction.on_commit(fails_after_commit)
    assert classify(raised.value).kind == "read-only"
    assert raised_after_commit(raised.value)
    assert Post.objects.get(topic=topic).body == "Saved before the fault"

    with pytest.raises(DatabaseError) as raised, read_only_database(), transaction.atomic():
        Post.objects.filter(topic=topic).update(body="Never saved")
    assert not raised_after_commit(raised.value)


@pytest.mark.django_db(transaction=True)
def test_a_new_topic_on_a_read_only_database_keeps_title_and_text(client, member, category):
    client.force_login(member)
    with read_only_database():
        response = client.post(
            f"/c/{category.pk}-{category.slug}/new/",
            {"title": "My new topic", "body": "Its first words"},
        )
    assert response.status_code == 503
    assert ">My new topic</textarea>" in response.text
    assert ">Its first words</textarea>" in response.text
    assert not category.topics.exists()


@pytest.mark.django_db(transaction=True)
def test_a_guest_reply_on_a_read_only_database_keeps_the_text_and_can_be_sent_again(client):
    topic = make_topic()
    challenge = client.get("/guests/challenge/").json()  # before the fault: a read and a write
    with read_only_database():
        response = client.post(
            f"/t/{topic.pk}-{topic.slug}/reply/",
            {
                "body": "A guest's words",
                "email": "guest@example.net",
                "display_name": "Wanderer",
                "website": "",
                "altcha": solve_for_tests(challenge),
            },
        )
    assert response.status_code == 503
    assert ">A guest&#x27;s words</textarea>" in response.text
    assert 'name="email" value="guest@example.net"' in response.text
    assert "Send again" in response.text
    assert topic.posts.count() == 1
