"""Services on structures, memberships and join requests: the rules, at the service layer."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from chorus.accounts import services
from chorus.accounts.choices import Area, JoinRequestStatus, Role, StructureKind
from chorus.accounts.models import JoinRequest, Membership, Structure
from chorus.accounts.services import StructureDetails
from chorus.accounts.tests.factories import UserFactory
from chorus.accounts.tests.organisation_factories import (
    JoinRequestFactory,
    MembershipFactory,
    structure_with_principal,
    valid_siret,
)
from chorus.core.actor import Actor
from chorus.core.audit import audit_trail_for
from chorus.core.exceptions import DomainError, PermissionDeniedError

pytestmark = pytest.mark.django_db


def actor_of(user) -> Actor:
    return Actor(user=user)


def create(user, identifier="73282932000074", **kwargs) -> Structure:
    return services.structure_create(
        actor=actor_of(user),
        identifier_type=kwargs.pop("identifier_type", "SIRET"),
        identifier=identifier,
        country=kwargs.pop("country", "FR"),
        details=StructureDetails(name=kwargs.pop("name", "Dupont SARL"), **kwargs),
    )


def test_creator_becomes_the_principal_manager_with_default_areas():
    user = UserFactory.create()
    structure = create(user, "732 829 320 00074")
    membership = Membership.objects.get(structure=structure)
    assert structure.identifier == "73282932000074"
    assert structure.kind == StructureKind.PRIVATE
    assert structure.search_name == "DUPONT SARL"
    assert membership.user == user
    assert membership.role == Role.PRINCIPAL_MANAGER
    assert Area.MANAGER_ACTIVITY in membership.areas
    assert Area.REQUESTS_ISSUED in membership.areas
    assert Area.INVOICES_ISSUED in membership.areas
    assert Area.INVOICES_RECEIVED not in membership.areas


def test_structure_creation_is_audited_with_the_actor():
    user = UserFactory.create()
    structure = create(user)
    events = list(audit_trail_for(structure))
    assert [e.pgh_label for e in events] == ["insert"]
    assert events[0].pgh_context["user"] == user.pk
    membership = Membership.objects.get(structure=structure)
    assert audit_trail_for(membership).get().pgh_context["user"] == user.pk


def test_an_existing_structure_cannot_be_created_twice():
    create(UserFactory.create())
    with pytest.raises(DomainError) as caught:
        create(UserFactory.create(), "73282932000074")
    assert caught.value.code == "structure_exists"


def test_invalid_identifier_is_refused_before_anything_is_written():
    with pytest.raises(ValidationError):
        create(UserFactory.create(), "73282932000075")
    assert not Structure.objects.exists()


def test_eu_structure_keeps_its_vat_number():
    structure = create(
        UserFactory.create(),
        "136695976",
        identifier_type="UE_HORS_FRANCE",
        country="DE",
        name="GmbH",
    )
    assert (structure.identifier, structure.vat_number) == ("DE136695976", "DE136695976")


# --- Join requests -------------------------------------------------------------------


def test_join_request_notifies_the_managers(django_capture_on_commit_callbacks):
    principal = structure_with_principal()
    secondary = MembershipFactory.create(structure=principal.structure, role=Role.SECONDARY_MANAGER)
    MembershipFactory.create(structure=principal.structure, role=Role.USER)
    requester = UserFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_create(
            actor=actor_of(requester), structure_id=principal.structure_id, message="Bonjour"
        )
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([principal.user.email, secondary.user.email])
    assert requester.email in mail.outbox[0].body
    assert "Bonjour" in mail.outbox[0].body


def test_accepted_request_makes_a_member_and_tells_the_requester(
    django_capture_on_commit_callbacks,
):
    principal = structure_with_principal()
    join_request = JoinRequestFactory.create(structure=principal.structure)
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.join_request_accept(
            actor=actor_of(principal.user), join_request_id=join_request.pk
        )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.ACCEPTED
    assert join_request.decided_by == principal.user
    assert membership.user == join_request.user
    assert membership.role == Role.USER
    assert Area.MANAGER_ACTIVITY not in membership.areas
    assert mail.outbox[-1].to == [join_request.user.email]
    assert principal.structure.name in mail.outbox[-1].subject


def test_accepting_as_secondary_manager(django_capture_on_commit_callbacks):
    principal = structure_with_principal()
    join_request = JoinRequestFactory.create(structure=principal.structure)
    membership = services.join_request_accept(
        actor=actor_of(principal.user),
        join_request_id=join_request.pk,
        role=Role.SECONDARY_MANAGER,
    )
    assert membership.role == Role.SECONDARY_MANAGER
    assert Area.MANAGER_ACTIVITY in membership.areas


def test_refused_request_makes_no_member_and_sends_the_reason(
    django_capture_on_commit_callbacks,
):
    principal = structure_with_principal()
    join_request = JoinRequestFactory.create(structure=principal.structure)
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_refuse(
            actor=actor_of(principal.user), join_request_id=join_request.pk, reason="Inconnu"
        )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.REFUSED
    assert not Membership.objects.filter(user=join_request.user).exists()
    assert mail.outbox[-1].to == [join_request.user.email]
    assert "Inconnu" in mail.outbox[-1].body


def test_a_decided_request_cannot_be_decided_again():
    principal = structure_with_principal()
    join_request = JoinRequestFactory.create(structure=principal.structure)
    services.join_request_refuse(actor=actor_of(principal.user), join_request_id=join_request.pk)
    with pytest.raises(DomainError):
        services.join_request_accept(
            actor=actor_of(principal.user), join_request_id=join_request.pk
        )


def test_a_simple_member_cannot_decide_a_request():
    principal = structure_with_principal()
    member = MembershipFactory.create(structure=principal.structure, role=Role.USER)
    join_request = JoinRequestFactory.create(structure=principal.structure)
    with pytest.raises(PermissionDeniedError):
        services.join_request_accept(actor=actor_of(member.user), join_request_id=join_request.pk)


def test_a_manager_of_another_structure_cannot_decide_a_request():
    principal = structure_with_principal()
    other = structure_with_principal()
    join_request = JoinRequestFactory.create(structure=principal.structure)
    with pytest.raises(PermissionDeniedError):
        services.join_request_accept(actor=actor_of(other.user), join_request_id=join_request.pk)


def test_duplicate_or_pointless_requests_are_refused():
    principal = structure_with_principal()
    requester = UserFactory.create()
    services.join_request_create(actor=actor_of(requester), structure_id=principal.structure_id)
    with pytest.raises(DomainError) as again:
        services.join_request_create(actor=actor_of(requester), structure_id=principal.structure_id)
    assert again.value.code == "already_requested"
    with pytest.raises(DomainError) as member:
        services.join_request_create(
            actor=actor_of(principal.user), structure_id=principal.structure_id
        )
    assert member.value.code == "already_member"


def test_an_inactive_structure_cannot_be_joined():
    principal = structure_with_principal(is_active=False)
    with pytest.raises(DomainError):
        services.join_request_create(
            actor=actor_of(UserFactory.create()), structure_id=principal.structure_id
        )


def test_support_decides_for_a_structure_without_manager_and_appoints_its_first_principal():
    join_request = JoinRequestFactory.create()
    agent = UserFactory.create(is_support_agent=True)
    membership = services.join_request_accept(
        actor=actor_of(agent), join_request_id=join_request.pk
    )
    assert membership.role == Role.PRINCIPAL_MANAGER


def test_support_cannot_decide_for_a_structure_that_has_managers():
    principal = structure_with_principal()
    join_request = JoinRequestFactory.create(structure=principal.structure)
    with pytest.raises(PermissionDeniedError):
        services.join_request_accept(
            actor=actor_of(UserFactory.create(is_support_agent=True)),
            join_request_id=join_request.pk,
        )


def test_the_requester_may_withdraw_a_pending_request():
    join_request = JoinRequestFactory.create()
    services.join_request_cancel(actor=actor_of(join_request.user), join_request_id=join_request.pk)
    assert JoinRequest.objects.get().status == JoinRequestStatus.CANCELLED
    other = JoinRequestFactory.create()
    with pytest.raises(PermissionDeniedError):
        services.join_request_cancel(actor=actor_of(join_request.user), join_request_id=other.pk)


# --- Roles ---------------------------------------------------------------------------


def test_a_manager_promotes_a_user_to_secondary_manager_and_back():
    principal = structure_with_principal()
    member = MembershipFactory.create(structure=principal.structure)
    services.membership_update(
        actor=actor_of(principal.user),
        membership_id=member.pk,
        role=Role.SECONDARY_MANAGER,
        areas=[Area.INVOICES_ISSUED, Area.MANAGER_ACTIVITY],
    )
    member.refresh_from_db()
    assert member.role == Role.SECONDARY_MANAGER
    assert member.areas == [Area.INVOICES_ISSUED, Area.MANAGER_ACTIVITY]
    services.membership_update(
        actor=actor_of(principal.user), membership_id=member.pk, role=Role.USER, areas=[]
    )
    member.refresh_from_db()
    assert (member.role, member.areas) == (Role.USER, [])
    labels = [e.pgh_label for e in audit_trail_for(member)]
    assert labels == ["insert", "update", "update"]


def test_the_principal_role_is_never_assigned_directly():
    principal = structure_with_principal()
    member = MembershipFactory.create(structure=principal.structure)
    with pytest.raises(DomainError):
        services.membership_update(
            actor=actor_of(principal.user),
            membership_id=member.pk,
            role=Role.PRINCIPAL_MANAGER,
            areas=[],
        )
    with pytest.raises(DomainError):
        services.membership_update(
            actor=actor_of(principal.user), membership_id=principal.pk, role=Role.USER, areas=[]
        )


def test_a_simple_user_cannot_change_roles():
    principal = structure_with_principal()
    member = MembershipFactory.create(structure=principal.structure)
    with pytest.raises(PermissionDeniedError):
        services.membership_update(
            actor=actor_of(member.user),
            membership_id=member.pk,
            role=Role.SECONDARY_MANAGER,
            areas=[],
        )


def test_granting_rights_is_refused_under_substitution():
    principal = structure_with_principal()
    member = MembershipFactory.create(structure=principal.structure)
    agent = UserFactory.create(is_support_agent=True)
    with pytest.raises(PermissionDeniedError):
        services.membership_update(
            actor=Actor(user=agent, on_behalf_of=principal.user),
            membership_id=member.pk,
            role=Role.SECONDARY_MANAGER,
            areas=[],
        )


def test_handing_over_the_principal_role_keeps_exactly_one_principal():
    principal = structure_with_principal()
    member = MembershipFactory.create(structure=principal.structure)
    services.membership_transfer_principal(
        actor=actor_of(principal.user),
        structure_id=principal.structure_id,
        to_membership_id=member.pk,
    )
    principal.refresh_from_db()
    member.refresh_from_db()
    assert principal.role == Role.SECONDARY_MANAGER
    assert member.role == Role.PRINCIPAL_MANAGER
    assert Area.MANAGER_ACTIVITY in member.areas
    assert (
        Membership.objects.filter(
            structure=principal.structure, role=Role.PRINCIPAL_MANAGER
        ).count()
        == 1
    )


def test_only_the_principal_manager_hands_the_role_over():
    principal = structure_with_principal()
    secondary = MembershipFactory.create(structure=principal.structure, role=Role.SECONDARY_MANAGER)
    with pytest.raises(PermissionDeniedError):
        services.membership_transfer_principal(
            actor=actor_of(secondary.user),
            structure_id=principal.structure_id,
            to_membership_id=secondary.pk,
        )


def test_support_appoints_a_principal_manager():
    principal = structure_with_principal()
    member = MembershipFactory.create(structure=principal.structure)
    with pytest.raises(PermissionDeniedError):
        services.membership_appoint_principal(
            actor=actor_of(member.user),
            structure_id=principal.structure_id,
            to_membership_id=member.pk,
        )
    services.membership_appoint_principal(
        actor=actor_of(UserFactory.create(is_support_agent=True)),
        structure_id=principal.structure_id,
        to_membership_id=member.pk,
    )
    member.refresh_from_db()
    assert member.role == Role.PRINCIPAL_MANAGER


def test_the_principal_manager_cannot_leave_but_others_can():
    principal = structure_with_principal()
    member = MembershipFactory.create(structure=principal.structure)
    with pytest.raises(DomainError):
        services.membership_remove(actor=actor_of(principal.user), membership_id=principal.pk)
    services.membership_remove(actor=actor_of(member.user), membership_id=member.pk)
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_a_manager_removes_a_member_but_a_user_cannot():
    principal = structure_with_principal()
    first = MembershipFactory.create(structure=principal.structure)
    second = MembershipFactory.create(structure=principal.structure)
    with pytest.raises(PermissionDeniedError):
        services.membership_remove(actor=actor_of(first.user), membership_id=second.pk)
    services.membership_remove(actor=actor_of(principal.user), membership_id=second.pk)
    assert not Membership.objects.filter(pk=second.pk).exists()


def test_a_member_opens_the_self_service_area_but_not_others():
    membership = MembershipFactory.create(areas=[])
    services.membership_set_own_area(
        actor=actor_of(membership.user),
        membership_id=membership.pk,
        area=Area.INVOICES_ISSUED,
        enabled=True,
    )
    membership.refresh_from_db()
    assert membership.areas == [Area.INVOICES_ISSUED]
    with pytest.raises(PermissionDeniedError):
        services.membership_set_own_area(
            actor=actor_of(membership.user),
            membership_id=membership.pk,
            area=Area.INVOICES_RECEIVED,
            enabled=True,
        )


# --- Identifier change ------------------------------------------------------------------


def test_changing_the_siret_deactivates_the_old_structure_and_copies_it():
    principal = structure_with_principal(name="Ancienne SARL")
    member = MembershipFactory.create(structure=principal.structure, role=Role.SECONDARY_MANAGER)
    pending = JoinRequestFactory.create(structure=principal.structure)
    new_siret = valid_siret(999)
    new = services.structure_change_identifier(
        actor=actor_of(principal.user),
        structure_id=principal.structure_id,
        identifier_type="SIRET",
        identifier=new_siret,
        country="FR",
    )
    old = Structure.objects.get(pk=principal.structure_id)
    assert not old.is_active
    assert new.is_active
    assert new.identifier == new_siret
    assert new.origin == old
    assert new.name == "Ancienne SARL"
    assert new.public_id != old.public_id
    copied = {m.user_id: m.role for m in Membership.objects.filter(structure=new)}
    assert copied == {principal.user_id: Role.PRINCIPAL_MANAGER, member.user_id: member.role}
    pending.refresh_from_db()
    assert pending.status == JoinRequestStatus.CANCELLED


def test_changing_to_an_invalid_or_taken_siret_is_refused():
    principal = structure_with_principal()
    other = structure_with_principal()
    with pytest.raises(ValidationError):
        services.structure_change_identifier(
            actor=actor_of(principal.user),
            structure_id=principal.structure_id,
            identifier_type="SIRET",
            identifier="73282932000075",
            country="FR",
        )
    with pytest.raises(DomainError):
        services.structure_change_identifier(
            actor=actor_of(principal.user),
            structure_id=principal.structure_id,
            identifier_type="SIRET",
            identifier=other.structure.identifier,
            country="FR",
        )
    member = MembershipFactory.create(structure=principal.structure)
    with pytest.raises(PermissionDeniedError):
        services.structure_change_identifier(
            actor=actor_of(member.user),
            structure_id=principal.structure_id,
            identifier_type="SIRET",
            identifier=valid_siret(998),
            country="FR",
        )
