"""Sign-up, e-mail verification, login, lock-out, password change and reset, TOTP."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chorus.accounts.models import User
from chorus.accounts.tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-Strong-Pass-42"


def _signup(client: Client, email: str = "new.user@example.test") -> None:
    response = client.post(
        reverse("account_signup"),
        {"email": email, "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302


def _confirmation_link(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://[^/\s]+(/compte/confirm-email/[^\s]+/)", str(message.body))
    assert match, message.body
    return match.group(1)


def _login(client: Client, email: str, password: str = DEFAULT_PASSWORD) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_signup_sends_a_verification_email_and_unverified_user_cannot_log_in(client: Client):
    _signup(client)
    assert len(mail.outbox) == 1
    assert "new.user@example.test" in mail.outbox[0].to
    client.logout()

    response = _login(client, "new.user@example.test")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_verification_link_confirms_the_address_and_the_user_can_log_in(client: Client):
    _signup(client)
    link = _confirmation_link(mail.outbox[0])
    client.logout()

    response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new.user@example.test").verified
    response = _login(client, "new.user@example.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_verification_link_expires_after_sixty_minutes(client: Client):
    _signup(client)
    link = _confirmation_link(mail.outbox[0])
    client.logout()

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        client.post(link)

    assert not EmailAddress.objects.get(email="new.user@example.test").verified


def test_verification_link_still_valid_after_fifty_nine_minutes(client: Client):
    _signup(client)
    link = _confirmation_link(mail.outbox[0])
    client.logout()

    with time_machine.travel(timezone.now() + timedelta(minutes=59)):
        client.post(link)

    assert EmailAddress.objects.get(email="new.user@example.test").verified


def test_email_is_the_identifier_and_is_case_insensitive(client: Client, user: User):
    response = _login(client, user.email.upper())

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_five_wrong_passwords_lock_the_account_for_an_hour(client: Client, user: User):
    for _ in range(5):
        _login(client, user.email, "wrong-password")

    response = _login(client, user.email)

    assert response.status_code == 429
    content = response.content.decode()
    assert "lockout-message" in content
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(("minutes", "locked"), [(59, True), (61, False)])
def test_lockout_lasts_one_hour(client: Client, user: User, minutes: int, locked: bool):
    for _ in range(5):
        _login(client, user.email, "wrong-password")

    with time_machine.travel(timezone.now() + timedelta(minutes=minutes)):
        other = Client()
        response = _login(other, user.email)

    assert (response.status_code == 429) is locked
    assert ("_auth_user_id" not in other.session) is locked


def test_four_wrong_passwords_do_not_lock(client: Client, user: User):
    for _ in range(4):
        _login(client, user.email, "wrong-password")

    response = _login(client, user.email)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_lockout_message_is_french_by_default(client: Client, user: User):
    for _ in range(5):
        _login(client, user.email, "wrong-password")

    response = _login(client, user.email)

    assert "verrouillé" in response.content.decode()


def test_logout_ends_the_session(client: Client, user: User):
    _login(client, user.email)

    client.post(reverse("account_logout"))

    assert "_auth_user_id" not in client.session
    assert client.get(reverse("dashboard")).status_code == 302


def test_password_change(client: Client, user: User):
    _login(client, user.email)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_by_email_and_it_lifts_a_lockout(client: Client, user: User):
    for _ in range(5):
        _login(client, user.email, "wrong-password")
    assert _login(client, user.email).status_code == 429

    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    match = re.search(
        r"https?://[^/\s]+(/compte/password/reset/key/[^\s]+/)", str(mail.outbox[0].body)
    )
    assert match, mail.outbox[0].body
    response = client.get(match.group(1))
    form_url = response["Location"] if response.status_code == 302 else match.group(1)
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    fresh = Client()
    assert _login(fresh, user.email, NEW_PASSWORD).status_code == 302
    assert fresh.session["_auth_user_id"] == str(user.pk)


def test_password_reset_does_not_reveal_unknown_accounts(client: Client, user: User):
    known = client.post(reverse("account_reset_password"), {"email": user.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.test"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def _current_code(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def test_totp_activation_then_login_requires_the_code(client: Client, user: User):
    _login(client, user.email)
    # Adding an authenticator asks for the password again (allauth re-authentication).
    assert client.get(reverse("mfa_activate_totp")).status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()

    client.post(reverse("account_logout"))
    with time_machine.travel(timezone.now() + timedelta(seconds=90)):
        response = _login(client, user.email)
        assert response["Location"] == reverse("mfa_authenticate")
        assert "_auth_user_id" not in client.session
        wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert wrong.status_code == 200
        assert "_auth_user_id" not in client.session
        response = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)


def test_unknown_user_gets_the_same_login_error_as_a_wrong_password(client: Client, user: User):
    wrong_password = _login(client, user.email, "wrong-password")
    unknown = _login(client, "ghost@example.test", "wrong-password")

    assert wrong_password.status_code == unknown.status_code == 200
    assert "error-summary" in wrong_password.content.decode()


def test_user_factory_default_is_verified():
    user = make_user()
    assert EmailAddress.objects.get(user=user).verified


@pytest.mark.parametrize("form", ["signup", "reset"])
def test_account_mails_speak_as_the_portal_and_link_to_the_site_url(
    client: Client, user: User, settings: Any, form: str
):
    """Issue 11 point 15: no « Bonjour, c'est 127.0.0.1:18804 ! », links on CHORUS_SITE_URL."""
    settings.SITE_URL = "https://chorus.example.fr"
    if form == "signup":
        _signup(client)
    else:
        client.post(reverse("account_reset_password"), {"email": user.email})

    (message,) = mail.outbox
    body = str(message.body)
    assert "https://chorus.example.fr/compte/" in body
    assert "testserver" not in body
    assert "Bonjour," in body
    assert "L'équipe Chorus" in body
    assert "example.com" not in body
