"""The public directory (/annuaire/) and public-entity management (/structures-publiques/)."""

from __future__ import annotations

from django.urls import path

from public_entities import views

app_name = "public_entities"

urlpatterns = [
    path("annuaire/", views.directory_search_view, name="directory_search"),
    path("annuaire/api/structures/", views.directory_api_search_view, name="directory_api"),
    path(
        "annuaire/api/structures/<str:siret>/",
        views.directory_api_detail_view,
        name="directory_api_detail",
    ),
    path("annuaire/<str:siret>/", views.directory_detail_view, name="directory_detail"),
    path(
        "structures-publiques/<uuid:structure_public_id>/services/",
        views.service_list_view,
        name="service_list",
    ),
    path(
        "structures-publiques/<uuid:structure_public_id>/services/<uuid:service_public_id>/",
        views.service_edit_view,
        name="service_edit",
    ),
    path(
        "structures-publiques/<uuid:structure_public_id>/parametres/",
        views.parameters_edit_view,
        name="parameters_edit",
    ),
    path(
        "structures-publiques/<uuid:structure_public_id>/membres/<uuid:member_public_id>/services/",
        views.member_services_view,
        name="member_services",
    ),
]
