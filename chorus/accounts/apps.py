"""Accounts: the user model keyed by e-mail, allauth adapters and lock-out glue."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "chorus.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from chorus.accounts import signals  # noqa: F401  (connects allauth/axes glue)
