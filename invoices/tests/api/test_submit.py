"""``soumettre``, ``completer`` and ``recycler``: the entry form and the actions, by API."""

from __future__ import annotations

import base64
import datetime
import io
from typing import Any

import pikepdf
import pytest
from django.utils import timezone

from chorus.accounts.models import Structure
from chorus.api.choices import Scope
from chorus.api.testing import CproCaller, cpro_caller
from invoices.choices import DepositMode, InvoiceStatus
from invoices.models import Flow, Invoice, InvoiceDraft, UploadedAttachment
from invoices.tests.documents import BUYER_SIRET, SERVICE_CODE
from invoices.tests.factories import make_invoice, make_recipient, make_structure
from public_entities.models import EntityService

pytestmark = pytest.mark.django_db
SUBMIT = "/cpro/factures/v1/soumettre"
COMPLETE = "/cpro/factures/v1/completer"
RECYCLE = "/cpro/factures/v1/recycler"
HANDLED = "/cpro/factures/v1/traiterRejet"


def invoice_data(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "modeDepot": "SAISIE_API",
        "numeroFactureSaisi": "API-S-1",
        "dateFacture": timezone.localdate().isoformat(),
        "dateEcheancePaiement": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "cadreDeFacturation": {"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"},
        "destinataire": {"codeDestinataire": BUYER_SIRET, "codeServiceExecutant": SERVICE_CODE},
        "references": {
            "deviseFacture": "EUR",
            "typeFacture": "FACTURE",
            "typeTva": "TVA_SUR_DEBIT",
        },
        "lignePoste": [
            {
                "lignePosteNumero": 1,
                "lignePosteDenomination": "Maintenance",
                "lignePosteQuantite": "2",
                "lignePosteUnite": "C62",
                "lignePosteMontantUnitaireHT": "500.00",
                "lignePosteTauxTvaManuel": "20",
            }
        ],
        "montantTotal": {
            "montantHtTotal": "1000.00",
            "montantTVA": "200.00",
            "montantTtcTotal": "1200.00",
            "montantAPayer": "1200.00",
        },
    }
    body.update(changes)
    return body


def test_an_invoice_given_as_data_becomes_a_factur_x_deposit_and_an_invoice(
    caller: CproCaller, supplier: Structure
) -> None:
    response = caller.post(SUBMIT, invoice_data())

    answer = response.json()
    assert response.status_code == 200
    assert answer["codeRetour"] == 0, answer
    invoice = Invoice.objects.get(pk=answer["identifiantFactureCPP"])
    assert invoice.number == "API-S-1"
    assert invoice.supplier == supplier
    assert invoice.total_with_vat == 1200
    assert answer["statutFacture"] == invoice.status
    assert answer["identifiantStructure"] == supplier.identifier
    assert "erreurs" not in answer
    flow = Flow.objects.get()
    assert flow.mode == DepositMode.API_ENTRY
    assert flow.original_name.endswith(".pdf")  # our writer's Factur-X
    assert answer["numeroFluxDepot"] == flow.number
    assert InvoiceDraft.objects.get().flow == flow


def test_the_entry_forms_rules_judge_the_data(caller: CproCaller) -> None:
    body = invoice_data(
        destinataire={"codeDestinataire": BUYER_SIRET, "codeServiceExecutant": "INCONNU"},
        dateEcheancePaiement=None,
    )

    answer = caller.post(SUBMIT, body).json()

    assert answer["codeRetour"] == 1
    assert answer["codeErreur"] == "INVALID_INVOICE"
    fields = {error["champ"] for error in answer["erreurs"]}
    assert "destinataire.codeServiceExecutant" in fields
    assert "dateEcheancePaiement" in fields
    assert not Flow.objects.exists()
    assert not InvoiceDraft.objects.exists()


def test_a_number_already_used_is_refused(caller: CproCaller) -> None:
    assert caller.post(SUBMIT, invoice_data()).json()["codeRetour"] == 0

    again = caller.post(SUBMIT, invoice_data()).json()

    assert again["codeRetour"] == 1
    assert {e["champ"] for e in again["erreurs"]} == {"numeroFactureSaisi"}
    assert Flow.objects.count() == 1


def test_an_unknown_vat_rate_names_its_line(caller: CproCaller) -> None:
    body = invoice_data()
    body["lignePoste"][0]["lignePosteTauxTvaManuel"] = "7"

    answer = caller.post(SUBMIT, body).json()

    assert answer["codeRetour"] == 1
    assert answer["erreurs"][0]["champ"] == "lignePoste[0].lignePosteTauxTva"


def test_totals_that_differ_from_the_lines_are_reported(caller: CproCaller) -> None:
    body = invoice_data()
    body["montantTotal"]["montantTtcTotal"] = "1100.00"

    answer = caller.post(SUBMIT, body).json()

    assert answer["codeRetour"] == 0
    assert [e["champ"] for e in answer["erreurs"]] == ["montantTotal.montantTtcTotal"]


@pytest.mark.parametrize(
    "changes",
    [
        {"cadreDeFacturation": {"codeCadreFacturation": "A3_MEMOIRE_JUSTICE"}},
        {"dateFacture": "07/12/2026"},
        {"references": {"typeFacture": "NOTE"}},
        {"numeroFactureSaisi": "X" * 21},
        {"champInconnu": 1},
    ],
)
def test_malformed_data_is_refused(caller: CproCaller, changes: dict[str, Any]) -> None:
    response = caller.post(SUBMIT, invoice_data(**changes))

    assert response.status_code == 400
    assert response.json()["codeErreur"] == "INVALID_FIELDS"
    assert not Flow.objects.exists()


def test_an_invoice_without_lines_is_refused(caller: CproCaller) -> None:
    answer = caller.post(SUBMIT, invoice_data(lignePoste=[])).json()

    assert answer["codeRetour"] == 1
    assert answer["erreurs"][0]["champ"] == "lignePoste"
    assert not Flow.objects.exists()


def test_what_the_entry_cannot_carry_is_refused_not_dropped(caller: CproCaller) -> None:
    body = invoice_data()
    body["lignePoste"][0]["lignePosteMontantRemiseHT"] = "10.00"

    answer = caller.post(SUBMIT, body).json()

    assert answer["codeErreur"] == "NOT_SUPPORTED"
    assert not Flow.objects.exists()


def test_another_structure_as_supplier_is_refused(caller: CproCaller) -> None:
    other = make_structure()

    response = caller.post(SUBMIT, invoice_data(fournisseur={"idFournisseur": other.pk}))

    assert response.status_code == 403
    assert not Flow.objects.exists()


def test_soumettre_needs_the_deposit_scope(reader_only: CproCaller) -> None:
    response = reader_only.post(SUBMIT, invoice_data())

    assert response.status_code == 403
    assert response.json()["codeErreur"] == "SCOPE"


# --- completer ----------------------------------------------------------------------------


def test_a_suspended_invoice_is_completed_with_a_comment(
    caller: CproCaller, supplier: Structure
) -> None:
    invoice = make_invoice(supplier=supplier, status=InvoiceStatus.SUSPENDED)

    answer = caller.post(
        COMPLETE, {"identifiantFactureCPP": invoice.pk, "commentaire": "Bon de livraison envoyé"}
    ).json()

    assert answer["codeRetour"] == 0, answer
    assert answer["statutFacture"] == InvoiceStatus.COMPLETED
    assert answer["numeroFacture"] == invoice.number
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.COMPLETED


def test_completing_needs_a_comment_and_a_suspended_invoice(
    caller: CproCaller, supplier: Structure
) -> None:
    suspended = make_invoice(supplier=supplier, status=InvoiceStatus.SUSPENDED)
    available = make_invoice(supplier=supplier)

    empty = caller.post(COMPLETE, {"identifiantFactureCPP": suspended.pk}).json()
    wrong = caller.post(
        COMPLETE, {"identifiantFactureCPP": available.pk, "commentaire": "x"}
    ).json()

    assert empty["codeErreur"] == "EMPTY_COMPLETION"
    assert wrong["codeRetour"] == 1
    available.refresh_from_db()
    assert available.status == InvoiceStatus.MADE_AVAILABLE


@pytest.mark.parametrize("path", [COMPLETE, RECYCLE])
def test_another_structures_invoice_is_answered_as_an_unknown_one(
    caller: CproCaller, path: str
) -> None:
    theirs = make_invoice(status=InvoiceStatus.SUSPENDED)
    body: dict[str, Any] = {"identifiantFactureCPP": theirs.pk}
    if path == COMPLETE:
        body["commentaire"] = "x"
    else:
        body["destinataire"] = {"codeDestinataire": BUYER_SIRET}

    answer = caller.post(path, body).json()
    unknown = caller.post(path, {**body, "identifiantFactureCPP": 999_999_999}).json()

    assert answer["codeErreur"] == unknown["codeErreur"] == "NOT_FOUND"
    theirs.refresh_from_db()
    assert theirs.status == InvoiceStatus.SUSPENDED


# --- recycler -----------------------------------------------------------------------------


def test_an_invoice_to_recycle_is_rerouted(caller: CproCaller, supplier: Structure) -> None:
    invoice = make_invoice(supplier=supplier, status=InvoiceStatus.TO_RECYCLE)
    service = EntityService.objects.get(code=SERVICE_CODE)

    answer = caller.post(
        RECYCLE,
        {
            "identifiantFactureCPP": invoice.pk,
            "destinataire": {"codeDestinataire": BUYER_SIRET, "codeServiceExecutant": SERVICE_CODE},
            "reference": {"numeroBonCommande": "EJ-1"},
        },
    ).json()

    assert answer["codeRetour"] == 0, answer
    invoice.refresh_from_db()
    assert invoice.service == service
    assert invoice.commitment_number == "EJ-1"
    assert answer["statutFacture"] == invoice.status == InvoiceStatus.MADE_AVAILABLE


def test_recycling_refuses_an_unknown_recipient_and_other_statuses(
    caller: CproCaller, supplier: Structure
) -> None:
    to_recycle = make_invoice(supplier=supplier, status=InvoiceStatus.TO_RECYCLE)
    available = make_invoice(supplier=supplier)
    _, service = make_recipient()

    unknown = caller.post(
        RECYCLE,
        {"identifiantFactureCPP": to_recycle.pk, "destinataire": {"codeDestinataire": "1" * 14}},
    ).json()
    wrong = caller.post(
        RECYCLE,
        {
            "identifiantFactureCPP": available.pk,
            "destinataire": {
                "codeDestinataire": service.structure.identifier,
                "codeServiceExecutant": service.code,
            },
        },
    ).json()

    assert unknown["codeRetour"] == 1
    assert wrong["codeErreur"] == "NOT_TO_RECYCLE"
    to_recycle.refresh_from_db()
    assert to_recycle.status == InvoiceStatus.TO_RECYCLE


@pytest.mark.parametrize("path", [COMPLETE, RECYCLE, HANDLED])
def test_supplier_actions_need_the_deposit_scope(supplier: Structure, path: str) -> None:
    caller = cpro_caller(supplier, scopes=[Scope.READ])
    invoice = make_invoice(supplier=supplier, status=InvoiceStatus.SUSPENDED)

    response = caller.post(path, {"identifiantFactureCPP": invoice.pk})

    assert response.status_code == 403


# --- traiterRejet -------------------------------------------------------------------------


def test_rejections_are_marked_as_handled(caller: CproCaller, supplier: Structure) -> None:
    rejected = make_invoice(supplier=supplier, status=InvoiceStatus.REJECTED)
    available = make_invoice(supplier=supplier)

    answer = caller.post(
        HANDLED,
        {
            "listeDemandePaiement": [
                {"idDemandePaiement": rejected.pk},
                {"idDemandePaiement": available.pk},
            ],
            "motifRejet": "Corrigée",
        },
    ).json()

    assert answer["codeRetour"] == 0
    assert answer["nbFacturesTraitees"] == 1
    rejected.refresh_from_db()
    available.refresh_from_db()
    assert rejected.supplier_acknowledged_at is not None
    assert available.supplier_acknowledged_at is None


def test_another_structures_rejection_refuses_the_whole_call(
    caller: CproCaller, supplier: Structure
) -> None:
    mine = make_invoice(supplier=supplier, status=InvoiceStatus.REJECTED)
    theirs = make_invoice(status=InvoiceStatus.REJECTED)

    answer = caller.post(
        HANDLED,
        {
            "listeDemandePaiement": [
                {"idDemandePaiement": mine.pk},
                {"idDemandePaiement": theirs.pk},
            ]
        },
    ).json()

    assert answer["codeErreur"] == "NOT_FOUND"
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.supplier_acknowledged_at is None
    assert theirs.supplier_acknowledged_at is None


# --- ajouter/fichier and attachments -------------------------------------------------------

ADD_FILE = "/cpro/transverses/v1/ajouter/fichier"


def _pdf() -> bytes:
    document = pikepdf.new()
    document.add_blank_page()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PDF = _pdf()


def _send(caller: CproCaller, data: bytes, name: str, extension: str = "") -> Any:
    body = {
        "pieceJointeFichier": base64.b64encode(data).decode(),
        "pieceJointeNom": name,
        "pieceJointeTypeMime": "application/pdf",
    }
    if extension:
        body["pieceJointeExtension"] = extension
    return caller.post(ADD_FILE, body).json()


def test_a_file_sent_ahead_gets_an_id(caller: CproCaller, supplier: Structure) -> None:
    answer = _send(caller, PDF, "bon-de-livraison", extension="pdf")

    assert answer["codeRetour"] == 0, answer
    row = UploadedAttachment.objects.get(pk=answer["pieceJointeId"])
    assert row.original_name == "bon-de-livraison.pdf"
    assert row.structure == supplier
    assert row.size == len(PDF)


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"MZ\x90\x00 program", "facture.pdf", "FILE_EXECUTABLE"),
        (b"plain text", "facture.pdf", "FILE_CONTENT_MISMATCH"),
        (PDF, "sans-extension", "ATTACHMENT_NAME"),
        (PDF, "x" * 60 + ".pdf", "ATTACHMENT_NAME"),
        (PDF, "../facture.pdf", "FILE_NAME_PATH"),
    ],
)
def test_the_portals_attachment_checks_apply(
    caller: CproCaller, data: bytes, name: str, code: str
) -> None:
    answer = _send(caller, data, name)

    assert answer["codeRetour"] == 1
    assert answer["codeErreur"] == code
    assert not UploadedAttachment.objects.exists()


def test_a_file_over_10_mb_is_refused(caller: CproCaller) -> None:
    answer = _send(caller, PDF + b"0" * (10 * 1024 * 1024), "lourd.pdf")

    assert answer["codeErreur"] == "ATTACHMENT_TOO_LARGE"


def test_a_suspended_invoice_is_completed_with_files_sent_ahead(
    caller: CproCaller, supplier: Structure
) -> None:
    invoice = make_invoice(supplier=supplier, status=InvoiceStatus.SUSPENDED)
    file_id = _send(caller, PDF, "bl.pdf")["pieceJointeId"]

    answer = caller.post(
        COMPLETE,
        {
            "identifiantFactureCPP": invoice.pk,
            "pieceJointeComplementaire": [{"pieceJointeComplementaireId": file_id}],
        },
    ).json()

    assert answer["codeRetour"] == 0, answer
    assert list(invoice.attachments.values_list("original_name", flat=True)) == ["bl.pdf"]


def test_another_structures_file_cannot_be_used(caller: CproCaller, supplier: Structure) -> None:
    other = cpro_caller(make_structure())
    theirs = _send(other, PDF, "leur.pdf")["pieceJointeId"]
    invoice = make_invoice(supplier=supplier, status=InvoiceStatus.SUSPENDED)

    answer = caller.post(
        COMPLETE,
        {
            "identifiantFactureCPP": invoice.pk,
            "pieceJointeComplementaire": [{"pieceJointeComplementaireId": theirs}],
        },
    ).json()

    assert answer["codeErreur"] == "ATTACHMENT_NOT_FOUND"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SUSPENDED
    assert not invoice.attachments.exists()


def test_soumettre_carries_supporting_documents(caller: CproCaller) -> None:
    file_id = _send(caller, PDF, "annexe.pdf")["pieceJointeId"]

    answer = caller.post(
        SUBMIT,
        invoice_data(pieceJointeComplementaire=[{"pieceJointeComplementaireId": file_id}]),
    ).json()

    assert answer["codeRetour"] == 0, answer
    draft = InvoiceDraft.objects.get()
    assert list(draft.attachments.values_list("original_name", flat=True)) == ["annexe.pdf"]


def test_depot_pdf_api_needs_the_invoice_pdf(caller: CproCaller) -> None:
    answer = caller.post(SUBMIT, invoice_data(modeDepot="DEPOT_PDF_API")).json()

    assert answer["codeRetour"] == 1
    assert answer["erreurs"][0]["champ"] == "pieceJointePrincipale"
    assert not Flow.objects.exists()


def test_depot_pdf_api_makes_the_suppliers_pdf_a_factur_x(caller: CproCaller) -> None:
    pdf_id = _send(caller, PDF, "facture.pdf")["pieceJointeId"]

    answer = caller.post(
        SUBMIT,
        invoice_data(
            modeDepot="DEPOT_PDF_API",
            pieceJointePrincipale=[{"pieceJointePrincipaleId": pdf_id}],
        ),
    ).json()

    assert answer["codeRetour"] == 0, answer
    flow = Flow.objects.get()
    assert flow.mode == DepositMode.API_PDF
    assert InvoiceDraft.objects.get().kind == InvoiceDraft.Kind.PDF
    assert Invoice.objects.filter(pk=answer["identifiantFactureCPP"]).exists()
