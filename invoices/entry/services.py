"""Writes of the portal entry channels: drafts, and deposits built from keyed data.

* :func:`draft_save` keeps what was keyed ("Enregistrer": a ``BROUILLON``, nothing sent);
* :func:`entry_invoice_build` turns checked data into the EN 16931 model (seller = the
  depositing structure, buyer = the recipient, SIRETs with scheme 0009, BT-10 service code,
  BT-13 commitment, BT-23 billing framework, attachments as BG-24);
* :func:`draft_submit` ("Valider et envoyer") pre-checks the model with the e-invoice core,
  renders the Factur-X PDF (entry form) or embeds the CII in the supplier's PDF (PDF
  deposit), and deposits the result through :func:`flow_receive`, like any other channel.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.choices import IdentifierType
from chorus.accounts.models import Structure
from chorus.core.actor import Actor
from chorus.core.exceptions import DomainError, PermissionDeniedError
from invoices.choices import DepositMode
from invoices.einvoice.model import (
    AdditionalDocument,
    Attachment,
    Buyer,
    CreditTransfer,
    DocumentTotals,
    Identifier,
    InvoiceLine,
    ItemInformation,
    LineVatInformation,
    PaymentInstructions,
    PostalAddress,
    PriceDetails,
    Seller,
    VatBreakdown,
)
from invoices.einvoice.model import Invoice as SemanticInvoice
from invoices.entry.totals import (
    DEFAULT_EXEMPTION_CODES,
    EXEMPT_CATEGORIES,
    LineInput,
    totals_compute,
)
from invoices.models import Flow, InvoiceDraft, InvoiceDraftAttachment
from invoices.services.deposit import flow_receive

logger = logging.getLogger(__name__)

SIRET_SCHEME = "0009"
EN16931_GUIDELINE = "urn:cen.eu:en16931:2017"
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_NAME_MAX = 50
# BT-125-1 allows these media types only (BR-CL-24); other files cannot travel in the CII.
ATTACHMENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


class EntryRefused(DomainError):
    """The keyed invoice cannot be deposited as it is; ``messages`` say why, one by one."""

    def __init__(self, message: str, *, code: str = "", messages: Sequence[str] = ()) -> None:
        super().__init__(message, code=code)
        self.messages = list(messages) or [message]


@dataclass(frozen=True)
class EntryLine:
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    vat: str


@dataclass(frozen=True)
class EntryData:
    """The checked content of the entry form (see ``invoices.entry.forms``)."""

    number: str
    issue_date: datetime.date
    due_date: datetime.date | None
    type_code: str
    framework: str
    service_code: str
    commitment_number: str
    payment_terms: str
    lines: tuple[EntryLine, ...]
    iban: str = ""
    bic: str = ""
    account_name: str = ""
    exemption_reason: str = ""


@dataclass(frozen=True)
class EntryFile:
    name: str
    mime_type: str
    content: bytes


# --- Drafts --------------------------------------------------------------------------------


def attachment_mime_type(name: str) -> str:
    """The BT-125-1 media type of a file name, or "" when it cannot travel in the invoice."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return ATTACHMENT_TYPES.get(extension, "")


def draft_save(
    *,
    actor: Actor,
    structure: Structure,
    draft: InvoiceDraft | None,
    kind: str = InvoiceDraft.Kind.ENTRY,
    data: dict[str, Any],
    files: Sequence[EntryFile] = (),
    invoice_pdf: EntryFile | None = None,
    remove: Sequence[int] = (),
) -> InvoiceDraft:
    """Create or update a draft with what was keyed; files are added, ``remove`` dropped."""
    user = actor.user
    if user is None:
        raise PermissionDeniedError(_("A draft needs a signed-in user."))
    with transaction.atomic():
        if draft is None:
            draft = InvoiceDraft.objects.create(
                kind=kind, structure=structure, created_by=user, data=data
            )
        else:
            draft = InvoiceDraft.objects.select_for_update().get(pk=draft.pk)
            if draft.structure_id != structure.pk:
                raise PermissionDeniedError(_("This draft belongs to another structure."))
            if draft.flow_id is not None:
                raise EntryRefused(
                    _("This invoice has already been sent: it can no longer be changed."),
                    code="ALREADY_SENT",
                )
            draft.data = data
            draft.updated_at = timezone.now()
            draft.save(update_fields=["data", "updated_at"])
        if remove:
            draft.attachments.filter(
                pk__in=list(remove), role=InvoiceDraftAttachment.Role.SUPPORTING
            ).delete()
        for upload in files:
            _attach(draft, upload, InvoiceDraftAttachment.Role.SUPPORTING)
        if invoice_pdf is not None:
            draft.attachments.filter(role=InvoiceDraftAttachment.Role.INVOICE_PDF).delete()
            _attach(draft, invoice_pdf, InvoiceDraftAttachment.Role.INVOICE_PDF)
    return draft


def _attach(draft: InvoiceDraft, upload: EntryFile, role: str) -> None:
    row = InvoiceDraftAttachment(
        draft=draft,
        role=role,
        original_name=upload.name[:255],
        mime_type=upload.mime_type[:100],
        size=len(upload.content),
        sha256=hashlib.sha256(upload.content).hexdigest(),
    )
    row.file.save(upload.name, ContentFile(upload.content), save=False)
    row.save()


def draft_delete(*, actor: Actor, structure: Structure, draft: InvoiceDraft) -> None:
    """Drop a draft that was never sent, with its files."""
    if draft.structure_id != structure.pk:
        raise PermissionDeniedError(_("This draft belongs to another structure."))
    if draft.flow_id is not None:
        raise EntryRefused(_("A sent invoice is kept: it cannot be deleted."), code="SENT")
    with transaction.atomic():
        for attachment in draft.attachments.all():
            attachment.file.delete(save=False)
        draft.delete()


# --- Building the invoice ------------------------------------------------------------------


def _identifier(structure: Structure) -> Identifier:
    if structure.identifier_type == IdentifierType.SIRET:
        return Identifier(structure.identifier, SIRET_SCHEME)
    return Identifier(structure.identifier, None)


def _address(structure: Structure) -> PostalAddress:
    return PostalAddress(
        line_one=structure.address_line1 or None,
        line_two=structure.address_line2 or None,
        line_three=structure.address_line3 or None,
        city=structure.city or None,
        post_code=structure.postal_code or None,
        country_code=structure.country or "FR",
    )


def entry_invoice_build(
    *,
    seller: Structure,
    buyer: Structure,
    data: EntryData,
    attachments: Sequence[EntryFile] = (),
) -> SemanticInvoice:
    """The EN 16931 model of a keyed invoice, amounts from :func:`totals_compute`."""
    totals = totals_compute(
        LineInput(quantity=line.quantity, unit_price=line.unit_price, vat=line.vat)
        for line in data.lines
    )
    lines = [
        InvoiceLine(
            id=str(index),
            quantity=line.quantity,
            unit_code=line.unit,
            net_amount=net,
            price=PriceDetails(net_price=line.unit_price),
            vat=LineVatInformation(line.vat.split(":")[0], Decimal(line.vat.split(":")[1])),
            item=ItemInformation(name=line.description),
        )
        for index, (line, net) in enumerate(
            zip(data.lines, totals.line_net_amounts, strict=True), start=1
        )
    ]
    breakdown = []
    for group in totals.vat_breakdown:
        exempt = group.category in EXEMPT_CATEGORIES
        breakdown.append(
            VatBreakdown(
                taxable_amount=group.taxable_amount,
                tax_amount=group.tax_amount,
                category_code=group.category,
                rate=group.rate,
                exemption_reason=(data.exemption_reason or None) if exempt else None,
                exemption_reason_code=(
                    DEFAULT_EXEMPTION_CODES.get(group.category) if exempt else None
                ),
            )
        )
    payment = []
    if data.iban:
        payment.append(
            PaymentInstructions(
                means_code="30",
                remittance_information=data.number,
                credit_transfers=[
                    CreditTransfer(
                        account_id=data.iban.replace(" ", ""),
                        account_name=data.account_name or None,
                        service_provider_id=data.bic or None,
                    )
                ],
            )
        )
    documents = [
        AdditionalDocument(
            reference=upload.name[:ATTACHMENT_NAME_MAX],
            description=_("Supporting document"),
            attachment=Attachment(
                content=upload.content, mime_code=upload.mime_type, filename=upload.name
            ),
            type_code="916",
        )
        for upload in attachments
    ]
    return SemanticInvoice(
        number=data.number,
        issue_date=data.issue_date,
        type_code=data.type_code,
        currency_code="EUR",
        due_date=data.due_date,
        buyer_reference=data.service_code or None,
        purchase_order_reference=data.commitment_number or None,
        payment_terms=data.payment_terms or None,
        business_process=data.framework,
        specification_identifier=EN16931_GUIDELINE,
        seller=Seller(
            name=seller.name,
            legal_registration_id=_identifier(seller),
            vat_identifier=seller.vat_number or None,
            electronic_address=_identifier(seller),
            address=_address(seller),
        ),
        buyer=Buyer(
            name=buyer.name,
            legal_registration_id=_identifier(buyer),
            electronic_address=_identifier(buyer),
            address=_address(buyer),
        ),
        payment_instructions=payment,
        totals=DocumentTotals(
            line_extension_amount=totals.total_without_vat,
            tax_exclusive_amount=totals.total_without_vat,
            vat_total_amount=totals.total_vat,
            tax_inclusive_amount=totals.total_with_vat,
            payable_amount=totals.amount_due,
        ),
        vat_breakdown=breakdown,
        additional_documents=documents,
        lines=lines,
    )


def entry_invoice_check(invoice: SemanticInvoice) -> bytes:
    """The CII of ``invoice``, judged by the e-invoice core; raise with its fatal findings."""
    from invoices.einvoice.validation import RULE_SET_EN16931, RULE_SET_FR, validate_invoice
    from invoices.einvoice.writers import WriterError, write_cii

    try:
        xml = write_cii(invoice)
    except WriterError as exc:
        raise EntryRefused(
            _("The invoice cannot be written: %(error)s") % {"error": exc}, code="WRITER"
        ) from exc
    report = validate_invoice(
        xml, filename="facture.xml", rule_sets=(RULE_SET_EN16931, RULE_SET_FR)
    )
    fatal = [f"{f.rule_id}: {f.text(_)}" for f in report.findings if f.severity == "fatal"]
    if fatal:
        raise EntryRefused(fatal[0], code="INVALID", messages=fatal)
    return xml


# --- Submitting ----------------------------------------------------------------------------


def _deposit_name(number: str, extension: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in number)[:40] or "facture"
    return f"{safe}.{extension}"


def pdf_with_data(*, pdf: bytes, invoice: SemanticInvoice, xml: bytes) -> tuple[bytes, str]:
    """The supplier's PDF with the CII embedded (Factur-X), or the CII carrying the PDF.

    ``facturx.generate_from_binary`` adds ``factur-x.xml`` and the Factur-X XMP to the
    uploaded PDF, pages unchanged. A PDF it cannot rewrite (encrypted, damaged, unusual
    structure) falls back to a CII deposit with the PDF as a BG-24 additional document
    (docs/decisions.md, "Invoices"). Returns the bytes and the file extension.
    """
    import facturx

    from invoices.einvoice.writers import write_cii

    try:
        result: bytes = facturx.generate_from_binary(
            pdf, xml, flavor="factur-x", level="en16931", check_xsd=True
        )
    except Exception:  # facturx raises anything from PyPDF on a PDF it cannot rewrite
        logger.info("uploaded PDF could not be made Factur-X; depositing CII with the PDF")
    else:
        return result, "pdf"
    invoice.additional_documents.insert(
        0,
        AdditionalDocument(
            reference=_deposit_name(invoice.number or "", "pdf"),
            description=_("Invoice PDF"),
            attachment=Attachment(
                content=pdf, mime_code="application/pdf", filename=_deposit_name("facture", "pdf")
            ),
            type_code="916",
        ),
    )
    return write_cii(invoice), "xml"


def draft_submit(
    *,
    actor: Actor,
    draft: InvoiceDraft,
    data: EntryData,
    buyer: Structure,
    through_api: bool = False,
) -> Flow:
    """ "Valider et envoyer": build, check, render and deposit; the draft then points at it.

    ``through_api``: the same invoice keyed through ``factures/v1/soumettre`` (deposit
    modes ``SAISIE_API`` / ``DEPOT_PDF_API`` instead of the portal's).
    """
    seller = draft.structure
    files = [
        EntryFile(a.original_name, a.mime_type, _read(a))
        for a in draft.attachments.filter(role=InvoiceDraftAttachment.Role.SUPPORTING)
    ]
    invoice = entry_invoice_build(seller=seller, buyer=buyer, data=data, attachments=files)
    xml = entry_invoice_check(invoice)
    if draft.kind == InvoiceDraft.Kind.PDF:
        original = draft.attachments.filter(role=InvoiceDraftAttachment.Role.INVOICE_PDF).first()
        if original is None:
            raise EntryRefused(_("Add the PDF of your invoice."), code="NO_PDF")
        content, extension = pdf_with_data(pdf=_read(original), invoice=invoice, xml=xml)
        mode = DepositMode.API_PDF if through_api else DepositMode.PORTAL_PDF
    else:
        from invoices.einvoice.writers import write_facturx_pdf

        content, extension = write_facturx_pdf(invoice, lang="fr"), "pdf"
        mode = DepositMode.API_ENTRY if through_api else DepositMode.PORTAL_ENTRY
    with transaction.atomic():
        locked = InvoiceDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.flow_id is not None:
            raise EntryRefused(
                _("This invoice has already been sent: it can no longer be changed."),
                code="ALREADY_SENT",
            )
        flow = flow_receive(
            actor=actor,
            structure=seller,
            mode=mode,
            name=_deposit_name(data.number, extension),
            content=content,
        )
        locked.flow = flow
        locked.updated_at = timezone.now()
        locked.save(update_fields=["flow", "updated_at"])
    draft.flow = flow
    return flow


def _read(attachment: InvoiceDraftAttachment) -> bytes:
    with attachment.file.open("rb") as handle:
        data: bytes = handle.read()
    return data
