# GuestPost moved to the guests app. Its table stays where it is (guests.GuestPost keeps
# db_table = "accounts_guestpost"): only Django's idea of which app owns it changes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_guestpost"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="GuestPost")],
            database_operations=[],
        ),
    ]
