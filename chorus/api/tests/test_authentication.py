"""The token endpoint and the two credentials every call needs (token and cpro-account)."""

from __future__ import annotations

import base64
import datetime
import json

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from chorus.accounts.tests.organisation_factories import structure_with_principal
from chorus.api.choices import Scope
from chorus.api.models import ApiCall, ApiConnection
from chorus.api.services import (
    api_connection_revoke,
    api_connection_rotate_secret,
    technical_password_reset,
)
from chorus.api.testing import cpro_caller
from chorus.core.actor import Actor, system_actor
from chorus.core.exceptions import PermissionDeniedError

pytestmark = pytest.mark.django_db
HEALTH = "/cpro/transverses/v1/health-check"


@pytest.fixture
def membership():  # the principal manager of a supplier structure
    return structure_with_principal()


def test_token_by_form_fields_answers_as_piste(membership) -> None:
    caller = cpro_caller(membership.structure)
    response = Client().post(
        "/api/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": caller.credentials.client_id,
            "client_secret": caller.credentials.client_secret,
            "scope": "openid",
        },
    )
    body = response.json()
    assert response.status_code == 200
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["access_token"]


def test_token_by_http_basic_client_authentication(membership) -> None:
    caller = cpro_caller(membership.structure)
    pair = f"{caller.credentials.client_id}:{caller.credentials.client_secret}".encode()
    response = Client().post(
        "/api/oauth/token",
        {"grant_type": "client_credentials", "scope": "openid"},
        headers={"Authorization": f"Basic {base64.b64encode(pair).decode()}"},
    )
    assert response.status_code == 200
    assert response.json()["access_token"]


def test_wrong_secret_gets_no_token(membership) -> None:
    caller = cpro_caller(membership.structure)
    response = Client().post(
        "/api/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": caller.credentials.client_id,
            "client_secret": "wrong",
        },
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_a_call_needs_the_token_and_the_technical_account(membership) -> None:
    caller = cpro_caller(membership.structure)

    assert caller.get(HEALTH).json() == {"codeRetour": 0, "libelle": "GCU_MSG_01_000"}

    no_account = Client().get(HEALTH, headers={"Authorization": f"Bearer {caller.token}"})
    assert no_account.status_code == 401
    assert no_account.json()["codeErreur"] == "TECHNICAL_ACCOUNT_MISSING"

    no_token = Client().get(HEALTH, headers={"cpro-account": caller.headers()["cpro-account"]})
    assert no_token.status_code == 401
    assert no_token.json()["codeErreur"] == "TOKEN_INVALID"


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("not base64!", "TECHNICAL_ACCOUNT_MALFORMED"),
        (base64.b64encode(b"no-colon").decode(), "TECHNICAL_ACCOUNT_MALFORMED"),
        (base64.b64encode(b"TECH_x:wrong").decode(), "TECHNICAL_ACCOUNT_INVALID"),
    ],
)
def test_a_bad_technical_account_is_refused_with_a_stable_code(membership, header, code) -> None:
    caller = cpro_caller(membership.structure)
    response = Client().get(
        HEALTH, headers={"Authorization": f"Bearer {caller.fetch_token()}", "cpro-account": header}
    )
    assert response.status_code == 401
    assert response.json()["codeErreur"] == code


def test_another_connections_technical_account_is_refused(membership) -> None:
    mine = cpro_caller(membership.structure)
    theirs = cpro_caller(structure_with_principal().structure)
    response = Client().get(
        HEALTH,
        headers={
            "Authorization": f"Bearer {mine.fetch_token()}",
            "cpro-account": theirs.headers()["cpro-account"],
        },
    )
    assert response.status_code == 401
    assert response.json()["codeErreur"] == "TECHNICAL_ACCOUNT_INVALID"


def test_the_token_expires_after_an_hour(membership) -> None:
    caller = cpro_caller(membership.structure)
    caller.fetch_token()
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=3601)):
        response = caller.get(HEALTH)
    assert response.status_code == 401
    assert response.json()["codeErreur"] == "TOKEN_INVALID"


def test_an_expired_technical_password_is_refused(membership) -> None:
    caller = cpro_caller(membership.structure)
    caller.credentials.connection.technical_account.__class__.objects.update(
        password_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = caller.get(HEALTH)
    assert response.status_code == 401
    assert response.json()["codeErreur"] == "TECHNICAL_ACCOUNT_PASSWORD_EXPIRED"


def test_revoking_stops_tokens_and_new_ones(membership) -> None:
    caller = cpro_caller(membership.structure)
    caller.fetch_token()
    api_connection_revoke(
        actor=Actor(user=membership.user),
        structure=membership.structure,
        connection_id=caller.credentials.connection.pk,
    )
    assert caller.get(HEALTH).status_code == 401
    again = Client().post(
        "/api/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": caller.credentials.client_id,
            "client_secret": caller.credentials.client_secret,
        },
    )
    assert again.status_code == 401


def test_an_expired_connection_gets_no_token(membership) -> None:
    caller = cpro_caller(membership.structure)
    ApiConnection.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(AssertionError):
        caller.fetch_token()


def test_rotation_keeps_the_old_secret_valid_during_the_overlap(membership) -> None:
    caller = cpro_caller(membership.structure)
    old = caller.credentials.client_secret
    new = api_connection_rotate_secret(
        actor=Actor(user=membership.user),
        structure=membership.structure,
        connection_id=caller.credentials.connection.pk,
        overlap=datetime.timedelta(days=1),
    )

    def token_with(secret: str) -> int:
        return (
            Client()
            .post(
                "/api/oauth/token",
                {
                    "grant_type": "client_credentials",
                    "client_id": caller.credentials.client_id,
                    "client_secret": secret,
                },
            )
            .status_code
        )

    assert token_with(new) == 200
    assert token_with(old) == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        assert token_with(old) == 401
        assert token_with(new) == 200


def test_a_new_technical_password_replaces_the_old_one_at_once(membership) -> None:
    caller = cpro_caller(membership.structure)
    caller.fetch_token()
    technical_password_reset(
        actor=Actor(user=membership.user),
        structure=membership.structure,
        connection_id=caller.credentials.connection.pk,
    )
    assert caller.get(HEALTH).status_code == 401


def test_only_the_principal_manager_manages_connections(membership) -> None:
    caller = cpro_caller(membership.structure)
    outsider = structure_with_principal().user
    with pytest.raises(PermissionDeniedError):
        api_connection_revoke(
            actor=Actor(user=outsider),
            structure=membership.structure,
            connection_id=caller.credentials.connection.pk,
        )
    with pytest.raises(PermissionDeniedError):
        api_connection_revoke(
            actor=Actor(user=outsider, on_behalf_of=membership.user),
            structure=membership.structure,
            connection_id=caller.credentials.connection.pk,
        )


def test_a_scope_the_connection_lacks_is_refused_with_403(membership, rf) -> None:
    from chorus.api.views import CproView

    class NeedsProcess(CproView):
        scope = Scope.PROCESS

        def call(self, body, client):
            return {}

    caller = cpro_caller(membership.structure, scopes=[Scope.DEPOSIT])
    request = rf.post(
        "/cpro/x", data=b"{}", content_type="application/json", headers=caller.headers()
    )
    response = NeedsProcess.as_view()(request)
    response.render()
    assert response.status_code == 403
    assert json.loads(response.content)["codeErreur"] == "SCOPE"


def test_every_call_is_recorded_with_its_outcome(membership) -> None:
    caller = cpro_caller(membership.structure)
    caller.get(HEALTH)
    Client().get(HEALTH)

    ok, refused = ApiCall.objects.order_by("pk")
    assert (ok.status_code, ok.code_retour, ok.structure_id) == (200, 0, membership.structure.pk)
    assert ok.technical_login == caller.credentials.login
    assert ok.client_id == caller.credentials.client_id
    assert (refused.status_code, refused.error_code, refused.structure_id) == (
        401,
        "TOKEN_INVALID",
        None,
    )


def test_operators_create_a_connection_from_the_command_line(membership, capsys) -> None:
    call_command(
        "api_client_create", "--structure", membership.structure.identifier, "--scopes", "read"
    )
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"client_id", "client_secret", "login", "password"}
    connection = ApiConnection.objects.get(application__client_id=printed["client_id"])
    assert connection.scopes == ["read"]
    assert connection.structure == membership.structure


def test_system_actor_needs_no_membership(membership) -> None:
    # The command line's actor is the platform itself.
    assert cpro_caller(membership.structure, scopes=["read"]).credentials.login.startswith("TECH_")
    assert system_actor("x").is_system


def test_a_body_over_the_limit_is_refused_before_it_is_read(membership, settings) -> None:
    settings.API_MAX_BODY_BYTES = 10
    caller = cpro_caller(membership.structure)
    response = caller.post(HEALTH, {"fichierFlux": "x" * 20})
    assert response.status_code == 413
    assert response.json()["codeErreur"] == "TOO_LARGE"


def test_malformed_json_is_a_400_with_a_stable_code(membership, rf) -> None:
    from chorus.api.views import CproView, StrictSerializer

    class Body(StrictSerializer):
        nom = __import__("rest_framework").serializers.CharField()

    class Echo(CproView):
        input_serializer = Body

        def call(self, body, client):
            return {"nom": body["nom"]}

    caller = cpro_caller(membership.structure)

    def post(data: bytes):
        request = rf.post(
            "/cpro/x", data=data, content_type="application/json", headers=caller.headers()
        )
        response = Echo.as_view()(request)
        response.render()
        return response.status_code, json.loads(response.content)

    assert post(b'{"nom": "A"}') == (
        200,
        {"codeRetour": 0, "libelle": "GCU_MSG_01_000", "nom": "A"},
    )
    status, body = post(b"{not json")
    assert (status, body["codeErreur"]) == (400, "MALFORMED_JSON")
    status, body = post(b'{"nom": "A", "nme": "typo"}')
    assert (status, body["codeErreur"]) == (400, "INVALID_FIELDS")
    assert (
        body["erreurs"] == [{"champ": "nme", "message": "Unknown field."}]
        or body["erreurs"][0]["champ"] == "nme"
    )
    status, body = post(b"[1, 2]")
    assert (status, body["codeErreur"]) == (400, "INVALID_FIELDS")
