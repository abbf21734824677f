"""Reads of drafts, scoped to the member's structure (404 outside it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404

from chorus.accounts.choices import Area
from chorus.accounts.identifiers import compact
from invoices.models import InvoiceDraft, InvoiceDraftAttachment
from public_entities.choices import PSEUDO_SERVICE_CODES
from public_entities.models import EntityService
from public_entities.selectors import DirectoryQuery, directory_search

if TYPE_CHECKING:
    import uuid

    from django.db.models import QuerySet

    from chorus.accounts.models import Membership


def draft_list_for_member(*, membership: Membership) -> QuerySet[InvoiceDraft]:
    """Drafts of the member's structure not yet sent (none without the "issued" area)."""
    if not membership.has_area(Area.INVOICES_ISSUED):
        return InvoiceDraft.objects.none()
    return InvoiceDraft.objects.filter(
        structure_id=membership.structure_id, flow__isnull=True
    ).select_related("created_by")


def draft_get_for_member(
    *, membership: Membership, public_id: uuid.UUID, sent: bool = False
) -> InvoiceDraft:
    drafts = InvoiceDraft.objects.filter(structure_id=membership.structure_id)
    if not membership.has_area(Area.INVOICES_ISSUED):
        raise Http404
    if not sent:
        drafts = drafts.filter(flow__isnull=True)
    draft = drafts.select_related("structure").filter(public_id=public_id).first()
    if draft is None:
        raise Http404
    return draft


def draft_invoice_pdf(*, draft: InvoiceDraft) -> InvoiceDraftAttachment | None:
    """The invoice PDF uploaded with a PDF draft, if any."""
    return draft.attachments.filter(role=InvoiceDraftAttachment.Role.INVOICE_PDF).first()


def entry_recipient_facts(siret: str) -> dict[str, Any] | None:
    """The directory facts the form shows once a recipient is chosen (None if unknown)."""
    value = compact(siret)
    if not (value.isdigit() and len(value) == 14):
        return None
    found = directory_search(query=DirectoryQuery(q=value)).select_related("public_entity").first()
    if found is None:
        return {"siret": value, "structure": None}
    entity = found.public_entity
    services = list(
        EntityService.objects.filter(structure=found, is_active=True)
        .exclude(code__in=PSEUDO_SERVICE_CODES)
        .order_by("code")[:200]
    )
    return {
        "siret": value,
        "structure": found,
        "services": services,
        "service_required": entity.service_code_required,
        "commitment_required": entity.commitment_required
        or any(s.commitment_required for s in services),
        "either_required": entity.service_or_commitment_required,
    }
