"""PostgreSQL: a BRIN index of the index table's post ids. Rows are written in post id order
(`reindex` goes by id, new posts come last), so each block range holds a narrow span of ids,
and a search's first step ("the matches among the newest 100,000 post ids", backends.
RECENT_POSTS) intersects the GIN index's matches with these ranges before reading the heap:
a word in 1% of a million posts reads the pages of its ~1,000 newest matches (955 pages)
instead of testing 105,800 posts newest first. A few hundred kB; a range not yet summarized
is always read, so it is never wrong, only slower, until autovacuum summarizes it. SQLite
has no BRIN and searches its own way."""

from django.db import migrations

INDEX = "search_post_id_brin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_indexedpost "
            "USING brin (post_id) WITH (pages_per_range = 16, autosummarize = on)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0007_post_date_covering_index")]

    operations = [migrations.RunPython(create, drop)]
