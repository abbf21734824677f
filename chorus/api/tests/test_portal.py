"""Portal pages of API connections: who may read, who may act, and what each action does."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chorus.accounts.choices import Role, StructureKind
from chorus.accounts.models import Membership
from chorus.accounts.tests.organisation_factories import MembershipFactory, structure_with_principal
from chorus.api.choices import Scope
from chorus.api.models import SECRET_ROTATED, ApiCall, ApiConnection
from chorus.api.services import Credentials
from chorus.api.testing import CproCaller, cpro_caller
from chorus.core.audit import audit_trail_for

pytestmark = pytest.mark.django_db
HEALTH = "/cpro/transverses/v1/health-check"


@pytest.fixture
def principal() -> Membership:
    return structure_with_principal()


def _client(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def _url(name: str, membership: Membership, connection: ApiConnection | None = None) -> str:
    args: list[object] = [membership.structure.public_id]
    if connection is not None:
        args.append(connection.public_id)
    return reverse(f"api_portal:{name}", args=args)


def _field(response: object, element_id: str) -> str:
    html = response.content.decode()
    found = re.search(rf'value="([^"]+)" id="{element_id}"', html)
    assert found, f"no {element_id} on the page"
    return found.group(1)


def _token(client_id: str, secret: str) -> int:
    return (
        Client()
        .post(
            "/api/oauth/token",
            {
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": secret,
                "scope": "openid",
            },
        )
        .status_code
    )


def _create(membership: Membership, scopes: tuple[str, ...] = ("deposit", "read")) -> object:
    return _client(membership).post(
        _url("connection_create", membership), {"name": "ERP Compta", "scopes": list(scopes)}
    )


# --- Reading ------------------------------------------------------------------------------


def test_the_structure_page_links_managers_to_their_connections(principal) -> None:
    page = _client(principal).get(
        reverse("accounts:structure_detail", args=[principal.structure.public_id])
    )
    assert _url("connection_list", principal) in page.content.decode()

    member = MembershipFactory.create(structure=principal.structure, role=Role.USER)
    page = _client(member).get(
        reverse("accounts:structure_detail", args=[principal.structure.public_id])
    )
    assert _url("connection_list", principal) not in page.content.decode()


def test_the_list_shows_client_id_login_scopes_expiry_and_state(principal) -> None:
    caller = cpro_caller(principal.structure, scopes=[Scope.DEPOSIT])
    revoked = cpro_caller(principal.structure)
    ApiConnection.objects.filter(pk=revoked.credentials.connection.pk).update(
        revoked_at=timezone.now()
    )
    page = _client(principal).get(_url("connection_list", principal))
    html = page.content.decode()
    assert page.status_code == 200
    assert caller.credentials.client_id in html
    assert caller.credentials.login in html
    assert str(Scope.DEPOSIT.label) in html
    assert 'data-state="active"' in html
    assert 'data-state="revoked"' in html
    assert "/api/oauth/token" in html
    assert "/cpro/" in html
    assert caller.credentials.client_secret not in html
    assert caller.credentials.password not in html


def test_a_secondary_manager_reads_but_cannot_act(principal) -> None:
    caller = cpro_caller(principal.structure)
    secondary = MembershipFactory.create(structure=principal.structure, role=Role.SECONDARY_MANAGER)
    client = _client(secondary)
    connection = caller.credentials.connection
    assert client.get(_url("connection_list", secondary)).status_code == 200
    detail = client.get(_url("connection_detail", secondary, connection))
    assert detail.status_code == 200
    assert 'id="rotate-form"' not in detail.content.decode()
    assert client.get(_url("call_list", secondary)).status_code == 200
    assert client.get(_url("connection_create", secondary)).status_code == 403
    for name in ("connection_rotate", "technical_password_reset", "connection_renew",
                 "connection_revoke", "connection_scopes"):  # fmt: skip
        assert (
            client.post(_url(name, secondary, connection), {"scopes": ["read"]}).status_code == 403
        )
    connection.refresh_from_db()
    assert connection.revoked_at is None
    assert connection.scopes == sorted(Scope.values)


def test_a_simple_member_gets_403_everywhere(principal) -> None:
    connection = cpro_caller(principal.structure).credentials.connection
    member = MembershipFactory.create(structure=principal.structure, role=Role.USER)
    client = _client(member)
    assert client.get(_url("connection_list", member)).status_code == 403
    assert client.get(_url("connection_detail", member, connection)).status_code == 403
    assert client.get(_url("call_list", member)).status_code == 403


VIEWS = [
    ("connection_list", "get", False),
    ("connection_create", "get", False),
    ("connection_create", "post", False),
    ("call_list", "get", False),
    ("connection_detail", "get", True),
    ("connection_rotate", "post", True),
    ("technical_password_reset", "post", True),
    ("connection_scopes", "post", True),
    ("connection_renew", "post", True),
    ("connection_revoke", "get", True),
    ("connection_revoke", "post", True),
]


@pytest.mark.parametrize(("name", "method", "with_connection"), VIEWS)
def test_another_structures_manager_gets_404(principal, name, method, with_connection) -> None:
    """Under my structure's URL, or under theirs with my connection: not found either way."""
    mine = cpro_caller(principal.structure).credentials.connection
    other = structure_with_principal()
    client = _client(other)
    data = {"name": "X", "scopes": ["read"], "overlap_days": "0"}
    mine_url = _url(name, principal, mine if with_connection else None)
    assert getattr(client, method)(mine_url, data).status_code == 404
    if with_connection:
        theirs_url = _url(name, other, mine)
        assert getattr(client, method)(theirs_url, data).status_code == 404
    mine.refresh_from_db()
    assert mine.revoked_at is None
    assert not ApiConnection.objects.filter(structure=other.structure).exists()


def test_a_logged_out_visitor_is_sent_to_the_login_page(principal) -> None:
    response = Client().get(_url("connection_list", principal))
    assert response.status_code == 302
    assert "/compte/" in response["Location"]


def test_members_of_a_public_structure_manage_connections_with_their_second_factor() -> None:
    principal = structure_with_principal(kind=StructureKind.PUBLIC)
    response = _create(principal)
    assert response.status_code == 200
    assert ApiConnection.objects.filter(structure=principal.structure).count() == 1


# --- Acting -------------------------------------------------------------------------------


def test_create_shows_the_secret_and_password_once_and_they_work(principal) -> None:
    response = _create(principal)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    connection = ApiConnection.objects.get(structure=principal.structure)
    assert connection.name == "ERP Compta"
    assert connection.scopes == ["deposit", "read"]
    assert connection.created_by == principal.user
    html = response.content.decode()
    assert "http://testserver/api/oauth/token" in html
    assert "http://testserver/cpro/" in html
    credentials = Credentials(
        connection,
        _field(response, "client-id"),
        _field(response, "client-secret"),
        _field(response, "technical-login"),
        _field(response, "technical-password"),
    )
    assert credentials.login == connection.technical_account.login
    caller = CproCaller(client=Client(), credentials=credentials)
    assert caller.get(HEALTH).json()["codeRetour"] == 0

    detail = _client(principal).get(_url("connection_detail", principal, connection))
    assert credentials.client_secret not in detail.content.decode()
    assert credentials.password not in detail.content.decode()
    assert (
        audit_trail_for(connection).get(pgh_label="insert").pgh_context["user"] == principal.user.pk
    )


def test_create_without_a_scope_is_refused_and_creates_nothing(principal) -> None:
    response = _create(principal, scopes=())
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    assert not ApiConnection.objects.exists()


def test_create_with_an_unknown_scope_is_refused(principal) -> None:
    response = _create(principal, scopes=("everything",))
    assert "data-error-summary" in response.content.decode()
    assert not ApiConnection.objects.exists()


def test_rotation_keeps_the_old_secret_during_the_overlap(principal) -> None:
    caller = cpro_caller(principal.structure)
    connection = caller.credentials.connection
    old = caller.credentials.client_secret
    response = _client(principal).post(
        _url("connection_rotate", principal, connection), {"overlap_days": "7"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    new = _field(response, "client-secret")
    assert new != old
    assert 'id="rotation-overlap"' in response.content.decode()
    assert _token(connection.application.client_id, new) == 200
    assert _token(connection.application.client_id, old) == 200

    detail = _client(principal).get(_url("connection_detail", principal, connection))
    assert 'id="previous-secrets"' in detail.content.decode()
    event = audit_trail_for(connection).filter(pgh_label=SECRET_ROTATED).get()
    assert event.pgh_context["user"] == principal.user.pk


def test_rotation_without_overlap_stops_the_old_secret_at_once(principal) -> None:
    caller = cpro_caller(principal.structure)
    connection = caller.credentials.connection
    response = _client(principal).post(
        _url("connection_rotate", principal, connection), {"overlap_days": "0"}
    )
    new = _field(response, "client-secret")
    assert _token(connection.application.client_id, caller.credentials.client_secret) == 401
    assert _token(connection.application.client_id, new) == 200


def test_rotation_refuses_an_overlap_over_30_days(principal) -> None:
    caller = cpro_caller(principal.structure)
    connection = caller.credentials.connection
    response = _client(principal).post(
        _url("connection_rotate", principal, connection), {"overlap_days": "31"}, follow=True
    )
    assert response.redirect_chain
    assert _token(connection.application.client_id, caller.credentials.client_secret) == 200
    assert not connection.previous_secrets.exists()


def test_password_reset_shows_the_new_password_and_the_old_one_stops(principal) -> None:
    caller = cpro_caller(principal.structure)
    connection = caller.credentials.connection
    caller.fetch_token()
    response = _client(principal).post(_url("technical_password_reset", principal, connection))
    password = _field(response, "technical-password")
    assert password != caller.credentials.password
    assert caller.get(HEALTH).json()["codeErreur"] == "TECHNICAL_ACCOUNT_INVALID"
    caller.credentials = Credentials(
        connection,
        caller.credentials.client_id,
        caller.credentials.client_secret,
        caller.credentials.login,
        password,
    )
    assert caller.get(HEALTH).json()["codeRetour"] == 0
    event = audit_trail_for(connection.technical_account).get(pgh_label="update")
    assert event.pgh_context["user"] == principal.user.pk


def test_scopes_change_applies_and_is_audited(principal) -> None:
    connection = cpro_caller(principal.structure).credentials.connection
    response = _client(principal).post(
        _url("connection_scopes", principal, connection), {"scopes": ["directory"]}
    )
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.scopes == ["directory"]
    assert (
        audit_trail_for(connection).get(pgh_label="update").pgh_context["user"] == principal.user.pk
    )


def test_an_empty_scope_change_is_refused(principal) -> None:
    connection = cpro_caller(principal.structure).credentials.connection
    response = _client(principal).post(
        _url("connection_scopes", principal, connection), {}, follow=True
    )
    assert "fr-alert--error" in response.content.decode()
    connection.refresh_from_db()
    assert connection.scopes == sorted(Scope.values)


def test_renew_pushes_the_expiry_a_year_away(principal) -> None:
    connection = cpro_caller(principal.structure).credentials.connection
    ApiConnection.objects.filter(pk=connection.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=3), reminded_at=timezone.now()
    )
    assert 'data-state="expiring"' in (
        _client(principal).get(_url("connection_list", principal)).content.decode()
    )
    _client(principal).post(_url("connection_renew", principal, connection))
    connection.refresh_from_db()
    assert connection.expires_at > timezone.now() + datetime.timedelta(days=360)
    assert connection.reminded_at is None
    users = [e.pgh_context["user"] for e in audit_trail_for(connection).filter(pgh_label="update")]
    assert principal.user.pk in users


def test_revoke_asks_for_confirmation_then_stops_the_connection(principal) -> None:
    caller = cpro_caller(principal.structure)
    connection = caller.credentials.connection
    caller.fetch_token()
    client = _client(principal)
    confirmation = client.get(_url("connection_revoke", principal, connection))
    assert 'id="revoke-form"' in confirmation.content.decode()
    connection.refresh_from_db()
    assert connection.revoked_at is None

    response = client.post(_url("connection_revoke", principal, connection))
    assert response.status_code == 302
    assert response["Location"] == _url("connection_list", principal)
    connection.refresh_from_db()
    assert connection.revoked_at is not None
    assert connection.revoked_by == principal.user
    assert caller.get(HEALTH).status_code == 401
    detail = client.get(_url("connection_detail", principal, connection)).content.decode()
    assert 'id="rotate-form"' not in detail
    # A second revocation is a clear message, not an error page.
    again = client.post(_url("connection_revoke", principal, connection), follow=True)
    assert "revoked" in again.content.decode()


# --- Call log -----------------------------------------------------------------------------


def _call(connection: ApiConnection, status: int, code: int | None, error: str = "") -> ApiCall:
    return ApiCall.objects.create(
        connection=connection,
        structure=connection.structure,
        technical_login=connection.technical_account.login,
        client_id=connection.application.client_id,
        method="POST",
        service="/cpro/factures/v1/rechercher/fournisseur",
        status_code=status,
        code_retour=code,
        error_code=error,
        duration_ms=12,
    )


def test_the_call_log_lists_and_filters_calls_of_the_structure_only(principal) -> None:
    connection = cpro_caller(principal.structure).credentials.connection
    _call(connection, 200, 0)
    _call(connection, 200, 1, "TRANSITION_NOT_ALLOWED")
    _call(connection, 403, 6, "SCOPE")
    other = cpro_caller(structure_with_principal().structure).credentials.connection
    _call(other, 200, 9, "NOT_FOUND")
    client = _client(principal)

    every = client.get(_url("call_list", principal)).content.decode()
    assert every.count("<tr>") == 1 + 3
    assert "NOT_FOUND" not in every
    assert connection.technical_account.login in every
    assert "12 ms" in every

    refused = client.get(_url("call_list", principal), {"outcome": "refused"}).content.decode()
    assert "TRANSITION_NOT_ALLOWED" in refused
    assert "SCOPE" not in refused
    errors = client.get(_url("call_list", principal), {"outcome": "error"}).content.decode()
    assert "SCOPE" in errors
    assert "TRANSITION_NOT_ALLOWED" not in errors
    success = client.get(_url("call_list", principal), {"outcome": "success"}).content.decode()
    assert success.count("<tr>") == 1 + 1

    # Another structure's connection cannot be used as a filter.
    response = client.get(_url("call_list", principal), {"connection": str(other.public_id)})
    assert response.status_code == 404
    response = client.get(_url("call_list", principal), {"connection": "not-a-uuid"})
    assert response.status_code == 200


def test_real_calls_appear_in_the_log(principal) -> None:
    caller = cpro_caller(principal.structure)
    caller.get(HEALTH)
    page = _client(principal).get(
        _url("call_list", principal),
        {"connection": str(caller.credentials.connection.public_id)},
    )
    assert HEALTH in page.content.decode()


def test_the_call_log_is_paginated_with_a_known_number_of_queries(
    principal, django_assert_num_queries
) -> None:
    connection = cpro_caller(principal.structure).credentials.connection
    for _ in range(60):
        _call(connection, 200, 0)
    client = _client(principal)
    client.get(_url("call_list", principal))  # warm the session
    # session, user, second-factor check, membership (and the header's active structure and
    # notifications: 4 more), count, one page of calls: the same whatever the page size.
    with django_assert_num_queries(9):
        first = client.get(_url("call_list", principal), {"outcome": "success"})
    assert first.content.decode().count("<tr>") == 1 + 50
    second = client.get(_url("call_list", principal), {"outcome": "success", "page": "2"})
    assert second.content.decode().count("<tr>") == 1 + 10
    assert "outcome=success&amp;page=1" in second.content.decode()


def test_an_unknown_connection_is_404(principal) -> None:
    url = reverse(
        "api_portal:connection_detail", args=[principal.structure.public_id, uuid.uuid4()]
    )
    assert _client(principal).get(url).status_code == 404


def test_the_expiry_reminder_links_to_the_connection_page(
    principal, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    from chorus.api.tasks import connection_expiry_remind

    connection = cpro_caller(principal.structure).credentials.connection
    ApiConnection.objects.filter(pk=connection.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=10)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert connection_expiry_remind() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [principal.user.email]
    assert _url("connection_detail", principal, connection) in mailoutbox[0].body


def test_the_pages_are_in_french_first(principal) -> None:
    cpro_caller(principal.structure)
    html = _client(principal).get(_url("connection_list", principal)).content.decode()
    assert "<h1>Raccordements API</h1>" in html
    assert "Actif" in html
    english = _client(principal).get(
        _url("connection_list", principal), headers={"Accept-Language": "en"}
    )
    assert "<h1>API connections</h1>" in english.content.decode()
