"""``/cpro/factures/v1/``: the invoices' Chorus Pro-compatible services."""

from __future__ import annotations

from django.urls import path

from invoices.api.deposit import DeposerFluxView

urlpatterns = [
    path("deposer/flux", DeposerFluxView.as_view(), name="cpro-deposer-flux"),
]
