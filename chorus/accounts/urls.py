"""Organisation pages, under /structures/. Structures and members are addressed by UUID."""

from __future__ import annotations

from django.urls import path

from chorus.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.structure_list_view, name="structure_list"),
    path("bienvenue/", views.onboarding_view, name="onboarding"),
    path("rejoindre/", views.structure_join_view, name="structure_join"),
    path("structure-active/", views.structure_switch_view, name="structure_switch"),
    path(
        "demandes/<uuid:request_public_id>/retirer/",
        views.join_request_cancel_view,
        name="join_request_cancel",
    ),
    path("<uuid:structure_public_id>/", views.structure_detail_view, name="structure_detail"),
    path("<uuid:structure_public_id>/modifier/", views.structure_edit_view, name="structure_edit"),
    path(
        "<uuid:structure_public_id>/identifiant/",
        views.structure_identifier_view,
        name="structure_identifier",
    ),
    path(
        "<uuid:structure_public_id>/espaces/",
        views.own_area_toggle_view,
        name="own_area_toggle",
    ),
    path(
        "<uuid:structure_public_id>/double-authentification/",
        views.structure_second_factor_view,
        name="structure_second_factor",
    ),
    path(
        "<uuid:structure_public_id>/gestionnaire-principal/",
        views.principal_transfer_view,
        name="principal_transfer",
    ),
    path(
        "<uuid:structure_public_id>/membres/<uuid:member_public_id>/",
        views.member_edit_view,
        name="member_edit",
    ),
    path(
        "<uuid:structure_public_id>/membres/<uuid:member_public_id>/retirer/",
        views.member_remove_view,
        name="member_remove",
    ),
    path(
        "<uuid:structure_public_id>/demandes/<uuid:request_public_id>/",
        views.join_request_decide_view,
        name="join_request_decide",
    ),
]
