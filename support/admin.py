"""Admin: categories and agent profiles are edited here; audit rows are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from support.models import (
    HypervisionAccess,
    RequestCategory,
    SubstitutionEvent,
    SubstitutionSession,
    SupportAgentProfile,
)


@admin.register(RequestCategory)
class RequestCategoryAdmin(admin.ModelAdmin[RequestCategory]):
    list_display = ("label", "code", "parent", "default_level", "position", "is_active")
    list_filter = ("is_active", "default_level", "parent")
    search_fields = ("label", "label_en", "code")


@admin.register(SupportAgentProfile)
class SupportAgentProfileAdmin(admin.ModelAdmin[SupportAgentProfile]):
    list_display = ("user", "level", "is_manager")
    list_filter = ("level", "is_manager")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)


class _ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SubstitutionSession)
class SubstitutionSessionAdmin(_ReadOnlyAdmin):
    list_display = ("agent", "user", "reason", "started_at", "ended_at", "end_cause")
    search_fields = ("agent__email", "user__email", "reason")


@admin.register(SubstitutionEvent)
class SubstitutionEventAdmin(_ReadOnlyAdmin):
    list_display = ("session", "method", "path", "status_code", "created_at")


@admin.register(HypervisionAccess)
class HypervisionAccessAdmin(_ReadOnlyAdmin):
    list_display = ("at", "agent", "action", "object_type", "object_ref", "reason")
    list_filter = ("action", "object_type")
    search_fields = ("agent__email", "object_ref", "reason")
    raw_id_fields = ("agent", "flow", "invoice", "support_request")
