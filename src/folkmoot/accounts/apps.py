from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "folkmoot.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .backends import use_member_backend

        user_logged_in.connect(use_member_backend, dispatch_uid="folkmoot-member-backend")
