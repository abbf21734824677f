"""What people do to invoices: the recipient processes, the supplier completes, re-routes and
acknowledges. Each action checks the actor's scope, then goes through the one status writer.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import Membership, Structure
from chorus.circuits.parties import roles_of
from chorus.circuits.roles import Role
from chorus.core.actor import Actor, system_actor
from chorus.core.audit import actor_context
from chorus.core.exceptions import DomainError, PermissionDeniedError
from chorus.core.uploads import upload_content_check, upload_name_check
from invoices.choices import InvoiceStatus
from invoices.circuit import INVOICE
from invoices.lifecycle import TransitionResult, invoice_transition
from invoices.models import Invoice, InvoiceAttachment, UploadedAttachment
from invoices.services.limits import MAX_ATTACHMENT_BYTES, MAX_DEPOSIT_BYTES, MAX_FILE_NAME_LENGTH
from public_entities.exceptions import RecipientRefused
from public_entities.selectors import recipient_resolve


def _require(membership: Membership, invoice: Invoice, *, role: Role) -> None:
    """The selectors already scoped ``invoice``; this is the second lock on the door."""
    if role not in roles_of(INVOICE, invoice, membership=membership):
        raise PermissionDeniedError(_("You may not act on this invoice."), code="FORBIDDEN")


def invoice_recipient_act(
    *,
    actor: Actor,
    membership: Membership,
    invoice: Invoice,
    to: str,
    expected_status: str,
    reason_code: str = "",
    comment: str = "",
    mandate_number: str = "",
) -> TransitionResult:
    """A recipient agent moves an invoice along its processing, or suspends/rejects it."""
    _require(membership, invoice, role=Role.RECIPIENT)
    return invoice_transition(
        invoice_id=invoice.pk,
        to=to,
        actor=actor,
        role=Role.RECIPIENT,
        expected_status=expected_status,
        reason_code=reason_code,
        comment=comment,
        mandate_number=mandate_number,
    )


def attachment_check(upload: UploadedFile) -> None:
    """An attachment added to an invoice: named, not empty, ≤ 10 MB, its bytes what its name
    says (reference §2.3); for the portal's completion and the API's ``ajouter/fichier``."""
    name = upload_name_check(upload.name or "")
    if not upload.size:
        raise DomainError(_("The file %(name)s is empty.") % {"name": name}, code="EMPTY")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise DomainError(
            _("The file %(name)s is larger than 10 MB, the limit for an attachment.")
            % {"name": name},
            code="ATTACHMENT_TOO_LARGE",
        )
    if len(name) > MAX_FILE_NAME_LENGTH or "." not in name.strip(".")[1:]:
        raise DomainError(
            _(
                "The file name %(name)s must have an extension and at most 50 characters, "
                "extension included."
            )
            % {"name": name},
            code="ATTACHMENT_NAME",
        )
    upload.seek(0)
    upload_content_check(name, upload.read())
    upload.seek(0)


def uploaded_attachment_create(
    *, actor: Actor, structure: Structure, name: str, content: bytes, mime_type: str = ""
) -> UploadedAttachment:
    """Check and keep a file sent ahead of the invoice that will carry it (API two-step)."""
    if actor.user is None:
        raise PermissionDeniedError(_("An attachment needs a signed-in user."))
    upload_name_check(name)  # before the upload object, which would drop a folder silently
    upload = SimpleUploadedFile(name, content, content_type=mime_type or "application/octet-stream")
    attachment_check(upload)
    row = UploadedAttachment(
        structure=structure,
        uploaded_by=actor.user,
        original_name=name,
        mime_type=mime_type[:100],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    with transaction.atomic(), actor_context(actor):
        row.file.save(name, ContentFile(content), save=False)
        row.save()
    return row


def uploaded_attachment_files(*, structure: Structure, ids: list[int]) -> list[SimpleUploadedFile]:
    """The structure's files sent ahead, by id, as uploads (in the order asked).

    An id of another structure is the same refusal as an unknown one.
    """
    rows = {
        row.pk: row for row in UploadedAttachment.objects.filter(structure=structure, pk__in=ids)
    }
    files = []
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            raise DomainError(
                _("No attachment %(id)s sent by this structure.") % {"id": pk},
                code="ATTACHMENT_NOT_FOUND",
            )
        with row.file.open("rb") as handle:
            content = handle.read()
        files.append(
            SimpleUploadedFile(
                row.original_name, content, content_type=row.mime_type or "application/octet-stream"
            )
        )
    return files


def invoice_complete(
    *,
    actor: Actor,
    membership: Membership,
    invoice: Invoice,
    comment: str,
    files: list[UploadedFile],
) -> TransitionResult:
    """The supplier answers a suspension with documents and/or a comment (→ COMPLETEE)."""
    _require(membership, invoice, role=Role.SUPPLIER)
    if not comment.strip() and not files:
        raise DomainError(
            _("Add a document or a comment to complete the invoice."), code="EMPTY_COMPLETION"
        )
    for upload in files:
        attachment_check(upload)
    if sum(upload.size or 0 for upload in files) > MAX_DEPOSIT_BYTES:
        raise DomainError(_("Together the files exceed 120 MB."), code="TOO_LARGE")
    with transaction.atomic(), actor_context(actor):
        result = invoice_transition(
            invoice_id=invoice.pk,
            to=InvoiceStatus.COMPLETED,
            actor=actor,
            role=Role.SUPPLIER,
            expected_status=InvoiceStatus.SUSPENDED,
            comment=comment,
        )
        for upload in files:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            attachment = InvoiceAttachment(
                invoice=invoice,
                original_name=upload.name or "piece-jointe",
                mime_type=(upload.content_type or "")[:100],
                size=upload.size or 0,
                sha256=digest.hexdigest(),
                added_by=actor.user,
            )
            attachment.file.save(attachment.original_name, upload, save=False)
            attachment.save()
    return result


def invoice_acknowledge(*, actor: Actor, membership: Membership, invoices: list[Invoice]) -> int:
    """The supplier acknowledges rejections and suspensions (reference §4.3)."""
    ids = []
    for invoice in invoices:
        _require(membership, invoice, role=Role.SUPPLIER)
        if invoice.status in (InvoiceStatus.REJECTED, InvoiceStatus.SUSPENDED):
            ids.append(invoice.pk)
    with actor_context(actor):
        return Invoice.objects.filter(pk__in=ids, supplier_acknowledged_at__isnull=True).update(
            supplier_acknowledged_at=timezone.now()
        )


def invoice_reroute(
    *,
    actor: Actor,
    membership: Membership,
    invoice: Invoice,
    recipient_siret: str,
    service_code: str,
    commitment_number: str,
) -> Invoice:
    """Send an invoice returned for re-routing to the right recipient, keeping its number."""
    _require(membership, invoice, role=Role.SUPPLIER)
    if invoice.status != InvoiceStatus.TO_RECYCLE:
        raise DomainError(
            _("Only an invoice sent back for re-routing can be re-routed."), code="NOT_TO_RECYCLE"
        )
    try:
        recipient = recipient_resolve(
            siret=recipient_siret,
            service_code=service_code,
            commitment_number=commitment_number,
        )
    except RecipientRefused as refused:
        raise DomainError(refused.message, code=refused.code) from refused
    with transaction.atomic(), actor_context(actor):
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        locked.recipient = recipient.structure
        locked.service = recipient.service
        locked.service_code = service_code.strip()
        locked.commitment_number = commitment_number.strip()
        locked.save(update_fields=["recipient", "service", "service_code", "commitment_number"])
        invoice_transition(
            invoice_id=locked.pk,
            to=InvoiceStatus.DEPOSITED,
            actor=actor,
            role=Role.SUPPLIER,
            expected_status=InvoiceStatus.TO_RECYCLE,
        )
        routing = system_actor("routing")
        invoice_transition(
            invoice_id=locked.pk, to=InvoiceStatus.ROUTING, actor=routing, role=Role.PLATFORM
        )
        result = invoice_transition(
            invoice_id=locked.pk, to=InvoiceStatus.MADE_AVAILABLE, actor=routing, role=Role.PLATFORM
        )
    return result.invoice
