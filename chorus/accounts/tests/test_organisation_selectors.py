"""The access rule: what a user may see, and the active structure re-checked (Z4)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from chorus.accounts import selectors
from chorus.accounts.choices import Role
from chorus.accounts.tests.factories import UserFactory
from chorus.accounts.tests.organisation_factories import (
    MembershipFactory,
    StructureFactory,
    structure_with_principal,
)
from chorus.core.actor import Actor

pytestmark = pytest.mark.django_db


def test_a_member_sees_only_their_structures():
    mine = MembershipFactory.create()
    StructureFactory.create()
    actor = Actor(user=mine.user)
    assert list(selectors.structure_list_for_actor(actor=actor)) == [mine.structure]
    assert (
        selectors.membership_get_for_actor(
            actor=actor, structure_public_id=mine.structure.public_id
        )
        == mine
    )


def test_another_structure_is_not_found():
    mine = MembershipFactory.create()
    other = StructureFactory.create()
    with pytest.raises(Http404):
        selectors.membership_get_for_actor(
            actor=Actor(user=mine.user), structure_public_id=other.public_id
        )
    with pytest.raises(Http404):
        selectors.membership_get_for_actor(
            actor=Actor(user=mine.user), structure_public_id="not-a-uuid"
        )


def test_manager_pages_are_forbidden_to_simple_members():
    member = MembershipFactory.create(role=Role.USER)
    with pytest.raises(PermissionDenied):
        selectors.membership_get_for_manager(
            actor=Actor(user=member.user), structure_public_id=member.structure.public_id
        )


def test_support_agents_are_not_members():
    structure = structure_with_principal().structure
    agent = UserFactory.create(is_support_agent=True, is_staff=True)
    assert not selectors.structure_list_for_actor(actor=Actor(user=agent)).exists()
    with pytest.raises(Http404):
        selectors.membership_get_for_actor(
            actor=Actor(user=agent), structure_public_id=structure.public_id
        )


def test_under_substitution_the_substituted_users_structures_apply():
    member = MembershipFactory.create()
    agent = UserFactory.create(is_support_agent=True)
    actor = Actor(user=agent, on_behalf_of=member.user)
    assert list(selectors.structure_list_for_actor(actor=actor)) == [member.structure]


def test_forged_active_structure_falls_back_to_a_real_membership():
    mine = MembershipFactory.create()
    sibling = StructureFactory.create()
    actor = Actor(user=mine.user)
    assert (
        selectors.membership_get_active(actor=actor, requested_public_id=str(sibling.public_id))
        == mine
    )
    assert selectors.membership_get_active(actor=actor, requested_public_id="garbage") == mine


def test_active_structure_is_the_chosen_one_while_it_is_active():
    first = MembershipFactory.create(structure__name="A")
    second = MembershipFactory.create(user=first.user, structure__name="B")
    actor = Actor(user=first.user)
    chosen = selectors.membership_get_active(
        actor=actor, requested_public_id=str(second.structure.public_id)
    )
    assert chosen == second
    second.structure.is_active = False
    second.structure.save()
    assert (
        selectors.membership_get_active(
            actor=actor, requested_public_id=str(second.structure.public_id)
        )
        == first
    )


def test_joining_search_finds_by_siret_siren_and_name():
    structure = StructureFactory.create(name="Boulangerie Émile")
    assert list(selectors.structure_search_for_joining(query=structure.identifier)) == [structure]
    assert list(selectors.structure_search_for_joining(query=structure.identifier[:9])) == [
        structure
    ]
    assert list(selectors.structure_search_for_joining(query="boulangerie emile")) == [structure]
    assert list(selectors.structure_search_for_joining(query="")) == []
