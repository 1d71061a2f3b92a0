from django.apps import AppConfig


class GuestsConfig(AppConfig):
    name = "folkmoot.guests"
    label = "guests"
    default_auto_field = "django.db.models.BigAutoField"
