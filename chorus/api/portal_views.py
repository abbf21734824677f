"""Portal pages of a structure's API connections (« raccordements ») and of its call log.

Managers (principal and secondary) read; only the principal manager acts, through the
services of ``chorus.api.services`` (which check it again and write the audit trail).
A structure the user is not a member of, or a connection of another structure, is a 404;
a simple member of the structure gets 403.

Secrets and passwords are rendered in the answer to the POST that made them and never
stored in clear, so they are shown exactly once (the page is marked ``no-store``).
"""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chorus.accounts.models import Membership
from chorus.accounts.selectors import membership_get_for_actor, membership_get_for_manager
from chorus.api import services
from chorus.api.forms import (
    CallFilterForm,
    ConnectionCreateForm,
    ConnectionScopesForm,
    SecretRotateForm,
)
from chorus.api.models import ApiConnection
from chorus.api.selectors import (
    api_call_list_for_structure,
    api_connection_get_for_structure,
    api_connection_list_for_structure,
)
from chorus.core.exceptions import DomainError
from chorus.core.middleware import acting_actor

CALLS_PER_PAGE = 50
RECENT_CALLS = 10


def _reader(request: HttpRequest, structure_public_id: UUID) -> Membership:
    """A manager of the structure: 404 outside it, 403 for a simple member."""
    return membership_get_for_manager(
        actor=acting_actor(request), structure_public_id=structure_public_id
    )


def _principal(request: HttpRequest, structure_public_id: UUID) -> Membership:
    """The principal manager of the structure: 404 outside it, 403 for any other member."""
    membership = membership_get_for_actor(
        actor=acting_actor(request), structure_public_id=structure_public_id
    )
    if not membership.is_principal_manager:
        raise PermissionDenied
    return membership


def _principal_connection(
    request: HttpRequest, structure_public_id: UUID, connection_public_id: UUID
) -> tuple[Membership, ApiConnection]:
    """The principal manager and one connection of their structure (404 outside it)."""
    membership = _principal(request, structure_public_id)
    connection = api_connection_get_for_structure(
        structure=membership.structure, public_id=connection_public_id
    )
    return membership, connection


def _detail(connection: ApiConnection) -> HttpResponse:
    return redirect(
        "api_portal:connection_detail",
        structure_public_id=connection.structure.public_id,
        connection_public_id=connection.public_id,
    )


def _endpoints(request: HttpRequest) -> dict[str, str]:
    """The two URLs an integration changes to switch to this portal (docs/api.md)."""
    return {
        "token_url": request.build_absolute_uri(reverse("api:token")),
        "api_base": request.build_absolute_uri("/cpro/"),
    }


def _once(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    response = render(request, template, {**context, **_endpoints(request)})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def connection_list_view(request: HttpRequest, structure_public_id: UUID) -> HttpResponse:
    membership = _reader(request, structure_public_id)
    return render(
        request,
        "api/connection_list.html",
        {
            "membership": membership,
            "structure": membership.structure,
            "connections": api_connection_list_for_structure(structure=membership.structure),
            **_endpoints(request),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def connection_create_view(request: HttpRequest, structure_public_id: UUID) -> HttpResponse:
    membership = _principal(request, structure_public_id)
    structure = membership.structure
    form = ConnectionCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            credentials = services.api_connection_create(
                actor=acting_actor(request),
                structure=structure,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return _once(
                request,
                "api/credentials.html",
                {
                    "structure": structure,
                    "connection": credentials.connection,
                    "new": True,
                    "client_id": credentials.client_id,
                    "client_secret": credentials.client_secret,
                    "login": credentials.login,
                    "password": credentials.password,
                },
            )
    return render(request, "api/connection_create.html", {"form": form, "structure": structure})


@login_required
@require_GET
def connection_detail_view(
    request: HttpRequest, structure_public_id: UUID, connection_public_id: UUID
) -> HttpResponse:
    membership = _reader(request, structure_public_id)
    connection = api_connection_get_for_structure(
        structure=membership.structure, public_id=connection_public_id
    )
    return render(
        request,
        "api/connection_detail.html",
        {
            "membership": membership,
            "structure": membership.structure,
            "connection": connection,
            "previous_secrets": connection.previous_secrets.filter(
                valid_until__gt=timezone.now()
            ).order_by("valid_until"),
            "scopes_form": ConnectionScopesForm(initial={"scopes": connection.scopes}),
            "rotate_form": SecretRotateForm(),
            "calls": api_call_list_for_structure(
                structure=membership.structure, connection=connection
            )[:RECENT_CALLS],
            **_endpoints(request),
        },
    )


@login_required
@never_cache
@require_POST
def connection_rotate_view(
    request: HttpRequest, structure_public_id: UUID, connection_public_id: UUID
) -> HttpResponse:
    membership, connection = _principal_connection(
        request, structure_public_id, connection_public_id
    )
    form = SecretRotateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("overlap_days", [])))
        return _detail(connection)
    overlap = datetime.timedelta(days=form.cleaned_data["overlap_days"])
    try:
        secret = services.api_connection_rotate_secret(
            actor=acting_actor(request),
            structure=membership.structure,
            connection_id=connection.pk,
            overlap=overlap,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(connection)
    previous = connection.previous_secrets.order_by("-created_at").first() if overlap else None
    return _once(
        request,
        "api/credentials.html",
        {
            "structure": membership.structure,
            "connection": connection,
            "client_id": connection.application.client_id,
            "client_secret": secret,
            "previous_valid_until": previous.valid_until if previous else None,
            "rotated": True,
        },
    )


@login_required
@never_cache
@require_POST
def technical_password_reset_view(
    request: HttpRequest, structure_public_id: UUID, connection_public_id: UUID
) -> HttpResponse:
    membership, connection = _principal_connection(
        request, structure_public_id, connection_public_id
    )
    try:
        password = services.technical_password_reset(
            actor=acting_actor(request),
            structure=membership.structure,
            connection_id=connection.pk,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(connection)
    return _once(
        request,
        "api/credentials.html",
        {
            "structure": membership.structure,
            "connection": connection,
            "login": connection.technical_account.login,
            "password": password,
            "reset": True,
        },
    )


@login_required
@require_POST
def connection_scopes_view(
    request: HttpRequest, structure_public_id: UUID, connection_public_id: UUID
) -> HttpResponse:
    membership, connection = _principal_connection(
        request, structure_public_id, connection_public_id
    )
    form = ConnectionScopesForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("scopes", [])))
        return _detail(connection)
    try:
        services.api_connection_set_scopes(
            actor=acting_actor(request),
            structure=membership.structure,
            connection_id=connection.pk,
            scopes=form.cleaned_data["scopes"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The scopes have been saved: they apply from the next call."))
    return _detail(connection)


@login_required
@require_POST
def connection_renew_view(
    request: HttpRequest, structure_public_id: UUID, connection_public_id: UUID
) -> HttpResponse:
    membership, connection = _principal_connection(
        request, structure_public_id, connection_public_id
    )
    try:
        renewed = services.api_connection_renew(
            actor=acting_actor(request),
            structure=membership.structure,
            connection_id=connection.pk,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The connection has been renewed until %(date)s.")
            % {"date": timezone.localtime(renewed.expires_at).strftime("%d/%m/%Y")},
        )
    return _detail(connection)


@login_required
@require_http_methods(["GET", "POST"])
def connection_revoke_view(
    request: HttpRequest, structure_public_id: UUID, connection_public_id: UUID
) -> HttpResponse:
    """GET asks for confirmation; POST revokes (its tokens stop at once)."""
    membership, connection = _principal_connection(
        request, structure_public_id, connection_public_id
    )
    if request.method == "GET":
        return render(
            request,
            "api/connection_revoke.html",
            {"structure": membership.structure, "connection": connection},
        )
    try:
        services.api_connection_revoke(
            actor=acting_actor(request),
            structure=membership.structure,
            connection_id=connection.pk,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(connection)
    messages.success(
        request,
        _("The connection « %(name)s » has been revoked: its software can no longer call the API.")
        % {"name": connection.name},
    )
    return redirect("api_portal:connection_list", structure_public_id=structure_public_id)


@login_required
@require_GET
def call_list_view(request: HttpRequest, structure_public_id: UUID) -> HttpResponse:
    """The call log of the structure's connections, newest first, filtered by outcome."""
    membership = _reader(request, structure_public_id)
    structure = membership.structure
    form = CallFilterForm(request.GET or None)
    outcome = form.cleaned_data["outcome"] if form.is_valid() else ""
    connection = None
    wanted = request.GET.get("connection", "")
    if wanted:
        try:
            connection = api_connection_get_for_structure(
                structure=structure, public_id=UUID(wanted)
            )
        except ValueError:
            connection = None
    calls = api_call_list_for_structure(structure=structure, outcome=outcome, connection=connection)
    page = Paginator(calls, CALLS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "api/call_list.html",
        {
            "structure": structure,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "connection": connection,
        },
    )
