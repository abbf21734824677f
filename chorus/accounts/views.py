"""Pages of the organisations feature: my structures, joining, members, join requests.

Every page that shows a structure fetches it through ``chorus.accounts.selectors``, which
returns 404 for a structure the user does not belong to and 403 for a manager-only page seen
by a simple member.
"""

from __future__ import annotations

from typing import cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import ChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chorus.accounts import selectors, services
from chorus.accounts.active import active_structure_set
from chorus.accounts.choices import SELF_SERVICE_AREAS, Area, JoinRequestStatus, Role
from chorus.accounts.forms import (
    IdentifierForm,
    JoinDecisionForm,
    JoinRequestForm,
    JoinSearchForm,
    MembershipForm,
    PrincipalTransferForm,
    StructureDetailsForm,
    SwitchStructureForm,
)
from chorus.accounts.models import Structure
from chorus.core.exceptions import DomainError
from chorus.core.http import safe_next_url
from chorus.core.middleware import acting_actor


def _detail(structure: Structure) -> HttpResponse:
    return redirect("accounts:structure_detail", structure_public_id=structure.public_id)


@login_required
def structure_list_view(request: HttpRequest) -> HttpResponse:
    actor = acting_actor(request)
    return render(
        request,
        "accounts/structure_list.html",
        {
            "memberships": selectors.membership_list_for_actor(actor=actor),
            "join_requests": selectors.join_request_list_for_actor(actor=actor).filter(
                status=JoinRequestStatus.PENDING
            ),
        },
    )


@login_required
def onboarding_view(request: HttpRequest) -> HttpResponse:
    """Where a user without any structure lands after logging in."""
    actor = acting_actor(request)
    return render(
        request,
        "accounts/onboarding.html",
        {
            "has_memberships": selectors.membership_list_for_actor(actor=actor).exists(),
            "join_requests": selectors.join_request_list_for_actor(actor=actor).filter(
                status=JoinRequestStatus.PENDING
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def structure_join_view(request: HttpRequest) -> HttpResponse:
    """Find a structure by SIRET, SIREN or name and ask its managers to join it."""
    actor = acting_actor(request)
    if request.method == "POST":
        form = JoinRequestForm(request.POST)
        if form.is_valid():
            structure = Structure.objects.filter(
                public_id=form.cleaned_data["structure"], is_active=True
            ).first()
            if structure is None:
                raise Http404
            try:
                services.join_request_create(
                    actor=actor, structure_id=structure.pk, message=form.cleaned_data["message"]
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("Your request has been sent to the managers of %(name)s.")
                    % {"name": structure.name},
                )
                return redirect("accounts:structure_list")
        return redirect("accounts:structure_join")
    search = JoinSearchForm(request.GET or None)
    results = None
    if search.is_valid():
        results = list(selectors.structure_search_for_joining(query=search.cleaned_data["q"]))
    return render(
        request,
        "accounts/structure_join.html",
        {"search": search, "results": results, "request_form": JoinRequestForm()},
    )


@login_required
@require_POST
def structure_switch_view(request: HttpRequest) -> HttpResponse:
    """Make another of the user's structures the active one (header switcher)."""
    form = SwitchStructureForm(request.POST)
    if not form.is_valid():
        raise Http404
    membership = selectors.membership_get_for_actor(
        actor=acting_actor(request), structure_public_id=form.cleaned_data["structure"]
    )
    if not membership.structure.is_active:
        raise Http404
    active_structure_set(request, membership)
    return redirect(
        safe_next_url(request, form.cleaned_data.get("next"), default=reverse("dashboard"))
    )


@login_required
def structure_detail_view(request: HttpRequest, structure_public_id: UUID) -> HttpResponse:
    actor = acting_actor(request)
    membership = selectors.membership_get_for_actor(
        actor=actor, structure_public_id=structure_public_id
    )
    context = {
        "membership": membership,
        "structure": membership.structure,
        "self_service_areas": [
            (area, area in membership.areas) for area in Area if area in SELF_SERVICE_AREAS
        ],
    }
    if membership.is_manager:
        context["members"] = selectors.member_list_for_structure(membership=membership)
        context["join_requests"] = selectors.join_request_list_pending_for_structure(
            membership=membership
        )
        context["decision_form"] = JoinDecisionForm()
    return render(request, "accounts/structure_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def structure_edit_view(request: HttpRequest, structure_public_id: UUID) -> HttpResponse:
    actor = acting_actor(request)
    membership = selectors.membership_get_for_manager(
        actor=actor, structure_public_id=structure_public_id
    )
    structure = membership.structure
    form = StructureDetailsForm(
        request.POST or None, initial=StructureDetailsForm.initial_from(structure)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.structure_update_details(
                actor=actor, structure_id=structure.pk, details=form.details()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The structure has been saved."))
            return _detail(structure)
    return render(request, "accounts/structure_edit.html", {"form": form, "structure": structure})


@login_required
@require_http_methods(["GET", "POST"])
def structure_identifier_view(request: HttpRequest, structure_public_id: UUID) -> HttpResponse:
    """Change the identifier (SIRET): deactivates this structure and creates a copy."""
    actor = acting_actor(request)
    membership = selectors.membership_get_for_manager(
        actor=actor, structure_public_id=structure_public_id
    )
    structure = membership.structure
    form = IdentifierForm(
        request.POST or None,
        initial={"identifier_type": structure.identifier_type, "country": structure.country},
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = services.structure_change_identifier(
                actor=actor,
                structure_id=structure.pk,
                identifier_type=form.cleaned_data["identifier_type"],
                identifier=form.cleaned_data["identifier"],
                country=form.cleaned_data["country"],
            )
        except ValidationError as exc:
            form._add_errors(exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            active_structure_set(
                request,
                selectors.membership_get_for_actor(actor=actor, structure_public_id=new.public_id),
            )
            messages.success(
                request,
                _("The identifier has been changed: the previous structure is now inactive."),
            )
            return _detail(new)
    return render(
        request, "accounts/structure_identifier.html", {"form": form, "structure": structure}
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit_view(
    request: HttpRequest, structure_public_id: UUID, member_public_id: UUID
) -> HttpResponse:
    actor = acting_actor(request)
    manager, member = selectors.member_get_for_manager(
        actor=actor, structure_public_id=structure_public_id, member_public_id=member_public_id
    )
    form = MembershipForm(
        request.POST or None, initial={"role": member.role, "areas": member.areas}
    )
    if member.is_principal_manager:
        cast("ChoiceField", form.fields["role"]).choices = [
            (Role.PRINCIPAL_MANAGER, Role.PRINCIPAL_MANAGER.label)
        ]
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                actor=actor,
                membership_id=member.pk,
                role=form.cleaned_data["role"],
                areas=form.cleaned_data["areas"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The member's rights have been saved."))
            return _detail(manager.structure)
    return render(
        request,
        "accounts/member_edit.html",
        {"form": form, "member": member, "structure": manager.structure, "manager": manager},
    )


@login_required
@require_POST
def member_remove_view(
    request: HttpRequest, structure_public_id: UUID, member_public_id: UUID
) -> HttpResponse:
    actor = acting_actor(request)
    own = selectors.membership_get_for_actor(actor=actor, structure_public_id=structure_public_id)
    if str(own.public_id) == str(member_public_id):
        target = own
    else:
        _manager, target = selectors.member_get_for_manager(
            actor=actor,
            structure_public_id=structure_public_id,
            member_public_id=member_public_id,
        )
    try:
        services.membership_remove(actor=actor, membership_id=target.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(own.structure)
    if target.pk == own.pk:
        messages.success(request, _("You have left %(name)s.") % {"name": own.structure.name})
        return redirect("accounts:structure_list")
    messages.success(request, _("The member has been removed."))
    return _detail(own.structure)


@login_required
@require_http_methods(["GET", "POST"])
def principal_transfer_view(request: HttpRequest, structure_public_id: UUID) -> HttpResponse:
    actor = acting_actor(request)
    membership = selectors.membership_get_for_manager(
        actor=actor, structure_public_id=structure_public_id
    )
    if not membership.is_principal_manager:
        raise Http404
    others = [
        m
        for m in selectors.member_list_for_structure(membership=membership)
        if m.pk != membership.pk
    ]
    form = PrincipalTransferForm(request.POST or None, members=others)
    if request.method == "POST" and form.is_valid():
        target = next(m for m in others if str(m.public_id) == form.cleaned_data["member"])
        try:
            services.membership_transfer_principal(
                actor=actor, structure_id=membership.structure_id, to_membership_id=target.pk
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("%(name)s is now the principal manager.") % {"name": target.user.display_name},
            )
            return _detail(membership.structure)
    return render(
        request,
        "accounts/principal_transfer.html",
        {"form": form, "structure": membership.structure, "has_others": bool(others)},
    )


@login_required
@require_POST
def join_request_decide_view(
    request: HttpRequest, structure_public_id: UUID, request_public_id: UUID
) -> HttpResponse:
    actor = acting_actor(request)
    join_request = selectors.join_request_get_for_manager(
        actor=actor, structure_public_id=structure_public_id, request_public_id=request_public_id
    )
    form = JoinDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or refuse the request."))
        return _detail(join_request.structure)
    try:
        if form.cleaned_data["decision"] == "accept":
            services.join_request_accept(
                actor=actor,
                join_request_id=join_request.pk,
                role=form.cleaned_data.get("role") or Role.USER,
            )
            messages.success(
                request,
                _("%(email)s is now a member.") % {"email": join_request.user.email},
            )
        else:
            services.join_request_refuse(
                actor=actor, join_request_id=join_request.pk, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("The request of %(email)s has been refused.")
                % {"email": join_request.user.email},
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    return _detail(join_request.structure)


@login_required
@require_POST
def join_request_cancel_view(request: HttpRequest, request_public_id: UUID) -> HttpResponse:
    actor = acting_actor(request)
    join_request = (
        selectors.join_request_list_for_actor(actor=actor)
        .filter(public_id=request_public_id)
        .first()
    )
    if join_request is None:
        raise Http404
    try:
        services.join_request_cancel(actor=actor, join_request_id=join_request.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your request has been withdrawn."))
    return redirect("accounts:structure_list")


@login_required
@require_POST
def own_area_toggle_view(request: HttpRequest, structure_public_id: UUID) -> HttpResponse:
    actor = acting_actor(request)
    membership = selectors.membership_get_for_actor(
        actor=actor, structure_public_id=structure_public_id
    )
    area = request.POST.get("area", "")
    try:
        services.membership_set_own_area(
            actor=actor,
            membership_id=membership.pk,
            area=area,
            enabled=request.POST.get("enabled") == "1",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your areas have been saved."))
    return _detail(membership.structure)


@login_required
@require_POST
def structure_second_factor_view(request: HttpRequest, structure_public_id: UUID) -> HttpResponse:
    """The principal manager requires (or stops requiring) a second factor of all members."""
    actor = acting_actor(request)
    membership = selectors.membership_get_for_manager(
        actor=actor, structure_public_id=structure_public_id
    )
    required = request.POST.get("required") == "1"
    try:
        services.structure_set_second_factor_required(
            actor=actor, structure_id=membership.structure_id, required=required
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Members must now use two-factor authentication.")
            if required
            else _("Two-factor authentication is no longer required of members."),
        )
    return _detail(membership.structure)
