"""Django admin for staff: deposits and invoices read-only (legal records), reasons editable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from invoices.models import Flow, Invoice, InvoiceEvent, LatePaymentRate, StatusReason


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Legal records are never edited by hand: corrections are new events."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StatusReason)
class StatusReasonAdmin(admin.ModelAdmin[StatusReason]):
    list_display = ("code", "label_fr", "label_en", "uses", "is_active", "position")
    list_filter = ("is_active",)
    search_fields = ("code", "label_fr", "label_en")
    ordering = ("position", "code")


@admin.register(Flow)
class FlowAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "structure", "mode", "syntax", "status", "received_at")
    list_filter = ("status", "mode", "syntax")
    search_fields = ("original_name", "sha256", "structure__identifier", "structure__name")
    date_hierarchy = "received_at"


class InvoiceEventInline(admin.TabularInline[InvoiceEvent, Invoice]):
    model = InvoiceEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "from_status", "to_status", "user", "on_behalf_of", "reason")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("number", "supplier", "recipient", "service", "status", "total_with_vat")
    list_filter = ("status", "framework")
    search_fields = ("number", "supplier__identifier", "recipient__identifier", "service__code")
    date_hierarchy = "deposited_at"
    inlines = (InvoiceEventInline,)


@admin.register(LatePaymentRate)
class LatePaymentRateAdmin(admin.ModelAdmin[LatePaymentRate]):
    list_display = ("valid_from", "rate")
    ordering = ("-valid_from",)
