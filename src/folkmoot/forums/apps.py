from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "folkmoot.forums"
    label = "forums"
    default_auto_field = "django.db.models.BigAutoField"
