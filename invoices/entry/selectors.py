"""Reads of drafts, scoped to the member's structure (404 outside it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from chorus.accounts.choices import Area
from invoices.models import InvoiceDraft

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
