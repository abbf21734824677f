"""A supplier uploads a UBL invoice missing the commitment number its recipient requires: the
integration report rejects it with a message that names the field (BT-13)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from chorus.accounts.choices import Area, Role
from chorus.accounts.models import Membership
from chorus.accounts.tests.factories import DEFAULT_PASSWORD, make_user
from chorus.testing.celery_worker import running_worker
from invoices.tests.documents import BUYER_SIRET, SELLER_SIRET, SERVICE_CODE, ubl_invoice
from invoices.tests.factories import make_structure
from public_entities.models import EntityService, PublicEntity
from tests.e2e.helpers import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]


def test_upload_without_required_commitment_is_rejected_naming_the_field(
    page: Page, server_url: str, tmp_path
):
    supplier = make_structure(identifier=SELLER_SIRET, name="Fournisseur E2E")
    user = make_user(email="depot@example.test")
    Membership.objects.create(
        user=user,
        structure=supplier,
        role=Role.PRINCIPAL_MANAGER,
        areas=[Area.INVOICES_ISSUED, Area.MY_ACCOUNT],
    )
    recipient = make_structure(public=True, identifier=BUYER_SIRET, name="Commune E2E")
    PublicEntity.objects.create(structure=recipient, commitment_required=True)
    EntityService.objects.create(structure=recipient, code=SERVICE_CODE, name="Finances")
    invoice_file = tmp_path / "facture-sans-ej.xml"
    invoice_file.write_bytes(ubl_invoice(number="E2E-1", commitment=""))

    with running_worker():
        login(page, server_url, user.email, DEFAULT_PASSWORD)
        page.goto(f"{server_url}/factures/deposer/")
        page.locator("input[type=file]").set_input_files(str(invoice_file))
        page.get_by_role("button", name="Déposer").click()
        page.locator("[data-upload-progress] a").click()

        report = page.locator("#flow-report")
        expect(report).to_contain_text("Rejeté", timeout=60_000)
        expect(report).to_contain_text("CHORUS-COMMITMENT_REQUIRED")
        expect(report).to_contain_text("numéro d'engagement juridique (BT-13")
