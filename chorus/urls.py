"""Root URL configuration."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from chorus import views

urlpatterns = [
    path("", views.home_view, name="home"),
    path("tableau-de-bord/", views.dashboard_view, name="dashboard"),
    path("healthz", views.health_view, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("compte/", include("allauth.urls")),
    path("compte/profil/", views.profile_view, name="profile"),
    path("structures/", include("chorus.accounts.urls")),
    path("fournisseurs/", include("suppliers.urls")),
    path("", include("public_entities.urls")),
    path("factures/", include("invoices.urls")),
    path("support/", include("support.urls")),
    path("hijack/", include("hijack.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("chorus.api.urls")),
    path("cpro/transverses/v1/", include("chorus.api.transverses_urls")),
]
