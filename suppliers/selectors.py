"""Supplier-side reads, scoped through the structure membership selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from suppliers.models import BankAccount

if TYPE_CHECKING:
    import uuid

    from chorus.accounts.models import Membership


def bank_account_list_for_member(*, membership: Membership) -> QuerySet[BankAccount]:
    """Bank accounts of the member's structure (membership already checked by a selector)."""
    return BankAccount.objects.filter(structure_id=membership.structure_id).order_by(
        "-is_active", "label"
    )


def bank_account_get_for_member(*, membership: Membership, public_id: uuid.UUID) -> BankAccount:
    account = (
        bank_account_list_for_member(membership=membership).filter(public_id=public_id).first()
    )
    if account is None:
        raise Http404
    return account
