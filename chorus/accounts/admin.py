"""Django admin for users: search by e-mail and name, platform roles visible."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from chorus.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):  # type: ignore[type-var]
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_support_agent", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_support_agent", "is_active")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identity"), {"fields": ("first_name", "last_name", "phone")}),
        (
            _("Platform roles"),
            {
                "fields": (
                    "is_active",
                    "is_support_agent",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")
