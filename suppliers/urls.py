"""Supplier pages, under /fournisseurs/."""

from __future__ import annotations

from django.urls import path

from suppliers import views

app_name = "suppliers"

urlpatterns = [
    path("creer/", views.structure_create_view, name="structure_create"),
    path(
        "<uuid:structure_public_id>/comptes-bancaires/",
        views.bank_account_list_view,
        name="bank_account_list",
    ),
    path(
        "<uuid:structure_public_id>/comptes-bancaires/<uuid:account_public_id>/",
        views.bank_account_toggle_view,
        name="bank_account_toggle",
    ),
]
