"""Issue #5 end to end: a supplier keys an invoice in the portal form and sends it; the
recipient's agent finds it in the inbox and suspends it with a reason; the supplier completes
it with a comment and a document; the agent marks "service fait"; the supplier sees every
step in the invoice's timeline."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from chorus.accounts.choices import Area, Role
from chorus.accounts.models import Membership
from chorus.accounts.tests.factories import (
    DEFAULT_PASSWORD,
    TEST_TOTP_SECRET,
    enrol_second_factor,
    make_user,
)
from chorus.testing.celery_worker import running_worker
from chorus.testing.files import tiny_pdf
from invoices.models import StatusReason
from invoices.tests.documents import BUYER_SIRET, SELLER_SIRET, SERVICE_CODE
from invoices.tests.factories import make_structure
from public_entities.models import EntityService, PublicEntity
from tests.e2e.helpers import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]

NUMBER = "E2E-SAISIE-1"


def test_keyed_invoice_is_suspended_completed_and_marked_service_done(
    page: Page, browser: Browser, server_url: str, tmp_path
):
    supplier = make_structure(
        identifier=SELLER_SIRET,
        name="Fournisseur Saisie E2E",
        vat_number="FR44732829320",
        address_line1="3 rue du Commerce",
    )
    supplier_user = make_user(email="saisie@example.test")
    Membership.objects.create(
        user=supplier_user,
        structure=supplier,
        role=Role.PRINCIPAL_MANAGER,
        areas=[Area.INVOICES_ISSUED, Area.MY_ACCOUNT],
    )
    recipient = make_structure(public=True, identifier=BUYER_SIRET, name="Commune Destinataire")
    PublicEntity.objects.create(structure=recipient, service_code_required=True)
    EntityService.objects.create(structure=recipient, code=SERVICE_CODE, name="Finances")
    # A public structure's agent: a second factor is mandatory (issue #11).
    agent_user = enrol_second_factor(make_user(email="agent@example.test"))
    Membership.objects.create(
        user=agent_user,
        structure=recipient,
        role=Role.PRINCIPAL_MANAGER,
        areas=[Area.INVOICES_RECEIVED],
    )
    StatusReason.objects.get_or_create(
        code="JUSTIF_ABS",
        defaults={
            "label_fr": "Justificatif absent ou insuffisant",
            "label_en": "Supporting document missing",
            "uses": ["SUSPENSION"],
        },
    )
    proof = tmp_path / "attestation.pdf"
    proof.write_bytes(tiny_pdf("attestation de service fait"))
    today = timezone.localdate()

    with running_worker():
        # The supplier keys the invoice: recipient picked from the directory, totals as typed.
        login(page, server_url, supplier_user.email, DEFAULT_PASSWORD)
        page.goto(f"{server_url}/factures/emises/")
        page.get_by_role("link", name="Saisir une facture").click()
        page.locator("#id_number").fill(NUMBER)
        page.locator("#id_issue_date").fill(today.isoformat())
        page.locator("#id_due_date").fill((today + datetime.timedelta(days=30)).isoformat())
        page.locator("#recipient-query").fill("Commune Destinataire")
        page.locator("#recipient-choices button").first.click()
        expect(page.locator("#recipient-chosen")).to_contain_text("Commune Destinataire")
        expect(page.locator("#recipient-chosen")).to_contain_text("exige un code service")
        page.locator("#id_service_code").fill(SERVICE_CODE)
        page.locator("#id_lines-0-description").fill("Journée de formation")
        page.locator("#id_lines-0-quantity").fill("3")
        page.locator("#id_lines-0-unit_price").fill("19.99")
        expect(page.locator("#total-with-vat")).to_have_text("71,96\xa0€")
        page.get_by_role("button", name="Ajouter une ligne").click()
        page.locator("#id_lines-1-description").fill("Support de cours")
        page.locator("#id_lines-1-quantity").fill("2")
        page.locator("#id_lines-1-unit_price").fill("10")
        page.locator("#id_lines-1-vat").select_option("S:5.5")
        expect(page.locator("#total-with-vat")).to_have_text("93,06\xa0€")
        page.get_by_role("button", name="Valider et envoyer").click()

        report = page.locator("#flow-report")
        expect(report).to_contain_text("Intégré", timeout=60_000)
        report.get_by_role("link", name="Voir la facture").click()
        invoice_url = page.url
        expect(page.locator("#timeline")).to_contain_text("Mise à disposition")
        expect(page.locator("#readable-pdf")).to_be_visible()

        # The recipient's agent suspends it from the inbox, with a reason.
        agent_context = browser.new_context(locale="fr-FR")
        agent = agent_context.new_page()
        agent.set_default_timeout(10_000)
        login(agent, server_url, agent_user.email, DEFAULT_PASSWORD, totp_secret=TEST_TOTP_SECRET)
        agent.goto(f"{server_url}/factures/recues/")
        agent.get_by_role("link", name=NUMBER).click()
        agent.locator("#id_to").select_option("SUSPENDUE")
        agent.locator("#id_reason").select_option("JUSTIF_ABS")
        agent.locator("#id_comment").fill("Merci de joindre l'attestation.")
        agent.get_by_role("button", name="Appliquer").click()
        expect(agent.locator("#timeline")).to_contain_text("Suspendue")

        # The supplier completes it with a comment and a document.
        page.goto(invoice_url)
        expect(page.locator("#timeline")).to_contain_text("Justificatif absent ou insuffisant")
        page.locator("#id_comment").fill("Attestation jointe.")
        page.locator("#id_files").set_input_files(str(proof))
        page.get_by_role("button", name="Envoyer au destinataire").click()
        expect(page.locator("#timeline")).to_contain_text("Complétée")

        # The agent marks the service done.
        agent.reload()
        expect(agent.get_by_role("main")).to_contain_text("attestation.pdf")
        agent.locator("#id_to").select_option("SERVICE_FAIT")
        agent.get_by_role("button", name="Appliquer").click()
        expect(agent.locator("#timeline")).to_contain_text("Service fait")
        agent_context.close()

        # The supplier sees every step.
        page.goto(invoice_url)
        timeline = page.locator("#timeline")
        for step in ("Mise à disposition", "Suspendue", "Complétée", "Service fait"):
            expect(timeline).to_contain_text(step)
        expect(timeline).to_contain_text("Merci de joindre l'attestation.")
