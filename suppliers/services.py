"""Supplier-side writes: registering a supplier structure, its bank accounts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from chorus.accounts.choices import MANAGER_ROLES, StructureKind
from chorus.accounts.models import Membership, Structure
from chorus.accounts.services import StructureDetails, structure_create
from chorus.core.actor import Actor
from chorus.core.audit import actor_context
from chorus.core.exceptions import DomainError, PermissionDeniedError
from suppliers.models import BankAccount


def supplier_structure_create(
    *,
    actor: Actor,
    identifier_type: str,
    identifier: str,
    country: str,
    details: StructureDetails,
) -> Structure:
    """Register a private structure that will deposit invoices; the creator manages it."""
    return structure_create(
        actor=actor,
        kind=StructureKind.PRIVATE,
        identifier_type=identifier_type,
        identifier=identifier,
        country=country,
        details=details,
    )


def bank_details_check(*, iban: str, bic: str) -> tuple[str, str]:
    """Normalised (IBAN, BIC), or ``ValidationError`` keyed by field. BIC derived if empty."""
    try:
        parsed = IBAN(iban)
    except SchwiftyException:
        raise ValidationError({"iban": _("This IBAN is not valid.")}) from None
    bic = (bic or "").replace(" ", "").upper()
    if not bic:
        derived = parsed.bic
        if derived is None:
            raise ValidationError({"bic": _("Enter the BIC of this account's bank.")})
        return str(parsed.compact), str(derived.compact)
    try:
        parsed_bic = BIC(bic)
    except SchwiftyException:
        raise ValidationError({"bic": _("This BIC is not valid.")}) from None
    return str(parsed.compact), str(parsed_bic.compact)


def _check_manager(actor: Actor, structure: Structure) -> None:
    """Bank details are changed by a manager, never under substitution (security.md H4)."""
    if actor.on_behalf_of is not None:
        raise PermissionDeniedError(
            _("Bank details cannot be changed while acting on behalf of a user."),
            code="substitution",
        )
    user = actor.effective_user
    if (
        user is None
        or not Membership.objects.filter(
            user=user, structure=structure, role__in=MANAGER_ROLES
        ).exists()
    ):
        raise PermissionDeniedError(_("Only a manager of the structure can do this."))


@transaction.atomic
def bank_account_add(
    *,
    actor: Actor,
    structure_id: int,
    label: str,
    holder: str,
    iban: str,
    bic: str = "",
    is_factoring: bool = False,
) -> BankAccount:
    structure = Structure.objects.select_for_update().get(pk=structure_id)
    _check_manager(actor, structure)
    if not structure.is_active:
        raise DomainError(_("This structure is inactive."), code="structure_inactive")
    iban_compact, bic_compact = bank_details_check(iban=iban, bic=bic)
    if BankAccount.objects.filter(structure=structure, iban=iban_compact).exists():
        raise ValidationError({"iban": _("This account is already registered.")})
    with actor_context(actor):
        try:
            return BankAccount.objects.create(
                structure=structure,
                label=label.strip() or iban_compact[-4:],
                holder=holder.strip() or structure.name,
                iban=iban_compact,
                bic=bic_compact,
                is_factoring=is_factoring,
            )
        except IntegrityError:  # pragma: no cover - raced with the check above
            raise ValidationError({"iban": _("This account is already registered.")}) from None


@transaction.atomic
def bank_account_set_active(*, actor: Actor, bank_account_id: int, active: bool) -> BankAccount:
    """Deactivate (or reactivate) an account: invoices keep the accounts they were paid on."""
    account = (
        BankAccount.objects.select_for_update().select_related("structure").get(pk=bank_account_id)
    )
    _check_manager(actor, account.structure)
    with actor_context(actor):
        account.is_active = active
        account.save(update_fields=["is_active"])
    return account


def bank_accounts_copy(old: Structure, new: Structure) -> None:
    """``structure_copy_hooks`` entry: bank details follow a structure whose SIRET changed."""
    BankAccount.objects.bulk_create(
        BankAccount(
            structure=new,
            label=account.label,
            holder=account.holder,
            iban=account.iban,
            bic=account.bic,
            is_factoring=account.is_factoring,
            is_active=account.is_active,
        )
        for account in BankAccount.objects.filter(structure=old)
    )
