"""Issue #11, point 1, in the browser: a public entity's agent without a second factor logs
in, can do nothing before setting one up, sets up an authenticator app, and from then on logs
in with password and code. A supplier is only invited, and may put it off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from chorus.accounts.choices import Area, Role
from chorus.accounts.models import Membership
from chorus.accounts.tests.factories import DEFAULT_PASSWORD, make_user
from invoices.tests.factories import make_structure
from tests.e2e.helpers import login, totp_code

pytestmark = pytest.mark.django_db(transaction=True)

AGENT = "comptable@mairie.example"


def test_an_agent_sets_up_the_required_second_factor_then_logs_in_with_it(
    page: Page, server_url: str
):
    agent = make_user(email=AGENT)
    Membership.objects.create(
        user=agent,
        structure=make_structure(public=True, name="Mairie de Test"),
        role=Role.USER,
        areas=[Area.INVOICES_RECEIVED],
    )

    login(page, server_url, AGENT, DEFAULT_PASSWORD)
    expect(page).to_have_url(re.compile(r"/compte/double-authentification/obligatoire/$"))
    expect(page.locator("#second-factor-reasons")).to_contain_text("structure publique")
    # Any other page sends back here.
    page.goto(f"{server_url}/factures/recues/")
    expect(page).to_have_url(re.compile(r"/compte/double-authentification/obligatoire/$"))

    page.locator("#second-factor-setup").click()
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.locator("#id_password").press("Enter")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("#id_code").fill(totp_code(secret))
    page.locator("#id_code").press("Enter")
    expect(page.locator("#recovery_codes")).to_be_visible()

    page.goto(f"{server_url}/factures/recues/")
    expect(page).to_have_url(re.compile(r"/factures/recues/$"))

    page.get_by_role("button", name="Se déconnecter").click()
    login(page, server_url, AGENT, DEFAULT_PASSWORD, totp_secret=secret)
    expect(page).to_have_url(re.compile(r"/tableau-de-bord/$"))


def test_a_supplier_is_invited_and_puts_it_off(page: Page, server_url: str):
    make_user(email="gerant@fournisseur.example")

    login(page, server_url, "gerant@fournisseur.example", DEFAULT_PASSWORD)
    expect(page).to_have_url(re.compile(r"/tableau-de-bord/$"))
    invite = page.locator("#second-factor-invite")
    expect(invite).to_contain_text("double authentification")

    page.locator("#second-factor-invite-dismiss").click()
    expect(page).to_have_url(re.compile(r"/tableau-de-bord/$"))
    expect(page.locator("#second-factor-invite")).to_have_count(0)
