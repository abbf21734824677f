"""Issue #11, point 1: a second factor is mandatory for public-structure members, support
agents and staff (the admin included); suppliers are invited; a principal manager can require
it of a structure's members."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chorus.accounts.choices import Role, StructureKind
from chorus.accounts.mfa import second_factor_status, totp_current_code
from chorus.accounts.models import Membership, Structure, User
from chorus.accounts.services import structure_set_second_factor_required
from chorus.accounts.tests.factories import DEFAULT_PASSWORD, enrol_second_factor, make_user
from chorus.accounts.tests.organisation_factories import (
    MembershipFactory,
    StructureFactory,
    structure_with_principal,
)
from chorus.core.actor import Actor
from chorus.core.exceptions import DomainError, PermissionDeniedError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("totp_window")]

SETUP = reverse("second_factor_required")


def _login(client: Client, email: str, password: str = DEFAULT_PASSWORD) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _public_member(**membership: Any) -> User:
    """A member of a public structure, without any second factor yet."""
    user = make_user()
    Membership.objects.create(
        user=user, structure=StructureFactory.create(kind=StructureKind.PUBLIC), **membership
    )
    return user


def _code(user: User) -> str:
    code = totp_current_code(user=user)
    assert code is not None
    return code


# --- Who must have one ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        _public_member,
        lambda: make_user(is_support_agent=True, second_factor=False),
        lambda: make_user(is_staff=True, second_factor=False),
    ],
    ids=["public-structure-member", "support-agent", "staff"],
)
def test_after_the_password_an_account_without_its_second_factor_can_only_set_one_up(
    client: Client, make: Any
):
    user = make()

    response = _login(client, user.email)
    assert client.session["_auth_user_id"] == str(user.pk)

    for url in (
        response["Location"],
        reverse("dashboard"),
        reverse("accounts:structure_list"),
        reverse("invoices:invoice_list", args=["recues"]),
        reverse("profile"),
        reverse("support:request_list"),
        reverse("admin:index"),
    ):
        page = client.get(url)
        assert page.status_code == 302, url
        assert page["Location"] == SETUP, url
    # Nothing else can be done either: a POST is refused before its view runs.
    client.post(reverse("profile"), {"first_name": "Mallory", "last_name": "", "phone": ""})
    user.refresh_from_db()
    assert user.first_name != "Mallory"
    # HTMX requests are redirected by the client, not swapped into the page.
    htmx = client.get(reverse("dashboard"), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == SETUP
    # The set-up pages stay open.
    setup = client.get(SETUP)
    assert setup.status_code == 200
    assert 'id="second-factor-setup"' in setup.content.decode()
    assert client.get(reverse("mfa_index")).status_code == 200


def test_the_set_up_page_says_why_it_is_required(client: Client):
    user = make_user(is_support_agent=True, second_factor=False)
    client.force_login(user)

    content = client.get(SETUP).content.decode()

    assert "Vous êtes agent du support." in content


def test_setting_up_an_authenticator_app_opens_the_portal(client: Client):
    user = _public_member()
    _login(client, user.email)
    assert client.get(reverse("dashboard"))["Location"] == SETUP

    # allauth asks for the password again before adding an authenticator.
    assert client.get(reverse("mfa_activate_totp")).status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200  # the recovery codes

    assert client.get(reverse("dashboard")).status_code == 200
    # Back to the set-up page once done: nothing left to do there.
    assert client.get(SETUP)["Location"] == reverse("dashboard")


def test_next_login_asks_for_the_code_and_then_the_portal_opens(client: Client):
    user = enrol_second_factor(_public_member())

    response = _login(client, user.email)

    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": _code(user)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("dashboard")).status_code == 200


def test_an_obligation_that_starts_during_the_session_applies_at_the_next_page(client: Client):
    user = make_user()
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200

    Membership.objects.create(user=user, structure=StructureFactory.create(kind="PUBLIQUE"))

    assert client.get(reverse("dashboard"))["Location"] == SETUP


@pytest.mark.parametrize(("make", "may"), [(_public_member, False), (make_user, True)])
def test_only_an_optional_second_factor_can_be_deactivated(client: Client, make: Any, may: bool):
    user = enrol_second_factor(make())
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == (302 if may else 200)
    if not may:
        assert "ne peut pas être désactivée" in response.content.decode()
    kept = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert kept is not may


# --- The admin --------------------------------------------------------------------------------


def test_the_admin_login_form_no_longer_takes_a_password_alone(client: Client):
    staff = make_user(is_staff=True, is_superuser=True)

    response = client.post(
        reverse("admin:login"), {"username": staff.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_the_admin_opens_after_the_password_and_the_code(client: Client):
    staff = make_user(is_staff=True, is_superuser=True)
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))

    response = _login(client, staff.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("admin:index")).status_code == 302
    client.post(reverse("mfa_authenticate"), {"code": _code(staff)})

    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_without_a_second_factor_are_kept_out_of_the_admin(client: Client):
    staff = make_user(is_staff=True, is_superuser=True, second_factor=False)
    client.force_login(staff)

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response["Location"] == SETUP


# --- Suppliers: invited, not obliged ---------------------------------------------------------


def test_a_supplier_is_invited_and_may_dismiss_the_invitation(client: Client):
    user = make_user()
    MembershipFactory.create(user=user)
    _login(client, user.email)

    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200
    assert 'id="second-factor-invite"' in dashboard.content.decode()

    structures = reverse("accounts:structure_list")
    response = client.post(reverse("second_factor_invite_dismiss"), {"next": structures})
    assert response["Location"] == structures
    assert 'id="second-factor-invite"' not in client.get(structures).content.decode()

    # A new session invites again.
    client.logout()
    _login(client, user.email)
    assert 'id="second-factor-invite"' in client.get(reverse("dashboard")).content.decode()


def test_no_invitation_once_a_second_factor_is_set_up(client: Client):
    user = enrol_second_factor(make_user())
    client.force_login(user)

    assert 'id="second-factor-invite"' not in client.get(reverse("dashboard")).content.decode()


# --- A structure's rule ----------------------------------------------------------------------


def _private_structure_with_members() -> tuple[Membership, Membership]:
    principal = structure_with_principal()
    member = MembershipFactory.create(structure=principal.structure)
    return principal, member


def test_the_principal_manager_requires_it_of_every_member(client: Client):
    principal, member = _private_structure_with_members()
    enrol_second_factor(principal.user)
    client.force_login(principal.user)
    structure_url = reverse("accounts:structure_detail", args=[principal.structure.public_id])
    assert "Recommandée, non exigée" in client.get(structure_url).content.decode()

    response = client.post(
        reverse("accounts:structure_second_factor", args=[principal.structure.public_id]),
        {"required": "1"},
    )

    assert response["Location"] == structure_url
    assert "Exigée de chaque membre" in client.get(structure_url).content.decode()
    member_client = Client()
    member_client.force_login(member.user)
    assert member_client.get(reverse("dashboard"))["Location"] == SETUP
    assert "exige" in member_client.get(SETUP).content.decode()

    client.post(
        reverse("accounts:structure_second_factor", args=[principal.structure.public_id]),
        {"required": "0"},
    )
    assert member_client.get(reverse("dashboard")).status_code == 200


def test_the_principal_manager_needs_a_second_factor_before_requiring_one(client: Client):
    principal, _ = _private_structure_with_members()
    client.force_login(principal.user)

    response = client.post(
        reverse("accounts:structure_second_factor", args=[principal.structure.public_id]),
        {"required": "1"},
        follow=True,
    )

    assert "sur votre propre compte" in response.content.decode()
    principal.structure.refresh_from_db()
    assert not principal.structure.second_factor_required


def test_only_the_principal_manager_sets_the_rule():
    principal, member = _private_structure_with_members()
    secondary = MembershipFactory.create(structure=principal.structure, role=Role.SECONDARY_MANAGER)
    for membership in (member, secondary):
        enrol_second_factor(membership.user)
        with pytest.raises(PermissionDeniedError):
            structure_set_second_factor_required(
                actor=Actor(user=membership.user),
                structure_id=principal.structure.pk,
                required=True,
            )
    assert not Structure.objects.get(pk=principal.structure.pk).second_factor_required


def test_the_rule_is_never_set_under_substitution():
    principal, _ = _private_structure_with_members()
    enrol_second_factor(principal.user)
    agent = make_user(is_support_agent=True)

    with pytest.raises(PermissionDeniedError):
        structure_set_second_factor_required(
            actor=Actor(user=agent, on_behalf_of=principal.user),
            structure_id=principal.structure.pk,
            required=True,
        )


def test_a_public_structure_needs_no_rule():
    principal = structure_with_principal(kind=StructureKind.PUBLIC)

    with pytest.raises(DomainError):
        structure_set_second_factor_required(
            actor=Actor(user=principal.user), structure_id=principal.structure.pk, required=True
        )


def test_status_lists_every_reason():
    user = make_user(is_staff=True, is_support_agent=True, second_factor=False)
    Membership.objects.create(user=user, structure=StructureFactory.create(kind="PUBLIQUE"))
    required = StructureFactory.create(second_factor_required=True)
    Membership.objects.create(user=user, structure=required)

    status = second_factor_status(user=user)

    assert [reason.value for reason in status.reasons] == [
        "ADMINISTRATEUR",
        "SUPPORT",
        "STRUCTURE_PUBLIQUE",
        "EXIGE_PAR_STRUCTURE",
    ]
    assert status.missing
    assert not second_factor_status(user=make_user()).required


def test_a_code_shown_once_cannot_be_used_twice(client: Client):
    user = enrol_second_factor(_public_member())
    _login(client, user.email)
    code = _code(user)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))

    _login(client, user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        client.post(reverse("mfa_authenticate"), {"code": _code(user)})
    assert client.session["_auth_user_id"] == str(user.pk)
