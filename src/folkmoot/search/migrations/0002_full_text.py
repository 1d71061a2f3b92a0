"""The full-text structures of the database in use: an FTS5 table and its triggers on SQLite,
tsvector columns, GIN indexes, a text search configuration and unaccent on PostgreSQL."""

from django.db import migrations

from folkmoot.search.backends import engine_for


def install(apps, schema_editor):
    engine_for(schema_editor.connection).install(schema_editor.connection)


def uninstall(apps, schema_editor):
    engine_for(schema_editor.connection).uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
