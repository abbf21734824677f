"""axe-core on the main pages of every role: no violation of any impact (issue 11 point 18).

axe is injected by Playwright's evaluate (not subject to the page's Content-Security-Policy),
runs the WCAG 2.1 A/AA rules and best practices, and every violation is reported with its
rule, impact and the first offending element, page by page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

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
from support.management.commands.bench_assistant import knowledge_base_load_if_empty
from support.models import RequestCategory, SupportAgentProfile
from tests.e2e.helpers import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]

AXE = Axe()


@dataclass(frozen=True)
class World:
    invoice: Invoice
    supplier: User
    agent: User
    support: User


@pytest.fixture
def world() -> World:
    knowledge_base_load_if_empty()
    RequestCategory.objects.get_or_create(
        code="suivi", defaults={"label": "Suivi des factures", "label_en": "Invoice follow-up"}
    )
    supplier_structure = make_structure(name="Fournisseur Axe")
    _entity, service = make_recipient()
    invoice = make_invoice(
        supplier=supplier_structure, service=service, status=InvoiceStatus.MADE_AVAILABLE
    )
    make_line(invoice, quantity=Decimal("2"), unit_price=Decimal("50"), net_amount=Decimal("100"))
    supplier = make_user(email="axe-fournisseur@example.test")
    Membership.objects.create(
        user=supplier,
        structure=supplier_structure,
        role=Role.PRINCIPAL_MANAGER,
        areas=[Area.INVOICES_ISSUED, Area.MY_ACCOUNT],
    )
    agent = enrol_second_factor(make_user(email="axe-agent@example.test"))
    Membership.objects.create(
        user=agent,
        structure=service.structure,
        role=Role.PRINCIPAL_MANAGER,
        areas=[Area.INVOICES_RECEIVED],
    )
    support = make_user(email="axe-support@example.test", is_support_agent=True)
    SupportAgentProfile.objects.create(user=support, level=2)
    return World(invoice=invoice, supplier=supplier, agent=agent, support=support)


def _violations(page: Page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    results = AXE.run(page)
    found = []
    for violation in results.response["violations"]:
        target = violation["nodes"][0]["target"] if violation["nodes"] else "?"
        found.append(
            f"{url}: {violation['id']} ({violation['impact']}, {len(violation['nodes'])} "
            f"node(s), first {target}): {violation['help']}"
        )
    return found


def _check(page: Page, base: str, paths: list[str]) -> list[str]:
    found: list[str] = []
    for path in paths:
        found += _violations(page, base + path)
    return found


def test_main_pages_of_every_role_have_no_axe_violation(
    page: Page, browser: Browser, server_url: str, world: World
):
    invoice = world.invoice
    found = _check(page, server_url, ["/", "/compte/login/", "/annuaire/", "/support/"])

    login(page, server_url, world.supplier.email, DEFAULT_PASSWORD)
    found += _check(
        page,
        server_url,
        [
            "/tableau-de-bord/",
            "/factures/deposer/",
            "/factures/saisie/nouvelle/",
            "/factures/emises/",
            f"/factures/emises/{invoice.public_id}/",
            "/support/sollicitations/nouvelle/",
            "/support/assistant/",
        ],
    )

    agent = browser.new_context(locale="fr-FR").new_page()
    login(agent, server_url, world.agent.email, DEFAULT_PASSWORD, totp_secret=TEST_TOTP_SECRET)
    found += _check(
        agent, server_url, ["/factures/recues/", f"/factures/recues/{invoice.public_id}/"]
    )

    support = browser.new_context(locale="fr-FR").new_page()
    login(support, server_url, world.support.email, DEFAULT_PASSWORD, totp_secret=TEST_TOTP_SECRET)
    found += _check(
        support,
        server_url,
        ["/support/agents/", "/support/agents/hypervision/", "/support/agents/substitution/"],
    )

    assert found == [], "\n".join(found)
