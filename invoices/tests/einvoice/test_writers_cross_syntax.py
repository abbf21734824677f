"""Shapes that one syntax reads and the other must write: implied values, shared payment
terms, and what a syntax cannot carry (a ``WriterError`` naming the business term)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from lxml import etree

from invoices.einvoice.compare import semantic
from invoices.einvoice.model import CreditTransfer, Identifier, PaymentInstructions, PriceDetails
from invoices.einvoice.readers import read_invoice
from invoices.einvoice.validation import validate_invoice
from invoices.einvoice.writers import WriterError, write_cii, write_facturx_pdf, write_ubl
from invoices.tests.einvoice.strategies import french_b2g_invoice

if TYPE_CHECKING:
    from collections.abc import Callable

    from invoices.einvoice.model import Invoice

CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"


def test_ubl_writes_a_zero_discount_next_to_a_gross_price_without_discount() -> None:
    """A CII gross price without discount used to give an empty, schema-invalid Amount."""
    invoice = french_b2g_invoice()
    invoice.lines[1].price = PriceDetails(net_price=Decimal("10.00"), gross_price=Decimal("10.00"))
    xml = write_ubl(invoice)
    discount = etree.fromstring(xml).find(f"{CAC}InvoiceLine[2]/{CAC}Price/{CAC}AllowanceCharge")
    assert discount is not None
    assert discount.findtext(f"{CBC}Amount") == "0"
    assert discount.findtext(f"{CBC}BaseAmount") == "10.00"
    assert validate_invoice(xml).valid
    back = read_invoice(xml)
    assert back.lines[1].price is not None
    assert back.lines[1].price.price_discount == 0
    assert semantic(back) == semantic(invoice)  # absent discount and 0 say the same


def test_cii_writes_the_gross_price_a_discount_implies() -> None:
    """A UBL discount without gross price used to give an empty, schema-invalid ChargeAmount."""
    invoice = french_b2g_invoice()
    invoice.lines[1].price = PriceDetails(
        net_price=Decimal("10.00"), price_discount=Decimal("2.50")
    )
    xml = write_cii(invoice)
    gross = etree.fromstring(xml).find(f".//{RAM}GrossPriceProductTradePrice")
    assert gross is not None
    assert gross.findtext(f"{RAM}ChargeAmount") == "12.50"
    assert validate_invoice(xml).valid
    assert semantic(read_invoice(xml)) == semantic(invoice)


def _two_accounts(text: str | None, remittance: str | None) -> list[PaymentInstructions]:
    return [
        PaymentInstructions(
            means_code="58",
            means_text=text,
            remittance_information=remittance,
            credit_transfers=[CreditTransfer(account_id=iban)],
        )
        for iban in ("FR7630006000011234567890189", "FR7610107001011234567890129")
    ]


@pytest.mark.parametrize("writer", [write_cii, write_ubl])
def test_payment_text_and_remittance_shared_by_two_accounts_round_trip(writer: object) -> None:
    """BT-82 and BT-83 are one per invoice: each syntax writes them once, reads them on all."""
    invoice = french_b2g_invoice()
    invoice.payment_instructions = _two_accounts("Virement SEPA", "F2025-0042")
    xml = writer(invoice)  # type: ignore[operator]
    assert validate_invoice(xml).valid
    assert xml.count(b"Virement SEPA") == (1 if writer is write_ubl else 2)
    back = read_invoice(xml)
    assert [(p.means_text, p.remittance_information) for p in back.payment_instructions] == [
        ("Virement SEPA", "F2025-0042")
    ] * 2
    assert semantic(back) == semantic(invoice)


def test_a_remittance_written_on_the_first_ubl_payment_means_belongs_to_all() -> None:
    invoice = french_b2g_invoice()
    invoice.payment_instructions = _two_accounts("Virement", "F2025-0042")
    root = etree.fromstring(write_ubl(invoice))
    second = root.findall(f"{CAC}PaymentMeans")[1]
    payment_id = second.find(f"{CBC}PaymentID")
    assert payment_id is not None
    second.remove(payment_id)
    back = read_invoice(etree.tostring(root))
    assert [p.remittance_information for p in back.payment_instructions] == ["F2025-0042"] * 2


def _discount_without_price(invoice: Invoice) -> None:
    invoice.lines[1].price = PriceDetails(price_discount=Decimal("2.50"))


def _different_remittances(invoice: Invoice) -> None:
    invoice.payment_instructions = _two_accounts(None, "A")
    invoice.payment_instructions[1].remittance_information = "B"


def _different_texts(invoice: Invoice) -> None:
    invoice.payment_instructions = _two_accounts("Virement", None)
    invoice.payment_instructions[1].means_text = "Autre"


def _two_buyer_ids(invoice: Invoice) -> None:
    assert invoice.buyer is not None
    invoice.buyer.identifiers = [Identifier("GE2020211"), Identifier("4000001987658", "0088")]


def _no_vat_total(invoice: Invoice) -> None:
    assert invoice.totals is not None
    invoice.totals.vat_total_amount = None


def _remittance_without_means(invoice: Invoice) -> None:
    invoice.payment_instructions = [PaymentInstructions(remittance_information="F2025-0042")]


@pytest.mark.parametrize(
    ("change", "writer", "term", "quoted"),
    [
        (_discount_without_price, write_cii, "BT-147", "BT-146"),
        (_different_remittances, write_cii, "BT-83", "'B'"),
        (_different_texts, write_ubl, "BT-82", "UBL-SR-46"),
        (_two_buyer_ids, write_ubl, "BT-46", "GE2020211"),
        (_no_vat_total, write_ubl, "BT-110", "BG-23"),
        (_remittance_without_means, write_ubl, "BT-81", "BT-83"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_writer_refuses_what_its_syntax_cannot_carry_and_names_it(
    change: Callable[[Invoice], None], writer: Callable[[Invoice], bytes], term: str, quoted: str
) -> None:
    invoice = french_b2g_invoice()
    change(invoice)
    with pytest.raises(WriterError) as caught:
        writer(invoice)
    assert caught.value.term == term
    assert term in str(caught.value)
    assert quoted in str(caught.value)


def test_facturx_profile_schema_failure_is_a_writer_error_naming_the_element() -> None:
    """BASIC has no seller item id: the factur-x library's bare Exception used to escape."""
    with pytest.raises(WriterError) as caught:
        write_facturx_pdf(french_b2g_invoice(), profile="BASIC")
    assert "basic" in str(caught.value)
    assert "SellerAssignedID" in str(caught.value)  # the element BASIC has no room for
