"""Steps shared by browser tests."""

from __future__ import annotations

import re

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


def login(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/compte/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()


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
