from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "folkmoot.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401  (connects allauth's signals)
