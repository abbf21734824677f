"""Steps shared by browser tests."""

from __future__ import annotations

import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from playwright.sync_api import Page, expect

PASSWORD = "Browser-Test-Password-1"


def verification_path(email: str) -> str:
    """The path of the newest verification link sent to ``email`` (locmem outbox)."""
    for message in reversed(mail.outbox):
        if email in message.to:
            match = re.search(r"https?://[^/\s]+(/compte/confirm-email/[^\s]+/)", str(message.body))
            if match:
                return match.group(1)
    raise AssertionError(f"no verification e-mail for {email}")


_used_codes: set[tuple[str, int]] = set()


def totp_code(secret: str) -> str:
    """The code an authenticator app with ``secret`` shows now, never the same one twice.

    A code is accepted once (allauth marks it used): a second login of the same account in
    the same 30-second window waits for the next code, as a person would.
    """
    counter = int(time.time()) // 30
    if (secret, counter) in _used_codes:
        time.sleep(30 - time.time() % 30 + 0.1)
        counter = int(time.time()) // 30
    _used_codes.add((secret, counter))
    return format_hotp_value(hotp_value(secret, counter))


def login(
    page: Page,
    base_url: str,
    email: str,
    password: str = PASSWORD,
    *,
    totp_secret: str | None = None,
) -> None:
    """Log in through the form; with ``totp_secret``, type the second factor's code too."""
    page.goto(f"{base_url}/compte/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    if totp_secret is not None:
        code = page.locator("#id_code")
        code.fill(totp_code(totp_secret))
        code.press("Enter")
        expect(page).not_to_have_url(re.compile(r"/compte/2fa/authenticate/"))


def signup(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/compte/signup/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Création de compte")
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    page.locator("main form button[type=submit]").click()


def signup_and_verify(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Sign up, open the verification link from the e-mail, confirm it, and log in."""
    signup(page, base_url, email, password)
    expect(page.get_by_role("main")).to_contain_text("Vérifiez votre adresse e-mail")

    page.goto(base_url + verification_path(email))
    page.get_by_role("main").get_by_role("button", name="Confirmer").click()
    login(page, base_url, email, password)
    expect(page).to_have_url(f"{base_url}/tableau-de-bord/")
