"""Django admin for users: search by e-mail and name, platform roles visible."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from chorus.accounts.models import JoinRequest, Membership, Structure, User
from chorus.accounts.services import (
    join_request_accept,
    join_request_refuse,
    membership_appoint_principal,
)
from chorus.core.actor import Actor
from chorus.core.exceptions import DomainError


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


# --- Organisations -----------------------------------------------------------------------


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    fields = ("user", "role", "areas", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("user",)


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "name",
        "identifier_type",
        "identifier",
        "kind",
        "postal_code",
        "city",
        "is_active",
    )
    list_filter = ("kind", "identifier_type", "is_active")
    search_fields = ("=identifier", "name", "search_name", "postal_code", "city", "email")
    readonly_fields = ("public_id", "origin", "created_at", "updated_at")
    raw_id_fields = ("origin",)
    inlines = (MembershipInline,)
    show_full_result_count = False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "structure", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "structure__name", "=structure__identifier")
    list_select_related = ("user", "structure")
    raw_id_fields = ("user", "structure")
    readonly_fields = ("public_id", "created_at")
    actions = ("appoint_principal_manager",)

    @admin.action(
        description=_("Appoint as principal manager (the previous one becomes secondary)")
    )
    def appoint_principal_manager(
        self, request: HttpRequest, queryset: QuerySet[Membership]
    ) -> None:
        for membership in queryset:
            try:
                membership_appoint_principal(
                    actor=Actor(user=request.user),  # type: ignore[arg-type]
                    structure_id=membership.structure_id,
                    to_membership_id=membership.pk,
                )
            except DomainError as exc:
                self.message_user(request, exc.message, level=messages.ERROR)


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "structure", "status", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("user__email", "structure__name", "=structure__identifier")
    list_select_related = ("user", "structure")
    raw_id_fields = ("user", "structure", "decided_by")
    # The status moves only through the actions below (the circuit's writer), never by hand.
    readonly_fields = ("public_id", "status", "created_at", "decided_at", "decided_by")
    actions = ("accept", "refuse")

    def _decide(self, request: HttpRequest, queryset: QuerySet[JoinRequest], accept: bool) -> None:
        actor = Actor(user=request.user)  # type: ignore[arg-type]
        for join_request in queryset:
            try:
                if accept:
                    join_request_accept(actor=actor, join_request_id=join_request.pk)
                else:
                    join_request_refuse(actor=actor, join_request_id=join_request.pk)
            except DomainError as exc:
                self.message_user(request, f"{join_request}: {exc.message}", level=messages.ERROR)

    @admin.action(description=_("Accept (structures without a manager)"))
    def accept(self, request: HttpRequest, queryset: QuerySet[JoinRequest]) -> None:
        self._decide(request, queryset, accept=True)

    @admin.action(description=_("Refuse (structures without a manager)"))
    def refuse(self, request: HttpRequest, queryset: QuerySet[JoinRequest]) -> None:
        self._decide(request, queryset, accept=False)
