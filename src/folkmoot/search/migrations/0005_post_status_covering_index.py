"""PostgreSQL: each search checks its candidates' post status by key; with the status in the
index (INCLUDE), that check reads the index alone, not the post table's wide rows (bodies and
HTML). SQLite reads a post by its rowid and has nothing to gain."""

from django.db import migrations

INDEX = "search_post_status_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON discussions_post (id) INCLUDE (status)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_filter_keys")]

    operations = [migrations.RunPython(create, drop)]
