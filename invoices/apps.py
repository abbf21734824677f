"""Invoices: the e-invoice core, deposit flows, routing and lifecycle."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "invoices"
    verbose_name = _("Factures")

    def ready(self) -> None:
        from chorus.accounts.demo import demo_hooks
        from chorus.circuits.registry import in_transaction
        from invoices.circuit import INVOICE
        from invoices.demo import demo_invoices
        from invoices.tasks import invoice_events_notify_later
        from invoices.webhooks import invoice_events_webhooks

        in_transaction(INVOICE.name, invoice_events_notify_later)
        in_transaction(INVOICE.name, invoice_events_webhooks)

        if demo_invoices not in demo_hooks:
            demo_hooks.append(demo_invoices)
