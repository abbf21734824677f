"""Invoice pages, under /factures/. Deposits and invoices are addressed by UUID."""

from __future__ import annotations

from django.urls import path, register_converter

from invoices import views


class SideConverter:
    """``emises`` (invoices issued, supplier side) or ``recues`` (received, recipient side)."""

    regex = "emises|recues"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SideConverter, "side")

app_name = "invoices"

urlpatterns = [
    path("deposer/", views.deposit_view, name="deposit"),
    path("depots/", views.flow_list_view, name="flow_list"),
    path("depots/<uuid:public_id>/", views.flow_detail_view, name="flow_detail"),
    path(
        "depots/<uuid:public_id>/compte-rendu.csv", views.flow_report_csv_view, name="flow_report"
    ),
    path("depots/<uuid:public_id>/original/", views.flow_original_view, name="flow_original"),
    path("acquittements/", views.acknowledgements_view, name="acknowledgements"),
    path("notifications/", views.notifications_view, name="notifications"),
    path("acquitter/", views.invoice_acknowledge_view, name="acknowledge"),
    path("recues/<uuid:public_id>/traiter/", views.invoice_act_view, name="invoice_act"),
    path(
        "emises/<uuid:public_id>/completer/", views.invoice_complete_view, name="invoice_complete"
    ),
    path("emises/<uuid:public_id>/recycler/", views.invoice_reroute_view, name="invoice_reroute"),
    path("<side:side>/", views.invoice_list_view, name="invoice_list"),
    path("<side:side>/export.csv", views.invoice_export_view, name="invoice_export"),
    path("<side:side>/<uuid:public_id>/", views.invoice_detail_view, name="invoice_detail"),
    path(
        "<side:side>/<uuid:public_id>/original/",
        views.invoice_original_view,
        name="invoice_original",
    ),
]

# Portal entry (SAISIE_PORTAIL), PDF with keyed data (DEPOT_PDF_PORTAIL), readable PDF.
from invoices.entry import views as entry_views  # noqa: E402

urlpatterns += [
    path("saisie/", entry_views.draft_list_view, name="entry_drafts"),
    path("saisie/nouvelle/", entry_views.entry_new_view, name="entry_new"),
    path("saisie/pdf/", entry_views.entry_new_pdf_view, name="entry_new_pdf"),
    path("saisie/totaux/", entry_views.entry_totals_view, name="entry_totals"),
    path("saisie/ligne/", entry_views.entry_line_view, name="entry_line"),
    path("saisie/destinataire/", entry_views.entry_recipient_view, name="entry_recipient"),
    path(
        "saisie/destinataires/",
        entry_views.entry_recipient_search_view,
        name="entry_recipient_search",
    ),
    path("saisie/<uuid:public_id>/", entry_views.entry_edit_view, name="entry_edit"),
    path("saisie/<uuid:public_id>/supprimer/", entry_views.entry_delete_view, name="entry_delete"),
    path("saisie/<uuid:public_id>/pdf/", entry_views.entry_pdf_view, name="entry_pdf"),
    path(
        "<side:side>/<uuid:public_id>/lisible/",
        entry_views.invoice_readable_view,
        name="invoice_readable",
    ),
]
