"""``manage.py seed_sandbox``: the qualification data set, idempotent, DEBUG only."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.test import Client

from chorus.accounts.models import Structure
from chorus.api.models import ApiConnection, TechnicalAccount
from chorus.api.sandbox import STRUCTURES
from chorus.api.services import Credentials
from chorus.api.testing import CproCaller
from public_entities.choices import PublicEntityCategory, RequiredReferences
from public_entities.models import EntityService, PublicEntity

pytestmark = pytest.mark.django_db
HEALTH = "/cpro/transverses/v1/health-check"


def _seed() -> dict[str, Any]:
    out = io.StringIO()
    call_command("seed_sandbox", stdout=out)
    document: dict[str, Any] = json.loads(out.getvalue())
    return document


def _objects() -> dict[str, list[int]]:
    return {
        "structures": sorted(Structure.objects.values_list("pk", flat=True)),
        "entities": sorted(PublicEntity.objects.values_list("pk", flat=True)),
        "services": sorted(EntityService.objects.values_list("pk", flat=True)),
        "connections": sorted(ApiConnection.objects.values_list("pk", flat=True)),
        "accounts": sorted(TechnicalAccount.objects.values_list("pk", flat=True)),
    }


def _works(entry: dict[str, Any]) -> bool:
    credentials = entry["credentials"]
    connection = ApiConnection.objects.get(application__client_id=credentials["client_id"])
    caller = CproCaller(
        client=Client(),
        credentials=Credentials(
            connection,
            credentials["client_id"],
            credentials["client_secret"],
            credentials["login"],
            credentials["password"],
        ),
    )
    response = Client().post(
        "/api/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": credentials["client_id"],
            "client_secret": credentials["client_secret"],
            "scope": "openid",
        },
    )
    if response.status_code != 200:
        return False
    caller.token = response.json()["access_token"]
    return bool(caller.get(HEALTH).status_code == 200)


def test_refused_without_debug(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=0"):
        call_command("seed_sandbox", stdout=io.StringIO())
    assert not Structure.objects.exists()


def test_refused_without_debug_exits_non_zero(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "seed_sandbox"])
    assert exit_info.value.code != 0


def test_creates_every_parameter_combination_with_services(settings) -> None:
    settings.DEBUG = True
    document = _seed()
    assert document["token_url"].endswith("/api/oauth/token")
    assert document["api_base"].endswith("/cpro/")
    by_key = {entry["key"]: entry for entry in document["structures"]}
    assert set(by_key) == {spec.key for spec in STRUCTURES}
    required = {
        key: entry["parameters"].get("required_references") for key, entry in by_key.items()
    }
    assert required["SERVICE_OBLIGATOIRE"] == RequiredReferences.SERVICE
    assert required["EJ_OBLIGATOIRE"] == RequiredReferences.COMMITMENT
    assert required["EJ_OU_SERVICE_OBLIGATOIRE"] == RequiredReferences.SERVICE_OR_COMMITMENT
    assert required["EJ_ET_SERVICE_OBLIGATOIRES"] == RequiredReferences.SERVICE_AND_COMMITMENT
    assert required["SANS_PARAMETRE"] == RequiredReferences.NONE
    assert by_key["ETAT"]["parameters"]["category"] == PublicEntityCategory.STATE
    assert by_key["MOA"]["parameters"]["is_moa"] is True
    assert by_key["VALIDATEUR"]["parameters"]["is_delegated_validator"] is True
    assert by_key["FOURNISSEUR"]["typeStructure"] == "PRIVEE"
    assert by_key["MOE"]["typeStructure"] == "PRIVEE"
    assert by_key["FOURNISSEUR"]["services"] == []
    siret = by_key["DESTINATAIRE"]["siret"]
    codes = [service["code"] for service in by_key["DESTINATAIRE"]["services"]]
    assert codes == [f"SERVICE_PUBLIQUE_1_{siret}", f"SERVICE_PUBLIQUE_2_{siret}"]
    assert all(set(entry["credentials"]) == {"client_id", "client_secret", "login", "password"}
               for entry in by_key.values())  # fmt: skip


def test_idempotent_and_the_printed_credentials_work(settings) -> None:
    settings.DEBUG = True
    first = _seed()
    objects = _objects()
    second = _seed()
    assert _objects() == objects
    assert [e["siret"] for e in first["structures"]] == [e["siret"] for e in second["structures"]]
    for before, after in zip(first["structures"], second["structures"], strict=True):
        assert before["credentials"]["client_id"] == after["credentials"]["client_id"]
        assert before["credentials"]["login"] == after["credentials"]["login"]
        assert before["credentials"]["client_secret"] != after["credentials"]["client_secret"]
    # The latest document's credentials work against the token endpoint and a call; the
    # previous run's were replaced.
    assert all(_works(entry) for entry in second["structures"])
    assert not _works(first["structures"][0])


def test_a_revoked_sandbox_connection_is_replaced(settings) -> None:
    settings.DEBUG = True
    first = _seed()
    ApiConnection.objects.filter(
        application__client_id=first["structures"][0]["credentials"]["client_id"]
    ).update(revoked_at="2026-01-01T00:00:00Z")
    second = _seed()
    assert (
        second["structures"][0]["credentials"]["client_id"]
        != first["structures"][0]["credentials"]["client_id"]
    )
    assert _works(second["structures"][0])
