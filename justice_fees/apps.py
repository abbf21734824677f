"""Justice fees: claims (mémoires de frais de justice)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeFeesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "justice_fees"
    verbose_name = _("Frais de justice")
