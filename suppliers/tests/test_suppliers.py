"""Supplier structures and bank accounts: services and views."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chorus.accounts.choices import Role
from chorus.accounts.models import Membership, Structure
from chorus.accounts.services import structure_change_identifier
from chorus.accounts.tests.factories import UserFactory
from chorus.accounts.tests.organisation_factories import (
    MembershipFactory,
    structure_with_principal,
    valid_siret,
)
from chorus.core.actor import Actor
from chorus.core.audit import audit_trail_for
from chorus.core.exceptions import PermissionDeniedError
from suppliers import services
from suppliers.models import BankAccount

pytestmark = pytest.mark.django_db

IBAN = "FR76 3000 6000 0112 3456 7890 189"


def add(actor_user, structure, **kwargs) -> BankAccount:
    return services.bank_account_add(
        actor=Actor(user=actor_user),
        structure_id=structure.pk,
        label=kwargs.pop("label", "Principal"),
        holder=kwargs.pop("holder", ""),
        iban=kwargs.pop("iban", IBAN),
        **kwargs,
    )


def test_bank_account_is_validated_and_its_bic_derived():
    principal = structure_with_principal()
    account = add(principal.user, principal.structure)
    assert account.iban == "FR7630006000011234567890189"
    assert account.bic == "AGRIFRPPXXX"
    assert account.holder == principal.structure.name
    assert account.iban_masked == "FR76 •••• 0189"
    assert [e.pgh_label for e in audit_trail_for(account)] == ["insert"]


def test_invalid_iban_or_bic_is_refused():
    principal = structure_with_principal()
    with pytest.raises(ValidationError) as iban:
        add(principal.user, principal.structure, iban="FR7630006000011234567890188")
    assert "iban" in iban.value.message_dict
    with pytest.raises(ValidationError) as bic:
        add(principal.user, principal.structure, bic="NOTABIC")
    assert "bic" in bic.value.message_dict


def test_factoring_account_is_flagged():
    principal = structure_with_principal()
    account = add(principal.user, principal.structure, is_factoring=True, bic="BNPAFRPP")
    assert account.is_factoring
    assert account.bic == "BNPAFRPP"


def test_the_same_iban_twice_is_refused():
    principal = structure_with_principal()
    add(principal.user, principal.structure)
    with pytest.raises(ValidationError):
        add(principal.user, principal.structure, label="Again")


def test_only_managers_change_bank_details_and_never_under_substitution():
    principal = structure_with_principal()
    member = MembershipFactory.create(structure=principal.structure)
    with pytest.raises(PermissionDeniedError):
        add(member.user, principal.structure)
    agent = UserFactory.create(is_support_agent=True)
    with pytest.raises(PermissionDeniedError):
        services.bank_account_add(
            actor=Actor(user=agent, on_behalf_of=principal.user),
            structure_id=principal.structure_id,
            label="X",
            holder="",
            iban=IBAN,
        )


def test_deactivating_a_bank_account():
    principal = structure_with_principal()
    account = add(principal.user, principal.structure)
    services.bank_account_set_active(
        actor=Actor(user=principal.user), bank_account_id=account.pk, active=False
    )
    account.refresh_from_db()
    assert not account.is_active


def test_bank_accounts_follow_a_siret_change():
    principal = structure_with_principal()
    add(principal.user, principal.structure, is_factoring=True)
    new = structure_change_identifier(
        actor=Actor(user=principal.user),
        structure_id=principal.structure_id,
        identifier_type="SIRET",
        identifier=valid_siret(4242),
        country="FR",
    )
    copied = BankAccount.objects.get(structure=new)
    assert copied.iban == "FR7630006000011234567890189"
    assert copied.is_factoring


def test_creating_a_supplier_structure_from_its_siret(client):
    user = UserFactory.create()
    client.force_login(user)
    response = client.post(
        reverse("suppliers:structure_create"),
        {
            "identifier_type": "SIRET",
            "identifier": "356 000 000 49837",
            "country": "FR",
            "name": "Bureau de poste",
            "email": "poste@example.test",
        },
    )
    structure = Structure.objects.get(identifier="35600000049837")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:structure_detail", args=[structure.public_id])
    assert Membership.objects.get(user=user).role == Role.PRINCIPAL_MANAGER
    assert client.session["chorus_active_structure"] == str(structure.public_id)


def test_the_creation_form_explains_an_invalid_identifier(client):
    client.force_login(UserFactory.create())
    response = client.post(
        reverse("suppliers:structure_create"),
        {"identifier_type": "SIRET", "identifier": "73282932000075", "country": "FR", "name": "X"},
    )
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert not Structure.objects.exists()


def test_the_creation_form_points_to_joining_an_existing_structure(client):
    existing = structure_with_principal().structure
    client.force_login(UserFactory.create())
    response = client.post(
        reverse("suppliers:structure_create"),
        {
            "identifier_type": "SIRET",
            "identifier": existing.identifier,
            "country": "FR",
            "name": "Copie",
        },
    )
    assert (
        f"{reverse('accounts:structure_join')}?q={existing.identifier}" in response.content.decode()
    )


def test_a_manager_adds_a_bank_account_from_the_page(client):
    principal = structure_with_principal()
    client.force_login(principal.user)
    url = reverse("suppliers:bank_account_list", args=[principal.structure.public_id])
    response = client.post(url, {"label": "Compte pro", "iban": IBAN, "bic": "", "holder": ""})
    assert response.status_code == 302
    assert BankAccount.objects.get().label == "Compte pro"
    bad = client.post(url, {"label": "Faux", "iban": "FR00", "bic": ""})
    assert bad.status_code == 200
    assert 'id="error-summary"' in bad.content.decode()
