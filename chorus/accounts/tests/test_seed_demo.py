from __future__ import annotations

import json
import time
from io import StringIO

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import CommandError, call_command
from django.urls import reverse

from chorus.accounts.demo import DEMO_USERS
from chorus.accounts.mfa import second_factor_status
from chorus.accounts.models import User
from chorus.accounts.tests.factories import enrol_second_factor, make_user

pytestmark = pytest.mark.django_db


def _seed() -> list[dict[str, str]]:
    out = StringIO()
    call_command("seed_demo", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_seed_demo_creates_one_user_per_kind_and_is_idempotent():
    first = _seed()
    second = _seed()

    assert first == second
    assert User.objects.count() == len(DEMO_USERS)
    roles = {item["role"] for item in first}
    assert roles == {"supplier", "public-entity agent", "support agent", "administrator"}
    assert User.objects.get(email="support@demo.chorus.test").is_support_agent
    assert User.objects.get(email="admin@demo.chorus.test").is_staff


@pytest.mark.usefixtures("totp_window")
def test_demo_logins_printed_are_the_real_ones_second_factor_included(client):
    logins = _seed()

    for item in logins:
        response = client.post(
            "/compte/login/", {"login": item["email"], "password": item["password"]}
        )
        assert response.status_code == 302, item
        if item["totp_secret"]:
            assert response["Location"] == reverse("mfa_authenticate"), item
            counter = int(time.time()) // 30
            code = format_hotp_value(hotp_value(item["totp_secret"], counter))
            client.post(reverse("mfa_authenticate"), {"code": code})
        assert client.get(reverse("dashboard"), follow=True).status_code == 200, item
        client.logout()


def test_seed_demo_enrols_exactly_the_accounts_that_need_a_second_factor():
    logins = {item["role"]: item for item in _seed()}

    assert logins["supplier"]["totp_secret"] == ""
    for role in ("public-entity agent", "support agent", "administrator"):
        user = User.objects.get(email=logins[role]["email"])
        assert logins[role]["totp_secret"], role
        assert second_factor_status(user=user).enrolled, role


def test_seed_demo_prints_the_secrets_and_how_to_get_a_code():
    out = StringIO()
    call_command("seed_demo", stdout=out)

    text = out.getvalue()
    for demo in DEMO_USERS:
        assert demo.email in text
    assert "TOTP LK4SV2WIR3VOOZLS2RPTVP52NXXXZATM" in text
    assert "manage.py demo_totp EMAIL" in text


@pytest.mark.usefixtures("totp_window")
def test_demo_totp_prints_the_code_the_login_accepts(client):
    _seed()
    out = StringIO()
    call_command("demo_totp", "Agent@Demo.Chorus.Test", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()

    client.post(
        "/compte/login/", {"login": "agent@demo.chorus.test", "password": "Demo-Agent-Public-2026"}
    )
    client.post(reverse("mfa_authenticate"), {"code": code})

    assert client.get(reverse("dashboard")).status_code == 200


def test_demo_totp_serves_demo_accounts_with_an_app_only():
    _seed()
    real = make_user(email="real.person@example.test")
    enrol_second_factor(real)

    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_totp", real.email, stdout=StringIO())
    with pytest.raises(CommandError, match="no authenticator app"):
        call_command("demo_totp", "fournisseur@demo.chorus.test", stdout=StringIO())


def test_demo_totp_is_refused_in_production(settings):
    settings.DEBUG = False
    settings.TESTING = False

    with pytest.raises(CommandError, match="DEBUG=0"):
        call_command("demo_totp", "agent@demo.chorus.test", stdout=StringIO())


def test_seed_demo_deposits_demo_invoices_through_the_pipeline_once():
    from invoices.models import Invoice

    _seed()
    _seed()

    statuses = dict(Invoice.objects.values_list("number", "status"))
    assert statuses == {
        "DEMO-0001": "MISE_A_DISPOSITION",
        "DEMO-0002": "SUSPENDUE",
        "DEMO-0003": "SERVICE_FAIT",
    }
