"""Root URL configuration."""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from chorus import site_pages, views
from chorus.accounts import mfa_views

# The admin's own password form would skip the second factor: its login goes through
# allauth's (password, then code), and staff without a second factor are sent to set one up.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", views.home_view, name="home"),
    path("tableau-de-bord/", views.dashboard_view, name="dashboard"),
    path("healthz", views.health_view, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("mentions-legales/", site_pages.legal_notice_view, name="legal_notice"),
    path("donnees-personnelles/", site_pages.personal_data_view, name="personal_data"),
    path("accessibilite/", site_pages.accessibility_view, name="accessibility"),
    path("plan-du-site/", site_pages.site_map_view, name="site_map"),
    path(
        "compte/double-authentification/obligatoire/",
        mfa_views.second_factor_required_view,
        name="second_factor_required",
    ),
    path(
        "compte/double-authentification/plus-tard/",
        mfa_views.second_factor_invite_dismiss_view,
        name="second_factor_invite_dismiss",
    ),
    path("compte/", include("allauth.urls")),
    path("compte/profil/", views.profile_view, name="profile"),
    path("structures/", include("chorus.accounts.urls")),
    path("structures/<uuid:structure_public_id>/api/", include("chorus.api.portal_urls")),
    path("fournisseurs/", include("suppliers.urls")),
    path("", include("public_entities.urls")),
    path("factures/", include("invoices.urls")),
    path("support/", include("support.urls")),
    path("hijack/", include("hijack.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("chorus.api.urls")),
    path("cpro/transverses/v1/", include("chorus.api.transverses_urls")),
    path("cpro/structures/v1/", include("public_entities.api.urls")),
    path("cpro/factures/v1/", include("invoices.api.urls")),
]
