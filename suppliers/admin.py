"""Admin for bank accounts."""

from __future__ import annotations

from django.contrib import admin

from suppliers.models import BankAccount


@admin.register(BankAccount)
class BankAccountAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("label", "structure", "iban", "bic", "is_factoring", "is_active")
    list_filter = ("is_factoring", "is_active")
    search_fields = ("label", "holder", "iban", "structure__name", "=structure__identifier")
    list_select_related = ("structure",)
    raw_id_fields = ("structure",)
    readonly_fields = ("public_id", "created_at")
