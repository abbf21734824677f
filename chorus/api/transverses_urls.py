"""``/cpro/transverses/v1/``: Chorus Pro's cross-cutting services, gathered from the apps."""

from __future__ import annotations

from django.urls import path

from chorus.api import referentials as r
from chorus.api.transverses import HealthCheckView
from invoices.api.reports import ConsulterCRDetailleView, ConsulterCRView
from invoices.api.submit import AjouterFichierView

urlpatterns = [
    path("health-check", HealthCheckView.as_view(), name="cpro-health-check"),
    # Referentials, the directory export and the support categories (chorus.api.referentials).
    path("recuperer/devises", r.CurrenciesView.as_view(), name="cpro-currencies"),
    path("recuperer/pays", r.CountriesView.as_view(), name="cpro-countries"),
    path("recuperer/tauxtva", r.VatRatesView.as_view(), name="cpro-vat-rates"),
    path(
        "recuperer/motifs/exonerationtva",
        r.ExemptionReasonsView.as_view(),
        name="cpro-exemption-reasons",
    ),
    path("recuperer/modereglements", r.PaymentModesView.as_view(), name="cpro-payment-modes"),
    path("recuperer/modedepot", r.DepositModesView.as_view(), name="cpro-deposit-modes"),
    path("recuperer/formatflux", r.FlowFormatsView.as_view(), name="cpro-flow-formats"),
    path(
        "recuperer/cadrefacturation",
        r.BillingFrameworksView.as_view(),
        name="cpro-billing-frameworks",
    ),
    path(
        "recuperer/typeidentifiant/structure",
        r.IdentifierTypesView.as_view(),
        name="cpro-identifier-types",
    ),
    path("recuperer/etat/typedp", r.InvoiceStatusesView.as_view(), name="cpro-invoice-statuses"),
    path(
        "recuperer/etats/traitement",
        r.ProcessingStatusesView.as_view(),
        name="cpro-processing-statuses",
    ),
    path(
        "telecharger/annuaire/destinataire",
        r.DirectoryDownloadView.as_view(),
        name="cpro-directory-download",
    ),
    path(
        "rechercher/categorieSollicitation",
        r.CategorySearchView.as_view(),
        name="cpro-request-categories",
    ),
    path(
        "rechercher/sousCategorieSollicitation",
        r.SubcategorySearchView.as_view(),
        name="cpro-request-subcategories",
    ),
    # The flows' integration reports and attachments sent ahead (invoices.api).
    path("consulterCR", ConsulterCRView.as_view(), name="cpro-consulter-cr"),
    path("ajouter/fichier", AjouterFichierView.as_view(), name="cpro-ajouter-fichier"),
    path(
        "consulterCRDetaille", ConsulterCRDetailleView.as_view(), name="cpro-consulter-cr-detaille"
    ),
]
