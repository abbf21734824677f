"""The token endpoint (PISTE's path), the OpenAPI description and its documentation page."""

from __future__ import annotations

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from oauth2_provider.views import TokenView

app_name = "api"

urlpatterns = [
    path("oauth/token", TokenView.as_view(), name="token"),
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="schema",
    ),
    path(
        "documentation/",
        # ReDoc (served from our static files) styles itself inline and renders in a worker.
        csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(
                url_name="api:schema", authentication_classes=[], permission_classes=[]
            )
        ),
        name="docs",
    ),
]
