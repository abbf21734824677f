"""Readers: our own samples map to the expected model values, and the corpus reads."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from invoices.einvoice.model import Invoice, InvoiceLine, bt_of
from invoices.einvoice.readers import InvoiceReadError, read_document, read_invoice
from invoices.einvoice.syntax import Syntax, detect_syntax
from invoices.tests.einvoice.conftest import sample

if TYPE_CHECKING:
    from pathlib import Path


def test_ubl_invoice_sample_maps_to_the_semantic_model() -> None:
    inv = read_invoice(sample("ubl_invoice_minimal.xml"))
    assert inv.syntax == "ubl-invoice"
    assert inv.number == "F-2025-0001"
    assert inv.issue_date == date(2025, 3, 14)
    assert inv.due_date == date(2025, 4, 13)
    assert inv.type_code == "380"
    assert inv.currency_code == "EUR"
    assert inv.business_process == "A1"
    assert inv.specification_identifier == "urn:cen.eu:en16931:2017"
    assert inv.buyer_reference == "SERVICE-42"
    assert inv.purchase_order_reference == "EJ-1234567890"
    assert inv.seller is not None
    assert inv.seller.name == "Fournisseur SARL"
    assert inv.seller.legal_registration_id is not None
    assert inv.seller.legal_registration_id.value == "73282932000074"
    assert inv.seller.legal_registration_id.scheme_id == "0009"
    assert inv.seller.vat_identifier == "FR44732829320"
    assert inv.seller.electronic_address is not None
    assert inv.seller.electronic_address.scheme_id == "0009"
    assert inv.buyer is not None
    assert inv.buyer.address is not None
    assert inv.buyer.address.country_code == "FR"
    assert inv.totals is not None
    assert inv.totals.payable_amount == Decimal("1200.00")
    assert inv.totals.vat_total_amount == Decimal("200.00")
    assert [vb.category_code for vb in inv.vat_breakdown] == ["S"]
    assert inv.payment_instructions[0].means_code == "30"
    assert inv.payment_instructions[0].credit_transfers[0].account_id.startswith("FR76")
    line = inv.lines[0]
    assert line.id == "1"
    assert line.quantity == Decimal("10")
    assert line.unit_code == "HUR"
    assert line.net_amount == Decimal("1000.00")
    assert line.vat is not None
    assert line.vat.rate == Decimal("20")
    assert line.item is not None
    assert line.item.name == "Conseil"
    assert line.price is not None
    assert line.price.net_price == Decimal("100.00")
    assert line.source is not None
    assert line.source.line is not None


def test_cii_invoice_sample_maps_to_the_semantic_model() -> None:
    inv = read_invoice(sample("cii_invoice_minimal.xml"))
    assert inv.syntax == "cii"
    assert inv.number == "F-2025-0002"
    assert inv.issue_date == date(2025, 3, 14)
    assert inv.due_date == date(2025, 4, 13)
    assert inv.payment_terms == "Paiement à 30 jours"
    assert inv.purchase_order_reference == "EJ-1234567890"
    assert inv.buyer is not None
    assert inv.buyer.legal_registration_id is not None
    assert inv.buyer.legal_registration_id.value == "11000201100044"
    assert inv.totals is not None
    assert inv.totals.tax_inclusive_amount == Decimal("120.00")
    assert inv.lines[0].quantity == Decimal("20")
    assert inv.vat_breakdown[0].taxable_amount == Decimal("100.00")
    assert inv.locations["BT-1"].line == 14


def test_ubl_credit_note_is_read_with_its_preceding_invoice() -> None:
    inv = read_invoice(sample("ubl_credit_note.xml"))
    assert inv.syntax == "ubl-creditnote"
    assert inv.type_code == "381"
    assert inv.is_credit_note
    assert inv.preceding_invoices[0].number == "F-2025-0001"
    assert inv.preceding_invoices[0].issue_date == date(2025, 3, 14)
    assert inv.lines[0].quantity == Decimal("10")


def test_amounts_keep_their_written_decimals() -> None:
    text = sample("ubl_invoice_minimal.xml").replace(
        b'<cbc:PriceAmount currencyID="EUR">100.00<', b'<cbc:PriceAmount currencyID="EUR">100.0000<'
    )
    inv = read_invoice(text)
    price = inv.lines[0].price
    assert price is not None
    assert price.net_price == Decimal("100.0000")
    assert str(price.net_price) == "100.0000"


def test_an_unparseable_amount_is_recorded_not_guessed() -> None:
    text = sample("cii_invoice_minimal.xml").replace(
        b"<ram:GrandTotalAmount>120.00<", b"<ram:GrandTotalAmount>1_20.00<"
    )
    inv = read_invoice(text)
    assert inv.totals is not None
    assert inv.totals.tax_inclusive_amount is None
    assert inv.unparsed["BT-112"] == "1_20.00"


def test_factur_x_minimum_is_read_without_lines() -> None:
    inv = read_invoice(sample("cii_facturx_minimum.xml"))
    assert inv.lines == []
    assert inv.totals is not None
    assert inv.totals.vat_total_amount == Decimal("20.00")


def test_wrong_root_cannot_be_read() -> None:
    with pytest.raises(InvoiceReadError) as excinfo:
        read_invoice(sample("zugferd1_root.xml"))
    assert excinfo.value.result.findings[0].rule_id == "CHORUS-ROOT"


@pytest.mark.parametrize(
    ("name", "syntax"),
    [
        ("ubl_invoice_minimal.xml", Syntax.UBL_INVOICE),
        ("ubl_credit_note.xml", Syntax.UBL_CREDIT_NOTE),
        ("cii_invoice_minimal.xml", Syntax.CII),
        ("zugferd1_root.xml", Syntax.OTHER_XML),
    ],
)
def test_detect_syntax_from_the_root_element(name: str, syntax: Syntax) -> None:
    assert detect_syntax(sample(name)) is syntax


def test_detect_syntax_of_garbage_is_unknown() -> None:
    assert detect_syntax(b"hello") is Syntax.UNKNOWN
    assert detect_syntax(b"") is Syntax.UNKNOWN


def test_model_fields_carry_their_business_term_ids() -> None:
    assert bt_of(Invoice, "number") == "BT-1"
    assert bt_of(Invoice, "purchase_order_reference") == "BT-13"
    assert bt_of(InvoiceLine, "net_amount") == "BT-131"
    for cls in (Invoice, InvoiceLine):
        for f in dataclasses.fields(cls):
            assert "bt" in f.metadata, f"{cls.__name__}.{f.name} has no bt metadata"


def test_every_xml_invoice_of_the_corpus_reads_into_a_model(
    corpus: Path, verdicts: list[dict[str, str]]
) -> None:
    for row in verdicts:
        result = read_document((corpus / row["file"]).read_bytes())
        if row["syntax"] in {"cii", "ubl-invoice", "ubl-creditnote"}:
            assert result.invoice is not None, row["file"]
        else:
            assert result.invoice is None, row["file"]
            assert result.findings, row["file"]


# --------------------------------------------------------------------------- syntax quirks


def test_cii_bt8_is_mapped_from_untdid_2475_to_2005() -> None:
    rate = (
        b"<ram:RateApplicablePercent>20</ram:RateApplicablePercent>\n"
        b"      </ram:ApplicableTradeTax>"
    )
    data = sample("cii_invoice_minimal.xml").replace(
        rate, b"<ram:DueDateTypeCode>29</ram:DueDateTypeCode>" + rate
    )
    inv = read_invoice(data)
    assert inv.tax_point_date_code == "35"
    assert inv.vat_breakdown[0].tax_point_date_code == "29"  # the CII value as written


def test_ubl_period_holding_only_bt8_is_no_invoicing_period() -> None:
    data = sample("ubl_invoice_minimal.xml").replace(
        b"  <cac:OrderReference>",
        b"  <cac:InvoicePeriod><cbc:DescriptionCode>3</cbc:DescriptionCode></cac:InvoicePeriod>\n"
        b"  <cac:OrderReference>",
        1,
    )
    inv = read_invoice(data)
    assert (inv.tax_point_date_code, inv.invoicing_period) == ("3", None)


def test_ubl_order_reference_na_next_to_sales_order_is_no_bt13() -> None:
    data = sample("ubl_invoice_minimal.xml").replace(
        b"<cbc:ID>EJ-1234567890</cbc:ID>",
        b"<cbc:ID>NA</cbc:ID><cbc:SalesOrderID>CDE-77</cbc:SalesOrderID>",
    )
    inv = read_invoice(data)
    assert (inv.purchase_order_reference, inv.sales_order_reference) == (None, "CDE-77")
    # "NA" alone stays a (strange) BT-13 value: nothing says it stands for nothing
    alone = read_invoice(sample("ubl_invoice_minimal.xml").replace(b"EJ-1234567890", b"NA"))
    assert alone.purchase_order_reference == "NA"


def test_ubl_credit_note_document_type_50_is_the_project_reference() -> None:
    data = sample("ubl_credit_note.xml").replace(
        b"  <cac:AccountingSupplierParty>",
        b"  <cac:AdditionalDocumentReference><cbc:ID>PROJET-42</cbc:ID>"
        b"<cbc:DocumentTypeCode>50</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>\n"
        b"  <cac:AccountingSupplierParty>",
        1,
    )
    inv = read_invoice(data)
    assert (inv.project_reference, len(inv.additional_documents)) == ("PROJET-42", 0)
