"""GuestPost moved from the accounts app to guests with its table: a database created before
the move migrates forward with its guests' posts, their queued reminders and expiries, and
queued link previews intact (the tasks' module paths are renamed)."""

import json
import re

import pytest

from tests.test_demo_e2e import demo_database_url, folkmoot, folkmoot_env  # noqa: F401

pytestmark = pytest.mark.e2e

BEFORE_THE_MOVE = """
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from folkmoot.accounts.models import User
from folkmoot.discussions.models import Post, Topic
from folkmoot.forums.models import Category

category = Category.objects.create(name="Old")
# The member as the schema of then has them: today's model has columns added since
# (accounts 0005: avatar), so the row is written by hand and read without them.
with connection.cursor() as cursor:
    cursor.execute(
        "INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name,"
        " email, is_staff, is_active, date_joined, post_count) VALUES ('!', %s, 'old', '', '',"
        " 'old@example.org', %s, %s, CURRENT_TIMESTAMP, 0)",
        [False, False, True],
    )
author = User.objects.only(
    "username", "email", "is_active", "is_staff", "is_superuser", "date_joined", "post_count"
).get(username="old")
# Written as rows: today's services also write tables of apps migrated after this schema
# (an author's own post moves their read mark, in notifications).
topic = Topic.objects.create(category=category, author=author, title="An old topic",
                             slug="an-old-topic")
post = Post.objects.create(topic=topic, author=None, body="A reply a guest wrote",
                           cooked="<p>A reply a guest wrote</p>", status="pending")
with connection.cursor() as cursor:
    cursor.execute(
        "INSERT INTO accounts_guestpost (post_id, email, display_name, created_at, claim_token,"
        " origin) VALUES (%s, 'guest@example.net', 'Old guest', CURRENT_TIMESTAMP, 'tok', '')",
        [post.pk],
    )
# Only tasks queued by the old code, under its module paths (not those today's services
# queued for the rows above).
DBTaskResult.objects.all().delete()
for old in ("folkmoot.accounts.tasks.remind_guest", "folkmoot.accounts.tasks.expire_guest_post",
            "folkmoot.composer.tasks.fetch_link_previews"):
    DBTaskResult.objects.create(
        task_path=old, args_kwargs={"args": [post.pk], "kwargs": {}}, queue_name="default",
        backend_name="default", priority=0, run_after=timezone.now(),
        exception_class_path="", traceback="",
    )
print("RESULT", post.pk)
"""

AFTER = """
import json
from django.contrib.contenttypes.models import ContentType
from django_tasks_db.models import DBTaskResult
from folkmoot.guests.models import GuestPost

guest = GuestPost.objects.select_related("post").get()
print("RESULT " + json.dumps({
    "guest": [guest.post_id, guest.email, guest.display_name, guest.post.guest.pk == guest.pk],
    "tasks": sorted(DBTaskResult.objects.values_list("task_path", flat=True)),
    "content_types": sorted(ContentType.objects.filter(model="guestpost")
                            .values_list("app_label", flat=True)),
}))
"""


def _result(output: str) -> str:
    return re.search(r"^RESULT (.*)$", output, re.M)[1]


def test_a_database_from_before_the_move_keeps_its_guest_posts_and_queued_tasks(
    folkmoot_env,  # noqa: F811
):
    env = folkmoot_env
    folkmoot(env, "migrate")
    # Back to the schema before the move (the table was never touched, only the state).
    folkmoot(env, "manage", "migrate", "guests", "zero")
    folkmoot(env, "manage", "migrate", "accounts", "0002")
    post_id = int(_result(folkmoot(env, "manage", "shell", "-c", BEFORE_THE_MOVE)))
    assert "[ ] 0003_guestpost_moves_to_guests" in folkmoot(
        env, "manage", "showmigrations", "accounts"
    )

    folkmoot(env, "migrate")
    after = json.loads(_result(folkmoot(env, "manage", "shell", "-c", AFTER)))
    assert after["guest"] == [post_id, "guest@example.net", "Old guest", True]
    assert after["tasks"] == [
        "folkmoot.discussions.tasks.fetch_link_previews",
        "folkmoot.guests.tasks.expire_guest_post",
        "folkmoot.guests.tasks.remind_guest",
    ]
    assert after["content_types"] in ([], ["guests"])
    assert "No changes detected" in folkmoot(env, "manage", "makemigrations", "--check")
