# GuestPost, moved here from the accounts app with its table (accounts_guestpost) untouched.
# Existing databases keep their rows; what named the old places is renamed: the content type
# (admin history, permissions) and the background tasks already queued under the old module
# paths (a guest's reminder and expiry, a post's link previews).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

RENAMED_TASKS = {
    "folkmoot.accounts.tasks.remind_guest": "folkmoot.guests.tasks.remind_guest",
    "folkmoot.accounts.tasks.expire_guest_post": "folkmoot.guests.tasks.expire_guest_post",
    "folkmoot.composer.tasks.fetch_link_previews": "folkmoot.discussions.tasks.fetch_link_previews",
}


def _rename(apps, renames: dict[str, str], *, app_from: str, app_to: str) -> None:
    task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in renames.items():
        task_result.objects.filter(task_path=old).update(task_path=new)
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label=app_from, model="guestpost").update(app_label=app_to)


def forwards(apps, schema_editor):
    _rename(apps, RENAMED_TASKS, app_from="accounts", app_to="guests")


def backwards(apps, schema_editor):
    _rename(
        apps,
        {new: old for old, new in RENAMED_TASKS.items()},
        app_from="guests",
        app_to="accounts",
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0003_guestpost_moves_to_guests"),
        ("discussions", "0002_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "__latest__"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="GuestPost",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("email", models.EmailField(db_index=True, max_length=254)),
                        ("display_name", models.CharField(blank=True, max_length=60)),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("claim_token", models.CharField(max_length=64, unique=True)),
                        ("origin", models.CharField(blank=True, max_length=200)),
                        ("reminded_at", models.DateTimeField(blank=True, null=True)),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "claimed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "post",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="guest",
                                to="discussions.post",
                            ),
                        ),
                    ],
                    options={"db_table": "accounts_guestpost"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
