"""Writes on public entities: services, parameters, service-limited members."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.choices import MANAGER_ROLES
from chorus.accounts.models import Membership, Structure
from chorus.core.actor import Actor
from chorus.core.audit import actor_context
from chorus.core.exceptions import DomainError, PermissionDeniedError
from public_entities.choices import PSEUDO_SERVICE_CODES, PublicEntityCategory
from public_entities.models import EntityService, PublicEntity


@dataclass(frozen=True)
class ServiceData:
    code: str
    name: str
    description: str = ""
    is_active: bool = True
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    commitment_required: bool = False
    manages_payment_status: bool = True


@dataclass(frozen=True)
class EntityParameters:
    category: str = PublicEntityCategory.OTHER
    commitment_required: bool = False
    service_code_required: bool = False
    service_or_commitment_required: bool = False
    manages_payment_status: bool = True
    is_moa: bool = False
    is_moa_only: bool = False
    is_delegated_validator: bool = False


def _check_manager(actor: Actor, structure: Structure) -> None:
    user = actor.effective_user
    if (
        user is None
        or not Membership.objects.filter(
            user=user, structure=structure, role__in=MANAGER_ROLES
        ).exists()
    ):
        raise PermissionDeniedError(_("Only a manager of the structure can do this."))


def _public_entity(structure_id: int) -> PublicEntity:
    entity = (
        PublicEntity.objects.select_for_update(of=("self",))
        .select_related("structure")
        .filter(structure_id=structure_id)
        .first()
    )
    if entity is None:
        raise DomainError(_("This structure is not a public entity."), code="not_public")
    return entity


def _validate_service(data: ServiceData) -> ServiceData:
    code = data.code.strip()
    if not code or len(code) > 100:
        raise ValidationError({"code": _("Enter a service code of at most 100 characters.")})
    if code.upper() in PSEUDO_SERVICE_CODES:
        raise ValidationError({"code": _("This code is reserved.")})
    if not data.name.strip():
        raise ValidationError({"name": _("Enter the service name.")})
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    return data


@transaction.atomic
def service_create(*, actor: Actor, structure_id: int, data: ServiceData) -> EntityService:
    entity = _public_entity(structure_id)
    _check_manager(actor, entity.structure)
    data = _validate_service(data)
    if EntityService.objects.filter(structure_id=structure_id, code=data.code.strip()).exists():
        raise ValidationError({"code": _("A service with this code already exists.")})
    with actor_context(actor):
        return EntityService.objects.create(
            structure_id=structure_id,
            code=data.code.strip(),
            name=data.name.strip(),
            description=data.description.strip(),
            is_active=data.is_active,
            start_date=data.start_date,
            end_date=data.end_date,
            commitment_required=data.commitment_required,
            manages_payment_status=data.manages_payment_status,
        )


@transaction.atomic
def service_update(*, actor: Actor, service_id: int, data: ServiceData) -> EntityService:
    """Edit a service; its code is its routing key and does not change."""
    service = (
        EntityService.objects.select_for_update().select_related("structure").get(pk=service_id)
    )
    _check_manager(actor, service.structure)
    data = _validate_service(ServiceData(**{**data.__dict__, "code": service.code}))
    with actor_context(actor):
        service.name = data.name.strip()
        service.description = data.description.strip()
        service.is_active = data.is_active
        service.start_date = data.start_date
        service.end_date = data.end_date
        service.commitment_required = data.commitment_required
        service.manages_payment_status = data.manages_payment_status
        service.updated_at = timezone.now()
        service.save()
    return service


@transaction.atomic
def public_entity_update_parameters(
    *, actor: Actor, structure_id: int, parameters: EntityParameters
) -> PublicEntity:
    entity = _public_entity(structure_id)
    _check_manager(actor, entity.structure)
    if parameters.category not in PublicEntityCategory.values:
        raise ValidationError({"category": _("Unknown category.")})
    with actor_context(actor):
        for field in fields(EntityParameters):
            setattr(entity, field.name, getattr(parameters, field.name))
        entity.save()
    return entity


@transaction.atomic
def membership_set_services(
    *, actor: Actor, membership_id: int, service_ids: list[int]
) -> Membership:
    """Limit a member to some services (none = all services of the structure)."""
    if actor.on_behalf_of is not None:
        raise PermissionDeniedError(
            _("This action is not allowed while acting on behalf of a user."),
            code="substitution",
        )
    membership = (
        Membership.objects.select_for_update().select_related("structure").get(pk=membership_id)
    )
    _check_manager(actor, membership.structure)
    services = list(
        EntityService.objects.filter(structure_id=membership.structure_id, pk__in=service_ids)
    )
    if len(services) != len(set(service_ids)):
        raise ValidationError({"services": _("Unknown service.")})
    with actor_context(actor):
        membership.services.set(services)
    return membership


def public_entity_copy(old: Structure, new: Structure) -> None:
    """``structure_copy_hooks`` entry: parameters, services and service limits follow."""
    entity = PublicEntity.objects.filter(structure=old).first()
    if entity is None:
        return
    entity.pk = None
    entity.structure = new
    entity.in_directory = False
    entity._state.adding = True
    entity.save()
    new_members = {m.user_id: m for m in Membership.objects.filter(structure=new)}
    for service in EntityService.objects.filter(structure=old).prefetch_related("members"):
        members = [
            new_members[m.user_id] for m in service.members.all() if m.user_id in new_members
        ]
        service.pk = None
        service.public_id = EntityService._meta.get_field("public_id").get_default()
        service.structure = new
        service._state.adding = True
        service.save()
        service.members.set(members)
