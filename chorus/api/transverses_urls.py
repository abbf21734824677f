"""``/cpro/transverses/v1/``: Chorus Pro's cross-cutting services, gathered from the apps."""

from __future__ import annotations

from django.urls import path

from chorus.api.transverses import HealthCheckView

urlpatterns = [
    path("health-check", HealthCheckView.as_view(), name="cpro-health-check"),
]
