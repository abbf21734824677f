"""Entry pages: key an invoice (or upload a PDF and key its data), save it as a draft, send it.

Without JavaScript every page works with plain forms ("Ajouter une ligne" saves the draft
and adds a row); with HTMX, totals follow the typing, rows are added in place and the
recipient is picked from a directory search. Every write goes through
``invoices.entry.services``; drafts are read through scoped selectors (404 outside).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chorus.accounts.active import active_membership_get
from chorus.accounts.choices import Area
from chorus.accounts.models import Membership
from chorus.core.exceptions import DomainError
from chorus.core.middleware import acting_actor
from invoices.entry.forms import (
    LINE_PREFIX,
    AttachmentsForm,
    EntryForm,
    InvoicePdfForm,
    LineFormSet,
    check_together,
    draft_data_from_post,
    entry_data,
    new_line,
)
from invoices.entry.rendering import RenderingUnavailable, invoice_readable_pdf
from invoices.entry.selectors import (
    draft_get_for_member,
    draft_invoice_pdf,
    draft_list_for_member,
    entry_recipient_facts,
)
from invoices.entry.services import EntryRefused, draft_delete, draft_save, draft_submit
from invoices.entry.totals import LineInput, totals_compute
from invoices.models import InvoiceDraft
from invoices.selectors import invoice_get_for_recipient, invoice_get_for_supplier
from public_entities.selectors import DirectoryQuery, directory_search

SEARCH_RESULTS = 10


def _supplier_membership(request: HttpRequest) -> Membership:
    membership = active_membership_get(request)
    if membership is None or not membership.has_area(Area.INVOICES_ISSUED):
        raise PermissionDenied
    return membership


# --- Drafts --------------------------------------------------------------------------------


@login_required
@require_GET
def draft_list_view(request: HttpRequest) -> HttpResponse:
    membership = _supplier_membership(request)
    drafts = draft_list_for_member(membership=membership)[:100]
    return render(request, "invoices/entry/draft_list.html", {"drafts": drafts})


@login_required
@require_http_methods(["GET", "POST"])
def entry_new_view(request: HttpRequest, kind: str = InvoiceDraft.Kind.ENTRY) -> HttpResponse:
    membership = _supplier_membership(request)
    if request.method == "POST":
        return _post(request, membership, draft=None, kind=kind)
    data: dict[str, Any] = {"lines": [new_line()]}
    return _page(request, membership, draft=None, kind=kind, data=data)


@login_required
@require_http_methods(["GET", "POST"])
def entry_new_pdf_view(request: HttpRequest) -> HttpResponse:
    return entry_new_view(request, kind=InvoiceDraft.Kind.PDF)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    membership = _supplier_membership(request)
    draft = draft_get_for_member(membership=membership, public_id=public_id)
    if request.method == "POST":
        return _post(request, membership, draft=draft, kind=draft.kind)
    data = dict(draft.data)
    data.setdefault("lines", [new_line()])
    if not data["lines"]:
        data["lines"] = [new_line()]
    return _page(request, membership, draft=draft, kind=draft.kind, data=data)


@login_required
@require_POST
def entry_delete_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    membership = _supplier_membership(request)
    draft = draft_get_for_member(membership=membership, public_id=public_id)
    draft_delete(actor=acting_actor(request), structure=membership.structure, draft=draft)
    messages.success(request, _("The draft has been deleted."))
    return redirect("invoices:entry_drafts")


@login_required
@require_GET
def entry_pdf_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    """The PDF the supplier uploaded with a draft (sent or not), as it was uploaded."""
    membership = _supplier_membership(request)
    draft = draft_get_for_member(membership=membership, public_id=public_id, sent=True)
    pdf = draft_invoice_pdf(draft=draft)
    if pdf is None:
        raise PermissionDenied
    return FileResponse(pdf.file.open("rb"), content_type="application/pdf", filename="facture.pdf")


def _post(
    request: HttpRequest, membership: Membership, *, draft: InvoiceDraft | None, kind: str
) -> HttpResponse:
    action = request.POST.get("action", "save")
    data = draft_data_from_post(request.POST)
    files_form = AttachmentsForm(request.POST, request.FILES)
    pdf_form = InvoicePdfForm(request.POST, request.FILES)
    files_ok = files_form.is_valid()
    pdf_ok = pdf_form.is_valid()
    remove = [int(v) for v in request.POST.getlist("remove_attachment") if v.isdigit()]
    if action == "add_line":
        data["lines"].append(new_line())
    try:
        draft = draft_save(
            actor=acting_actor(request),
            structure=membership.structure,
            draft=draft,
            kind=kind,
            data=data,
            files=files_form.cleaned_data.get("documents", []) if files_ok else [],
            invoice_pdf=pdf_form.cleaned_data.get("pdf") if pdf_ok else None,
            remove=remove,
        )
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect("invoices:entry_drafts")
    if not (files_ok and pdf_ok):
        return _page(
            request,
            membership,
            draft=draft,
            kind=kind,
            data=data,
            files_form=files_form,
            pdf_form=pdf_form,
            status=400,
        )
    if action != "submit":
        if action == "save":
            messages.success(request, _("Draft saved: it has not been sent."))
        return redirect("invoices:entry_edit", public_id=draft.public_id)

    form = EntryForm(request.POST, structure=membership.structure)
    formset = LineFormSet(request.POST, prefix=LINE_PREFIX)
    if form.is_valid() and formset.is_valid():
        check_together(form, formset)
    if kind == InvoiceDraft.Kind.PDF and draft_invoice_pdf(draft=draft) is None:
        pdf_form.add_error("pdf", _("Add the PDF of your invoice."))
    if form.errors or not formset.is_valid() or pdf_form.errors:
        return _page(
            request,
            membership,
            draft=draft,
            kind=kind,
            data=data,
            form=form,
            formset=formset,
            pdf_form=pdf_form,
            status=400,
        )
    if form.recipient is None:  # a valid form always resolved it
        raise PermissionDenied
    try:
        flow = draft_submit(
            actor=acting_actor(request),
            draft=draft,
            data=entry_data(form, formset),
            buyer=form.recipient.structure,
        )
    except EntryRefused as refused:
        for message in refused.messages:
            form.add_error(None, message)
        return _page(
            request,
            membership,
            draft=draft,
            kind=kind,
            data=data,
            form=form,
            formset=formset,
            status=400,
        )
    except DomainError as refused:
        form.add_error(None, refused.message)
        return _page(
            request,
            membership,
            draft=draft,
            kind=kind,
            data=data,
            form=form,
            formset=formset,
            status=400,
        )
    messages.success(
        request,
        _("Invoice %(number)s sent as deposit %(flow)s: it is being processed.")
        % {"number": form.cleaned_data["number"], "flow": flow.number},
    )
    return redirect("invoices:flow_detail", public_id=flow.public_id)


def _page(
    request: HttpRequest,
    membership: Membership,
    *,
    draft: InvoiceDraft | None,
    kind: str,
    data: dict[str, Any],
    form: EntryForm | None = None,
    formset: Any = None,
    files_form: AttachmentsForm | None = None,
    pdf_form: InvoicePdfForm | None = None,
    status: int = 200,
) -> HttpResponse:
    structure = membership.structure
    recipient = entry_recipient_facts(str(data.get("recipient_siret") or ""))
    if form is None:
        form = EntryForm(
            initial={k: v for k, v in data.items() if k != "lines" and v},
            structure=structure,
        )
        form.show_required(recipient)
    if formset is None:
        formset = LineFormSet(initial=data.get("lines") or [new_line()], prefix=LINE_PREFIX)
    context = {
        "form": form,
        "formset": formset,
        "files_form": files_form or AttachmentsForm(),
        "pdf_form": pdf_form or InvoicePdfForm(),
        "draft": draft,
        "is_pdf": kind == InvoiceDraft.Kind.PDF,
        "attachments": list(draft.attachments.all()) if draft is not None else [],
        "totals": _totals_of(data.get("lines") or []),
        "recipient": recipient,
        "structure": structure,
    }
    return render(request, "invoices/entry/form.html", context, status=status)


# --- HTMX fragments ------------------------------------------------------------------------


def _totals_of(rows: list[dict[str, Any]]) -> Any:
    formset = LineFormSet(
        {
            f"{LINE_PREFIX}-TOTAL_FORMS": str(len(rows)),
            f"{LINE_PREFIX}-INITIAL_FORMS": "0",
            **{
                f"{LINE_PREFIX}-{i}-{name}": value
                for i, row in enumerate(rows)
                for name, value in row.items()
            },
        },
        prefix=LINE_PREFIX,
    )
    return _totals_from_formset(formset)


def _totals_from_formset(formset: Any) -> dict[str, Any]:
    inputs, shown = [], []
    for index, line in enumerate(formset.forms):
        if formset.can_delete and line.data.get(f"{line.prefix}-DELETE"):
            continue
        if line.is_valid():
            cleaned = line.cleaned_data
            inputs.append(LineInput(cleaned["quantity"], cleaned["unit_price"], cleaned["vat"]))
            shown.append(index)
    totals = totals_compute(inputs)
    nets = dict(zip(shown, totals.line_net_amounts, strict=True))
    return {
        "totals": totals,
        "line_amounts": [(i + 1, nets.get(i)) for i in range(len(formset.forms))],
    }


@login_required
@require_POST
def entry_totals_view(request: HttpRequest) -> HttpResponse:
    """The totals block, from the lines as they are being typed (HT, VAT per rate, TTC)."""
    _supplier_membership(request)
    formset = LineFormSet(request.POST, prefix=LINE_PREFIX)
    return render(
        request, "invoices/entry/partials/_totals.html", {"totals": _totals_from_formset(formset)}
    )


@login_required
@require_GET
def entry_line_view(request: HttpRequest) -> HttpResponse:
    """One more empty line (and the formset's new count, out of band)."""
    _supplier_membership(request)
    try:
        index = int(request.GET.get(f"{LINE_PREFIX}-TOTAL_FORMS", "1"))
    except ValueError:
        index = 1
    index = max(0, min(index, 199))
    formset = LineFormSet(prefix=LINE_PREFIX, initial=[new_line()] * (index + 1))
    return render(
        request,
        "invoices/entry/partials/_line_added.html",
        {"line": formset.forms[index], "count": index + 1, "formset": formset},
    )


@login_required
@require_GET
def entry_recipient_view(request: HttpRequest) -> HttpResponse:
    """The recipient block after a pick: SIRET, its name, service and commitment fields."""
    membership = _supplier_membership(request)
    form = EntryForm(
        initial={
            "recipient_siret": request.GET.get("recipient_siret", ""),
            "service_code": request.GET.get("service_code", ""),
            "commitment_number": request.GET.get("commitment_number", ""),
        },
        structure=membership.structure,
    )
    recipient = entry_recipient_facts(request.GET.get("recipient_siret", ""))
    form.show_required(recipient)
    return render(
        request,
        "invoices/entry/partials/_recipient.html",
        {"form": form, "recipient": recipient, "oob": True},
    )


@login_required
@require_GET
def entry_recipient_search_view(request: HttpRequest) -> HttpResponse:
    """Directory matches (SIRET, SIREN or name) to pick the recipient from."""
    _supplier_membership(request)
    query = request.GET.get("recipient_query", "")[:100]
    results = list(directory_search(query=DirectoryQuery(q=query))[:SEARCH_RESULTS])
    return render(
        request,
        "invoices/entry/partials/_recipient_results.html",
        {"results": results, "query": query},
    )


# --- Readable PDF of a deposited invoice ---------------------------------------------------


@login_required
@require_GET
def invoice_readable_view(
    request: HttpRequest, side: str, public_id: uuid.UUID
) -> HttpResponseBase:
    membership = active_membership_get(request)
    if membership is None:
        raise PermissionDenied
    if side == "emises":
        invoice = invoice_get_for_supplier(membership=membership, public_id=public_id)
    else:
        invoice = invoice_get_for_recipient(membership=membership, public_id=public_id)
    try:
        readable = invoice_readable_pdf(invoice=invoice)
    except RenderingUnavailable:
        messages.error(request, _("No readable version of this invoice can be shown."))
        return redirect("invoices:invoice_detail", side=side, public_id=public_id)
    response = FileResponse(
        readable.file.open("rb"), content_type="application/pdf", filename=readable.name
    )
    response["Content-Disposition"] = f'inline; filename="{_safe(readable.name)}"'
    return response


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:120] or "facture.pdf"
