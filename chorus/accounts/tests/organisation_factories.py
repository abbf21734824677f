"""Factories for structures, memberships and join requests (shared by several apps' tests)."""

from __future__ import annotations

import factory

from chorus.accounts.choices import IdentifierType, Role, StructureKind, default_areas
from chorus.accounts.identifiers import siret_build
from chorus.accounts.mfa import user_has_second_factor
from chorus.accounts.models import JoinRequest, Membership, Structure
from chorus.accounts.tests.factories import UserFactory, enrol_second_factor


def valid_siret(index: int, first: str = "8") -> str:
    """A valid SIRET, unique per ``index``."""
    return siret_build(f"{first}{index:07d}")


class StructureFactory(factory.django.DjangoModelFactory[Structure]):
    class Meta:
        model = Structure

    kind = StructureKind.PRIVATE
    identifier_type = IdentifierType.SIRET
    identifier = factory.Sequence(lambda n: valid_siret(n + 1))
    country = "FR"
    name = factory.Sequence(lambda n: f"Entreprise {n} SARL")
    postal_code = "75001"
    city = "Paris"
    email = factory.Sequence(lambda n: f"contact{n}@entreprise.example")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    role = Role.USER
    areas = factory.LazyAttribute(lambda o: default_areas(kind=o.structure.kind, role=o.role))

    @factory.post_generation
    def second_factor(
        obj: Membership, create: bool, extracted: bool | None, **kwargs: object
    ) -> None:
        """Members of public structures must have one: give it unless told otherwise."""
        wanted = extracted if extracted is not None else obj.structure.is_public
        if create and wanted and not user_has_second_factor(user=obj.user):
            enrol_second_factor(obj.user)


class JoinRequestFactory(factory.django.DjangoModelFactory[JoinRequest]):
    class Meta:
        model = JoinRequest

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)


def structure_with_principal(**kwargs: object) -> Membership:
    """A structure and its principal manager's membership."""
    return MembershipFactory.create(
        role=Role.PRINCIPAL_MANAGER, structure=StructureFactory.create(**kwargs)
    )
