"""Invoice pages: deposit, deposits and their reports, outbox, inbox, detail and actions.

Every object is fetched through a selector scoped to the active structure: outside the scope
the answer is 404. Views read the request, call one service or selector, choose the response.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chorus.accounts.active import active_structure_required
from chorus.accounts.choices import Area
from chorus.accounts.models import Membership
from chorus.circuits.roles import Role
from chorus.core.csvexport import csv_rows
from chorus.core.exceptions import DomainError
from chorus.core.http import safe_next_url
from chorus.core.middleware import acting_actor
from chorus.core.uploads import safe_file_name
from invoices.choices import DepositMode, FlowStatus, InvoiceStatus
from invoices.circuit import allowed_targets
from invoices.forms import (
    CompleteForm,
    DepositForm,
    InvoiceFilterForm,
    RecipientActionForm,
    RerouteForm,
)
from invoices.models import Flow, Invoice
from invoices.reports import flow_report_csv_response
from invoices.selectors import (
    flow_get_for_supplier,
    flow_list_for_supplier,
    invoice_export_table,
    invoice_get_for_recipient,
    invoice_get_for_supplier,
    invoice_late_payment,
    invoice_list_for,
    invoice_payment_due,
    invoice_rejections_to_acknowledge,
    invoice_rows,
    invoice_timeline,
    status_shown_to,
)
from invoices.services.actions import (
    invoice_acknowledge,
    invoice_complete,
    invoice_recipient_act,
    invoice_reroute,
)
from invoices.services.deposit import flows_receive
from invoices.services.processing import FINAL_FLOW_STATUSES

PAGE_SIZE = 25
SIDES = {"emises": Role.SUPPLIER, "recues": Role.RECIPIENT}


# --- Deposit -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@active_structure_required
def deposit_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    if not membership.has_area(Area.INVOICES_ISSUED):
        raise PermissionDenied(_("Your membership does not include the invoices issued area."))
    form = DepositForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        flows: list[Flow] = []
        errors: list[str] = []
        try:  # one outcome for the whole upload, as on every channel (docs/decisions.md)
            flows = flows_receive(
                actor=acting_actor(request),
                structure=membership.structure,
                mode=DepositMode.PORTAL_UPLOAD,
                files=[(upload.name or "depot", upload) for upload in form.cleaned_data["files"]],
            )
        except DomainError as refused:
            errors.append(
                _("Nothing was deposited: %(reason)s Correct that file and send them again.")
                % {"reason": refused.message}
                if len(form.cleaned_data["files"]) > 1
                else refused.message
            )
        if request.headers.get("Accept") == "application/json":
            return JsonResponse(
                {
                    "flows": [
                        {
                            "number": flow.number,
                            "name": flow.original_name,
                            "url": reverse("invoices:flow_detail", args=[flow.public_id]),
                        }
                        for flow in flows
                    ],
                    "errors": errors,
                },
                status=200 if flows or not errors else 400,
            )
        for error in errors:
            messages.error(request, error)
        if len(flows) == 1:
            messages.success(
                request,
                _("Deposit %(number)s received: it is being processed.")
                % {"number": flows[0].number},
            )
            return redirect("invoices:flow_detail", public_id=flows[0].public_id)
        if flows:
            messages.success(
                request,
                _("%(count)d deposits received: they are being processed.") % {"count": len(flows)},
            )
            return redirect("invoices:flow_list")
    return render(request, "invoices/deposit.html", {"form": form, "membership": membership})


@login_required
@require_GET
@active_structure_required
def flow_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    flows = flow_list_for_supplier(membership=membership).order_by("-received_at", "-id")
    page = Paginator(flows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "invoices/flow_list.html", {"page": page})


@login_required
@require_GET
@active_structure_required
def flow_detail_view(
    request: HttpRequest, membership: Membership, public_id: uuid.UUID
) -> HttpResponse:
    flow = flow_get_for_supplier(membership=membership, public_id=public_id)
    context = {"flow": flow, "final": flow.status in FINAL_FLOW_STATUSES}
    if getattr(request, "htmx", False):
        return render(request, "invoices/partials/_flow_report.html", context)
    return render(request, "invoices/flow_detail.html", context)


@login_required
@require_GET
@active_structure_required
def flow_report_csv_view(
    request: HttpRequest, membership: Membership, public_id: uuid.UUID
) -> HttpResponseBase:
    flow = flow_get_for_supplier(membership=membership, public_id=public_id)
    return flow_report_csv_response(flow)


@login_required
@require_GET
@active_structure_required
def flow_original_view(
    request: HttpRequest, membership: Membership, public_id: uuid.UUID
) -> HttpResponseBase:
    flow = flow_get_for_supplier(membership=membership, public_id=public_id)
    return FileResponse(
        flow.file.open("rb"), as_attachment=True, filename=safe_file_name(flow.original_name)
    )


# --- Lists ---------------------------------------------------------------------------------


def _filtered(request: HttpRequest, side: Role, membership: Membership) -> tuple[Any, Any]:
    form = InvoiceFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else None
    return form, invoice_list_for(role=side, membership=membership, filters=filters)


@login_required
@require_GET
@active_structure_required
def invoice_list_view(request: HttpRequest, membership: Membership, side: str) -> HttpResponse:
    which = SIDES[side]
    form, invoices = _filtered(request, which, membership)
    page = Paginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    to_acknowledge = (
        invoice_rejections_to_acknowledge(membership=membership).count()
        if which is Role.SUPPLIER
        else 0
    )
    return render(
        request,
        "invoices/invoice_list.html",
        {
            "form": form,
            "page": page,
            "rows": invoice_rows(page.object_list, role=which),
            "side": side,
            "is_supplier": which is Role.SUPPLIER,
            "query": query.urlencode(),
            "to_acknowledge": to_acknowledge,
        },
    )


@login_required
@require_GET
@active_structure_required
def invoice_export_view(
    request: HttpRequest, membership: Membership, side: str
) -> HttpResponseBase:
    which = SIDES[side]
    _form, invoices = _filtered(request, which, membership)
    french = request.GET.get("format") != "standard"
    header, rows = invoice_export_table(invoices=invoices, role=which)
    response = StreamingHttpResponse(csv_rows(header, rows, french=french), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="factures_{side}.csv"'
    return response


# --- Detail and actions --------------------------------------------------------------------


def _get(side: Role, membership: Membership, public_id: uuid.UUID) -> Invoice:
    if side is Role.SUPPLIER:
        return invoice_get_for_supplier(membership=membership, public_id=public_id)
    return invoice_get_for_recipient(membership=membership, public_id=public_id)


def _detail_context(
    side: Role, membership: Membership, invoice: Invoice, **forms: Any
) -> dict[str, Any]:
    timeline = invoice_timeline(invoice=invoice, role=side, viewer_id=membership.user_id)
    context: dict[str, Any] = {
        "invoice": invoice,
        "events": timeline.events,
        "timeline": timeline,
        "payment_due": invoice_payment_due(invoice),
        "side": "emises" if side is Role.SUPPLIER else "recues",
        "is_supplier": side is Role.SUPPLIER,
        "shown_status": status_shown_to(invoice, role=side),
        "attachments": invoice.attachments.all(),
        "lines": invoice.lines.all(),
        "vat_breakdown": invoice.vat_breakdown.all(),
        "late": invoice_late_payment(invoice=invoice),
    }
    if side is Role.RECIPIENT:
        targets = allowed_targets(
            current=invoice.status, role=Role.RECIPIENT, highest_step=invoice.highest_step or None
        )
        context["action_form"] = forms.get("action_form") or (
            RecipientActionForm(targets=targets, initial={"expected_status": invoice.status})
            if targets
            else None
        )
    else:
        if invoice.status == InvoiceStatus.SUSPENDED:
            context["complete_form"] = forms.get("complete_form") or CompleteForm()
        if invoice.status == InvoiceStatus.TO_RECYCLE:
            context["reroute_form"] = forms.get("reroute_form") or RerouteForm(
                initial={
                    "recipient_siret": invoice.recipient.identifier,
                    "service_code": invoice.service_code,
                    "commitment_number": invoice.commitment_number,
                }
            )
        context["can_acknowledge"] = (
            invoice.status in (InvoiceStatus.REJECTED, InvoiceStatus.SUSPENDED)
            and invoice.supplier_acknowledged_at is None
        )
    return context


@login_required
@require_GET
@active_structure_required
def invoice_detail_view(
    request: HttpRequest, membership: Membership, side: str, public_id: uuid.UUID
) -> HttpResponse:
    which = SIDES[side]
    invoice = _get(which, membership, public_id)
    return render(
        request, "invoices/invoice_detail.html", _detail_context(which, membership, invoice)
    )


@login_required
@require_GET
@active_structure_required
def invoice_original_view(
    request: HttpRequest, membership: Membership, side: str, public_id: uuid.UUID
) -> HttpResponseBase:
    invoice = _get(SIDES[side], membership, public_id)
    attachment = invoice.attachments.filter(is_main=True).first()
    if attachment is None:
        messages.error(request, _("This invoice has no original document."))
        return redirect("invoices:invoice_detail", side=side, public_id=public_id)
    name = f"facture_{invoice.number}_{invoice.supplier.identifier}"
    extension = (
        attachment.original_name.rsplit(".", 1)[-1] if "." in attachment.original_name else "xml"
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=safe_file_name(f"{name}.{extension}"),
    )


@login_required
@require_POST
@active_structure_required
def invoice_act_view(
    request: HttpRequest, membership: Membership, public_id: uuid.UUID
) -> HttpResponse:
    invoice = invoice_get_for_recipient(membership=membership, public_id=public_id)
    targets = allowed_targets(
        current=invoice.status, role=Role.RECIPIENT, highest_step=invoice.highest_step or None
    )
    form = RecipientActionForm(request.POST, targets=targets)
    if form.is_valid() and form.needs_confirmation():
        # A rejection is final: the page asks once more, with the same values (works without JS).
        context = _detail_context(Role.RECIPIENT, membership, invoice, action_form=form)
        context["confirm_form"] = form
        return render(request, "invoices/invoice_detail.html", context)
    if form.is_valid():
        reason = form.cleaned_data.get("reason")
        try:
            invoice_recipient_act(
                actor=acting_actor(request),
                membership=membership,
                invoice=invoice,
                to=form.cleaned_data["to"],
                expected_status=form.cleaned_data["expected_status"],
                reason_code=reason.code if reason else "",
                comment=form.cleaned_data.get("comment") or "",
                mandate_number=form.cleaned_data.get("mandate_number") or "",
            )
        except DomainError as refused:
            messages.error(request, refused.message)
            return redirect("invoices:invoice_detail", side="recues", public_id=public_id)
        messages.success(request, _("The invoice status has been updated."))
        return redirect("invoices:invoice_detail", side="recues", public_id=public_id)
    context = _detail_context(Role.RECIPIENT, membership, invoice, action_form=form)
    return render(request, "invoices/invoice_detail.html", context, status=400)


@login_required
@require_POST
@active_structure_required
def invoice_complete_view(
    request: HttpRequest, membership: Membership, public_id: uuid.UUID
) -> HttpResponse:
    invoice = invoice_get_for_supplier(membership=membership, public_id=public_id)
    form = CompleteForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            invoice_complete(
                actor=acting_actor(request),
                membership=membership,
                invoice=invoice,
                comment=form.cleaned_data.get("comment") or "",
                files=form.cleaned_data.get("files") or [],
            )
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Your answer has been sent to the recipient."))
            return redirect("invoices:invoice_detail", side="emises", public_id=public_id)
    context = _detail_context(Role.SUPPLIER, membership, invoice, complete_form=form)
    return render(request, "invoices/invoice_detail.html", context, status=400)


@login_required
@require_POST
@active_structure_required
def invoice_reroute_view(
    request: HttpRequest, membership: Membership, public_id: uuid.UUID
) -> HttpResponse:
    invoice = invoice_get_for_supplier(membership=membership, public_id=public_id)
    form = RerouteForm(request.POST)
    if form.is_valid():
        try:
            invoice_reroute(
                actor=acting_actor(request),
                membership=membership,
                invoice=invoice,
                **form.cleaned_data,
            )
        except DomainError as refused:
            invoice.refresh_from_db()
            if invoice.status != InvoiceStatus.TO_RECYCLE:
                # Re-routed already (a double click) or no longer to re-route: the form is
                # gone from the page, so the message goes in the page's banner.
                messages.error(request, refused.message)
                return redirect("invoices:invoice_detail", side="emises", public_id=public_id)
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The invoice has been sent to its new recipient."))
            return redirect("invoices:invoice_detail", side="emises", public_id=public_id)
    context = _detail_context(Role.SUPPLIER, membership, invoice, reroute_form=form)
    return render(request, "invoices/invoice_detail.html", context, status=400)


@login_required
@require_POST
@active_structure_required
def invoice_acknowledge_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    ids = request.POST.getlist("invoice")
    invoices = list(
        invoice_rejections_to_acknowledge(membership=membership).filter(public_id__in=_uuids(ids))
    )
    count = invoice_acknowledge(
        actor=acting_actor(request), membership=membership, invoices=invoices
    )
    messages.success(request, _("%(count)d invoice(s) acknowledged.") % {"count": count})
    return redirect(
        safe_next_url(
            request, request.POST.get("next"), default=reverse("invoices:acknowledgements")
        )
    )


@login_required
@require_GET
@active_structure_required
def acknowledgements_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    pending = invoice_rejections_to_acknowledge(membership=membership).prefetch_related(
        "events__reason"
    )
    return render(request, "invoices/acknowledgements.html", {"pending": pending})


def _uuids(values: list[str]) -> list[uuid.UUID]:
    result = []
    for value in values:
        try:
            result.append(uuid.UUID(value))
        except ValueError:
            continue
    return result


__all__ = ["FlowStatus"]


@login_required
@require_http_methods(["GET", "POST"])
def notifications_view(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; opening the page marks them read."""
    from invoices.forms import NotificationPreferenceForm
    from invoices.models import NotificationMode, NotificationPreference
    from invoices.services.notifications import notification_mark_read, notification_set_mode

    user = request.actor.effective_user  # type: ignore[attr-defined]
    preference = NotificationPreference.objects.filter(user=user).first()
    current = preference.mode if preference is not None else NotificationMode.IMMEDIATE
    form = NotificationPreferenceForm(request.POST or None, initial={"mode": current})
    if request.method == "POST" and form.is_valid():
        notification_set_mode(user=user, mode=form.cleaned_data["mode"])
        messages.success(request, _("Your choice has been saved."))
        return redirect("invoices:notifications")
    notifications = user.invoice_notifications.select_related("invoice", "event__reason")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    unread_ids = [n.pk for n in page.object_list if n.read_at is None]
    response = render(
        request,
        "invoices/notifications.html",
        {"page": page, "form": form, "unread_ids": set(unread_ids)},
    )
    notification_mark_read(actor=request.actor, ids=unread_ids)  # type: ignore[attr-defined]
    return response
