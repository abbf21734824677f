"""EN 16931 semantic model of an electronic invoice (syntax-neutral).

Every field carries the id of the business term (``BT-n``) or business group
(``BG-n``) it stands for in its ``metadata["bt"]``; fields that are not part of
EN 16931 (syntax details that some rules need, Factur-X EXTENDED extras) carry
``metadata["bt"] = None`` and a ``metadata["note"]``.

Conventions:

* amounts, quantities, rates and percentages are :class:`decimal.Decimal`
  (never ``float``); a ``Decimal`` keeps its lexical exponent, so
  ``Decimal("1.500")`` still tells that three decimals were written;
* dates are :class:`datetime.date`;
* text values are kept as written (no stripping) so that rules can tell an
  empty element (``""``) from a missing one (``None``);
* groups that may repeat in the syntax are lists even when EN 16931 allows only
  one occurrence, so that a reader never silently drops data;
* a tax category keeps the tax scheme it was written under (``tax_scheme``, ``"VAT"``
  by default): EN 16931 knows only VAT, and the rules, as the official ones, treat a
  category under another scheme (GST...) as no VAT category at all.

The model is plain data: readers fill it, rules read it, writers serialise it.
It must not import Django.
"""

# The helpers _bt/_bt_list only wrap dataclasses.field() to attach the BT metadata.
# ruff: noqa: RUF009

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date
    from decimal import Decimal

__all__ = [
    "AdditionalDocument",
    "AllowanceCharge",
    "Attachment",
    "Buyer",
    "Contact",
    "CreditTransfer",
    "DeliveryInformation",
    "DirectDebit",
    "DocumentTotals",
    "Identifier",
    "Invoice",
    "InvoiceLine",
    "InvoiceNote",
    "ItemAttribute",
    "ItemClassification",
    "ItemInformation",
    "LineVatInformation",
    "Payee",
    "PaymentCard",
    "PaymentInstructions",
    "Period",
    "PostalAddress",
    "PrecedingInvoiceReference",
    "PriceDetails",
    "Seller",
    "SellerTaxRepresentative",
    "SourceLocation",
    "VatBreakdown",
    "bt_of",
]


_TAX_SCHEME = "UBL cac:TaxScheme/cbc:ID, CII ram:TypeCode: the EN 16931 rules see VAT only"


def _bt(bt: str | None, default: Any = None, **extra: Any) -> Any:
    """A field defaulting to ``default`` whose metadata names its business term."""
    return field(default=default, metadata={"bt": bt, **extra})


def _bt_list(bt: str | None, **extra: Any) -> Any:
    """A list field (repeatable group or term)."""
    return field(default_factory=list, metadata={"bt": bt, **extra})


@dataclass(slots=True, frozen=True)
class SourceLocation:
    """Where a value or group was read: line number in the XML and a readable path."""

    line: int | None = None
    path: str | None = None


@dataclass(slots=True)
class Identifier:
    """An identifier with its optional scheme (``schemeID`` / ``listID``)."""

    value: str = _bt(None, default="")
    scheme_id: str | None = _bt(None, note="scheme identifier (e.g. 0009 for SIRET, 0088 GLN)")
    scheme_version_id: str | None = _bt(None, note="scheme version (BT-158-2 for classifications)")


@dataclass(slots=True)
class PostalAddress:
    """Postal address (BG-5 seller, BG-8 buyer, BG-12 tax representative, BG-15 deliver to)."""

    line_one: str | None = _bt(
        "BT-35",
        roles={"seller": "BT-35", "buyer": "BT-50", "tax_rep": "BT-64", "delivery": "BT-75"},
    )
    line_two: str | None = _bt(
        "BT-36",
        roles={"seller": "BT-36", "buyer": "BT-51", "tax_rep": "BT-65", "delivery": "BT-76"},
    )
    line_three: str | None = _bt(
        "BT-162",
        roles={"seller": "BT-162", "buyer": "BT-163", "tax_rep": "BT-164", "delivery": "BT-165"},
    )
    city: str | None = _bt(
        "BT-37",
        roles={"seller": "BT-37", "buyer": "BT-52", "tax_rep": "BT-66", "delivery": "BT-77"},
    )
    post_code: str | None = _bt(
        "BT-38",
        roles={"seller": "BT-38", "buyer": "BT-53", "tax_rep": "BT-67", "delivery": "BT-78"},
    )
    country_subdivision: str | None = _bt(
        "BT-39",
        roles={"seller": "BT-39", "buyer": "BT-54", "tax_rep": "BT-68", "delivery": "BT-79"},
    )
    country_code: str | None = _bt(
        "BT-40",
        roles={"seller": "BT-40", "buyer": "BT-55", "tax_rep": "BT-69", "delivery": "BT-80"},
    )
    source: SourceLocation | None = _bt(None, note="where the address group was read")


@dataclass(slots=True)
class Contact:
    """Seller contact (BG-6) or buyer contact (BG-9)."""

    name: str | None = _bt("BT-41", roles={"seller": "BT-41", "buyer": "BT-56"})
    telephone: str | None = _bt("BT-42", roles={"seller": "BT-42", "buyer": "BT-57"})
    email: str | None = _bt("BT-43", roles={"seller": "BT-43", "buyer": "BT-58"})


@dataclass(slots=True)
class Seller:
    """SELLER (BG-4)."""

    name: str | None = _bt("BT-27")
    trading_name: str | None = _bt("BT-28")
    identifiers: list[Identifier] = _bt_list("BT-29")
    legal_registration_id: Identifier | None = _bt(
        "BT-30", note="SIRET in France: scheme 0009 (SIREN: 0002)"
    )
    vat_identifier: str | None = _bt("BT-31")
    tax_registration_id: str | None = _bt("BT-32")
    additional_legal_information: str | None = _bt("BT-33")
    electronic_address: Identifier | None = _bt("BT-34")
    address: PostalAddress | None = _bt("BG-5")
    contact: Contact | None = _bt("BG-6")
    source: SourceLocation | None = _bt(None)


@dataclass(slots=True)
class Buyer:
    """BUYER (BG-7)."""

    name: str | None = _bt("BT-44")
    trading_name: str | None = _bt("BT-45")
    identifiers: list[Identifier] = _bt_list("BT-46")
    legal_registration_id: Identifier | None = _bt(
        "BT-47", note="SIRET of the public entity for Chorus Pro (scheme 0009)"
    )
    vat_identifier: str | None = _bt("BT-48")
    electronic_address: Identifier | None = _bt("BT-49")
    address: PostalAddress | None = _bt("BG-8")
    contact: Contact | None = _bt("BG-9")
    source: SourceLocation | None = _bt(None)


@dataclass(slots=True)
class Payee:
    """PAYEE (BG-10)."""

    name: str | None = _bt("BT-59")
    identifiers: list[Identifier] = _bt_list("BT-60")
    legal_registration_id: Identifier | None = _bt("BT-61")
    source: SourceLocation | None = _bt(None)


@dataclass(slots=True)
class SellerTaxRepresentative:
    """SELLER TAX REPRESENTATIVE PARTY (BG-11)."""

    name: str | None = _bt("BT-62")
    vat_identifier: str | None = _bt("BT-63")
    address: PostalAddress | None = _bt("BG-12")
    source: SourceLocation | None = _bt(None)


@dataclass(slots=True)
class Period:
    """A period: invoicing period (BG-14, BT-73/74) or line period (BG-26, BT-134/135)."""

    start_date: date | None = _bt("BT-73", roles={"invoice": "BT-73", "line": "BT-134"})
    end_date: date | None = _bt("BT-74", roles={"invoice": "BT-74", "line": "BT-135"})


@dataclass(slots=True)
class DeliveryInformation:
    """DELIVERY INFORMATION (BG-13)."""

    deliver_to_name: str | None = _bt("BT-70")
    location_identifier: Identifier | None = _bt("BT-71")
    actual_delivery_date: date | None = _bt("BT-72")
    address: PostalAddress | None = _bt("BG-15")
    source: SourceLocation | None = _bt(None)


@dataclass(slots=True)
class CreditTransfer:
    """CREDIT TRANSFER (BG-17)."""

    account_id: str | None = _bt("BT-84", note="IBAN for SEPA transfers")
    account_name: str | None = _bt("BT-85")
    service_provider_id: str | None = _bt("BT-86", note="BIC")


@dataclass(slots=True)
class PaymentCard:
    """PAYMENT CARD INFORMATION (BG-18)."""

    primary_account_number: str | None = _bt("BT-87")
    holder_name: str | None = _bt("BT-88")


@dataclass(slots=True)
class DirectDebit:
    """DIRECT DEBIT (BG-19).

    The bank assigned creditor identifier (BT-90) is document level in both syntaxes
    (UBL: seller/payee ``PartyIdentification`` with ``schemeID="SEPA"``; CII:
    ``CreditorReferenceID``) and lives in :attr:`Invoice.creditor_reference_id`.
    """

    mandate_reference: str | None = _bt("BT-89")
    debited_account_id: str | None = _bt("BT-91")


@dataclass(slots=True)
class PaymentInstructions:
    """PAYMENT INSTRUCTIONS (BG-16). One per payment means present in the syntax."""

    means_code: str | None = _bt("BT-81", note="UNCL 4461 (30 credit transfer, 58 SEPA, 49 DD)")
    means_text: str | None = _bt("BT-82")
    remittance_information: str | None = _bt("BT-83")
    credit_transfers: list[CreditTransfer] = _bt_list("BG-17")
    card: PaymentCard | None = _bt("BG-18")
    direct_debit: DirectDebit | None = _bt("BG-19")
    source: SourceLocation | None = _bt(None)


@dataclass(slots=True)
class AllowanceCharge:
    """Document level allowance (BG-20) or charge (BG-21).

    Field BT ids are those of the allowance; ``roles`` gives the charge ones.
    """

    charge_indicator: bool = _bt(None, default=False, note="False: allowance, True: charge")
    amount: Decimal | None = _bt("BT-92", roles={"allowance": "BT-92", "charge": "BT-99"})
    base_amount: Decimal | None = _bt("BT-93", roles={"allowance": "BT-93", "charge": "BT-100"})
    percentage: Decimal | None = _bt("BT-94", roles={"allowance": "BT-94", "charge": "BT-101"})
    vat_category_code: str | None = _bt("BT-95", roles={"allowance": "BT-95", "charge": "BT-102"})
    vat_rate: Decimal | None = _bt("BT-96", roles={"allowance": "BT-96", "charge": "BT-103"})
    reason: str | None = _bt("BT-97", roles={"allowance": "BT-97", "charge": "BT-104"})
    reason_code: str | None = _bt("BT-98", roles={"allowance": "BT-98", "charge": "BT-105"})
    tax_scheme: str | None = _bt(None, default="VAT", note=_TAX_SCHEME)
    source: SourceLocation | None = _bt(None)


@dataclass(slots=True)
class DocumentTotals:
    """DOCUMENT TOTALS (BG-22)."""

    line_extension_amount: Decimal | None = _bt("BT-106", note="sum of invoice line net amounts")
    allowance_total_amount: Decimal | None = _bt("BT-107")
    charge_total_amount: Decimal | None = _bt("BT-108")
    tax_exclusive_amount: Decimal | None = _bt("BT-109")
    vat_total_amount: Decimal | None = _bt("BT-110", note="in the invoice currency (BT-5)")
    vat_total_amount_accounting: Decimal | None = _bt(
        "BT-111", note="in the VAT accounting currency (BT-6)"
    )
    tax_inclusive_amount: Decimal | None = _bt("BT-112")
    prepaid_amount: Decimal | None = _bt("BT-113")
    rounding_amount: Decimal | None = _bt("BT-114")
    payable_amount: Decimal | None = _bt("BT-115")
    source: SourceLocation | None = _bt(None)


@dataclass(slots=True)
class VatBreakdown:
    """VAT BREAKDOWN (BG-23)."""

    taxable_amount: Decimal | None = _bt("BT-116")
    tax_amount: Decimal | None = _bt("BT-117")
    category_code: str | None = _bt("BT-118", note="UNCL 5305 subset: S Z E AE K G O L M")
    rate: Decimal | None = _bt("BT-119")
    exemption_reason: str | None = _bt("BT-120")
    exemption_reason_code: str | None = _bt("BT-121", note="VATEX code list")
    tax_point_date_code: str | None = _bt(
        None, note="CII DueDateTypeCode (BT-8 is read from here in CII)"
    )
    tax_scheme: str | None = _bt(None, default="VAT", note=_TAX_SCHEME)
    source: SourceLocation | None = _bt(None)


@dataclass(slots=True)
class Attachment:
    """Attached document (BT-125) with its MIME code (BT-125-1) and filename (BT-125-2)."""

    content: bytes = _bt("BT-125", default=b"")
    mime_code: str | None = _bt("BT-125-1")
    filename: str | None = _bt("BT-125-2")


@dataclass(slots=True)
class AdditionalDocument:
    """ADDITIONAL SUPPORTING DOCUMENTS (BG-24)."""

    reference: str | None = _bt("BT-122")
    description: str | None = _bt("BT-123")
    external_uri: str | None = _bt("BT-124")
    attachment: Attachment | None = _bt("BT-125")
    type_code: str | None = _bt(None, note="syntax type code (CII 916, UBL DocumentTypeCode)")
    source: SourceLocation | None = _bt(None)


@dataclass(slots=True)
class InvoiceNote:
    """INVOICE NOTE (BG-1)."""

    subject_code: str | None = _bt("BT-21", note="UNCL 4451")
    text: str | None = _bt("BT-22")


@dataclass(slots=True)
class PrecedingInvoiceReference:
    """PRECEDING INVOICE REFERENCE (BG-3)."""

    number: str | None = _bt("BT-25")
    issue_date: date | None = _bt("BT-26")


@dataclass(slots=True)
class PriceDetails:
    """PRICE DETAILS (BG-29)."""

    net_price: Decimal | None = _bt("BT-146")
    price_discount: Decimal | None = _bt("BT-147")
    gross_price: Decimal | None = _bt("BT-148")
    base_quantity: Decimal | None = _bt("BT-149")
    base_quantity_unit_code: str | None = _bt("BT-150")


@dataclass(slots=True)
class LineVatInformation:
    """LINE VAT INFORMATION (BG-30)."""

    category_code: str | None = _bt("BT-151")
    rate: Decimal | None = _bt("BT-152")
    tax_scheme: str | None = _bt(None, default="VAT", note=_TAX_SCHEME)


@dataclass(slots=True)
class ItemClassification:
    """Item classification identifier (BT-158) with list id (BT-158-1) and version (BT-158-2)."""

    code: str = _bt("BT-158", default="")
    list_id: str | None = _bt("BT-158-1", note="UNTDID 7143")
    list_version_id: str | None = _bt("BT-158-2")


@dataclass(slots=True)
class ItemAttribute:
    """ITEM ATTRIBUTES (BG-32)."""

    name: str | None = _bt("BT-160")
    value: str | None = _bt("BT-161")


@dataclass(slots=True)
class ItemInformation:
    """ITEM INFORMATION (BG-31)."""

    name: str | None = _bt("BT-153")
    description: str | None = _bt("BT-154")
    sellers_identifier: str | None = _bt("BT-155")
    buyers_identifier: str | None = _bt("BT-156")
    standard_identifier: Identifier | None = _bt("BT-157")
    classifications: list[ItemClassification] = _bt_list("BT-158")
    origin_country: str | None = _bt("BT-159")
    attributes: list[ItemAttribute] = _bt_list("BG-32")


@dataclass(slots=True)
class InvoiceLine:
    """INVOICE LINE (BG-25)."""

    id: str | None = _bt("BT-126")
    note: str | None = _bt("BT-127")
    object_identifier: Identifier | None = _bt("BT-128")
    quantity: Decimal | None = _bt("BT-129")
    unit_code: str | None = _bt("BT-130", note="UN/ECE Rec 20/21")
    net_amount: Decimal | None = _bt("BT-131")
    order_line_reference: str | None = _bt("BT-132")
    accounting_cost: str | None = _bt("BT-133")
    period: Period | None = _bt("BG-26")
    allowances: list[AllowanceCharge] = _bt_list(
        "BG-27", roles={"amount": "BT-136", "base_amount": "BT-137", "percentage": "BT-138"}
    )
    charges: list[AllowanceCharge] = _bt_list(
        "BG-28", roles={"amount": "BT-141", "base_amount": "BT-142", "percentage": "BT-143"}
    )
    price: PriceDetails | None = _bt("BG-29")
    vat: LineVatInformation | None = _bt("BG-30")
    item: ItemInformation | None = _bt("BG-31")
    parent_line_id: str | None = _bt(
        None, note="Factur-X EXTENDED sub-line: id of the parent line (BT-X-304)"
    )
    line_status_reason_code: str | None = _bt(
        None, note="Factur-X EXTENDED LineStatusReasonCode (DETAIL, GROUP, INFORMATION)"
    )
    source: SourceLocation | None = _bt(None)


@dataclass(slots=True)
class Invoice:
    """INVOICE: the root of the EN 16931 semantic model."""

    number: str | None = _bt("BT-1")
    issue_date: date | None = _bt("BT-2")
    type_code: str | None = _bt("BT-3", note="UNCL 1001 subset (380 invoice, 381 credit note)")
    currency_code: str | None = _bt("BT-5", note="ISO 4217")
    vat_accounting_currency_code: str | None = _bt("BT-6")
    tax_point_date: date | None = _bt("BT-7")
    tax_point_date_code: str | None = _bt("BT-8", note="UNCL 2005 subset: 3, 35, 432")
    due_date: date | None = _bt("BT-9")
    buyer_reference: str | None = _bt("BT-10", note="Chorus Pro: code service")
    project_reference: str | None = _bt("BT-11")
    contract_reference: str | None = _bt("BT-12")
    purchase_order_reference: str | None = _bt(
        "BT-13", note="Chorus Pro: numéro d'engagement juridique (commitment number)"
    )
    sales_order_reference: str | None = _bt("BT-14")
    receiving_advice_reference: str | None = _bt("BT-15")
    despatch_advice_reference: str | None = _bt("BT-16")
    tender_or_lot_reference: str | None = _bt("BT-17")
    invoiced_object_identifier: Identifier | None = _bt("BT-18")
    buyer_accounting_reference: str | None = _bt("BT-19")
    payment_terms: str | None = _bt("BT-20")
    notes: list[InvoiceNote] = _bt_list("BG-1")
    business_process: str | None = _bt(
        "BT-23", note="Chorus Pro: cadre de facturation (A1...A25) / reform code (B1, S1...)"
    )
    specification_identifier: str | None = _bt("BT-24", note="profile / guideline id")
    preceding_invoices: list[PrecedingInvoiceReference] = _bt_list("BG-3")
    seller: Seller | None = _bt("BG-4")
    buyer: Buyer | None = _bt("BG-7")
    payee: Payee | None = _bt("BG-10")
    tax_representative: SellerTaxRepresentative | None = _bt("BG-11")
    delivery: DeliveryInformation | None = _bt("BG-13")
    invoicing_period: Period | None = _bt("BG-14")
    payment_instructions: list[PaymentInstructions] = _bt_list("BG-16")
    creditor_reference_id: str | None = _bt("BT-90", note="bank assigned creditor identifier")
    allowances: list[AllowanceCharge] = _bt_list("BG-20")
    charges: list[AllowanceCharge] = _bt_list("BG-21")
    totals: DocumentTotals | None = _bt("BG-22")
    vat_breakdown: list[VatBreakdown] = _bt_list("BG-23")
    additional_documents: list[AdditionalDocument] = _bt_list("BG-24")
    lines: list[InvoiceLine] = _bt_list("BG-25")
    syntax: str | None = _bt(None, note="Syntax value the document was read from")
    locations: dict[str, SourceLocation] = field(
        default_factory=dict,
        metadata={"bt": None, "note": "BT/BG id -> where it was read (header-level terms)"},
    )
    facts: dict[str, Any] = field(
        default_factory=dict,
        metadata={
            "bt": None,
            "note": "syntax-level facts some official rules look at (counts, raw attributes)",
        },
    )
    unparsed: dict[str, str] = field(
        default_factory=dict,
        metadata={
            "bt": None,
            "note": "BT id -> raw text present in the document but not parseable as its type",
        },
    )

    @property
    def is_credit_note(self) -> bool:
        """True for document type codes of the credit-note family (UNCL 1001)."""
        return self.type_code in {
            "81",
            "83",
            "261",
            "262",
            "296",
            "308",
            "381",
            "396",
            "420",
            "458",
            "532",
        }


def bt_of(cls: type, field_name: str) -> str | None:
    """Return the BT/BG id declared for ``cls.field_name`` (``None`` when not an EN term)."""
    for f in cls.__dataclass_fields__.values():  # type: ignore[attr-defined]
        if f.name == field_name:
            bt = f.metadata.get("bt")
            return bt if isinstance(bt, str) else None
    raise AttributeError(f"{cls.__name__} has no field {field_name!r}")
