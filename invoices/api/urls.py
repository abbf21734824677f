"""``/cpro/factures/v1/``: the invoices' Chorus Pro-compatible services."""

from __future__ import annotations

from django.urls import path

from invoices.api.deposit import DeposerFluxView
from invoices.api.submit import CompleterView, RecyclerView, SoumettreView, TraiterRejetView

urlpatterns = [
    path("deposer/flux", DeposerFluxView.as_view(), name="cpro-deposer-flux"),
    path("soumettre", SoumettreView.as_view(), name="cpro-soumettre"),
    path("completer", CompleterView.as_view(), name="cpro-completer"),
    path("recycler", RecyclerView.as_view(), name="cpro-recycler"),
    path("traiterRejet", TraiterRejetView.as_view(), name="cpro-traiter-rejet"),
]
