"""Portal entry form (SAISIE_PORTAIL), PDF with keyed data (DEPOT_PDF_PORTAIL), readable PDF."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chorus.accounts.active import SESSION_KEY
from chorus.accounts.choices import Area, Role
from chorus.accounts.models import Membership, Structure, User
from chorus.accounts.tests.factories import enrol_second_factor, make_user
from chorus.core.actor import Actor
from invoices.choices import DepositMode, FlowStatus, InvoiceStatus
from invoices.einvoice import Syntax
from invoices.einvoice.readers import read_document
from invoices.einvoice.validation import RULE_SET_EN16931, RULE_SET_FR, validate_invoice
from invoices.models import Flow, Invoice, InvoiceDraft, InvoiceRendering
from invoices.services.deposit import flow_receive
from invoices.services.processing import flow_process
from invoices.tests.documents import BUYER_SIRET, SELLER_SIRET, SERVICE_CODE, ubl_invoice
from invoices.tests.factories import make_structure
from public_entities.models import EntityService, PublicEntity

pytestmark = pytest.mark.django_db


def _login(client: Client, structure: Structure, *areas: str) -> User:
    user = make_user()
    Membership.objects.create(
        user=user, structure=structure, role=Role.PRINCIPAL_MANAGER, areas=list(areas)
    )
    if structure.is_public:
        enrol_second_factor(user)
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = str(structure.public_id)
    session.save()
    return user


@pytest.fixture
def supplier() -> Structure:
    return make_structure(
        identifier=SELLER_SIRET,
        name="Fournisseur Saisie SARL",
        vat_number="FR44732829320",
        address_line1="3 rue du Commerce",
    )


@pytest.fixture
def recipient() -> PublicEntity:
    structure = make_structure(public=True, identifier=BUYER_SIRET, name="Commune de Saisie")
    entity = PublicEntity.objects.create(structure=structure)
    EntityService.objects.create(structure=structure, code=SERVICE_CODE, name="Finances")
    return entity


@pytest.fixture
def supplier_client(client: Client, supplier: Structure) -> Client:
    _login(client, supplier, Area.INVOICES_ISSUED)
    return client


def _post_data(action: str = "submit", **overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "action": action,
        "number": "SAISIE-0001",
        "issue_date": today.isoformat(),
        "due_date": (today + datetime.timedelta(days=30)).isoformat(),
        "type_code": "380",
        "framework": "A1",
        "recipient_siret": BUYER_SIRET,
        "service_code": SERVICE_CODE,
        "commitment_number": "",
        "payment_terms": "Virement à 30 jours",
        "bank_account": "",
        "exemption_reason": "",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-description": "Journée de formation",
        "lines-0-quantity": "3",
        "lines-0-unit": "DAY",
        "lines-0-unit_price": "19.99",
        "lines-0-vat": "S:20",
        "lines-1-description": "Support de cours",
        "lines-1-quantity": "2",
        "lines-1-unit": "C62",
        "lines-1-unit_price": "10",
        "lines-1-vat": "S:5.5",
    }
    data.update(overrides)
    return data


# --- Drafts --------------------------------------------------------------------------------


def test_saving_keeps_a_draft_and_nothing_is_deposited(supplier_client: Client, supplier):
    response = supplier_client.post(reverse("invoices:entry_new"), _post_data("save"))

    draft = InvoiceDraft.objects.get(structure=supplier)
    assert response.status_code == 302
    assert response["Location"] == reverse("invoices:entry_edit", args=[draft.public_id])
    assert draft.flow is None
    assert draft.data["number"] == "SAISIE-0001"
    assert [line["description"] for line in draft.data["lines"]] == [
        "Journée de formation",
        "Support de cours",
    ]
    assert not Flow.objects.exists()


def test_a_saved_draft_comes_back_as_it_was_left(supplier_client: Client, supplier):
    # Invalid values are kept too: a draft is what was keyed.
    supplier_client.post(
        reverse("invoices:entry_new"), _post_data("save", **{"lines-1-quantity": "abc"})
    )
    draft = InvoiceDraft.objects.get(structure=supplier)

    page = supplier_client.get(reverse("invoices:entry_edit", args=[draft.public_id]))

    content = page.content.decode()
    assert page.status_code == 200
    assert 'value="SAISIE-0001"' in content
    assert "Support de cours" in content
    assert 'value="abc"' in content
    listing = supplier_client.get(reverse("invoices:entry_drafts")).content.decode()
    assert "SAISIE-0001" in listing


def test_adding_a_line_without_javascript_saves_and_adds_a_row(supplier_client: Client, supplier):
    supplier_client.post(reverse("invoices:entry_new"), _post_data("add_line"))

    draft = InvoiceDraft.objects.get(structure=supplier)
    assert len(draft.data["lines"]) == 3
    page = supplier_client.get(reverse("invoices:entry_edit", args=[draft.public_id]))
    assert 'name="lines-2-description"' in page.content.decode()


def test_drafts_of_another_structure_are_not_found(client: Client, supplier, recipient):
    owner = Client()
    _login(owner, supplier, Area.INVOICES_ISSUED)
    owner.post(reverse("invoices:entry_new"), _post_data("save"))
    draft = InvoiceDraft.objects.get(structure=supplier)
    _login(client, make_structure(), Area.INVOICES_ISSUED)

    assert client.get(reverse("invoices:entry_edit", args=[draft.public_id])).status_code == 404
    assert client.post(reverse("invoices:entry_delete", args=[draft.public_id])).status_code == 404
    assert "SAISIE-0001" not in client.get(reverse("invoices:entry_drafts")).content.decode()


def test_entry_needs_the_invoices_issued_area(client: Client, supplier):
    _login(client, supplier, Area.INVOICES_RECEIVED)

    assert client.get(reverse("invoices:entry_new")).status_code == 403


def test_attachments_are_kept_with_the_draft_and_bad_ones_named(supplier_client: Client, supplier):
    good = SimpleUploadedFile("bon-de-livraison.pdf", b"%PDF-1.4 bon", "application/pdf")
    supplier_client.post(reverse("invoices:entry_new"), {**_post_data("save"), "documents": good})
    draft = InvoiceDraft.objects.get(structure=supplier)
    assert [a.original_name for a in draft.attachments.all()] == ["bon-de-livraison.pdf"]

    too_long = SimpleUploadedFile("x" * 51 + ".pdf", b"%PDF-1.4", "application/pdf")
    response = supplier_client.post(
        reverse("invoices:entry_edit", args=[draft.public_id]),
        {**_post_data("save"), "documents": too_long},
    )
    assert response.status_code == 400
    assert "50 caractères" in response.content.decode()
    assert draft.attachments.count() == 1


# --- Submit --------------------------------------------------------------------------------


def test_submit_deposits_a_facturx_pdf_that_the_validator_accepts(
    supplier_client: Client, supplier, recipient, django_capture_on_commit_callbacks
):
    attachment = SimpleUploadedFile("devis.pdf", b"%PDF-1.4 devis", "application/pdf")
    with django_capture_on_commit_callbacks() as callbacks:
        response = supplier_client.post(
            reverse("invoices:entry_new"), {**_post_data(), "documents": attachment}
        )

    flow = Flow.objects.get(structure=supplier)
    assert response.status_code == 302
    assert response["Location"] == reverse("invoices:flow_detail", args=[flow.public_id])
    assert flow.mode == DepositMode.PORTAL_ENTRY
    assert len(callbacks) == 1  # processing enqueued on commit
    with flow.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    report = validate_invoice(data, filename="f.pdf", rule_sets=(RULE_SET_EN16931, RULE_SET_FR))
    assert report.syntax == Syntax.FACTURX_PDF
    assert report.fatal_rule_ids == []
    model = report.invoice
    assert model is not None
    assert model.seller.legal_registration_id.value == SELLER_SIRET
    assert model.seller.legal_registration_id.scheme_id == "0009"
    assert model.buyer.legal_registration_id.value == BUYER_SIRET
    assert model.buyer_reference == SERVICE_CODE
    assert model.business_process == "A1"
    assert str(model.totals.tax_inclusive_amount) == "93.06"  # 59.97 + 11.99 + 20 + 1.10
    assert InvoiceDraft.objects.get(structure=supplier).flow == flow

    processed = flow_process(flow_id=flow.pk)

    assert processed is not None
    assert processed.status == FlowStatus.INTEGRATED, processed.report
    invoice = Invoice.objects.get(flow=flow)
    assert invoice.status == InvoiceStatus.MADE_AVAILABLE
    assert str(invoice.total_with_vat) == "93.06"
    assert invoice.vat_breakdown.count() == 2
    assert sorted(a.original_name for a in invoice.attachments.all()) == [
        "SAISIE-0001.pdf",
        "devis.pdf",
    ]


def test_a_sent_draft_cannot_be_sent_again(supplier_client: Client, supplier, recipient):
    supplier_client.post(reverse("invoices:entry_new"), _post_data())
    draft = InvoiceDraft.objects.get(structure=supplier)

    again = supplier_client.post(
        reverse("invoices:entry_edit", args=[draft.public_id]), _post_data()
    )

    assert again.status_code == 404
    assert Flow.objects.filter(structure=supplier).count() == 1


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("number", "Numéro de facture"),
        ("issue_date", "Date d&#x27;émission"),
        ("recipient_siret", "SIRET du destinataire"),
        ("lines-0-description", "Description"),
        ("lines-0-quantity", "Quantité"),
        ("lines-0-unit_price", "Prix unitaire HT"),
    ],
)
def test_each_required_field_is_named_in_the_errors(
    supplier_client: Client, supplier, recipient, field, label
):
    response = supplier_client.post(reverse("invoices:entry_new"), _post_data(**{field: ""}))

    assert response.status_code == 400
    content = response.content.decode()
    assert label in content
    assert "Ce champ est obligatoire." in content
    assert not Flow.objects.exists()
    # The draft is kept, with what was keyed.
    assert InvoiceDraft.objects.get(structure=supplier).data["number"] == (
        "" if field == "number" else "SAISIE-0001"
    )


def test_invalid_values_are_explained_in_french(supplier_client: Client, supplier, recipient):
    response = supplier_client.post(
        reverse("invoices:entry_new"),
        _post_data(
            number="N" * 21,
            recipient_siret="123",
            due_date="2000-01-01",
            **{"lines-1-quantity": "0"},
        ),
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "20 caractères" in content
    assert "Un SIRET comporte 14 chiffres." in content
    assert "La date d&#x27;échéance ne peut pas précéder la date d&#x27;émission." in content
    assert "supérieure ou égale à 0.0001" in content


def test_a_due_date_or_payment_terms_is_required(supplier_client: Client, supplier, recipient):
    response = supplier_client.post(
        reverse("invoices:entry_new"), _post_data(due_date="", payment_terms="")
    )

    assert response.status_code == 400
    assert "BR-CO-25" in response.content.decode()


@pytest.mark.parametrize(
    ("entity_fields", "overrides", "label", "message"),
    [
        (
            {"commitment_required": True},
            {},
            "Numéro d&#x27;engagement juridique",
            "Ce destinataire exige un numéro d&#x27;engagement juridique",
        ),
        (
            {"service_code_required": True},
            {"service_code": ""},
            "Code service",
            "Ce destinataire exige un code service.",
        ),
        ({}, {"service_code": "INCONNU"}, "Code service", "Ce code service n&#x27;existe pas"),
        (
            {},
            {"recipient_siret": "21750001600019"},
            "SIRET du destinataire",
            "Aucune structure publique n&#x27;a ce SIRET",
        ),
    ],
)
def test_recipient_parameter_errors_name_the_field(
    supplier_client: Client, supplier, entity_fields, overrides, label, message
):
    structure = make_structure(public=True, identifier=BUYER_SIRET)
    PublicEntity.objects.create(structure=structure, **entity_fields)
    EntityService.objects.create(structure=structure, code=SERVICE_CODE, name="Finances")

    response = supplier_client.post(reverse("invoices:entry_new"), _post_data(**overrides))

    content = response.content.decode()
    assert response.status_code == 400
    assert message in content
    assert f"{label}&nbsp;: {message}" in content or f"{label}</a>" in content or label in content
    assert not Flow.objects.exists()


def test_a_number_already_used_this_year_is_refused(supplier_client: Client, supplier, recipient):
    supplier_client.post(reverse("invoices:entry_new"), _post_data())
    flow_process(flow_id=Flow.objects.get().pk)

    response = supplier_client.post(reverse("invoices:entry_new"), _post_data())

    assert response.status_code == 400
    assert "déjà déposé une facture avec ce numéro" in response.content.decode()


def test_exempt_lines_need_a_reason(supplier_client: Client, supplier, recipient):
    response = supplier_client.post(
        reverse("invoices:entry_new"), _post_data(**{"lines-1-vat": "E:0"})
    )

    assert response.status_code == 400
    assert "exonérée de TVA" in response.content.decode()


def test_deleted_lines_are_left_out(supplier_client: Client, supplier, recipient):
    supplier_client.post(reverse("invoices:entry_new"), _post_data(**{"lines-1-DELETE": "on"}))

    flow = Flow.objects.get()
    with flow.file.open("rb") as handle:
        model = read_document(handle.read()).invoice
    assert model is not None
    assert len(model.lines) == 1
    assert str(model.totals.tax_inclusive_amount) == "71.96"


# --- HTMX fragments ------------------------------------------------------------------------


def test_totals_fragment_follows_the_lines(supplier_client: Client, supplier):
    response = supplier_client.post(reverse("invoices:entry_totals"), _post_data())

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="total-without-vat">79,97<' in content
    assert 'id="total-vat">13,09<' in content
    assert 'id="total-with-vat">93,06<' in content
    assert "<html" not in content


def test_totals_skip_a_line_being_typed(supplier_client: Client, supplier):
    response = supplier_client.post(
        reverse("invoices:entry_totals"), _post_data(**{"lines-1-unit_price": "1,"})
    )

    assert 'id="total-with-vat">71,96<' in response.content.decode()


def test_line_fragment_adds_a_row_and_counts_it(supplier_client: Client, supplier):
    response = supplier_client.get(reverse("invoices:entry_line"), {"lines-TOTAL_FORMS": "2"})

    content = response.content.decode()
    assert 'name="lines-2-description"' in content
    assert 'id="id_lines-TOTAL_FORMS" hx-swap-oob="true"' in content
    assert 'value="3"' in content


def test_recipient_fragment_marks_what_the_recipient_requires(supplier_client: Client, supplier):
    structure = make_structure(public=True, identifier=BUYER_SIRET, name="Mairie Exigeante")
    PublicEntity.objects.create(structure=structure, commitment_required=True)
    EntityService.objects.create(structure=structure, code=SERVICE_CODE, name="Finances")

    response = supplier_client.get(
        reverse("invoices:entry_recipient"), {"recipient_siret": BUYER_SIRET}
    )

    content = response.content.decode()
    assert "Mairie Exigeante" in content
    assert "Ce destinataire exige un numéro d'engagement juridique." in content
    assert f'<option value="{SERVICE_CODE}">' in content
    commitment_label = content.split('for="id_commitment_number"')[1].split("</label>")[0]
    assert "*" in commitment_label


def test_recipient_search_by_name(supplier_client: Client, supplier, recipient):
    response = supplier_client.get(
        reverse("invoices:entry_recipient_search"), {"recipient_query": "saisie"}
    )

    assert "Commune de Saisie" in response.content.decode()
    assert BUYER_SIRET in response.content.decode()


def test_form_pages_use_a_bounded_number_of_queries(
    supplier_client: Client, supplier, recipient, django_assert_max_num_queries
):
    many = {"lines-TOTAL_FORMS": "30"}
    for index in range(30):
        many.update(
            {
                f"lines-{index}-description": f"Ligne {index}",
                f"lines-{index}-quantity": "1",
                f"lines-{index}-unit": "C62",
                f"lines-{index}-unit_price": "1",
                f"lines-{index}-vat": "S:20",
            }
        )
    supplier_client.post(reverse("invoices:entry_new"), _post_data("save", **many))
    draft = InvoiceDraft.objects.get()

    with django_assert_max_num_queries(12):
        assert supplier_client.get(reverse("invoices:entry_new")).status_code == 200
    with django_assert_max_num_queries(12):
        assert (
            supplier_client.get(reverse("invoices:entry_edit", args=[draft.public_id])).status_code
            == 200
        )
    with django_assert_max_num_queries(6):
        supplier_client.post(reverse("invoices:entry_totals"), _post_data(**many))


# --- PDF with keyed data -------------------------------------------------------------------


def _plain_pdf() -> bytes:
    from invoices.einvoice.writers.facturx import render_pdf

    return render_pdf("<html><body><h1>Facture SAISIE-0001</h1></body></html>")


def test_pdf_deposit_embeds_the_data_and_keeps_the_original(
    supplier_client: Client, supplier, recipient
):
    original = _plain_pdf()
    upload = SimpleUploadedFile("ma-facture.pdf", original, "application/pdf")

    response = supplier_client.post(
        reverse("invoices:entry_new_pdf"), {**_post_data(), "pdf": upload}
    )

    flow = Flow.objects.get(structure=supplier)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert flow.mode == DepositMode.PORTAL_PDF
    with flow.file.open("rb") as handle:
        deposited = handle.read()
    assert read_document(deposited).syntax == Syntax.FACTURX_PDF
    draft = InvoiceDraft.objects.get(structure=supplier)
    kept = supplier_client.get(reverse("invoices:entry_pdf", args=[draft.public_id]))
    assert b"".join(kept.streaming_content) == original

    processed = flow_process(flow_id=flow.pk)
    assert processed is not None
    assert processed.status == FlowStatus.INTEGRATED, processed.report
    invoice = Invoice.objects.get(flow=flow)
    readable = supplier_client.get(
        reverse("invoices:invoice_readable", args=["emises", invoice.public_id])
    )
    assert b"".join(readable.streaming_content) == original


def test_pdf_deposit_needs_the_pdf(supplier_client: Client, supplier, recipient):
    response = supplier_client.post(reverse("invoices:entry_new_pdf"), _post_data())

    assert response.status_code == 400
    assert "Ajoutez le PDF de votre facture." in response.content.decode()


def test_a_pdf_that_cannot_carry_the_data_is_deposited_as_cii_with_the_pdf(
    supplier_client: Client, supplier, recipient, monkeypatch
):
    import facturx

    def refuse(*args: Any, **kwargs: Any) -> bytes:
        raise ValueError("encrypted")

    monkeypatch.setattr(facturx, "generate_from_binary", refuse)
    upload = SimpleUploadedFile("ma-facture.pdf", _plain_pdf(), "application/pdf")

    supplier_client.post(reverse("invoices:entry_new_pdf"), {**_post_data(), "pdf": upload})

    flow = Flow.objects.get(structure=supplier)
    assert flow.original_name.endswith(".xml")
    processed = flow_process(flow_id=flow.pk)
    assert processed is not None
    assert processed.status == FlowStatus.INTEGRATED, processed.report
    invoice = Invoice.objects.get(flow=flow)
    assert invoice.attachments.filter(mime_type="application/pdf").exists()


def test_a_file_that_is_not_a_pdf_is_refused(supplier_client: Client, supplier, recipient):
    upload = SimpleUploadedFile("facture.pdf", b"not a pdf", "application/pdf")

    response = supplier_client.post(
        reverse("invoices:entry_new_pdf"), {**_post_data(), "pdf": upload}
    )

    assert response.status_code == 400
    assert "facture.pdf n&#x27;est pas un fichier PDF." in response.content.decode()


# --- Readable PDF --------------------------------------------------------------------------


@pytest.fixture
def structured_invoice(supplier, recipient) -> Invoice:
    flow = flow_receive(
        actor=Actor(user=make_user()),
        structure=supplier,
        mode=DepositMode.PORTAL_UPLOAD,
        name="facture.xml",
        content=ubl_invoice(),
    )
    flow_process(flow_id=flow.pk)
    return Invoice.objects.get(flow=flow)


def test_readable_pdf_is_rendered_once_then_served_from_storage(
    supplier_client: Client, structured_invoice, monkeypatch
):
    from invoices.einvoice.writers import facturx as writer

    calls = []
    real = writer.render_pdf

    def counting(html: str, **kwargs: Any) -> bytes:
        calls.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(writer, "render_pdf", counting)
    url = reverse("invoices:invoice_readable", args=["emises", structured_invoice.public_id])

    first = supplier_client.get(url)
    body = b"".join(first.streaming_content)
    second = supplier_client.get(url)

    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"].startswith("inline;")
    assert body.startswith(b"%PDF-")
    assert b"".join(second.streaming_content) == body
    assert len(calls) == 1
    rendering = InvoiceRendering.objects.get(invoice=structured_invoice)
    import hashlib

    assert rendering.sha256 == hashlib.sha256(body).hexdigest()
    detail = supplier_client.get(
        reverse("invoices:invoice_detail", args=["emises", structured_invoice.public_id])
    )
    assert url in detail.content.decode()


def test_readable_pdf_is_404_outside_the_scope(client: Client, structured_invoice, recipient):
    _login(client, make_structure(), Area.INVOICES_ISSUED, Area.INVOICES_RECEIVED)
    for side in ("emises", "recues"):
        url = reverse("invoices:invoice_readable", args=[side, structured_invoice.public_id])
        assert client.get(url).status_code == 404
    # The recipient reads it on its side, not on the supplier's.
    agent = Client()
    _login(agent, recipient.structure, Area.INVOICES_RECEIVED)
    ok = reverse("invoices:invoice_readable", args=["recues", structured_invoice.public_id])
    wrong = reverse("invoices:invoice_readable", args=["emises", structured_invoice.public_id])
    assert agent.get(ok).status_code == 200
    assert agent.get(wrong).status_code == 404
