"""CII writer: schema validity, EN 16931 validity, round trip through the CII reader."""

from __future__ import annotations

from decimal import Decimal

import facturx
import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from invoices.einvoice.model import Identifier, Invoice
from invoices.einvoice.readers import read_invoice
from invoices.einvoice.validation import validate_invoice
from invoices.einvoice.writers import WriterError, write_cii
from invoices.einvoice.writers._common import format_amount, format_decimal
from invoices.tests.einvoice.strategies import french_b2g_invoice, invoices, semantic

RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"


def fit_to_basic(invoice: Invoice) -> None:
    """Drop what Factur-X BASIC has no element for (item description and seller's id,
    seller legal information and contact, account name, BIC). The writer does not drop
    data itself: the caller fits the invoice to the profile, and the profile XSD (checked
    by ``write_facturx_pdf``) says when it does not fit."""
    assert invoice.seller is not None
    invoice.seller.additional_legal_information = None
    invoice.seller.contact = None
    for line in invoice.lines:
        assert line.item is not None
        line.item.description = line.item.sellers_identifier = None
    for pm in invoice.payment_instructions:
        for ct in pm.credit_transfers:
            ct.account_name = ct.service_provider_id = None


def fatal(report: object) -> list[tuple[str, str]]:
    return [(f.rule_id, f.text()) for f in report.findings if f.severity == "fatal"]


def test_example_is_schema_valid_for_the_factur_x_en16931_profile() -> None:
    xml = write_cii(french_b2g_invoice())
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")


def test_example_validates_as_en16931_without_any_finding() -> None:
    report = validate_invoice(write_cii(french_b2g_invoice()))
    assert report.valid
    assert report.findings == []


def test_example_round_trips() -> None:
    invoice = french_b2g_invoice()
    assert semantic(read_invoice(write_cii(invoice))) == semantic(invoice)


def test_values_are_escaped_and_read_back_verbatim() -> None:
    invoice = french_b2g_invoice()
    assert invoice.lines[0].item is not None
    invoice.lines[0].item.name = '<script>alert("x")</script> & ]]> é€'
    xml = write_cii(invoice)
    assert b"<script>" not in xml
    back = read_invoice(xml)
    assert back.lines[0].item is not None
    assert back.lines[0].item.name == invoice.lines[0].item.name


def test_amounts_have_two_decimals_and_no_exponent() -> None:
    assert format_amount(Decimal("100")) == "100.00"
    assert format_amount(Decimal("1E+2")) == "100.00"
    assert format_amount(Decimal("1.500")) == "1.50"
    assert format_amount(Decimal("-0")) == "0.00"
    # never changes a value: significant extra decimals stay (BR-DEC then reports them)
    assert format_amount(Decimal("1.005")) == "1.005"
    assert format_decimal(Decimal("1E-7")) == "0.0000001"
    assert format_decimal(Decimal("2.50")) == "2.50"
    with pytest.raises(WriterError):
        format_amount(Decimal("NaN"))


@pytest.mark.parametrize(
    ("profile", "level", "guideline"),
    [
        ("BASIC", "basic", "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic"),
        ("EN16931", "en16931", "urn:cen.eu:en16931:2017"),
        (
            "EXTENDED",
            "extended",
            "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
        ),
    ],
)
def test_profiles_write_their_guideline_and_pass_their_xsd(
    profile: str, level: str, guideline: str
) -> None:
    invoice = french_b2g_invoice()
    if profile == "BASIC":
        fit_to_basic(invoice)
    xml = write_cii(invoice, profile=profile)  # type: ignore[arg-type]
    root = etree.fromstring(xml)
    assert root.findtext(f".//{RAM}GuidelineSpecifiedDocumentContextParameter/{RAM}ID") == (
        guideline
    )
    assert facturx.get_level(root) == level
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level=level)
    assert validate_invoice(xml).valid


def test_model_guideline_is_kept_when_no_profile_is_asked() -> None:
    invoice = french_b2g_invoice()
    invoice.specification_identifier = (
        "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
    )
    back = read_invoice(write_cii(invoice))
    assert back.specification_identifier == invoice.specification_identifier


def test_extended_sub_lines_are_refused_outside_extended() -> None:
    invoice = french_b2g_invoice()
    invoice.lines[1].parent_line_id = "1"
    invoice.lines[1].line_status_reason_code = "DETAIL"
    with pytest.raises(WriterError):
        write_cii(invoice)
    xml = write_cii(invoice, profile="EXTENDED")
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="extended")
    back = read_invoice(xml)
    assert back.lines[1].parent_line_id == "1"
    assert back.lines[1].line_status_reason_code == "DETAIL"


def test_identifier_order_the_syntax_cannot_keep_is_refused() -> None:
    invoice = french_b2g_invoice()
    assert invoice.seller is not None
    invoice.seller.identifiers = [Identifier("3012345678901", "0088"), Identifier("ABC")]
    with pytest.raises(WriterError):
        write_cii(invoice)


def test_tax_point_date_is_written_once() -> None:
    invoice = french_b2g_invoice()
    invoice.tax_point_date = invoice.issue_date
    root = etree.fromstring(write_cii(invoice))
    assert len(root.findall(f".//{RAM}TaxPointDate")) == 1
    assert read_invoice(etree.tostring(root)).tax_point_date == invoice.issue_date


def test_bt8_is_written_with_the_cii_code_list() -> None:
    invoice = french_b2g_invoice()
    invoice.tax_point_date_code = "35"  # UNTDID 2005: delivery date
    root = etree.fromstring(write_cii(invoice))
    assert {e.text for e in root.iter(f"{RAM}DueDateTypeCode")} == {"29"}  # UNTDID 2475
    assert validate_invoice(etree.tostring(root)).valid


def test_cii_bt8_reads_back_as_uncl2005() -> None:
    invoice = french_b2g_invoice()
    invoice.tax_point_date_code = "35"
    assert read_invoice(write_cii(invoice)).tax_point_date_code == "35"


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(invoices("cii"))
def test_round_trip_and_validity(invoice: object) -> None:
    xml = write_cii(invoice)  # type: ignore[arg-type]
    assert semantic(read_invoice(xml)) == semantic(invoice)
    assert fatal(validate_invoice(xml)) == []
