"""A supplier creates its structure from its SIRET; a colleague asks to join and is let in."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from chorus.accounts.choices import Role
from chorus.accounts.models import Membership
from tests.e2e.helpers import signup_and_verify

pytestmark = pytest.mark.django_db(transaction=True)

SIRET = "73282932000074"
NAME = "Menuiserie Dupont SARL"


def test_create_a_structure_then_accept_a_colleague(page: Page, browser: Any, server_url: str):
    # The first user signs up and creates the supplier structure from its SIRET.
    signup_and_verify(page, server_url, "gerante@dupont.example")
    page.locator("#structures-panel a").click()
    page.locator("#onboarding-create").click()
    page.locator("#id_identifier_type").select_option("SIRET")
    page.locator("#id_identifier").fill("732 829 320 00074")
    page.locator("#id_name").fill(NAME)
    page.locator("#id_postal_code").fill("69002")
    page.locator("#id_city").fill("Lyon")
    page.locator("#structure-create-form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(NAME)
    expect(page.locator("#structure-facts")).to_contain_text(SIRET)
    expect(page.locator("#active-organisation")).to_contain_text(NAME)

    # A colleague signs up in another browser and asks to join.
    context = browser.new_context(locale="fr-FR")
    colleague = context.new_page()
    colleague.set_default_timeout(10_000)
    signup_and_verify(colleague, server_url, "comptable@dupont.example")
    colleague.goto(f"{server_url}/structures/rejoindre/")
    colleague.locator("#id_q").fill(SIRET)
    colleague.locator("#join-search button[type=submit]").click()
    expect(colleague.locator("#join-results")).to_contain_text(NAME)
    colleague.locator("#join-results form button[type=submit]").click()
    expect(colleague.locator("#pending-requests")).to_contain_text(NAME)

    # The principal manager sees the request on the structure page and accepts it.
    page.reload()
    requests = page.locator("#join-requests")
    expect(requests).to_contain_text("comptable@dupont.example")
    requests.locator("button[value=accept]").click()
    expect(page.locator("#members")).to_contain_text("comptable@dupont.example")

    # The colleague now sees the structure.
    colleague.goto(f"{server_url}/structures/")
    expect(colleague.locator("#my-structures")).to_contain_text(NAME)
    colleague.goto(f"{server_url}/tableau-de-bord/")
    expect(colleague.locator("#structures-panel")).to_contain_text(NAME)
    context.close()

    membership = Membership.objects.get(user__email="comptable@dupont.example")
    assert membership.structure.identifier == SIRET
    assert membership.role == Role.USER
