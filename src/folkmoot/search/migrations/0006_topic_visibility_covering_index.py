"""PostgreSQL: each search checks its candidates' topic (deleted? opening post published? which
category?) by key; with those columns in the index (INCLUDE), that check reads the index alone
instead of the topic table's rows, which the large scans of a search push out of the cache
(BENCHMARKS.md, fourth pass: 12 µs a topic read from the table, 1 µs from the index). SQLite
reads a topic by its rowid and has nothing to gain."""

from django.db import migrations

INDEX = "search_topic_visibility_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON discussions_topic (id) "
            "INCLUDE (is_deleted, post_count, category_id)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_post_status_covering_index")]

    operations = [migrations.RunPython(create, drop)]
