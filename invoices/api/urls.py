"""``/cpro/factures/v1/``: the invoices' Chorus Pro-compatible services."""

from __future__ import annotations

from django.urls import path

from invoices.api.deposit import DeposerFluxView
from invoices.api.process import TelechargerGroupeView, TraiterRecueView
from invoices.api.read import (
    ConsulterFournisseurView,
    ConsulterRecipiendaireView,
    HistoriqueView,
    RechercherFournisseurView,
    RechercherRecipiendaireView,
)
from invoices.api.submit import CompleterView, RecyclerView, SoumettreView, TraiterRejetView

urlpatterns = [
    path("deposer/flux", DeposerFluxView.as_view(), name="cpro-deposer-flux"),
    path("soumettre", SoumettreView.as_view(), name="cpro-soumettre"),
    path("completer", CompleterView.as_view(), name="cpro-completer"),
    path("recycler", RecyclerView.as_view(), name="cpro-recycler"),
    path("traiterRejet", TraiterRejetView.as_view(), name="cpro-traiter-rejet"),
    path(
        "rechercher/fournisseur",
        RechercherFournisseurView.as_view(),
        name="cpro-rechercher-fournisseur",
    ),
    path(
        "rechercher/recipiendaire",
        RechercherRecipiendaireView.as_view(),
        name="cpro-rechercher-recipiendaire",
    ),
    path(
        "consulter/fournisseur",
        ConsulterFournisseurView.as_view(),
        name="cpro-consulter-fournisseur",
    ),
    path(
        "consulter/recipiendaire",
        ConsulterRecipiendaireView.as_view(),
        name="cpro-consulter-recipiendaire",
    ),
    path("consulter/historique", HistoriqueView.as_view(), name="cpro-consulter-historique"),
    path("traiter/recue", TraiterRecueView.as_view(), name="cpro-traiter-recue"),
    path("telecharger/groupe", TelechargerGroupeView.as_view(), name="cpro-telecharger-groupe"),
]
