"""The main invoice pages load without a single browser console error — in particular no
Content-Security-Policy violation (htmx's injected indicator styles were one on every page) —
and the list filters fold on a phone-sized screen."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from chorus.accounts.choices import Area, Role
from chorus.accounts.models import Membership, User
from chorus.accounts.tests.factories import (
    DEFAULT_PASSWORD,
    TEST_TOTP_SECRET,
    enrol_second_factor,
    make_user,
)
from invoices.choices import InvoiceStatus
from invoices.models import Invoice
from invoices.tests.factories import make_invoice, make_line, make_recipient, make_structure
from tests.e2e.helpers import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]


def _watch(page: Page) -> list[str]:
    """Every console error and uncaught exception of ``page``, with the URL it happened on."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return errors


@dataclass(frozen=True)
class Parties:
    invoice: Invoice
    supplier: User
    agent: User


@pytest.fixture
def parties() -> Parties:
    supplier = make_structure(name="Fournisseur Console")
    _entity, service = make_recipient()
    invoice = make_invoice(supplier=supplier, service=service, status=InvoiceStatus.MADE_AVAILABLE)
    make_line(invoice, quantity=Decimal("2"), unit_price=Decimal("50"), net_amount=Decimal("100"))
    supplier_user = make_user(email="console-fournisseur@example.test")
    Membership.objects.create(
        user=supplier_user,
        structure=supplier,
        role=Role.PRINCIPAL_MANAGER,
        areas=[Area.INVOICES_ISSUED, Area.MY_ACCOUNT],
    )
    agent_user = enrol_second_factor(make_user(email="console-agent@example.test"))
    Membership.objects.create(
        user=agent_user,
        structure=service.structure,
        role=Role.PRINCIPAL_MANAGER,
        areas=[Area.INVOICES_RECEIVED],
    )
    return Parties(invoice=invoice, supplier=supplier_user, agent=agent_user)


def test_main_invoice_pages_log_no_console_error(
    page: Page, browser: Browser, server_url: str, parties: Parties
):
    invoice = parties.invoice
    errors = _watch(page)

    login(page, server_url, parties.supplier.email, DEFAULT_PASSWORD)
    for path in (
        "/tableau-de-bord/",
        "/factures/emises/",
        f"/factures/emises/{invoice.public_id}/",
        "/factures/deposer/",
        "/factures/depots/",
        f"/factures/depots/{invoice.flow.public_id}/",
        "/factures/acquittements/",
        "/factures/notifications/",
    ):
        page.goto(server_url + path)
        expect(page.locator("main h1")).to_be_visible()
    page.goto(f"{server_url}/factures/emises/")
    page.get_by_role("link", name="Saisir une facture").click()
    page.locator("#id_lines-0-description").fill("Formation")
    page.locator("#id_lines-0-quantity").fill("3")
    page.locator("#id_lines-0-unit_price").fill("10")
    expect(page.locator("#total-with-vat")).to_contain_text("36,00")  # an htmx round trip

    agent_context = browser.new_context(locale="fr-FR")
    agent = agent_context.new_page()
    errors += _watch(agent)
    login(agent, server_url, parties.agent.email, DEFAULT_PASSWORD, totp_secret=TEST_TOTP_SECRET)
    agent.goto(f"{server_url}/factures/recues/")
    agent.goto(f"{server_url}/factures/recues/{invoice.public_id}/")
    expect(agent.locator("#actions-title")).to_be_visible()
    agent_context.close()

    assert errors == []


def test_filters_fold_on_a_small_screen_and_stay_open_on_a_wide_one(
    browser: Browser, server_url: str, parties: Parties
):
    for width, folded in ((375, True), (1280, False)):
        context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
        page = context.new_page()
        login(page, server_url, parties.supplier.email, DEFAULT_PASSWORD)
        page.goto(f"{server_url}/factures/emises/")
        search = page.get_by_label("Rechercher")
        if folded:
            expect(search).to_be_hidden()
            page.locator("#list-filters summary").click()
        expect(search).to_be_visible()
        context.close()
