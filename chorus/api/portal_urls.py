"""Portal pages of API connections, mounted under a structure: /structures/<uuid>/api/."""

from __future__ import annotations

from django.urls import path

from chorus.api import portal_views as views

app_name = "api_portal"

urlpatterns = [
    path("", views.connection_list_view, name="connection_list"),
    path("nouveau/", views.connection_create_view, name="connection_create"),
    path("appels/", views.call_list_view, name="call_list"),
    path("<uuid:connection_public_id>/", views.connection_detail_view, name="connection_detail"),
    path(
        "<uuid:connection_public_id>/secret/",
        views.connection_rotate_view,
        name="connection_rotate",
    ),
    path(
        "<uuid:connection_public_id>/mot-de-passe/",
        views.technical_password_reset_view,
        name="technical_password_reset",
    ),
    path(
        "<uuid:connection_public_id>/perimetre/",
        views.connection_scopes_view,
        name="connection_scopes",
    ),
    path(
        "<uuid:connection_public_id>/renouveler/",
        views.connection_renew_view,
        name="connection_renew",
    ),
    path(
        "<uuid:connection_public_id>/revoquer/",
        views.connection_revoke_view,
        name="connection_revoke",
    ),
]
