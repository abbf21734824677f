"""Works contracts: payment statements (MOE/MOA circuits)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksContractsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "works_contracts"
    verbose_name = _("Factures de travaux")
