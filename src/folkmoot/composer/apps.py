from django.apps import AppConfig


class ComposerConfig(AppConfig):
    name = "folkmoot.composer"
    label = "composer"
    default_auto_field = "django.db.models.BigAutoField"
