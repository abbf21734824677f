"""Account services: the writes on users and their sessions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chorus.accounts.choices import (
    MANAGER_ROLES,
    SELF_SERVICE_AREAS,
    Area,
    IdentifierType,
    JoinRequestStatus,
    Role,
    StructureKind,
    default_areas,
)
from chorus.accounts.circuit import JOIN_REQUEST
from chorus.accounts.identifiers import identifier_check, vat_number_check
from chorus.accounts.mfa import user_has_second_factor
from chorus.accounts.models import JoinRequest, Membership, Structure, User
from chorus.accounts.selectors import manager_emails_for_structure, manages_join_request
from chorus.circuits.roles import Role as CircuitRole
from chorus.circuits.writer import Move, transition, transition_many
from chorus.core.actor import Actor, system_actor
from chorus.core.audit import actor_context
from chorus.core.exceptions import DomainError, PermissionDeniedError
from chorus.outbox.tasks import mail_send_later


def sessions_clear_expired() -> int:
    """Remove sessions past their expiry date and return how many were removed."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def user_update_profile(*, actor: Actor, first_name: str, last_name: str, phone: str) -> User:
    """Save the acting user's own identity fields, recorded in the audit trail."""
    user = actor.effective_user
    if user is None:
        raise PermissionDeniedError("An anonymous actor has no profile.")
    with actor_context(actor):
        user.first_name = first_name.strip()
        user.last_name = last_name.strip()
        user.phone = phone.strip()
        user.save(update_fields=["first_name", "last_name", "phone"])
    return user


# --- Organisations: structures, memberships, join requests --------------------------------

# Apps that keep data on a structure register a copier here (``AppConfig.ready``): when a
# structure's identifier changes, Chorus Pro deactivates it and creates a copy (reference
# §1.1), and each app copies its own rows (services, bank accounts) from old to new.
structure_copy_hooks: list[Callable[[Structure, Structure], None]] = []


@dataclass(frozen=True)
class StructureDetails:
    """Descriptive fields of a structure, as entered in a form."""

    name: str
    address_line1: str = ""
    address_line2: str = ""
    address_line3: str = ""
    postal_code: str = ""
    city: str = ""
    email: str = ""
    phone: str = ""
    vat_number: str = ""


def _acting_user(actor: Actor) -> User:
    user = actor.effective_user
    if user is None or not user.is_active:
        raise PermissionDeniedError(_("An anonymous or inactive user cannot do this."))
    return user


def _refuse_under_substitution(actor: Actor) -> None:
    """Granting rights is never done on someone's behalf (security.md H4)."""
    if actor.on_behalf_of is not None:
        raise PermissionDeniedError(
            _("This action is not allowed while acting on behalf of a user."),
            code="substitution",
        )


def _is_platform_operator(actor: Actor) -> bool:
    """Support agents and administrators decide for structures that have no manager."""
    return actor.user is not None and (actor.user.is_support_agent or actor.user.is_staff)


def _manager_membership(actor: Actor, structure: Structure) -> Membership:
    user = _acting_user(actor)
    membership = Membership.objects.filter(user=user, structure=structure).first()
    if membership is None or membership.role not in MANAGER_ROLES:
        raise PermissionDeniedError(_("Only a manager of the structure can do this."))
    return membership


def _send_on_commit(*, template: str, context: dict[str, Any], recipients: list[str]) -> None:
    """Render ``accounts/email/<template>_{subject,message}.txt`` and send after commit."""
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        full_context = {"product_name": settings.CHORUS_PRODUCT_NAME, **context}
        rendered_subject = render_to_string(f"accounts/email/{template}_subject.txt", full_context)
        body = render_to_string(f"accounts/email/{template}_message.txt", full_context)
    subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{' '.join(rendered_subject.split())}"
    mail_send_later(subject, body, recipients)


def _absolute(url_name: str, **kwargs: Any) -> str:
    return f"{settings.SITE_URL}{reverse(url_name, kwargs=kwargs)}"


@transaction.atomic
def structure_create(
    *,
    actor: Actor,
    kind: str = StructureKind.PRIVATE,
    identifier_type: str,
    identifier: str,
    country: str,
    details: StructureDetails,
) -> Structure:
    """Create a structure; the creating user becomes its principal manager.

    Raises ``ValidationError`` for an invalid identifier and ``DomainError`` (code
    ``structure_exists``) when the structure is already registered: its users must ask to
    join it instead.
    """
    user = _acting_user(actor)
    checked = identifier_check(
        identifier_type=identifier_type, identifier=identifier, country=country
    )
    vat_number = vat_number_check(
        vat_number=details.vat_number,
        identifier_type=checked.identifier_type,
        identifier=checked.identifier,
    )
    if checked.identifier_type == IdentifierType.EU_OUTSIDE_FRANCE and not vat_number:
        vat_number = checked.identifier
    if not details.name.strip():
        raise ValidationError({"name": _("Enter the legal name.")})
    if Structure.objects.filter(
        identifier_type=checked.identifier_type,
        country=checked.country,
        identifier=checked.identifier,
    ).exists():
        raise DomainError(
            _("This structure is already registered: ask its managers to join it."),
            code="structure_exists",
        )
    with actor_context(actor):
        structure = Structure(
            kind=kind,
            identifier_type=checked.identifier_type,
            identifier=checked.identifier,
            country=checked.country,
            **_clean_details(details, vat_number=vat_number),
        )
        structure.save()
        Membership.objects.create(
            user=user,
            structure=structure,
            role=Role.PRINCIPAL_MANAGER,
            areas=default_areas(kind=kind, role=Role.PRINCIPAL_MANAGER),
        )
    return structure


def _clean_details(details: StructureDetails, *, vat_number: str) -> dict[str, str]:
    return {
        "name": " ".join(details.name.split()),
        "address_line1": details.address_line1.strip(),
        "address_line2": details.address_line2.strip(),
        "address_line3": details.address_line3.strip(),
        "postal_code": details.postal_code.strip().upper(),
        "city": details.city.strip(),
        "email": details.email.strip().lower(),
        "phone": details.phone.strip(),
        "vat_number": vat_number,
    }


@transaction.atomic
def structure_update_details(
    *, actor: Actor, structure_id: int, details: StructureDetails
) -> Structure:
    """Managers edit the name, address and contact details (not the identifier)."""
    structure = Structure.objects.select_for_update().get(pk=structure_id)
    _manager_membership(actor, structure)
    vat_number = vat_number_check(
        vat_number=details.vat_number,
        identifier_type=structure.identifier_type,
        identifier=structure.identifier,
    )
    if not details.name.strip():
        raise ValidationError({"name": _("Enter the legal name.")})
    with actor_context(actor):
        for field, value in _clean_details(details, vat_number=vat_number).items():
            setattr(structure, field, value)
        structure.save()
    return structure


@transaction.atomic
def structure_change_identifier(
    *, actor: Actor, structure_id: int, identifier_type: str, identifier: str, country: str
) -> Structure:
    """Change a structure's identifier the Chorus Pro way (reference §1.1).

    The old structure is deactivated and a copy is created with the new identifier, its
    ``origin`` pointing at the old one; members (same roles and areas) and each app's data
    (``structure_copy_hooks``) are copied. Structures loaded from the directory keep the
    directory's identifier: the directory is their source.
    """
    _refuse_under_substitution(actor)
    old = Structure.objects.select_for_update().get(pk=structure_id)
    _manager_membership(actor, old)
    if not old.is_active:
        raise DomainError(_("This structure is inactive."), code="structure_inactive")
    if hasattr(old, "public_entity") and old.public_entity.in_directory:
        raise DomainError(
            _("This structure comes from the directory: its identifier changes there."),
            code="directory_structure",
        )
    checked = identifier_check(
        identifier_type=identifier_type, identifier=identifier, country=country
    )
    if (checked.identifier_type, checked.identifier, checked.country) == (
        old.identifier_type,
        old.identifier,
        old.country,
    ):
        raise ValidationError({"identifier": _("Enter a different identifier.")})
    if Structure.objects.filter(
        identifier_type=checked.identifier_type,
        country=checked.country,
        identifier=checked.identifier,
    ).exists():
        raise DomainError(
            _("A structure with this identifier already exists."), code="structure_exists"
        )
    with actor_context(actor, operation="structure_change_identifier"):
        new = Structure.objects.get(pk=old.pk)
        new.pk = None
        new.id = None
        new.public_id = uuid.uuid4()
        new.identifier_type = checked.identifier_type
        new.identifier = checked.identifier
        new.country = checked.country
        new.origin = old
        new.is_active = True
        new.created_at = timezone.now()
        if checked.identifier_type != IdentifierType.SIRET and new.vat_number.startswith("FR"):
            new.vat_number = ""
        new._state.adding = True
        new.save()
        Membership.objects.bulk_create(
            Membership(user_id=m.user_id, structure=new, role=m.role, areas=m.areas)
            for m in Membership.objects.filter(structure=old)
        )
        for hook in structure_copy_hooks:
            hook(old, new)
        old.is_active = False
        old.save(update_fields=["is_active"])
        pending = JoinRequest.objects.filter(structure=old, status=JoinRequestStatus.PENDING)
        transition_many(
            JOIN_REQUEST,
            moves=[
                Move(pk, JoinRequestStatus.PENDING, JoinRequestStatus.CANCELLED)
                for pk in pending.values_list("pk", flat=True)
            ],
            actor=system_actor("structure identifier changed"),
            role=CircuitRole.PLATFORM,
        )
    return new


@transaction.atomic
def join_request_create(*, actor: Actor, structure_id: int, message: str = "") -> JoinRequest:
    """Ask to be attached to a structure; its managers are told by e-mail."""
    user = _acting_user(actor)
    structure = Structure.objects.get(pk=structure_id)
    if not structure.is_active:
        raise DomainError(_("This structure is inactive."), code="structure_inactive")
    if Membership.objects.filter(user=user, structure=structure).exists():
        raise DomainError(_("You already belong to this structure."), code="already_member")
    if JoinRequest.objects.filter(
        user=user, structure=structure, status=JoinRequestStatus.PENDING
    ).exists():
        raise DomainError(
            _("You have already asked to join this structure."), code="already_requested"
        )
    with actor_context(actor):
        join_request = JoinRequest.objects.create(
            user=user, structure=structure, message=message.strip()[:1000]
        )
    _send_on_commit(
        template="join_request_created",
        context={
            "join_request": join_request,
            "structure": structure,
            "requester": user,
            "url": _absolute("accounts:structure_detail", structure_public_id=structure.public_id),
        },
        recipients=manager_emails_for_structure(structure=structure),
    )
    return join_request


def _lock_pending(join_request_id: int) -> JoinRequest:
    join_request = (
        JoinRequest.objects.select_for_update()
        .select_related("structure", "user")
        .get(pk=join_request_id)
    )
    if join_request.status != JoinRequestStatus.PENDING:
        raise DomainError(_("This request has already been decided."), code="already_decided")
    return join_request


def _join_request_decide(
    actor: Actor, join_request: JoinRequest, to: str, *, reason: str = ""
) -> JoinRequest:
    """Accept or refuse through the kernel: as a manager, or as support (``_may_decide``)."""

    def record(document: JoinRequest, _target: str, _now: object) -> list[str]:
        document.decided_by = actor.user
        document.decision_reason = reason
        return ["decided_by", "decision_reason"]

    manager = manages_join_request(join_request, actor)
    moved = transition(
        JOIN_REQUEST,
        pk=join_request.pk,
        to=to,
        actor=actor,
        role=CircuitRole.MANAGER if manager else CircuitRole.SUPPORT,
        expected_status=JoinRequestStatus.PENDING,
        comment=reason,
        apply=record,
    )
    decided: JoinRequest = moved.document
    return decided


def _may_decide(actor: Actor, join_request: JoinRequest) -> None:
    """Managers of the structure decide; support only for a structure without a manager."""
    _refuse_under_substitution(actor)
    if _is_platform_operator(actor) and not manager_emails_for_structure(
        structure=join_request.structure
    ):
        return
    _manager_membership(actor, join_request.structure)


@transaction.atomic
def join_request_accept(*, actor: Actor, join_request_id: int, role: str = Role.USER) -> Membership:
    """Accept: the requester becomes a member (principal manager if the structure has none)."""
    join_request = _lock_pending(join_request_id)
    _may_decide(actor, join_request)
    structure = join_request.structure
    if not structure.is_active:
        raise DomainError(_("This structure is inactive."), code="structure_inactive")
    if role == Role.PRINCIPAL_MANAGER or role not in Role.values:
        role = Role.USER
    # Serialise concurrent acceptances on the same structure (one principal manager).
    Structure.objects.select_for_update().filter(pk=structure.pk).first()
    if not Membership.objects.filter(structure=structure, role=Role.PRINCIPAL_MANAGER).exists():
        role = Role.PRINCIPAL_MANAGER
    with actor_context(actor):
        membership, _created = Membership.objects.get_or_create(
            user=join_request.user,
            structure=structure,
            defaults={"role": role, "areas": default_areas(kind=structure.kind, role=role)},
        )
        _join_request_decide(actor, join_request, JoinRequestStatus.ACCEPTED)
    _send_on_commit(
        template="join_request_accepted",
        context={
            "structure": structure,
            "url": _absolute("accounts:structure_detail", structure_public_id=structure.public_id),
        },
        recipients=[join_request.user.email],
    )
    return membership


@transaction.atomic
def join_request_refuse(*, actor: Actor, join_request_id: int, reason: str = "") -> JoinRequest:
    """Refuse, with an optional reason sent to the requester."""
    join_request = _lock_pending(join_request_id)
    _may_decide(actor, join_request)
    join_request = _join_request_decide(
        actor, join_request, JoinRequestStatus.REFUSED, reason=reason.strip()[:1000]
    )
    _send_on_commit(
        template="join_request_refused",
        context={"structure": join_request.structure, "reason": join_request.decision_reason},
        recipients=[join_request.user.email],
    )
    return join_request


@transaction.atomic
def join_request_cancel(*, actor: Actor, join_request_id: int) -> JoinRequest:
    """The requester withdraws a pending request."""
    user = _acting_user(actor)
    join_request = _lock_pending(join_request_id)
    if join_request.user_id != user.pk:
        raise PermissionDeniedError(_("Only the requester can withdraw this request."))
    moved = transition(
        JOIN_REQUEST,
        pk=join_request.pk,
        to=JoinRequestStatus.CANCELLED,
        actor=actor,
        role=CircuitRole.REQUESTER,
        expected_status=JoinRequestStatus.PENDING,
        as_party=True,
    )
    cancelled: JoinRequest = moved.document
    return cancelled


def _lock_membership(membership_id: int) -> Membership:
    return (
        Membership.objects.select_for_update()
        .select_related("structure", "user")
        .get(pk=membership_id)
    )


@transaction.atomic
def membership_update(
    *, actor: Actor, membership_id: int, role: str, areas: list[str]
) -> Membership:
    """A manager sets another member's role (secondary manager or user) and areas.

    The principal manager role only moves through :func:`membership_transfer_principal`.
    """
    _refuse_under_substitution(actor)
    membership = _lock_membership(membership_id)
    _manager_membership(actor, membership.structure)
    if role not in (Role.SECONDARY_MANAGER, Role.USER):
        if role == Role.PRINCIPAL_MANAGER and membership.role == Role.PRINCIPAL_MANAGER:
            role = Role.PRINCIPAL_MANAGER
        else:
            raise DomainError(
                _("The principal manager role is handed over, not assigned."),
                code="principal_by_transfer",
            )
    elif membership.role == Role.PRINCIPAL_MANAGER:
        raise DomainError(
            _("Hand the principal manager role over before changing this member's role."),
            code="principal_by_transfer",
        )
    unknown = set(areas) - set(Area.values)
    if unknown:
        raise ValidationError({"areas": _("Unknown area.")})
    with actor_context(actor):
        membership.role = role
        membership.areas = [a for a in Area.values if a in set(areas)]
        membership.save(update_fields=["role", "areas"])
    return membership


@transaction.atomic
def membership_set_own_area(
    *, actor: Actor, membership_id: int, area: str, enabled: bool
) -> Membership:
    """A member opens or closes a self-service area ("Invoices issued") for themselves."""
    user = _acting_user(actor)
    membership = _lock_membership(membership_id)
    if membership.user_id != user.pk:
        raise PermissionDeniedError(_("You can only change your own areas."))
    if area not in SELF_SERVICE_AREAS:
        raise PermissionDeniedError(_("A manager grants this area."))
    current = set(membership.areas)
    current = current | {area} if enabled else current - {area}
    with actor_context(actor):
        membership.areas = [a for a in Area.values if a in current]
        membership.save(update_fields=["areas"])
    return membership


@transaction.atomic
def membership_transfer_principal(
    *, actor: Actor, structure_id: int, to_membership_id: int
) -> Membership:
    """Hand the principal manager role to another member; the giver becomes secondary.

    Only the principal manager does this; support appoints one when the principal manager
    has left (reference §1.4), see :func:`membership_appoint_principal`.
    """
    _refuse_under_substitution(actor)
    structure = Structure.objects.select_for_update().get(pk=structure_id)
    giver = _manager_membership(actor, structure)
    if giver.role != Role.PRINCIPAL_MANAGER:
        raise PermissionDeniedError(_("Only the principal manager can hand the role over."))
    return _make_principal(actor, structure, to_membership_id)


@transaction.atomic
def membership_appoint_principal(
    *, actor: Actor, structure_id: int, to_membership_id: int
) -> Membership:
    """Support or an administrator appoints a principal manager (e.g. the previous one left)."""
    if not _is_platform_operator(actor):
        raise PermissionDeniedError(_("Only support can appoint a principal manager."))
    structure = Structure.objects.select_for_update().get(pk=structure_id)
    return _make_principal(actor, structure, to_membership_id)


def _make_principal(actor: Actor, structure: Structure, to_membership_id: int) -> Membership:
    target = _lock_membership(to_membership_id)
    if target.structure_id != structure.pk:
        raise DomainError(_("This person is not a member of the structure."), code="not_member")
    if target.role == Role.PRINCIPAL_MANAGER:
        return target
    with actor_context(actor):
        for previous in Membership.objects.select_for_update().filter(
            structure=structure, role=Role.PRINCIPAL_MANAGER
        ):
            previous.role = Role.SECONDARY_MANAGER
            previous.save(update_fields=["role"])
        target.role = Role.PRINCIPAL_MANAGER
        if Area.MANAGER_ACTIVITY not in target.areas:
            target.areas = [a for a in Area.values if a in {*target.areas, Area.MANAGER_ACTIVITY}]
        target.save(update_fields=["role", "areas"])
    return target


@transaction.atomic
def membership_remove(*, actor: Actor, membership_id: int) -> None:
    """A manager removes a member, or a member leaves; never the principal manager."""
    user = _acting_user(actor)
    membership = _lock_membership(membership_id)
    if membership.user_id != user.pk:
        _refuse_under_substitution(actor)
        _manager_membership(actor, membership.structure)
    if membership.role == Role.PRINCIPAL_MANAGER:
        raise DomainError(
            _("The principal manager must hand the role over before leaving."),
            code="principal_cannot_leave",
        )
    with actor_context(actor):
        membership.delete()


@transaction.atomic
def structure_set_second_factor_required(
    *, actor: Actor, structure_id: int, required: bool
) -> Structure:
    """The principal manager requires (or stops requiring) a second factor of all members.

    Members without one are sent to set it up at their next page. A public structure needs no
    rule: its members must have one anyway. The principal manager must have a second factor
    before requiring one, so that the rule never locks its author out of the page it is on.
    """
    _refuse_under_substitution(actor)
    structure = Structure.objects.select_for_update().get(pk=structure_id)
    manager = _manager_membership(actor, structure)
    if manager.role != Role.PRINCIPAL_MANAGER:
        raise PermissionDeniedError(
            _("Only the principal manager can require two-factor authentication.")
        )
    if structure.is_public:
        raise DomainError(
            _("Members of a public structure need two-factor authentication in any case."),
            code="public_structure",
        )
    if required and not user_has_second_factor(user=manager.user):
        raise DomainError(
            _("Set up two-factor authentication on your own account first."),
            code="manager_without_second_factor",
        )
    if structure.second_factor_required != required:
        with actor_context(actor):
            structure.second_factor_required = required
            structure.save(update_fields=["second_factor_required"])
    return structure
