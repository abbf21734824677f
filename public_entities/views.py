"""The public directory (no login) and the management of a public entity's services."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chorus.accounts.models import Structure
from chorus.accounts.selectors import (
    member_get_for_manager,
    membership_get_for_actor,
    membership_get_for_manager,
)
from chorus.core.exceptions import DomainError
from chorus.core.middleware import acting_actor
from public_entities import selectors, services
from public_entities.forms import (
    DirectorySearchForm,
    MemberServicesForm,
    ParametersForm,
    ServiceForm,
)
from public_entities.models import EntityService, PublicEntity

if TYPE_CHECKING:
    from uuid import UUID


PAGE_SIZE = 20
API_PAGE_SIZE = 20


def _directory_page(
    request: HttpRequest,
) -> tuple[DirectorySearchForm, selectors.DirectoryPage | None]:
    form = DirectorySearchForm(request.GET or None)
    if not form.is_valid():
        return form, None
    query = selectors.DirectoryQuery(**form.cleaned_data)
    if query.is_empty:
        return form, None
    page = selectors.directory_search_page(
        query=query, page=request.GET.get("page"), page_size=PAGE_SIZE
    )
    return form, page


@require_GET
def directory_search_view(request: HttpRequest) -> HttpResponse:
    """Public search page; an HTMX request gets only the results fragment."""
    form, page = _directory_page(request)
    context = {"form": form, "page": page, "querystring": _querystring(request)}
    if getattr(request, "htmx", False):
        return render(request, "public_entities/partials/_directory_results.html", context)
    return render(request, "public_entities/directory_search.html", context)


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def directory_detail_view(request: HttpRequest, siret: str) -> HttpResponse:
    structure = selectors.directory_get(siret=siret)
    return render(
        request,
        "public_entities/directory_detail.html",
        {"structure": structure, "entity": structure.public_entity},
    )


def _parameters_json(entity: PublicEntity) -> dict[str, Any]:
    return {
        "category": entity.category,
        "required_references": entity.required_references.value,
        "commitment_required": entity.commitment_required,
        "service_code_required": entity.service_code_required,
        "service_or_commitment_required": entity.service_or_commitment_required,
        "manages_payment_status": entity.manages_payment_status,
        "edi_receiver": entity.edi_receiver,
        "is_moa": entity.is_moa,
        "is_moa_only": entity.is_moa_only,
    }


def _service_json(service: EntityService) -> dict[str, Any]:
    return {
        "code": service.code,
        "name": service.name,
        "is_active": service.is_active,
        "start_date": service.start_date.isoformat() if service.start_date else None,
        "end_date": service.end_date.isoformat() if service.end_date else None,
        "commitment_required": service.commitment_required,
        "manages_payment_status": service.manages_payment_status,
    }


def _structure_json(structure: Structure, *, services: list[EntityService]) -> dict[str, Any]:
    return {
        "siret": structure.identifier,
        "identifier_type": structure.identifier_type,
        "name": structure.name,
        "postal_code": structure.postal_code,
        "city": structure.city,
        "is_active": structure.is_active,
        "parameters": _parameters_json(structure.public_entity),
        "services": [_service_json(s) for s in services],
        "url": reverse("public_entities:directory_detail", args=[structure.identifier]),
    }


def json_api(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    """GET only, and every refusal in JSON: a program reading the API never gets a page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"error": _("Only GET is allowed here.")}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return JsonResponse(
                {"error": _("No public structure with this identifier in the directory.")},
                status=404,
            )

    return wrapper


@json_api
def directory_api_search_view(request: HttpRequest) -> JsonResponse:
    """JSON search for autocompletes: same parameters and results as the search page."""
    form, page = _directory_page(request)
    if page is None:
        errors = form.errors.get_json_data() if form.is_bound else {}
        return JsonResponse(
            {"count": 0, "results": [], "errors": errors},
            status=400 if errors else 200,
        )
    return JsonResponse(
        {
            "count": page.count,
            "count_is_capped": page.capped,
            "page": page.number,
            "num_pages": page.num_pages,
            "results": [
                _structure_json(s, services=s.directory_services)  # type: ignore[attr-defined]
                for s in page.results
            ],
        }
    )


@json_api
def directory_api_detail_view(request: HttpRequest, siret: str) -> JsonResponse:
    structure = selectors.directory_get(siret=siret)
    return JsonResponse(_structure_json(structure, services=list(structure.services.all())))


# --- Management (members of the public entity) ------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def service_list_view(request: HttpRequest, structure_public_id: UUID) -> HttpResponse:
    """Services and parameters of the member's public entity; managers add services here."""
    actor = acting_actor(request)
    membership = membership_get_for_actor(actor=actor, structure_public_id=structure_public_id)
    entity = selectors.public_entity_get_for_member(membership=membership)
    if request.method == "POST":
        membership = membership_get_for_manager(
            actor=actor, structure_public_id=structure_public_id
        )
    form = ServiceForm(request.POST or None) if membership.is_manager else None
    if form is not None and form.is_bound and form.is_valid():
        try:
            services.service_create(
                actor=actor, structure_id=membership.structure_id, data=form.data_object()
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The service has been created."))
            return redirect("public_entities:service_list", structure_public_id=structure_public_id)
    return render(
        request,
        "public_entities/service_list.html",
        {
            "membership": membership,
            "structure": membership.structure,
            "entity": entity,
            "services": selectors.service_list_for_structure(membership=membership),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_edit_view(
    request: HttpRequest, structure_public_id: UUID, service_public_id: UUID
) -> HttpResponse:
    actor = acting_actor(request)
    membership = membership_get_for_manager(actor=actor, structure_public_id=structure_public_id)
    service = selectors.service_get_for_member(membership=membership, public_id=service_public_id)
    initial = {
        field: getattr(service, field)
        for field in ServiceForm.base_fields
        if hasattr(service, field)
    }
    form = ServiceForm(request.POST or None, initial=initial, code_editable=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(actor=actor, service_id=service.pk, data=form.data_object())
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The service has been saved."))
            return redirect("public_entities:service_list", structure_public_id=structure_public_id)
    return render(
        request,
        "public_entities/service_edit.html",
        {"form": form, "service": service, "structure": membership.structure},
    )


@login_required
@require_http_methods(["GET", "POST"])
def parameters_edit_view(request: HttpRequest, structure_public_id: UUID) -> HttpResponse:
    actor = acting_actor(request)
    membership = membership_get_for_manager(actor=actor, structure_public_id=structure_public_id)
    entity = selectors.public_entity_get_for_member(membership=membership)
    initial = {field: getattr(entity, field) for field in ParametersForm.base_fields}
    form = ParametersForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.public_entity_update_parameters(
                actor=actor, structure_id=membership.structure_id, parameters=form.parameters()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The parameters have been saved."))
            return redirect("public_entities:service_list", structure_public_id=structure_public_id)
    return render(
        request,
        "public_entities/parameters_edit.html",
        {"form": form, "structure": membership.structure, "entity": entity},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_services_view(
    request: HttpRequest, structure_public_id: UUID, member_public_id: UUID
) -> HttpResponse:
    """Limit a member to some services of the structure (security.md Z6)."""
    actor = acting_actor(request)
    manager, member = member_get_for_manager(
        actor=actor, structure_public_id=structure_public_id, member_public_id=member_public_id
    )
    selectors.public_entity_get_for_member(membership=manager)
    all_services = list(selectors.service_list_for_structure(membership=manager))
    form = MemberServicesForm(
        request.POST or None,
        choices=[(str(s.public_id), f"{s.code} — {s.name}") for s in all_services],
        initial={"services": [str(s.public_id) for s in member.services.all()]},
    )
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["services"])
        try:
            services.membership_set_services(
                actor=actor,
                membership_id=member.pk,
                service_ids=[s.pk for s in all_services if str(s.public_id) in chosen],
            )
        except (ValidationError, DomainError) as exc:
            form.add_error(None, getattr(exc, "message", None) or str(exc))
        else:
            messages.success(request, _("The member's services have been saved."))
            return redirect("accounts:structure_detail", structure_public_id=structure_public_id)
    return render(
        request,
        "public_entities/member_services.html",
        {"form": form, "member": member, "structure": manager.structure},
    )
