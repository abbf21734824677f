"""``/cpro/structures/v1/``: Chorus Pro's structure services (reference §10.2)."""

from __future__ import annotations

from django.urls import path

from public_entities.api import views

urlpatterns = [
    path("rechercher", views.StructureSearchView.as_view(), name="cpro-structures-search"),
    path("consulter", views.StructureGetView.as_view(), name="cpro-structures-get"),
    path(
        "rechercher/services",
        views.ServiceSearchView.as_view(),
        name="cpro-structures-services-search",
    ),
    path("consulter/service", views.ServiceGetView.as_view(), name="cpro-structures-service-get"),
]
