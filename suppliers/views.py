"""Supplier pages: register a supplier structure, manage its bank accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chorus.accounts.active import active_structure_set
from chorus.accounts.selectors import membership_get_for_actor, membership_get_for_manager
from chorus.core.exceptions import DomainError
from chorus.core.middleware import acting_actor
from suppliers import selectors, services
from suppliers.forms import BankAccountForm, SupplierStructureCreateForm

if TYPE_CHECKING:
    from uuid import UUID


@login_required
@require_http_methods(["GET", "POST"])
def structure_create_view(request: HttpRequest) -> HttpResponse:
    actor = acting_actor(request)
    form = SupplierStructureCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            structure = services.supplier_structure_create(
                actor=actor,
                identifier_type=form.cleaned_data["identifier_type"],
                identifier=form.cleaned_data["identifier"],
                country=form.cleaned_data["country"],
                details=form.details(),
            )
        except ValidationError as exc:
            form._add_errors(exc)
        except DomainError as exc:
            if exc.code == "structure_exists":
                form.add_error(
                    None,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        exc.message,
                        f"{reverse('accounts:structure_join')}?"
                        f"{urlencode({'q': form.cleaned_data['identifier']})}",
                        _("Ask to join it"),
                    ),
                )
            else:
                form.add_error(None, exc.message)
        else:
            active_structure_set(
                request,
                membership_get_for_actor(actor=actor, structure_public_id=structure.public_id),
            )
            messages.success(
                request,
                _("%(name)s has been created: you are its principal manager.")
                % {"name": structure.name},
            )
            return redirect("accounts:structure_detail", structure_public_id=structure.public_id)
    return render(request, "suppliers/structure_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def bank_account_list_view(request: HttpRequest, structure_public_id: UUID) -> HttpResponse:
    actor = acting_actor(request)
    membership = membership_get_for_actor(actor=actor, structure_public_id=structure_public_id)
    if request.method == "POST":
        membership = membership_get_for_manager(
            actor=actor, structure_public_id=structure_public_id
        )
    form = BankAccountForm(request.POST or None) if membership.is_manager else None
    if form is not None and form.is_bound and form.is_valid():
        try:
            services.bank_account_add(
                actor=actor,
                structure_id=membership.structure_id,
                label=form.cleaned_data["label"],
                holder=form.cleaned_data["holder"],
                iban=form.cleaned_data["iban"],
                bic=form.cleaned_data["bic"],
                is_factoring=form.cleaned_data["is_factoring"],
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The bank account has been added."))
            return redirect("suppliers:bank_account_list", structure_public_id=structure_public_id)
    return render(
        request,
        "suppliers/bank_account_list.html",
        {
            "membership": membership,
            "structure": membership.structure,
            "accounts": selectors.bank_account_list_for_member(membership=membership),
            "form": form,
        },
    )


@login_required
@require_POST
def bank_account_toggle_view(
    request: HttpRequest, structure_public_id: UUID, account_public_id: UUID
) -> HttpResponse:
    actor = acting_actor(request)
    membership = membership_get_for_manager(actor=actor, structure_public_id=structure_public_id)
    account = selectors.bank_account_get_for_member(
        membership=membership, public_id=account_public_id
    )
    try:
        services.bank_account_set_active(
            actor=actor, bank_account_id=account.pk, active=not account.is_active
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The bank account has been updated."))
    return redirect("suppliers:bank_account_list", structure_public_id=structure_public_id)
