from django.conf import settings
from django.db import migrations


def name_the_site(apps, schema_editor):
    """The site's own name instead of Django's "example.com" (see accounts/site_record.py)."""
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"name": settings.SITE_NAME, "domain": settings.SITE_DOMAIN},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_guestpost"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(name_the_site, migrations.RunPython.noop)]
