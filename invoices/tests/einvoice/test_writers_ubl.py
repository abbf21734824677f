"""UBL writer: schema validity, EN 16931 validity, round trip through the UBL reader."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from invoices.einvoice.model import Invoice
from invoices.einvoice.readers import read_invoice
from invoices.einvoice.schemas import xsd_errors
from invoices.einvoice.syntax import Syntax
from invoices.einvoice.validation import validate_invoice
from invoices.einvoice.writers import WriterError, write_cii, write_ubl
from invoices.tests.einvoice.strategies import french_b2g_invoice, invoices, semantic

CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"


def fatal(report: object) -> list[tuple[str, str]]:
    return [(f.rule_id, f.text()) for f in report.findings if f.severity == "fatal"]


def credit_note() -> Invoice:
    invoice = french_b2g_invoice()
    invoice.type_code = "381"
    invoice.number = "AV2025-0007"
    return invoice


def test_example_is_a_schema_valid_ubl_invoice() -> None:
    root = etree.fromstring(write_ubl(french_b2g_invoice()))
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
    assert list(xsd_errors(root, Syntax.UBL_INVOICE)) == []


def test_example_validates_and_round_trips() -> None:
    invoice = french_b2g_invoice()
    xml = write_ubl(invoice)
    report = validate_invoice(xml)
    assert report.valid
    assert report.findings == []
    assert semantic(read_invoice(xml)) == semantic(invoice)


def test_credit_note_type_gives_a_ubl_credit_note() -> None:
    invoice = credit_note()
    xml = write_ubl(invoice)
    root = etree.fromstring(xml)
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
    assert root.findtext(f"{CBC}CreditNoteTypeCode") == "381"
    assert root.find(f"{CBC}DueDate") is None  # a CreditNote has no DueDate...
    assert list(xsd_errors(root, Syntax.UBL_CREDIT_NOTE)) == []
    assert validate_invoice(xml).valid
    back = read_invoice(xml)
    assert back.due_date == date(2025, 4, 13)  # ...BT-9 travels in PaymentMeans
    assert semantic(back) == semantic(invoice)


def test_cii_and_ubl_carry_the_same_model() -> None:
    """Writing both syntaxes from one model reads back the same content."""
    invoice = french_b2g_invoice()
    assert semantic(read_invoice(write_ubl(invoice))) == semantic(read_invoice(write_cii(invoice)))


def test_bt8_from_a_cii_model_is_written_with_the_ubl_code_list() -> None:
    invoice = french_b2g_invoice()
    invoice.tax_point_date_code = "29"  # UNTDID 2475, as the CII reader gives it
    root = etree.fromstring(write_ubl(invoice))
    assert root.findtext(f"{{*}}InvoicePeriod/{CBC}DescriptionCode") == "35"


def test_sepa_scheme_is_reserved_for_the_creditor_identifier() -> None:
    invoice = french_b2g_invoice()
    assert invoice.seller is not None
    invoice.seller.identifiers = [type(invoice.seller.electronic_address)("X", "SEPA")]  # type: ignore[misc]
    with pytest.raises(WriterError):
        write_ubl(invoice)


def test_credit_note_project_reference_round_trips() -> None:
    invoice = credit_note()
    invoice.project_reference = "PROJET-42"
    back = read_invoice(write_ubl(invoice))
    assert (back.project_reference, len(back.additional_documents)) == ("PROJET-42", 0)


def test_sales_order_without_purchase_order_round_trips() -> None:
    invoice = french_b2g_invoice()
    invoice.purchase_order_reference = None
    invoice.sales_order_reference = "CDE-77"
    back = read_invoice(write_ubl(invoice))
    assert (back.purchase_order_reference, back.sales_order_reference) == (None, "CDE-77")


def test_bt8_without_invoicing_period_round_trips() -> None:
    invoice = french_b2g_invoice()
    invoice.invoicing_period = None
    invoice.tax_point_date_code = "3"
    back = read_invoice(write_ubl(invoice))
    assert (back.tax_point_date_code, back.invoicing_period) == ("3", None)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(invoices("ubl"))
def test_round_trip_and_validity(invoice: Invoice) -> None:
    xml = write_ubl(invoice)
    assert semantic(read_invoice(xml)) == semantic(invoice)
    assert fatal(validate_invoice(xml)) == []
