"""Issue #11, point 2: wrong second-factor codes count per account into the password lock-out
(five failures, one hour), and the address limit on codes stops no other account."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chorus.accounts.mfa import totp_current_code
from chorus.accounts.models import User
from chorus.accounts.tests.factories import (
    DEFAULT_PASSWORD,
    TEST_TOTP_SECRET,
    enrol_second_factor,
    make_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("totp_window")]

OFFICE = "203.0.113.7"
ELSEWHERE = "198.51.100.9"


def _password(
    client: Client, user: User, password: str = DEFAULT_PASSWORD, ip: str = OFFICE
) -> Any:
    return client.post(
        reverse("account_login"), {"login": user.email, "password": password}, REMOTE_ADDR=ip
    )


def _code(client: Client, code: str, ip: str = OFFICE) -> Any:
    return client.post(reverse("mfa_authenticate"), {"code": code}, REMOTE_ADDR=ip)


def _right(user: User) -> str:
    code = totp_current_code(user=user)
    assert code is not None
    return code


def _wrong(user: User) -> str:
    return f"{(int(_right(user)) + 1) % 1_000_000:06d}"


def _at_code_step(user: User, ip: str = OFFICE) -> Client:
    client = Client()
    response = _password(client, user, ip=ip)
    assert response["Location"] == reverse("mfa_authenticate")
    return client


def _failures(user: User) -> int:
    return sum(a.failures_since_start for a in AccessAttempt.objects.filter(username=user.email))


@pytest.fixture
def enrolled() -> User:
    return enrol_second_factor(make_user())


def test_five_wrong_codes_lock_the_account_for_an_hour_and_the_page_says_so(enrolled: User):
    client = _at_code_step(enrolled)
    for _ in range(4):
        response = _code(client, _wrong(enrolled))
        assert response.status_code == 200
        assert "Code incorrect" in response.content.decode()

    response = _code(client, _wrong(enrolled))

    assert response.status_code == 429
    content = response.content.decode()
    assert 'id="lockout-message"' in content
    assert "verrouillé pendant une heure" in content
    assert "codes de double authentification erronés" in content
    # The right code no longer helps, nor does starting again with the right password.
    assert _code(client, _right(enrolled)).status_code == 429
    assert "_auth_user_id" not in client.session
    assert _password(Client(), enrolled, ip=ELSEWHERE).status_code == 429


@pytest.mark.parametrize(("minutes", "locked"), [(59, True), (61, False)])
def test_a_lock_out_by_wrong_codes_lasts_one_hour(enrolled: User, minutes: int, locked: bool):
    client = _at_code_step(enrolled)
    for _ in range(5):
        _code(client, _wrong(enrolled))

    with time_machine.travel(timezone.now() + timedelta(minutes=minutes)):
        fresh = Client()
        response = _password(fresh, enrolled)
        assert (response.status_code == 429) is locked
        if not locked:
            _code(fresh, _right(enrolled))
            assert fresh.session["_auth_user_id"] == str(enrolled.pk)


def test_wrong_passwords_and_wrong_codes_add_up(enrolled: User):
    for _ in range(3):
        _password(Client(), enrolled, "wrong-password")
    client = _at_code_step(enrolled)
    assert _code(client, _wrong(enrolled)).status_code == 200

    assert _code(client, _wrong(enrolled)).status_code == 429
    assert _failures(enrolled) == 5


def test_a_successful_login_clears_the_count(enrolled: User):
    client = _at_code_step(enrolled)
    for _ in range(4):
        _code(client, _wrong(enrolled))
    _code(client, _right(enrolled))
    assert client.session["_auth_user_id"] == str(enrolled.pk)

    assert _failures(enrolled) == 0


def test_a_recovery_code_is_counted_like_an_app_code(enrolled: User):
    client = _at_code_step(enrolled)
    for _ in range(5):
        _code(client, "12345678")  # not one of the account's recovery codes

    assert _password(Client(), enrolled).status_code == 429


def test_wrong_codes_on_one_account_do_not_stop_another_account_at_the_same_address(
    enrolled: User,
):
    attacker = _at_code_step(enrolled)
    for _ in range(5):
        _code(attacker, _wrong(enrolled))
    assert _code(attacker, _wrong(enrolled)).status_code == 429

    colleague = enrol_second_factor(make_user())
    client = _at_code_step(colleague)
    _code(client, _right(colleague))

    assert client.session["_auth_user_id"] == str(colleague.pk)
    assert _failures(colleague) == 0


def test_the_address_limit_on_codes_slows_guessing_across_accounts_and_locks_nobody():
    victims = [enrol_second_factor(make_user()) for _ in range(6)]
    # Four wrong codes on each of five accounts: twenty, none of them locked.
    for victim in victims[:5]:
        client = _at_code_step(victim)
        for _ in range(4):
            assert _code(client, _wrong(victim)).status_code == 200

    sixth = _at_code_step(victims[5])
    response = _code(sixth, _right(victims[5]))

    assert response.status_code == 200
    assert "depuis votre réseau" in response.content.decode()
    assert "_auth_user_id" not in sixth.session
    assert _failures(victims[5]) == 0
    # Password logins from that address go on, and the same account gets in from elsewhere.
    assert _password(Client(), make_user())["Location"] == reverse("dashboard")
    other = _at_code_step(victims[5], ip=ELSEWHERE)
    _code(other, _right(victims[5]), ip=ELSEWHERE)
    assert other.session["_auth_user_id"] == str(victims[5].pk)
    # Ten minutes later the address may try again.
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        later = _at_code_step(victims[5])
        _code(later, _right(victims[5]))
        assert later.session["_auth_user_id"] == str(victims[5].pk)


def test_wrong_codes_no_longer_eat_the_address_limit_of_password_logins(enrolled: User):
    client = _at_code_step(enrolled)
    for _ in range(4):
        _code(client, _wrong(enrolled))
    colleagues = [make_user() for _ in range(16)]
    # allauth's address limit of failed password logins (20 a minute) is left untouched by
    # the codes: sixteen colleagues mistype their password once and still get in after.
    for colleague in colleagues:
        _password(Client(), colleague, "wrong-password")
    for colleague in colleagues[:3]:
        assert _password(Client(), colleague)["Location"] == reverse("dashboard")


def test_wrong_codes_when_confirming_a_sensitive_change_count_too(enrolled: User):
    client = Client()
    client.force_login(enrolled)
    for _ in range(5):
        client.post(reverse("mfa_reauthenticate"), {"code": _wrong(enrolled)}, REMOTE_ADDR=OFFICE)

    assert _password(Client(), enrolled).status_code == 429


def test_set_up_mistakes_are_limited_per_user_not_per_address():
    newcomer = make_user()
    client = Client()
    client.force_login(newcomer)
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    for _ in range(10):
        response = client.post(reverse("mfa_activate_totp"), {"code": "000000"}, REMOTE_ADDR=OFFICE)
        assert response.status_code == 200
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"}, REMOTE_ADDR=OFFICE)
    assert "trop de requêtes" in response.content.decode()

    # Nobody else at that address is slowed down, and set-up mistakes lock nothing.
    colleague = enrol_second_factor(make_user(), TEST_TOTP_SECRET)
    other = _at_code_step(colleague)
    _code(other, _right(colleague))
    assert other.session["_auth_user_id"] == str(colleague.pk)
    assert _failures(newcomer) == 0
