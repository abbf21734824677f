from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from chorus.accounts.demo import DEMO_USERS
from chorus.accounts.models import User

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


def test_demo_passwords_printed_are_the_real_ones(client):
    logins = _seed()

    for item in logins:
        response = client.post(
            "/compte/login/", {"login": item["email"], "password": item["password"]}
        )
        assert response.status_code == 302, item
        client.logout()


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
