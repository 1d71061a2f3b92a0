"""No unsafe method gets through without a CSRF token, on any URL of the site.

Every URL pattern (walked from the URL configuration, admin and allauth included, so a new
URL is in the walk at once) is sent POST, PUT, PATCH and DELETE without a token, by an
anonymous visitor and by a signed-in member, with Django's CSRF checks on as in a browser.
Each answer must be the CSRF refusal (403), 404 or 405, and no row may be written. And
GET and HEAD write nothing anywhere, for anyone."""

import pytest
from django.db import connection

from folkmoot.discussions.models import Topic
from tests.security.world import site_urls

UNSAFE_METHODS = ("post", "put", "patch", "delete")
FORM = {"body": "Written without a token", "title": "A topic without a token", "reason": "x"}
# RFC 8058 one-click unsubscribe takes POSTs from mail clients without a CSRF token (the signed
# token in its address is the proof); a POST that is not a one-click request is refused (400).
NO_CSRF_BY_DESIGN = {"unsubscribe_one_click": 400}


def rows_written() -> int:
    """Rows inserted, updated or deleted so far by this connection (SQLite) or transaction
    (PostgreSQL), in any table: a write that changes nothing still counts."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.total_changes
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
            "FROM pg_stat_xact_all_tables"
        )
        return cursor.fetchone()[0]


def test_the_write_counter_sees_even_a_write_that_changes_nothing(world, db):
    before = rows_written()
    Topic.objects.filter(pk=world.topic.pk).update(title=world.topic.title)
    assert rows_written() == before + 1


@pytest.mark.parametrize("role", ["anonymous", "member"])
@pytest.mark.parametrize("url", site_urls(), ids=lambda url: url.key)
def test_unsafe_methods_without_a_csrf_token_are_refused(world, db, url, role):
    path = url.path(world)
    client = world.client(role)
    before = rows_written()
    answers = {}
    for method in UNSAFE_METHODS:
        response = getattr(client, method)(path, FORM)
        refused_for_csrf = response.status_code == 403 and b"CSRF verification failed" in (
            response.content
        )
        answers[method.upper()] = "CSRF" if refused_for_csrf else response.status_code
    allowed = ("CSRF", 404, 405, NO_CSRF_BY_DESIGN.get(url.key, 404))
    assert all(answer in allowed for answer in answers.values()), f"{path} as {role}: {answers}"
    assert rows_written() == before, f"{path} as {role} changed the database"


@pytest.mark.parametrize("role", ["anonymous", "guest", "member", "staff"])
@pytest.mark.parametrize("url", site_urls(), ids=lambda url: url.key)
def test_get_and_head_change_nothing(world, db, url, role):
    """GET never writes: a crawler, a prefetching browser or a link in an email can follow
    any URL without changing the forum."""
    path = url.path(world)
    client = world.client(role)
    before = rows_written()
    client.get(path)
    client.head(path)
    assert rows_written() == before, f"GET {path} as {role} changed the database"
