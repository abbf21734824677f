"""Login limits sized for a shared office address, keyed on the real client (point 21).

A login refused by the address limit stays on the login form with allauth's message; the
other limited forms (sign-up, password reset) answer the portal's own 429 page.
"""

from __future__ import annotations

import secrets

import pytest
from django.test import Client
from django.urls import reverse

from chorus.accounts.tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.django_db

REFUSED = "Trop de tentatives de connexion échouées"


def _address() -> str:
    """An address of its own per test: the limiter's counters live in the shared cache."""
    return f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"


def _login(client: Client, email: str, password: str, **headers: str) -> str:
    """``"in"`` when logged in, ``"refused"`` when the limit answered, ``"wrong"`` otherwise."""
    response = client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        **headers,  # type: ignore[arg-type]
    )
    if response.status_code == 302:
        return "in"
    assert response.status_code == 200
    return "refused" if REFUSED in response.content.decode() else "wrong"


def _fail(times: int, remote: str, **headers: str) -> None:
    for number in range(times):
        client = Client(REMOTE_ADDR=remote)
        assert _login(client, f"x{number}@example.test", "wrong-pass", **headers) == "wrong"


def test_a_whole_office_logs_in_from_one_address_in_a_minute():
    office = _address()
    users = [make_user(second_factor=False) for _ in range(40)]

    outcomes = [_login(Client(REMOTE_ADDR=office), u.email, DEFAULT_PASSWORD) for u in users]

    assert outcomes == ["in"] * 40  # allauth's default stopped the 31st


def test_failures_are_counted_per_address_only():
    office = _address()
    _fail(60, office)

    assert _login(Client(REMOTE_ADDR=office), "last@example.test", "wrong") == "refused"
    assert _login(Client(REMOTE_ADDR=_address()), "other@example.test", "wrong") == "wrong"


def test_behind_a_proxy_the_forwarded_client_address_is_the_key(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy, blocked, other = _address(), _address(), _address()
    _fail(60, proxy, HTTP_X_FORWARDED_FOR=blocked)
    user = make_user(second_factor=False)

    same_proxy = Client(REMOTE_ADDR=proxy)
    assert _login(same_proxy, user.email, DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR=other) == "in"
    again = Client(REMOTE_ADDR=proxy)
    assert _login(again, "y@example.test", "w", HTTP_X_FORWARDED_FOR=blocked) == "refused"


def test_without_a_trusted_proxy_a_forged_forwarded_address_changes_nothing():
    attacker = _address()
    for number in range(60):  # a fresh forged address each time
        client = Client(REMOTE_ADDR=attacker)
        _login(client, f"z{number}@example.test", "wrong", HTTP_X_FORWARDED_FOR=_address())

    forged = Client(REMOTE_ADDR=attacker)
    assert _login(forged, "w@example.test", "wrong", HTTP_X_FORWARDED_FOR=_address()) == "refused"


def test_a_limited_form_answers_the_portals_own_429_page():
    client = Client(REMOTE_ADDR=_address())
    for number in range(20):
        client.post(reverse("account_reset_password"), {"email": f"r{number}@example.test"})

    response = client.post(reverse("account_reset_password"), {"email": "last@example.test"})

    assert response.status_code == 429
    content = response.content.decode()
    assert "<h1>Trop de tentatives</h1>" in content
    assert 'id="footer"' in content  # the portal's layout, not allauth's bare English page
