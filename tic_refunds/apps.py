"""TIC/TICGN refund requests for farmers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicRefundsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tic_refunds"
    verbose_name = _("Remboursements TIC")
