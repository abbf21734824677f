"""Support end to end: assistant → request → agent substitution → answer.

A supplier asks the assistant, is not satisfied and opens a request with the transcript; an
agent takes it, acts as the supplier with the request number as reason, sees the supplier's
rejected invoice, ends the substitution, answers; the supplier reads the answer and sees
what support did.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from chorus.accounts.choices import Area, Role
from chorus.accounts.models import Membership
from chorus.accounts.tests.factories import DEFAULT_PASSWORD, TEST_TOTP_SECRET, make_user
from invoices.choices import InvoiceStatus
from invoices.tests.factories import make_invoice
from support.management.commands.bench_assistant import knowledge_base_load_if_empty
from support.models import RequestCategory, SupportAgentProfile
from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)

SUPPLIER = "fanny.fournier@example.test"
REJECTED_NUMBER = "F-REJ-42"
AGENT = "sacha.support@example.test"


def _seed() -> None:
    """Transactional tests start from an empty database: restore the starter data we need."""
    knowledge_base_load_if_empty()
    RequestCategory.objects.get_or_create(
        code="suivi", defaults={"label": "Suivi des factures", "label_en": "Invoice follow-up"}
    )
    supplier = make_user(email=SUPPLIER, first_name="Fanny", last_name="Fournier")
    invoice = make_invoice(status=InvoiceStatus.REJECTED, number=REJECTED_NUMBER)
    Membership.objects.create(
        user=supplier,
        structure=invoice.supplier,
        role=Role.PRINCIPAL_MANAGER,
        areas=[Area.INVOICES_ISSUED, Area.MY_ACCOUNT],
    )
    agent = make_user(email=AGENT, first_name="Sacha", last_name="Support", is_support_agent=True)
    SupportAgentProfile.objects.create(user=agent, level=1)


def test_assistant_to_request_to_substitution_to_answer(
    page: Page, browser: Browser, server_url: str
):
    _seed()

    # The supplier asks the assistant from the header, on any page.
    login(page, server_url, SUPPLIER, DEFAULT_PASSWORD)
    expect(page).to_have_url(re.compile(r"/tableau-de-bord/$"))
    page.locator("#help-assistant").click()
    page.locator("#id_question").fill("pourquoi ma facture a ete rejetee ?")
    page.locator("#assistant-form button[type=submit]").click()
    expect(page.locator(".assistant-answers li").first).to_be_visible()

    # Not satisfied: the conversation becomes a request, with the transcript.
    page.locator("button[name=solved][value=no]").click()
    page.locator("#assistant-handover-link").click()
    expect(page.locator("#transcript")).to_contain_text("ma facture a ete rejetee")
    page.locator("#id_category").select_option(label="Suivi des factures")
    page.locator("#id_body").fill("Le service ne répond pas, pouvez-vous m'aider ?")
    page.locator("#request-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/support/sollicitations/SOL-\d{4}-\d{6}/$"))
    number = re.search(r"SOL-\d{4}-\d{6}", page.url).group(0)

    # The agent picks it up from the queue.
    agent_context = browser.new_context(locale="fr-FR")
    agent_page = agent_context.new_page()
    agent_page.set_default_timeout(10_000)
    # Support agents must use a second factor: the factory enrolled the test secret.
    login(agent_page, server_url, AGENT, DEFAULT_PASSWORD, totp_secret=TEST_TOTP_SECRET)
    agent_page.goto(f"{server_url}/support/agents/")
    agent_page.get_by_role("link", name=number).click()
    expect(agent_page.locator("#thread")).to_contain_text("ma facture a ete rejetee")
    agent_page.locator("#take").click()
    expect(agent_page.locator("#assignee")).to_contain_text(AGENT)

    # Substitutes the supplier, with the request number as the reason.
    agent_page.locator("#substitute").click()
    candidate = agent_page.locator(".substitution-candidate")
    expect(candidate).to_contain_text(SUPPLIER)
    expect(candidate.locator("input[name=reason]")).to_have_value(number)
    candidate.locator("button[type=submit]").click()
    banner = agent_page.locator("#substitution-banner")
    expect(banner).to_contain_text(SUPPLIER)
    expect(banner).to_contain_text(number)
    agent_page.goto(f"{server_url}/support/sollicitations/")
    expect(agent_page.locator("#substitution-banner")).to_be_visible()
    expect(agent_page.locator("#my-requests")).to_contain_text(number)
    # Sees the supplier's rejected invoice, exactly as the supplier does.
    agent_page.goto(f"{server_url}/factures/emises/?status=REJETEE")
    expect(agent_page.locator("main table")).to_contain_text(REJECTED_NUMBER)
    expect(agent_page.locator("main table")).to_contain_text("Rejetée")

    # Ends the substitution and answers.
    agent_page.locator("#substitution-end").click()
    expect(agent_page).to_have_url(re.compile(rf"/support/agents/sollicitations/{number}/$"))
    expect(agent_page.locator("#substitution-banner")).to_have_count(0)
    agent_page.locator("#agent-reply-form #id_body").fill("Nous avons relancé le service.")
    agent_page.locator("#id_new_status").select_option(value="RESOLUE")
    agent_page.locator("#agent-reply-form button[type=submit]").click()
    expect(agent_page.locator("#thread")).to_contain_text("Nous avons relancé le service.")
    agent_context.close()

    # The supplier sees the answer, and what support did on their account.
    page.goto(f"{server_url}/support/sollicitations/{number}/")
    expect(page.locator("#thread")).to_contain_text("Nous avons relancé le service.")
    page.goto(f"{server_url}/support/mon-compte/actions-du-support/")
    expect(page.locator("#my-substitutions")).to_contain_text(number)
