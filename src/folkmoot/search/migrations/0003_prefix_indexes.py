"""FTS5 prefix indexes (SQLite): the full-text structures again, with `prefix='2 3 4'`."""

from django.db import migrations

from folkmoot.search.backends import engine_for


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":  # PostgreSQL has nothing new here
        engine_for(schema_editor.connection).install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
