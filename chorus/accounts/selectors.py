"""Reads on structures and memberships, always scoped to who is asking.

This module is *the* access rule for organisation data: every view, export and API that shows
a structure, its members or anything they own goes through one of these selectors, which raise
``Http404`` for structures outside the actor's memberships (security.md Z1, Z4) and
``PermissionDenied`` when a member lacks the manager role the action needs. Support agents and
platform administrators are not members: they read through the support views and the admin,
never through these selectors.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from chorus.accounts.choices import MANAGER_ROLES, IdentifierType, JoinRequestStatus, Role
from chorus.accounts.identifiers import compact, search_normalize
from chorus.accounts.models import JoinRequest, Membership, Structure, User

if TYPE_CHECKING:
    from chorus.core.actor import Actor


def _user_of(actor: Actor | None) -> User | None:
    """The user whose memberships apply (the substituted user under substitution)."""
    if actor is None:
        return None
    user = actor.effective_user
    if user is None or not user.is_active:
        return None
    return user


def _as_uuid(value: str | uuid.UUID | None) -> uuid.UUID | None:
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def membership_list_for_actor(*, actor: Actor | None) -> QuerySet[Membership]:
    """The actor's memberships, structure loaded, active structures first then by name."""
    user = _user_of(actor)
    if user is None:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("structure")
        .order_by("-structure__is_active", "structure__name", "structure__identifier")
    )


def structure_list_for_actor(*, actor: Actor | None) -> QuerySet[Structure]:
    """Structures the actor may see: those they are a member of."""
    user = _user_of(actor)
    if user is None:
        return Structure.objects.none()
    return Structure.objects.filter(memberships__user=user)


def membership_get_for_actor(
    *, actor: Actor | None, structure_public_id: str | uuid.UUID
) -> Membership:
    """The actor's membership of the structure, or 404 when they are not a member."""
    user = _user_of(actor)
    structure_uuid = _as_uuid(structure_public_id)
    if user is None or structure_uuid is None:
        raise Http404
    membership = (
        Membership.objects.filter(user=user, structure__public_id=structure_uuid)
        .select_related("structure", "user")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def membership_get_for_manager(
    *, actor: Actor | None, structure_public_id: str | uuid.UUID
) -> Membership:
    """As :func:`membership_get_for_actor`, and 403 unless the actor manages the structure."""
    membership = membership_get_for_actor(actor=actor, structure_public_id=structure_public_id)
    if membership.role not in MANAGER_ROLES:
        raise PermissionDenied
    return membership


def membership_get_active(
    *, actor: Actor | None, requested_public_id: str | None
) -> Membership | None:
    """The membership of the active structure, re-checked against the database every time.

    ``requested_public_id`` comes from the session; a forged or stale value (a structure the
    user left, or never belonged to, or a deactivated one) falls back to the user's first
    active structure (security.md Z4).
    """
    memberships = membership_list_for_actor(actor=actor).filter(structure__is_active=True)
    requested = _as_uuid(requested_public_id)
    if requested is not None:
        found = memberships.filter(structure__public_id=requested).first()
        if found is not None:
            return found
    return memberships.first()


def member_list_for_structure(*, membership: Membership) -> QuerySet[Membership]:
    """Members of the structure of ``membership`` (the caller's own, already checked)."""
    return (
        Membership.objects.filter(structure_id=membership.structure_id)
        .select_related("user")
        .order_by("user__email")
    )


def member_get_for_manager(
    *, actor: Actor | None, structure_public_id: str | uuid.UUID, member_public_id: str | uuid.UUID
) -> tuple[Membership, Membership]:
    """(manager's membership, target membership) of the same structure, or 404/403."""
    manager = membership_get_for_manager(actor=actor, structure_public_id=structure_public_id)
    target_uuid = _as_uuid(member_public_id)
    target = (
        Membership.objects.filter(structure_id=manager.structure_id, public_id=target_uuid)
        .select_related("user", "structure")
        .first()
        if target_uuid is not None
        else None
    )
    if target is None:
        raise Http404
    return manager, target


def join_request_list_pending_for_structure(*, membership: Membership) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(
            structure_id=membership.structure_id, status=JoinRequestStatus.PENDING
        )
        .select_related("user")
        .order_by("created_at")
    )


def join_request_list_for_actor(*, actor: Actor | None) -> QuerySet[JoinRequest]:
    """The actor's own join requests, newest first."""
    user = _user_of(actor)
    if user is None:
        return JoinRequest.objects.none()
    return JoinRequest.objects.filter(user=user).select_related("structure")


def join_request_get_for_manager(
    *, actor: Actor | None, structure_public_id: str | uuid.UUID, request_public_id: str | uuid.UUID
) -> JoinRequest:
    """A join request of a structure the actor manages, or 404/403."""
    manager = membership_get_for_manager(actor=actor, structure_public_id=structure_public_id)
    request_uuid = _as_uuid(request_public_id)
    join_request = (
        JoinRequest.objects.filter(structure_id=manager.structure_id, public_id=request_uuid)
        .select_related("user", "structure")
        .first()
        if request_uuid is not None
        else None
    )
    if join_request is None:
        raise Http404
    return join_request


def structure_search_for_joining(*, query: str, limit: int = 20) -> QuerySet[Structure]:
    """Active structures a user may ask to join, found by identifier (SIRET/SIREN) or name.

    Only what the public directory shows anyway (identifier, name, city) is exposed to the
    caller, whoever they are.
    """
    text = (query or "").strip()
    if not text:
        return Structure.objects.none()
    base = Structure.objects.filter(is_active=True)
    digits = compact(text)
    if digits.isdigit() and len(digits) in (9, 14):
        if len(digits) == 14:
            return base.filter(identifier=digits)[:limit]
        return base.filter(
            identifier_type=IdentifierType.SIRET, identifier__startswith=digits
        ).order_by("identifier")[:limit]
    words = search_normalize(text).split()
    if not words or len("".join(words)) < 3:
        return base.filter(identifier=compact(text))[:limit]
    condition = Q()
    for word in words:
        condition &= Q(search_name__contains=word)
    return base.filter(condition | Q(identifier=compact(text))).order_by("name")[:limit]


def structure_has_principal_manager(*, structure: Structure) -> bool:
    return Membership.objects.filter(structure=structure, role=Role.PRINCIPAL_MANAGER).exists()


def manages_join_request(join_request: JoinRequest, actor: Actor) -> bool:
    """The join-request circuit's MANAGER party: a manager of the structure asked to join."""
    user = actor.effective_user
    return (
        user is not None
        and Membership.objects.filter(
            user=user, structure_id=join_request.structure_id, role__in=MANAGER_ROLES
        ).exists()
    )


def manager_emails_for_structure(*, structure: Structure) -> list[str]:
    """E-mail addresses of the structure's active managers (join-request notifications)."""
    return list(
        Membership.objects.filter(structure=structure, role__in=MANAGER_ROLES, user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
