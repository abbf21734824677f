"""A newcomer signs up, verifies the address from the e-mail, logs in and out."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from chorus.accounts.models import User
from tests.e2e.helpers import login, signup, signup_and_verify

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_verify_and_log_in(page: Page, server_url: str):
    signup_and_verify(page, server_url, "claire.dupont@example.test")

    expect(page.locator("h1")).to_contain_text("Bienvenue")
    expect(page.locator("#user-menu")).to_contain_text("claire.dupont@example.test")
    assert User.objects.filter(email="claire.dupont@example.test").exists()

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()


def test_unverified_user_is_stopped_at_login(page: Page, server_url: str):
    signup(page, server_url, "pas.verifie@example.test")
    page.context.clear_cookies()
    login(page, server_url, "pas.verifie@example.test")

    expect(page.get_by_role("main")).to_contain_text("Vérifiez votre adresse e-mail")
    expect(page).not_to_have_url(f"{server_url}/tableau-de-bord/")
