"""Suppliers: structures that deposit invoices, and their bank accounts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "suppliers"
    verbose_name = _("Fournisseurs")

    def ready(self) -> None:
        from chorus.accounts.demo import demo_hooks
        from chorus.accounts.services import structure_copy_hooks
        from suppliers.demo import demo_supplier
        from suppliers.services import bank_accounts_copy

        if bank_accounts_copy not in structure_copy_hooks:
            structure_copy_hooks.append(bank_accounts_copy)
        if demo_supplier not in demo_hooks:
            demo_hooks.append(demo_supplier)
