"""``/cpro/transverses/v1/``: Chorus Pro's cross-cutting services, gathered from the apps."""

from __future__ import annotations

from django.urls import path

from chorus.api.transverses import HealthCheckView
from invoices.api.reports import ConsulterCRDetailleView, ConsulterCRView
from invoices.api.submit import AjouterFichierView

urlpatterns = [
    path("health-check", HealthCheckView.as_view(), name="cpro-health-check"),
    path("consulterCR", ConsulterCRView.as_view(), name="cpro-consulter-cr"),
    path("ajouter/fichier", AjouterFichierView.as_view(), name="cpro-ajouter-fichier"),
    path(
        "consulterCRDetaille", ConsulterCRDetailleView.as_view(), name="cpro-consulter-cr-detaille"
    ),
]
