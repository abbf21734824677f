"""``rechercher``, ``consulter``, ``historique``, ``traiter/recue``, ``telecharger/groupe``."""

from __future__ import annotations

import base64
import datetime
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from chorus.accounts.models import Structure
from chorus.api.choices import Scope
from chorus.api.testing import cpro_caller
from chorus.circuits.roles import Role
from chorus.core.actor import system_actor
from invoices.choices import InvoiceStatus
from invoices.lifecycle import invoice_transition
from invoices.models import Invoice, InvoiceAttachment, InvoiceEvent
from invoices.tests.factories import make_invoice, make_line, make_recipient, make_structure
from public_entities.models import EntityService

pytestmark = pytest.mark.django_db

BASE = "/cpro/factures/v1/"
S = InvoiceStatus


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    assert body["codeRetour"] == 0, body
    return body


@pytest.fixture
def parties() -> tuple[Structure, EntityService]:
    _entity, service = make_recipient()
    return make_structure(), service


def numbers(body: dict[str, Any]) -> list[str]:
    return sorted(row["numeroFacture"] for row in body["listeFactures"])


def test_a_supplier_finds_its_invoices_by_number_status_dates_and_amounts(
    parties: tuple[Structure, EntityService],
) -> None:
    supplier, service = parties
    first = make_invoice(supplier=supplier, service=service, number="F-A1")
    make_invoice(
        supplier=supplier,
        service=service,
        number="F-B2",
        status=S.REJECTED,
        total_with_vat=Decimal("900.00"),
        issue_date=datetime.date(2026, 1, 15),
    )
    make_invoice(number="F-A1-OTHER")  # another supplier's: never found
    caller = cpro_caller(supplier)
    url = BASE + "rechercher/fournisseur"

    everything = ok(caller.post(url, {}))
    assert numbers(everything) == ["F-A1", "F-B2"]
    assert everything["parametresRetour"]["total"] == 2
    assert numbers(ok(caller.post(url, {"numeroFacture": "a1"}))) == ["F-A1"]
    assert numbers(ok(caller.post(url, {"statutCourant": ["REJETEE", "SUSPENDUE"]}))) == ["F-B2"]
    assert numbers(ok(caller.post(url, {"montantTTCMin": "500"}))) == ["F-B2"]
    assert numbers(
        ok(
            caller.post(
                url, {"periodeDateFactureDu": "2026-01-01", "periodeDateFactureAu": "2026-01-31"}
            )
        )
    ) == ["F-B2"]
    by_flow = ok(caller.post(url, {"numeroFluxDepot": first.flow.number}))
    assert [row["identifiantFactureCPP"] for row in by_flow["listeFactures"]] == [first.pk]
    row = by_flow["listeFactures"][0]
    assert row["codeDestinataire"] == service.structure.identifier
    assert row["codeServiceExecutant"] == service.code
    assert row["statut"] == "MISE_A_DISPOSITION"
    assert row["rejetTraite"] is False


def test_a_search_pages_and_sorts_as_chorus_pro(parties: tuple[Structure, EntityService]) -> None:
    supplier, service = parties
    for number in ("F-3", "F-1", "F-2"):
        make_invoice(supplier=supplier, service=service, number=number)
    caller = cpro_caller(supplier)
    body = ok(
        caller.post(
            BASE + "rechercher/fournisseur",
            {
                "rechercheFactureParFournisseur": {
                    "pageResultatDemandee": 2,
                    "nbResultatsParPage": 2,
                    "triColonne": "NumeroFacture",
                    "triSens": "Ascendant",
                }
            },
        )
    )
    assert [row["numeroFacture"] for row in body["listeFactures"]] == ["F-3"]
    assert body["parametresRetour"] == {
        "pageCourante": 2,
        "pages": 2,
        "nbResultatsParPage": 2,
        "total": 3,
    }
    refused = caller.post(
        BASE + "rechercher/fournisseur", {"rechercheFactureParFournisseur": {"triColonne": "x"}}
    )
    assert refused.status_code == 400
    assert "triColonne" in refused.json()["libelle"]


def test_a_search_costs_the_same_queries_for_one_invoice_or_twenty(
    parties: tuple[Structure, EntityService], django_assert_max_num_queries: Any
) -> None:
    supplier, service = parties
    for _ in range(20):
        make_invoice(supplier=supplier, service=service)
    caller = cpro_caller(supplier)
    caller.fetch_token()
    # token, technical account, connection, membership, count, page, audit row (+ savepoints)
    with django_assert_max_num_queries(14):
        body = ok(caller.post(BASE + "rechercher/fournisseur", {}))
    assert len(body["listeFactures"]) == 20


def test_a_supplier_never_sees_a_payment_step_its_recipient_hides() -> None:
    entity, service = make_recipient(manages_payment_status=False)
    supplier = make_structure()
    make_invoice(supplier=supplier, service=service, number="F-PAID", status=S.PAYMENT_SENT)
    caller = cpro_caller(supplier)
    url = BASE + "rechercher/fournisseur"
    assert ok(caller.post(url, {"statutCourant": ["MISE_EN_PAIEMENT"]}))["listeFactures"] == []
    found = ok(caller.post(url, {"statutCourant": ["COMPTABILISEE"]}))["listeFactures"]
    assert [(row["numeroFacture"], row["statut"]) for row in found] == [("F-PAID", "COMPTABILISEE")]
    recipient = cpro_caller(entity.structure)
    seen = ok(
        recipient.post(BASE + "rechercher/recipiendaire", {"statutCourant": ["MISE_EN_PAIEMENT"]})
    )
    assert [row["statut"] for row in seen["listeFactures"]] == ["MISE_EN_PAIEMENT"]


def test_a_recipient_finds_what_it_received_by_supplier_and_service(
    parties: tuple[Structure, EntityService],
) -> None:
    supplier, service = parties
    other_service = EntityService.objects.create(structure=service.structure, code="S2", name="B")
    make_invoice(supplier=supplier, service=service, number="F-1")
    make_invoice(supplier=supplier, service=other_service, number="F-2")
    make_invoice(service=service, number="F-3")  # another supplier
    make_invoice(number="F-4")  # another recipient: never found
    caller = cpro_caller(service.structure)
    url = BASE + "rechercher/recipiendaire"
    assert numbers(ok(caller.post(url, {}))) == ["F-1", "F-2", "F-3"]
    by_supplier = {"listeFournisseurs": [{"idFournisseur": supplier.pk}]}
    assert numbers(ok(caller.post(url, by_supplier))) == ["F-1", "F-2"]
    assert numbers(ok(caller.post(url, {"idServiceExecutant": other_service.pk}))) == ["F-2"]
    elsewhere = ok(caller.post(url, {"idDestinataire": supplier.pk}))
    assert elsewhere["listeFactures"] == []


def test_consulter_gives_the_invoice_in_full_to_either_side_and_nobody_else(
    parties: tuple[Structure, EntityService],
) -> None:
    supplier, service = parties
    invoice = make_invoice(supplier=supplier, service=service, commitment_number="EJ-77")
    make_line(invoice)
    invoice.vat_breakdown.create(
        category="S",
        rate=Decimal("20.00"),
        taxable_amount=Decimal("100.00"),
        tax_amount=Decimal("20.00"),
    )
    attachment = InvoiceAttachment(
        invoice=invoice,
        original_name="bon.pdf",
        size=4,
        sha256="0" * 64,
        mime_type="application/pdf",
    )
    attachment.file.save("bon.pdf", ContentFile(b"%PDF"), save=True)
    body = {"identifiantFactureCPP": invoice.pk}

    facture = ok(cpro_caller(supplier).post(BASE + "consulter/fournisseur", body))["facture"]
    assert facture["numeroFacture"] == invoice.number
    assert facture["statutFacture"] == "MISE_A_DISPOSITION"
    assert facture["montantTotal"]["montantTtcTotal"] == "120.00"
    assert facture["references"]["numeroBonCommande"] == "EJ-77"
    assert facture["destinataire"]["codeServiceExecutant"] == service.code
    assert facture["lignesDePoste"]["lignePoste"][0]["lignePosteQuantite"] == "10"
    assert facture["lignesDePoste"]["lignePoste"][0]["lignePosteUniteCode"] == "HUR"
    assert facture["recapitulatifDeTva"]["ligneTva"][0]["ligneTvaMontantTvaParTaux"] == "20.00"
    assert facture["listeDesPiecesJointes"]["pieceJointe"][0]["pieceJointeDesignation"] == "bon.pdf"
    received = ok(cpro_caller(service.structure).post(BASE + "consulter/recipiendaire", body))
    assert received["facture"]["identifiantFactureCPP"] == invoice.pk

    # The wrong side, or another structure: the same answer as an unknown invoice.
    for caller, path in (
        (cpro_caller(supplier), "consulter/recipiendaire"),
        (cpro_caller(service.structure), "consulter/fournisseur"),
        (cpro_caller(make_structure()), "consulter/fournisseur"),
    ):
        refused = caller.post(BASE + path, body).json()
        assert refused["codeErreur"] == "NOT_FOUND", path
        assert invoice.number not in str(refused)


def test_the_history_lists_each_status_and_names_only_the_callers_colleagues(
    parties: tuple[Structure, EntityService],
) -> None:
    supplier, service = parties
    invoice = make_invoice(supplier=supplier, service=service)
    recipient_caller = cpro_caller(service.structure)
    ok(
        recipient_caller.post(
            BASE + "traiter/recue",
            {"idFacture": invoice.pk, "nouveauStatut": "SUSPENDUE", "motif": "Il manque le bon"},
        )
    )
    url = BASE + "consulter/historique"
    seen_by_recipient = ok(recipient_caller.post(url, {"idFacture": invoice.pk}))
    assert seen_by_recipient["statutCourantCode"] == "SUSPENDUE"
    step = seen_by_recipient["historiquesDesStatuts"]["histoStatut"][-1]
    assert step["histoStatutCode"] == "SUSPENDUE"
    assert step["histoStatutCodeReforme"] == "208"
    assert step["histoStatutMotifCode"] == "AUTRE"
    assert step["histoStatutCommentaire"] == "Il manque le bon"
    account = recipient_caller.credentials.connection.technical_account.user
    assert step["histoStatutUtilisateurEmail"] == account.email  # its own account is named

    seen_by_supplier = ok(cpro_caller(supplier).post(url, {"idFacture": invoice.pk}))
    other_side = seen_by_supplier["historiquesDesStatuts"]["histoStatut"][-1]
    assert other_side["histoStatutCommentaire"] == "Il manque le bon"
    assert other_side["histoStatutUtilisateurEmail"] == ""  # the recipient's people stay unnamed
    refused = cpro_caller(make_structure()).post(url, {"idFacture": invoice.pk}).json()
    assert refused["codeErreur"] == "NOT_FOUND"


def test_traiter_recue_moves_the_invoice_through_the_portals_rules(
    parties: tuple[Structure, EntityService],
) -> None:
    supplier, service = parties
    invoice = make_invoice(supplier=supplier, service=service)
    caller = cpro_caller(service.structure, scopes=[Scope.PROCESS, Scope.READ])
    url = BASE + "traiter/recue"
    answer = ok(caller.post(url, {"idFacture": invoice.pk, "nouveauStatut": "SERVICE_FAIT"}))
    assert answer["nouveauStatut"] == "SERVICE_FAIT"
    assert answer["dateTraitement"] == timezone.localdate().isoformat()
    mandated = ok(
        caller.post(
            url, {"idFacture": invoice.pk, "nouveauStatut": "MANDATEE", "numeroDPMandat": "M-42"}
        )
    )
    assert mandated["nouveauStatut"] == "MANDATEE"
    event = InvoiceEvent.objects.filter(invoice=invoice).latest("id")
    assert event.mandate_number == "M-42"
    assert event.user == caller.credentials.connection.technical_account.user


def test_traiter_recue_refuses_what_the_portal_refuses(
    parties: tuple[Structure, EntityService],
) -> None:
    supplier, service = parties
    invoice = make_invoice(supplier=supplier, service=service, status=S.REJECTED)
    caller = cpro_caller(service.structure)
    url = BASE + "traiter/recue"
    final = caller.post(url, {"idFacture": invoice.pk, "nouveauStatut": "SERVICE_FAIT"}).json()
    assert final["codeRetour"] == 1
    assert final["libelle"]
    open_invoice = make_invoice(supplier=supplier, service=service)
    no_reason = caller.post(url, {"idFacture": open_invoice.pk, "nouveauStatut": "REJETEE"}).json()
    assert no_reason["codeErreur"] == "REASON_REQUIRED"
    stale = caller.post(
        url,
        {
            "idFacture": open_invoice.pk,
            "nouveauStatut": "SERVICE_FAIT",
            "statutAttendu": "SUSPENDUE",
        },
    ).json()
    assert stale["codeRetour"] == 1
    open_invoice.refresh_from_db()
    assert open_invoice.status == S.MADE_AVAILABLE
    by_code = ok(
        caller.post(
            url, {"idFacture": open_invoice.pk, "nouveauStatut": "REJETEE", "motif": "DOUBLON"}
        )
    )
    assert by_code["nouveauStatut"] == "REJETEE"
    assert InvoiceEvent.objects.filter(invoice=open_invoice).latest("id").reason.code == "DOUBLON"


def test_traiter_recue_needs_the_process_scope_and_the_recipient_side(
    parties: tuple[Structure, EntityService],
) -> None:
    supplier, service = parties
    invoice = make_invoice(supplier=supplier, service=service)
    url = BASE + "traiter/recue"
    body = {"idFacture": invoice.pk, "nouveauStatut": "SERVICE_FAIT"}
    reader = cpro_caller(service.structure, scopes=[Scope.READ])
    assert reader.post(url, body).status_code == 403
    as_supplier = cpro_caller(supplier).post(url, body).json()
    assert as_supplier["codeErreur"] == "NOT_FOUND"
    invoice.refresh_from_db()
    assert invoice.status == S.MADE_AVAILABLE


def _stored_original(invoice: Invoice, data: bytes = b"<Invoice/>") -> None:
    main = InvoiceAttachment(
        invoice=invoice,
        original_name="facture.xml",
        size=len(data),
        sha256="0" * 64,
        mime_type="application/xml",
        is_main=True,
    )
    main.file.save("facture.xml", ContentFile(data), save=True)


def test_telecharger_groupe_serves_the_original_or_a_zip_and_only_ones_own(
    parties: tuple[Structure, EntityService],
) -> None:
    supplier, service = parties
    first = make_invoice(supplier=supplier, service=service, number="F-1")
    second = make_invoice(supplier=supplier, service=service, number="F-2")
    _stored_original(first, b"<Invoice>1</Invoice>")
    _stored_original(second, b"<Invoice>2</Invoice>")
    caller = cpro_caller(supplier)
    url = BASE + "telecharger/groupe"

    one = ok(caller.post(url, {"listeFacture": [{"idFacture": first.pk}], "format": "XML"}))
    assert base64.b64decode(one["fichierResultat"]) == b"<Invoice>1</Invoice>"
    assert one["typeMime"] == "application/xml"
    both = ok(
        caller.post(
            url,
            {"listeFacture": [{"idFacture": first.pk}, {"idFacture": second.pk}], "format": "XML"},
        )
    )
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(both["fichierResultat"])))
    assert len(archive.namelist()) == 2
    assert sorted(archive.read(name) for name in archive.namelist()) == [
        b"<Invoice>1</Invoice>",
        b"<Invoice>2</Invoice>",
    ]
    # The recipient downloads it too; a stranger cannot, even mixed with its own.
    ok(
        cpro_caller(service.structure).post(
            url, {"listeFacture": [{"idFacture": first.pk}], "format": "XML"}
        )
    )
    stranger = make_structure()
    own = make_invoice(supplier=stranger, service=service)
    _stored_original(own)
    refused = cpro_caller(stranger).post(
        url, {"listeFacture": [{"idFacture": own.pk}, {"idFacture": first.pk}], "format": "XML"}
    )
    assert refused.json()["codeErreur"] == "NOT_FOUND"
    assert "fichierResultat" not in refused.json()


def test_telecharger_groupe_refuses_an_empty_or_malformed_list(
    parties: tuple[Structure, EntityService],
) -> None:
    supplier, _service = parties
    caller = cpro_caller(supplier)
    url = BASE + "telecharger/groupe"
    assert caller.post(url, {"listeFacture": []}).status_code == 400
    assert caller.post(url, {"listeFacture": [{"idFacture": "x"}]}).status_code == 400
    assert (
        caller.post(url, {"listeFacture": [{"idFacture": 1}], "format": "DOC"}).status_code == 400
    )


def test_a_transition_made_in_the_portal_shows_in_the_api_history(
    parties: tuple[Structure, EntityService],
) -> None:
    supplier, service = parties
    invoice = make_invoice(supplier=supplier, service=service)
    invoice_transition(
        invoice_id=invoice.pk,
        to=S.TAKEN_INTO_ACCOUNT,
        actor=system_actor("test"),
        role=Role.RECIPIENT,
    )
    body = ok(cpro_caller(supplier).post(BASE + "consulter/historique", {"idFacture": invoice.pk}))
    assert body["statutCourantCode"] == "PRISE_EN_COMPTE_DESTINATAIRE"
    assert [h["histoStatutCode"] for h in body["historiquesDesStatuts"]["histoStatut"]] == [
        "PRISE_EN_COMPTE_DESTINATAIRE"
    ]
