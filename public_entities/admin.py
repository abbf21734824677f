"""Admin for public entities and their services."""

from __future__ import annotations

from django.contrib import admin

from public_entities.models import EntityService, PublicEntity


class EntityServiceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = EntityService
    fk_name = "structure"
    extra = 0
    fields = ("code", "name", "is_active", "start_date", "end_date", "commitment_required")
    show_change_link = True


@admin.register(PublicEntity)
class PublicEntityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "structure",
        "category",
        "service_code_required",
        "commitment_required",
        "service_or_commitment_required",
        "in_directory",
    )
    list_filter = ("category", "in_directory", "service_code_required", "commitment_required")
    search_fields = ("=structure__identifier", "structure__name", "structure__postal_code")
    list_select_related = ("structure",)
    raw_id_fields = ("structure",)
    readonly_fields = ("directory_updated_at",)
    show_full_result_count = False


@admin.register(EntityService)
class EntityServiceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "structure", "is_active", "start_date", "end_date")
    list_filter = ("is_active", "in_directory", "commitment_required")
    search_fields = ("code", "name", "=structure__identifier", "structure__name")
    list_select_related = ("structure",)
    raw_id_fields = ("structure",)
    filter_horizontal = ("members",)
    readonly_fields = ("public_id", "created_at", "updated_at")
    show_full_result_count = False
