"""The readable PDF of a deposited invoice, for the invoice page.

* a PDF deposit (Factur-X, or a PDF with keyed data) is its own readable form: the
  supplier's original PDF is served as it was uploaded;
* a structured deposit (UBL, CII) is re-read from the stored original with the e-invoice
  core and rendered once with the writers' readable HTML (WeasyPrint, restricted fetcher);
  the PDF is kept in storage with its SHA-256 and that of the original it was made from,
  so it is rendered again only if that original changes.

Callers obtain ``invoice`` through a scoped selector first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from chorus.core.exceptions import DomainError
from invoices.choices import DepositMode
from invoices.models import (
    Invoice,
    InvoiceAttachment,
    InvoiceDraftAttachment,
    InvoiceRendering,
)

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile


class RenderingUnavailable(DomainError):
    """No readable form can be produced for this invoice."""


@dataclass(frozen=True)
class ReadablePdf:
    file: FieldFile
    name: str


def invoice_readable_pdf(*, invoice: Invoice) -> ReadablePdf:
    """The readable PDF of ``invoice``: the original PDF, or the cached rendering."""
    name = f"facture_{invoice.number}.pdf"
    if invoice.flow.mode == DepositMode.PORTAL_PDF:
        uploaded = InvoiceDraftAttachment.objects.filter(
            draft__flow_id=invoice.flow_id, role=InvoiceDraftAttachment.Role.INVOICE_PDF
        ).first()
        if uploaded is not None:
            return ReadablePdf(uploaded.file, name)
    main = InvoiceAttachment.objects.filter(invoice=invoice, is_main=True).first()
    if main is None:
        raise RenderingUnavailable("no original", code="NO_ORIGINAL")
    if main.mime_type == "application/pdf":
        return ReadablePdf(main.file, name)
    cached = InvoiceRendering.objects.filter(invoice=invoice).first()
    if cached is not None and cached.source_sha256 == main.sha256:
        return ReadablePdf(cached.file, name)
    return ReadablePdf(_render(invoice, main, stale=cached).file, name)


def _render(
    invoice: Invoice, main: InvoiceAttachment, *, stale: InvoiceRendering | None
) -> InvoiceRendering:
    from invoices.einvoice.readers import InvoiceReadError, read_invoice
    from invoices.einvoice.writers.facturx import render_pdf
    from invoices.einvoice.writers.html import render_invoice_html

    with main.file.open("rb") as handle:
        original = handle.read()
    try:
        model = read_invoice(original)
    except InvoiceReadError as exc:
        raise RenderingUnavailable("unreadable original", code="UNREADABLE") from exc
    pdf = render_pdf(render_invoice_html(model, "fr"))
    rendering = stale or InvoiceRendering(invoice=invoice)
    rendering.sha256 = hashlib.sha256(pdf).hexdigest()
    rendering.source_sha256 = main.sha256
    if stale is not None:
        stale.file.delete(save=False)
    rendering.file.save(f"{invoice.public_id}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            rendering.save()
    except IntegrityError:  # rendered at the same time by another request: keep theirs
        rendering.file.delete(save=False)
        return InvoiceRendering.objects.get(invoice=invoice)
    return rendering
