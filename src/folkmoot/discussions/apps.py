from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "folkmoot.discussions"
    label = "discussions"
    default_auto_field = "django.db.models.BigAutoField"
