"""Deposit processing: every portal rule, duplicates, archives, idempotency, failures."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.utils import translation

from chorus.accounts.models import Structure
from chorus.accounts.tests.factories import make_user
from chorus.circuits.triggers import status_guard_ignored
from chorus.core.actor import Actor
from invoices.choices import DepositMode, FlowStatus, InvoiceStatus
from invoices.circuit import FLOW
from invoices.models import Flow, Invoice
from invoices.reports import finding_message
from invoices.services import processing
from invoices.services.deposit import DepositRefused, flow_receive
from invoices.services.processing import flow_claim, flow_process
from invoices.tests.documents import SERVICE_CODE, ubl_invoice, zip_of
from public_entities.models import EntityService, PublicEntity

pytestmark = pytest.mark.django_db


def _deposit(supplier: Structure, data: bytes, name: str = "facture.xml") -> Flow:
    actor = Actor(user=make_user())
    flow = flow_receive(
        actor=actor, structure=supplier, mode=DepositMode.PORTAL_UPLOAD, name=name, content=data
    )
    result = flow_process(flow_id=flow.pk)
    assert result is not None
    return result


def _rule_ids(flow: Flow) -> set[str]:
    ids = {f["rule_id"] for f in flow.report["findings"]}
    for document in flow.report["documents"]:
        ids |= {f["rule_id"] for f in document["findings"] if f["severity"] == "fatal"}
    return ids


def test_valid_invoice_is_integrated_and_made_available(supplier, recipient):
    flow = _deposit(supplier, ubl_invoice())

    assert flow.status == FlowStatus.INTEGRATED
    assert flow.syntax == "IN_DP_E1_UBL_INVOICE"
    invoice = Invoice.objects.get(flow=flow)
    assert invoice.status == InvoiceStatus.MADE_AVAILABLE
    assert invoice.recipient == recipient.structure
    assert invoice.service is not None
    assert invoice.service.code == SERVICE_CODE
    assert invoice.number == "F-2025-0001"
    assert str(invoice.total_with_vat) == "1200.00"
    assert invoice.lines.count() >= 1
    assert invoice.vat_breakdown.count() == 1
    assert invoice.attachments.get(is_main=True).sha256 == flow.sha256
    assert [e.to_status for e in invoice.events.all()] == [
        InvoiceStatus.ROUTING,
        InvoiceStatus.MADE_AVAILABLE,
    ]
    assert flow.report["summary"] == {"documents": 1, "accepted": 1, "rejected": 0}


def test_original_bytes_are_stored_unchanged(supplier, recipient):
    data = ubl_invoice()
    flow = _deposit(supplier, data)

    with flow.file.open("rb") as handle:
        assert handle.read() == data
    assert flow.size == len(data)


def test_processing_twice_has_one_effect(supplier, recipient):
    flow = _deposit(supplier, ubl_invoice())
    with status_guard_ignored(FLOW):  # as if the worker died after its commit
        Flow.objects.filter(pk=flow.pk).update(status=FlowStatus.RECEIVED)

    again = flow_process(flow_id=flow.pk)

    assert again is not None
    assert again.status == FlowStatus.INTEGRATED
    assert Invoice.objects.filter(flow=flow).count() == 1


def test_a_flow_held_by_a_worker_is_not_claimed_twice(supplier, recipient):
    flow = flow_receive(
        actor=Actor(user=make_user()),
        structure=supplier,
        mode=DepositMode.BATCH,
        name="f.xml",
        content=ubl_invoice(),
    )

    assert flow_claim(flow_id=flow.pk) is True
    assert flow_claim(flow_id=flow.pk) is False


@pytest.mark.parametrize(
    ("kwargs", "rule_id"),
    [
        ({"buyer": "21750001600019"}, "CHORUS-RECIPIENT_NOT_FOUND"),
        ({"service_code": "INCONNU"}, "CHORUS-SERVICE_NOT_FOUND"),
        ({"seller": "55208131766522"}, "CHORUS-SELLER-MISMATCH"),
        ({"framework": "A3"}, "CHORUS-FRAMEWORK"),
    ],
)
def test_each_portal_rule_rejects_with_its_id(supplier, recipient, kwargs: dict[str, Any], rule_id):
    flow = _deposit(supplier, ubl_invoice(**kwargs))

    assert flow.status == FlowStatus.REJECTED
    assert rule_id in _rule_ids(flow)
    assert not Invoice.objects.exists()


def test_inactive_recipient_is_refused(supplier, recipient):
    Structure.objects.filter(pk=recipient.structure.pk).update(is_active=False)

    flow = _deposit(supplier, ubl_invoice())

    assert "CHORUS-RECIPIENT_INACTIVE" in _rule_ids(flow)


def test_inactive_service_is_refused(supplier, recipient):
    EntityService.objects.filter(code=SERVICE_CODE).update(is_active=False)

    flow = _deposit(supplier, ubl_invoice())

    assert "CHORUS-SERVICE_INACTIVE" in _rule_ids(flow)


def test_service_code_required_by_the_recipient(supplier, recipient):
    PublicEntity.objects.filter(pk=recipient.pk).update(service_code_required=True)

    flow = _deposit(supplier, ubl_invoice(service_code=""))

    assert "CHORUS-SERVICE_REQUIRED" in _rule_ids(flow)


def test_commitment_number_required_names_the_field(supplier, recipient):
    PublicEntity.objects.filter(pk=recipient.pk).update(commitment_required=True)

    flow = _deposit(supplier, ubl_invoice(commitment=""))

    assert "CHORUS-COMMITMENT_REQUIRED" in _rule_ids(flow)
    finding = next(
        f
        for f in flow.report["documents"][0]["findings"]
        if f["rule_id"] == "CHORUS-COMMITMENT_REQUIRED"
    )
    assert finding["location"] == "BT-13"
    with translation.override("fr"):
        assert "engagement juridique" in finding_message(finding)
    with translation.override("en"):
        assert "commitment number" in finding_message(finding)


def test_number_already_used_this_year_is_refused(supplier, recipient):
    _deposit(supplier, ubl_invoice(number="F-1"))

    # Different bytes (another service code spelling is not needed: change only a note).
    second = _deposit(supplier, ubl_invoice(number="F-1").replace(b"prestations", b"travaux"))

    assert second.status == FlowStatus.REJECTED
    assert "CHORUS-DUPLICATE-NUMBER" in _rule_ids(second)


def test_same_file_deposited_twice_is_refused(supplier, recipient):
    data = ubl_invoice(number="F-2")
    _deposit(supplier, data)

    second = _deposit(supplier, data)

    assert second.status == FlowStatus.REJECTED
    assert "CHORUS-DUPLICATE-FILE" in _rule_ids(second)
    assert Invoice.objects.count() == 1


def test_archive_with_two_invoices_integrates_both(supplier, recipient):
    archive = zip_of({"a.xml": ubl_invoice(number="A-1"), "b.xml": ubl_invoice(number="B-1")})

    flow = _deposit(supplier, archive, name="lot.zip")

    assert flow.status == FlowStatus.INTEGRATED
    assert sorted(Invoice.objects.values_list("number", flat=True)) == ["A-1", "B-1"]


def test_duplicate_inside_one_deposit_is_refused_and_the_rest_integrated(supplier, recipient):
    archive = zip_of(
        {
            "a.xml": ubl_invoice(number="D-1"),
            "b.xml": ubl_invoice(number="D-1").replace(b"prestations", b"travaux"),
        }
    )

    flow = _deposit(supplier, archive, name="lot.zip")

    assert flow.status == FlowStatus.PARTIALLY_INTEGRATED
    assert "CHORUS-DUPLICATE-IN-DEPOSIT" in _rule_ids(flow)
    assert Invoice.objects.count() == 1


def test_archive_with_a_path_trick_is_refused_whole(supplier, recipient):
    archive = zip_of({"../evil.xml": ubl_invoice()})

    flow = _deposit(supplier, archive, name="lot.zip")

    assert flow.status == FlowStatus.REJECTED
    assert "CHORUS-ARCHIVE-PATH" in _rule_ids(flow)


def test_zip_bomb_is_refused(supplier, recipient):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.xml", b"0" * (20 * 1024 * 1024))

    flow = _deposit(supplier, buffer.getvalue(), name="lot.zip")

    assert flow.status == FlowStatus.REJECTED
    assert "CHORUS-ARCHIVE-SIZE" in _rule_ids(flow)


def test_file_name_longer_than_fifty_characters_is_refused(supplier, recipient):
    flow = _deposit(supplier, ubl_invoice(), name="f" * 47 + ".xml")

    assert "CHORUS-FILE-NAME" in _rule_ids(flow)


def test_invalid_en16931_invoice_is_rejected_with_the_official_rule(supplier, recipient):
    broken = ubl_invoice().replace(
        b'<cbc:TaxAmount currencyID="EUR">200.00</cbc:TaxAmount>\n    <cac:TaxSubtotal>',
        b'<cbc:TaxAmount currencyID="EUR">201.00</cbc:TaxAmount>\n    <cac:TaxSubtotal>',
    )

    flow = _deposit(supplier, broken)

    assert flow.status == FlowStatus.REJECTED
    assert any(rule.startswith("BR-") for rule in _rule_ids(flow))


def test_garbage_is_rejected_with_a_specific_finding(supplier, recipient):
    flow = _deposit(supplier, b"not an invoice at all")

    assert flow.status == FlowStatus.REJECTED
    assert _rule_ids(flow)
    assert all(rule.startswith(("CHORUS-", "XSD")) for rule in _rule_ids(flow))


def test_empty_upload_is_refused_before_storage(supplier):
    with pytest.raises(DepositRefused):
        flow_receive(
            actor=Actor(user=make_user()),
            structure=supplier,
            mode=DepositMode.PORTAL_UPLOAD,
            name="vide.xml",
            content=b"",
        )
    assert not Flow.objects.exists()


def test_unexpected_error_ends_in_a_final_explained_state(supplier, recipient, monkeypatch):
    def explode(**kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(processing, "check_invoice", explode)

    flow = _deposit(supplier, ubl_invoice())

    assert flow.status == FlowStatus.INCIDENT
    assert "boom" in flow.last_error
    assert "CHORUS-INTERNAL" in _rule_ids(flow)


def test_processing_is_enqueued_after_commit(
    supplier, django_capture_on_commit_callbacks, monkeypatch
):
    sent: list[int] = []
    from invoices import tasks

    monkeypatch.setattr(tasks.flow_process_task, "delay", lambda flow_id: sent.append(flow_id))

    with django_capture_on_commit_callbacks(execute=True):
        flow = flow_receive(
            actor=Actor(user=make_user()),
            structure=supplier,
            mode=DepositMode.PORTAL_UPLOAD,
            name="f.xml",
            content=ubl_invoice(),
        )
        assert sent == []

    assert sent == [flow.pk]
