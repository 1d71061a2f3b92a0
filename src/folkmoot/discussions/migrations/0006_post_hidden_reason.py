from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0005_reactions_recommendations"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="hidden_as",
            field=models.CharField(blank=True, db_default="", max_length=16),
        ),
        migrations.AddField(
            model_name="post",
            name="hidden_note",
            field=models.CharField(blank=True, db_default="", max_length=500),
        ),
    ]
