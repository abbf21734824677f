"""UBL 2.1 Invoice / CreditNote reader: one pass over the tree, dispatching on tags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from invoices.einvoice.model import (
    AdditionalDocument,
    AllowanceCharge,
    Attachment,
    Buyer,
    Contact,
    CreditTransfer,
    DeliveryInformation,
    DirectDebit,
    DocumentTotals,
    Identifier,
    Invoice,
    InvoiceLine,
    InvoiceNote,
    ItemAttribute,
    ItemClassification,
    ItemInformation,
    LineVatInformation,
    Payee,
    PaymentCard,
    PaymentInstructions,
    Period,
    PostalAddress,
    PrecedingInvoiceReference,
    PriceDetails,
    Seller,
    SellerTaxRepresentative,
    SourceLocation,
    VatBreakdown,
)
from invoices.einvoice.readers._common import line_of as _line_of
from invoices.einvoice.readers._common import (
    parse_date_iso,
    parse_decimal,
    share_payment_terms,
    text_of,
)
from invoices.einvoice.syntax import NS_UBL_CREDIT_NOTE, NS_UBL_INVOICE
from invoices.einvoice.tags import (
    CAC,
    CBC_ID,
    CBC_URI,
    CAC_AccountingCustomerParty,
    CAC_AccountingSupplierParty,
    CAC_AdditionalDocumentReference,
    CAC_AdditionalItemProperty,
    CAC_Address,
    CAC_AddressLine,
    CAC_AllowanceCharge,
    CAC_Attachment,
    CAC_BillingReference,
    CAC_BuyersItemIdentification,
    CAC_CardAccount,
    CAC_ClassifiedTaxCategory,
    CAC_CommodityClassification,
    CAC_Contact,
    CAC_ContractDocumentReference,
    CAC_Country,
    CAC_Delivery,
    CAC_DeliveryLocation,
    CAC_DeliveryParty,
    CAC_DespatchDocumentReference,
    CAC_DocumentReference,
    CAC_ExternalReference,
    CAC_FinancialInstitutionBranch,
    CAC_InvoiceDocumentReference,
    CAC_InvoicePeriod,
    CAC_Item,
    CAC_LegalMonetaryTotal,
    CAC_OrderLineReference,
    CAC_OrderReference,
    CAC_OriginatorDocumentReference,
    CAC_OriginCountry,
    CAC_Party,
    CAC_PartyIdentification,
    CAC_PartyLegalEntity,
    CAC_PartyName,
    CAC_PartyTaxScheme,
    CAC_PayeeFinancialAccount,
    CAC_PayeeParty,
    CAC_PayerFinancialAccount,
    CAC_PaymentMandate,
    CAC_PaymentMeans,
    CAC_PaymentTerms,
    CAC_PostalAddress,
    CAC_Price,
    CAC_ProjectReference,
    CAC_ReceiptDocumentReference,
    CAC_SellersItemIdentification,
    CAC_StandardItemIdentification,
    CAC_TaxCategory,
    CAC_TaxRepresentativeParty,
    CAC_TaxScheme,
    CAC_TaxSubtotal,
    CAC_TaxTotal,
    CBC_AccountingCost,
    CBC_ActualDeliveryDate,
    CBC_AdditionalStreetName,
    CBC_AllowanceChargeReason,
    CBC_AllowanceChargeReasonCode,
    CBC_AllowanceTotalAmount,
    CBC_Amount,
    CBC_BaseAmount,
    CBC_BaseQuantity,
    CBC_BuyerReference,
    CBC_ChargeIndicator,
    CBC_ChargeTotalAmount,
    CBC_CityName,
    CBC_CompanyID,
    CBC_CompanyLegalForm,
    CBC_CountrySubentity,
    CBC_CreditedQuantity,
    CBC_CreditNoteTypeCode,
    CBC_CustomizationID,
    CBC_Description,
    CBC_DescriptionCode,
    CBC_DocumentCurrencyCode,
    CBC_DocumentDescription,
    CBC_DocumentTypeCode,
    CBC_DueDate,
    CBC_ElectronicMail,
    CBC_EmbeddedDocumentBinaryObject,
    CBC_EndDate,
    CBC_EndpointID,
    CBC_HolderName,
    CBC_IdentificationCode,
    CBC_InvoicedQuantity,
    CBC_InvoiceTypeCode,
    CBC_IssueDate,
    CBC_ItemClassificationCode,
    CBC_Line,
    CBC_LineExtensionAmount,
    CBC_LineID,
    CBC_MultiplierFactorNumeric,
    CBC_Name,
    CBC_Note,
    CBC_PayableAmount,
    CBC_PayableRoundingAmount,
    CBC_PaymentDueDate,
    CBC_PaymentID,
    CBC_PaymentMeansCode,
    CBC_Percent,
    CBC_PostalZone,
    CBC_PrepaidAmount,
    CBC_PriceAmount,
    CBC_PrimaryAccountNumberID,
    CBC_ProfileID,
    CBC_RegistrationName,
    CBC_SalesOrderID,
    CBC_StartDate,
    CBC_StreetName,
    CBC_TaxableAmount,
    CBC_TaxAmount,
    CBC_TaxCurrencyCode,
    CBC_TaxExclusiveAmount,
    CBC_TaxExemptionReason,
    CBC_TaxExemptionReasonCode,
    CBC_TaxInclusiveAmount,
    CBC_TaxPointDate,
    CBC_Telephone,
    CBC_Value,
)

if TYPE_CHECKING:
    from decimal import Decimal

    from lxml import etree

__all__ = ["read_ubl"]


# Full Clark tags, computed once: concatenating ``RAM + "Name"`` in the hot loops
# (each comparison of a child's tag) cost a string allocation per test.

# cbc
ID = CBC_ID
NAME = CBC_Name
NOTE = CBC_Note
AMOUNT = CBC_Amount
COMPANY_ID = CBC_CompanyID
START_DATE = CBC_StartDate
END_DATE = CBC_EndDate
ISSUE_DATE = CBC_IssueDate
PERCENT = CBC_Percent
IDENTIFICATION_CODE = CBC_IdentificationCode
# cac
TAX_SCHEME = CAC_TaxScheme
TAX_CATEGORY = CAC_TaxCategory
PARTY = CAC_Party


def _loc(el: etree._Element, path: str) -> SourceLocation:
    return SourceLocation(line=_line_of(el), path=path)


def _ident(el: etree._Element) -> Identifier:
    return Identifier(
        value=text_of(el),
        scheme_id=el.get("schemeID"),
        scheme_version_id=el.get("schemeVersionID"),
    )


def _first_text(el: etree._Element, tag: str) -> str | None:
    for child in el:
        if child.tag == tag:
            return text_of(child)
    return None


def _scheme_is_vat(tax_scheme_parent: etree._Element) -> bool:
    """``cac:TaxScheme/cbc:ID`` normalised upper-case equals VAT."""
    for child in tax_scheme_parent:
        if child.tag == TAX_SCHEME:
            for sub in child:
                if sub.tag == ID and " ".join(text_of(sub).split()).upper() == "VAT":
                    return True
    return False


def _scheme_of(category: etree._Element) -> str | None:
    """``cac:TaxScheme/cbc:ID`` of a tax category, spaces normalised (``None`` if absent).

    Every UBL rule reads the scheme through ``normalize-space``, so ``" VAT"`` is VAT;
    CII compares ``ram:TypeCode`` as written, so the model keeps the normalised value
    and a CII writer gives "VAT", not " VAT".
    """
    for child in category:
        if child.tag == TAX_SCHEME:
            for sub in child:
                if sub.tag == ID:
                    return " ".join(text_of(sub).split())
    return None


def _address(el: etree._Element, path: str) -> PostalAddress:
    addr = PostalAddress(source=_loc(el, path))
    for child in el:
        tag = child.tag
        if tag == CBC_StreetName:
            addr.line_one = text_of(child)
        elif tag == CBC_AdditionalStreetName:
            addr.line_two = text_of(child)
        elif tag == CBC_CityName:
            addr.city = text_of(child)
        elif tag == CBC_PostalZone:
            addr.post_code = text_of(child)
        elif tag == CBC_CountrySubentity:
            addr.country_subdivision = text_of(child)
        elif tag == CAC_AddressLine:
            if addr.line_three is None:
                addr.line_three = _first_text(child, CBC_Line)
        elif tag == CAC_Country:
            code = _first_text(child, IDENTIFICATION_CODE)
            if code is not None:
                addr.country_code = code
    return addr


def _contact(el: etree._Element) -> Contact:
    contact = Contact()
    for child in el:
        tag = child.tag
        if tag == NAME:
            contact.name = text_of(child)
        elif tag == CBC_Telephone:
            contact.telephone = text_of(child)
        elif tag == CBC_ElectronicMail:
            contact.email = text_of(child)
    return contact


class _PartyData:
    """Everything a ``cac:Party`` holds, before it is assigned to a role."""

    __slots__ = (
        "address",
        "company_legal_form",
        "contact",
        "endpoint",
        "identifiers",
        "legal_id",
        "party_name",
        "registration_name",
        "sepa_ids",
        "tax_ids",
        "vat_id",
    )

    def __init__(self) -> None:
        self.endpoint: Identifier | None = None
        self.identifiers: list[Identifier] = []
        self.sepa_ids: list[str] = []
        self.party_name: str | None = None
        self.address: PostalAddress | None = None
        self.vat_id: str | None = None
        self.tax_ids: list[str] = []
        self.registration_name: str | None = None
        self.legal_id: Identifier | None = None
        self.company_legal_form: str | None = None
        self.contact: Contact | None = None


def _party(el: etree._Element, path: str) -> _PartyData:
    data = _PartyData()
    for child in el:
        tag = child.tag
        if tag == CBC_EndpointID:
            data.endpoint = _ident(child)
        elif tag == CAC_PartyIdentification:
            for sub in child:
                if sub.tag == ID:
                    ident = _ident(sub)
                    if ident.scheme_id == "SEPA":
                        data.sepa_ids.append(ident.value)
                    else:
                        data.identifiers.append(ident)
        elif tag == CAC_PartyName:
            if data.party_name is None:
                data.party_name = _first_text(child, NAME)
        elif tag == CAC_PostalAddress:
            if data.address is None:
                data.address = _address(child, path + "/cac:PostalAddress")
        elif tag == CAC_PartyTaxScheme:
            company = _first_text(child, COMPANY_ID)
            if company is not None:
                if _scheme_is_vat(child):
                    if data.vat_id is None:
                        data.vat_id = company
                else:
                    data.tax_ids.append(company)
        elif tag == CAC_PartyLegalEntity:
            for sub in child:
                stag = sub.tag
                if stag == CBC_RegistrationName:
                    if data.registration_name is None:
                        data.registration_name = text_of(sub)
                elif stag == COMPANY_ID:
                    if data.legal_id is None:
                        data.legal_id = _ident(sub)
                elif stag == CBC_CompanyLegalForm:
                    data.company_legal_form = text_of(sub)
        elif tag == CAC_Contact:
            data.contact = _contact(child)
    return data


def _find_party(el: etree._Element) -> etree._Element | None:
    for child in el:
        if child.tag == PARTY:
            return child
    return None


def _tax_category(el: etree._Element) -> tuple[str | None, Decimal | None, str | None, str | None]:
    """(category code, rate, exemption reason code, exemption reason) of a TaxCategory."""
    code = rate = reason_code = reason = None
    for child in el:
        tag = child.tag
        if tag == ID:
            code = text_of(child)
        elif tag == PERCENT:
            rate = parse_decimal(text_of(child))
        elif tag == CBC_TaxExemptionReasonCode:
            reason_code = text_of(child)
        elif tag == CBC_TaxExemptionReason:
            reason = text_of(child)
    return code, rate, reason_code, reason


def _pick_tax_category(el: etree._Element) -> etree._Element | None:
    """The VAT ``TaxCategory`` child of ``el`` (else the first one)."""
    first = None
    for child in el:
        if child.tag == TAX_CATEGORY or child.tag == CAC_ClassifiedTaxCategory:
            if _scheme_is_vat(child):
                return child
            if first is None:
                first = child
    return first


def _allowance_charge(el: etree._Element, invoice: Invoice, path: str) -> AllowanceCharge | None:
    ac = AllowanceCharge(source=_loc(el, path))
    indicator: bool | None = None
    for child in el:
        tag = child.tag
        if tag == CBC_ChargeIndicator:
            value = text_of(child).strip()
            if value in ("true", "1"):
                indicator = True
            elif value in ("false", "0"):
                indicator = False
        elif tag == AMOUNT:
            ac.amount = parse_decimal(text_of(child), invoice, "BT-92")
        elif tag == CBC_BaseAmount:
            ac.base_amount = parse_decimal(text_of(child), invoice, "BT-93")
        elif tag == CBC_MultiplierFactorNumeric:
            ac.percentage = parse_decimal(text_of(child), invoice, "BT-94")
        elif tag == CBC_AllowanceChargeReason:
            if ac.reason is None:
                ac.reason = text_of(child)
        elif tag == CBC_AllowanceChargeReasonCode:
            ac.reason_code = text_of(child)
    category = _pick_tax_category(el)
    if category is not None:
        code, rate, _, _ = _tax_category(category)
        ac.vat_category_code = code
        ac.vat_rate = rate
        ac.tax_scheme = _scheme_of(category)
    if indicator is None:
        return None
    ac.charge_indicator = indicator
    return ac


def _period(el: etree._Element, invoice: Invoice, start_bt: str, end_bt: str) -> Period:
    period = Period()
    for child in el:
        tag = child.tag
        if tag == START_DATE:
            period.start_date = parse_date_iso(text_of(child), invoice, start_bt)
        elif tag == END_DATE:
            period.end_date = parse_date_iso(text_of(child), invoice, end_bt)
    return period


def _payment_means(el: etree._Element, invoice: Invoice, path: str) -> PaymentInstructions:
    pm = PaymentInstructions(source=_loc(el, path))
    for child in el:
        tag = child.tag
        if tag == CBC_PaymentMeansCode:
            pm.means_code = text_of(child)
            name = child.get("name")
            if name is not None:
                pm.means_text = name
        elif tag == CBC_PaymentID:
            if pm.remittance_information is None:
                pm.remittance_information = text_of(child)
        elif tag == CBC_PaymentDueDate:
            if invoice.due_date is None:
                invoice.due_date = parse_date_iso(text_of(child), invoice, "BT-9")
        elif tag == CAC_CardAccount:
            card = PaymentCard()
            for sub in child:
                if sub.tag == CBC_PrimaryAccountNumberID:
                    card.primary_account_number = text_of(sub)
                elif sub.tag == CBC_HolderName:
                    card.holder_name = text_of(sub)
            pm.card = card
        elif tag == CAC_PayeeFinancialAccount:
            ct = CreditTransfer()
            for sub in child:
                stag = sub.tag
                if stag == ID:
                    ct.account_id = text_of(sub)
                elif stag == NAME:
                    ct.account_name = text_of(sub)
                elif stag == CAC_FinancialInstitutionBranch:
                    ct.service_provider_id = _first_text(sub, ID)
            pm.credit_transfers.append(ct)
        elif tag == CAC_PaymentMandate:
            dd = DirectDebit()
            for sub in child:
                if sub.tag == ID:
                    dd.mandate_reference = text_of(sub)
                elif sub.tag == CAC_PayerFinancialAccount:
                    dd.debited_account_id = _first_text(sub, ID)
            pm.direct_debit = dd
    return pm


def _additional_document(el: etree._Element, invoice: Invoice, path: str) -> None:
    ref: etree._Element | None = None
    type_code: str | None = None
    doc = AdditionalDocument(source=_loc(el, path))
    for child in el:
        tag = child.tag
        if tag == ID:
            ref = child
        elif tag == CBC_DocumentTypeCode:
            type_code = text_of(child)
        elif tag == CBC_DocumentDescription:
            if doc.description is None:
                doc.description = text_of(child)
        elif tag == CAC_Attachment:
            for sub in child:
                stag = sub.tag
                if stag == CBC_EmbeddedDocumentBinaryObject:
                    doc.attachment = Attachment(
                        content=_b64(text_of(sub)),
                        mime_code=sub.get("mimeCode"),
                        filename=sub.get("filename"),
                    )
                elif stag == CAC_ExternalReference:
                    doc.external_uri = _first_text(sub, CBC_URI)
    doc.type_code = type_code
    if type_code is not None and type_code.strip() == "130":
        if ref is not None and invoice.invoiced_object_identifier is None:
            invoice.invoiced_object_identifier = _ident(ref)
        return
    doc.reference = text_of(ref) if ref is not None else None
    if (
        type_code is not None
        and type_code.strip() == "50"
        and invoice.syntax == "ubl-creditnote"
        and doc.reference is not None
        and doc.reference.strip()
        and invoice.project_reference is None
    ):
        # A CreditNote has no cac:ProjectReference: BT-11 travels as document type 50.
        invoice.project_reference = doc.reference
        return
    invoice.additional_documents.append(doc)


def _b64(raw: str) -> bytes:
    import base64
    import binascii

    try:
        return base64.b64decode("".join(raw.split()), validate=True)
    except (binascii.Error, ValueError):
        return b""


def _item(el: etree._Element, invoice: Invoice, line: InvoiceLine) -> ItemInformation:
    item = ItemInformation()
    for child in el:
        tag = child.tag
        if tag == NAME:
            item.name = text_of(child)
        elif tag == CBC_Description:
            if item.description is None:
                item.description = text_of(child)
        elif tag == CAC_SellersItemIdentification:
            item.sellers_identifier = _first_text(child, ID)
        elif tag == CAC_BuyersItemIdentification:
            item.buyers_identifier = _first_text(child, ID)
        elif tag == CAC_StandardItemIdentification:
            for sub in child:
                if sub.tag == ID:
                    item.standard_identifier = _ident(sub)
        elif tag == CAC_OriginCountry:
            item.origin_country = _first_text(child, IDENTIFICATION_CODE)
        elif tag == CAC_CommodityClassification:
            for sub in child:
                if sub.tag == CBC_ItemClassificationCode:
                    item.classifications.append(
                        ItemClassification(
                            code=text_of(sub),
                            list_id=sub.get("listID"),
                            list_version_id=sub.get("listVersionID"),
                        )
                    )
        elif tag == CAC_AdditionalItemProperty:
            item.attributes.append(
                ItemAttribute(name=_first_text(child, NAME), value=_first_text(child, CBC_Value))
            )
    category = _pick_tax_category(el)
    if category is not None:
        code, rate, _, _ = _tax_category(category)
        line.vat = LineVatInformation(
            category_code=code, rate=rate, tax_scheme=_scheme_of(category)
        )
    return item


def _price(el: etree._Element, invoice: Invoice) -> PriceDetails:
    price = PriceDetails()
    for child in el:
        tag = child.tag
        if tag == CBC_PriceAmount:
            price.net_price = parse_decimal(text_of(child), invoice, "BT-146")
        elif tag == CBC_BaseQuantity:
            price.base_quantity = parse_decimal(text_of(child), invoice, "BT-149")
            price.base_quantity_unit_code = child.get("unitCode")
        elif tag == CAC_AllowanceCharge:
            for sub in child:
                if sub.tag == AMOUNT:
                    price.price_discount = parse_decimal(text_of(sub), invoice, "BT-147")
                elif sub.tag == CBC_BaseAmount:
                    price.gross_price = parse_decimal(text_of(sub), invoice, "BT-148")
    return price


def _line(el: etree._Element, invoice: Invoice, path: str) -> InvoiceLine:
    line = InvoiceLine(source=_loc(el, path))
    for child in el:
        tag = child.tag
        if tag == ID:
            line.id = text_of(child)
        elif tag == NOTE:
            if line.note is None:
                line.note = text_of(child)
        elif tag in (CBC_InvoicedQuantity, CBC_CreditedQuantity):
            line.quantity = parse_decimal(text_of(child), invoice, "BT-129")
            line.unit_code = child.get("unitCode")
        elif tag == CBC_LineExtensionAmount:
            line.net_amount = parse_decimal(text_of(child), invoice, "BT-131")
        elif tag == CBC_AccountingCost:
            line.accounting_cost = text_of(child)
        elif tag == CAC_InvoicePeriod:
            line.period = _period(child, invoice, "BT-134", "BT-135")
        elif tag == CAC_OrderLineReference:
            line.order_line_reference = _first_text(child, CBC_LineID)
        elif tag == CAC_DocumentReference:
            for sub in child:
                if sub.tag == ID:
                    line.object_identifier = _ident(sub)
        elif tag == CAC_AllowanceCharge:
            ac = _allowance_charge(child, invoice, path + "/cac:AllowanceCharge")
            if ac is not None:
                (line.charges if ac.charge_indicator else line.allowances).append(ac)
        elif tag == CAC_Item:
            line.item = _item(child, invoice, line)
        elif tag == CAC_Price:
            line.price = _price(child, invoice)
    return line


def _totals(el: etree._Element, invoice: Invoice) -> DocumentTotals:
    totals = DocumentTotals(source=_loc(el, "cac:LegalMonetaryTotal"))
    for child in el:
        tag = child.tag
        raw = text_of(child)
        if tag == CBC_LineExtensionAmount:
            totals.line_extension_amount = parse_decimal(raw, invoice, "BT-106")
        elif tag == CBC_TaxExclusiveAmount:
            totals.tax_exclusive_amount = parse_decimal(raw, invoice, "BT-109")
        elif tag == CBC_TaxInclusiveAmount:
            totals.tax_inclusive_amount = parse_decimal(raw, invoice, "BT-112")
        elif tag == CBC_AllowanceTotalAmount:
            totals.allowance_total_amount = parse_decimal(raw, invoice, "BT-107")
        elif tag == CBC_ChargeTotalAmount:
            totals.charge_total_amount = parse_decimal(raw, invoice, "BT-108")
        elif tag == CBC_PrepaidAmount:
            totals.prepaid_amount = parse_decimal(raw, invoice, "BT-113")
        elif tag == CBC_PayableRoundingAmount:
            totals.rounding_amount = parse_decimal(raw, invoice, "BT-114")
        elif tag == CBC_PayableAmount:
            totals.payable_amount = parse_decimal(raw, invoice, "BT-115")
    return totals


def read_ubl(root: etree._Element) -> Invoice:
    """Map a UBL 2.1 ``Invoice`` or ``CreditNote`` element to the semantic model."""
    is_credit_note = root.tag == f"{{{NS_UBL_CREDIT_NOTE}}}CreditNote"
    assert is_credit_note or root.tag == f"{{{NS_UBL_INVOICE}}}Invoice"  # noqa: S101
    invoice = Invoice(syntax="ubl-creditnote" if is_credit_note else "ubl-invoice")
    locations = invoice.locations
    line_tag = CAC + ("CreditNoteLine" if is_credit_note else "InvoiceLine")
    tax_totals: list[etree._Element] = []
    seller_el = buyer_el = None
    sepa_ids: list[str] = []
    line_index = 0
    for child in root:
        tag = child.tag
        if tag == line_tag:
            line_index += 1
            prefix = "cac:CreditNoteLine" if is_credit_note else "cac:InvoiceLine"
            invoice.lines.append(_line(child, invoice, f"{prefix}[{line_index}]"))
        elif tag == ID:
            invoice.number = text_of(child)
            locations["BT-1"] = _loc(child, "cbc:ID")
        elif tag == ISSUE_DATE:
            invoice.issue_date = parse_date_iso(text_of(child), invoice, "BT-2")
            locations["BT-2"] = _loc(child, "cbc:IssueDate")
        elif tag in (CBC_InvoiceTypeCode, CBC_CreditNoteTypeCode):
            invoice.type_code = text_of(child)
            locations["BT-3"] = _loc(child, tag.rpartition("}")[2])
        elif tag == CBC_DocumentCurrencyCode:
            invoice.currency_code = text_of(child)
            locations["BT-5"] = _loc(child, "cbc:DocumentCurrencyCode")
        elif tag == CBC_TaxCurrencyCode:
            invoice.vat_accounting_currency_code = text_of(child)
        elif tag == CBC_TaxPointDate:
            invoice.tax_point_date = parse_date_iso(text_of(child), invoice, "BT-7")
        elif tag == CBC_DueDate:
            invoice.due_date = parse_date_iso(text_of(child), invoice, "BT-9")
        elif tag == CBC_BuyerReference:
            invoice.buyer_reference = text_of(child)
            locations["BT-10"] = _loc(child, "cbc:BuyerReference")
        elif tag == CBC_AccountingCost:
            invoice.buyer_accounting_reference = text_of(child)
        elif tag == NOTE:
            invoice.notes.append(_note(text_of(child)))
        elif tag == CBC_CustomizationID:
            invoice.specification_identifier = text_of(child)
            locations["BT-24"] = _loc(child, "cbc:CustomizationID")
        elif tag == CBC_ProfileID:
            invoice.business_process = text_of(child)
            locations["BT-23"] = _loc(child, "cbc:ProfileID")
        elif tag == CAC_InvoicePeriod:
            period = _period(child, invoice, "BT-73", "BT-74")
            code = _first_text(child, CBC_DescriptionCode)
            if code is not None:
                invoice.tax_point_date_code = code
                if not any(sub.tag in (START_DATE, END_DATE) for sub in child):
                    # only BT-8 (UBL carries it in the period): no invoicing period BG-14
                    invoice.facts["period_code_only"] = True
                    continue
            if invoice.invoicing_period is None:
                invoice.invoicing_period = period
        elif tag == CAC_OrderReference:
            order_id: etree._Element | None = None
            for sub in child:
                if sub.tag == ID:
                    order_id = sub
                elif sub.tag == CBC_SalesOrderID:
                    invoice.sales_order_reference = text_of(sub)
            if order_id is not None:
                value = text_of(order_id)
                # cbc:ID is mandatory in UBL: "NA" stands for "no BT-13" next to BT-14
                if not (value.strip() == "NA" and invoice.sales_order_reference is not None):
                    invoice.purchase_order_reference = value
                    locations["BT-13"] = _loc(order_id, "cac:OrderReference/cbc:ID")
        elif tag == CAC_BillingReference:
            if not any(
                s2.tag == ID
                for sub in child
                if sub.tag == CAC_InvoiceDocumentReference
                for s2 in sub
            ):
                invoice.facts["billing_reference_without_invoice"] = True
            for sub in child:
                if sub.tag == CAC_InvoiceDocumentReference:
                    ref = PrecedingInvoiceReference()
                    for s2 in sub:
                        if s2.tag == ID:
                            ref.number = text_of(s2)
                        elif s2.tag == ISSUE_DATE:
                            ref.issue_date = parse_date_iso(text_of(s2), invoice, "BT-26")
                    invoice.preceding_invoices.append(ref)
        elif tag == CAC_DespatchDocumentReference:
            invoice.despatch_advice_reference = _first_text(child, ID)
        elif tag == CAC_ReceiptDocumentReference:
            invoice.receiving_advice_reference = _first_text(child, ID)
        elif tag == CAC_OriginatorDocumentReference:
            invoice.tender_or_lot_reference = _first_text(child, ID)
        elif tag == CAC_ContractDocumentReference:
            invoice.contract_reference = _first_text(child, ID)
        elif tag == CAC_ProjectReference:
            invoice.project_reference = _first_text(child, ID)
        elif tag == CAC_AdditionalDocumentReference:
            _additional_document(
                child,
                invoice,
                f"cac:AdditionalDocumentReference[{len(invoice.additional_documents) + 1}]",
            )
        elif tag == CAC_AccountingSupplierParty:
            seller_el = _find_party(child)
            if seller_el is not None:
                data = _party(seller_el, "cac:AccountingSupplierParty/cac:Party")
                sepa_ids.extend(data.sepa_ids)
                invoice.seller = Seller(
                    name=data.registration_name,
                    trading_name=data.party_name,
                    identifiers=data.identifiers,
                    legal_registration_id=data.legal_id,
                    vat_identifier=data.vat_id,
                    tax_registration_id=data.tax_ids[0] if data.tax_ids else None,
                    additional_legal_information=data.company_legal_form,
                    electronic_address=data.endpoint,
                    address=data.address,
                    contact=data.contact,
                    source=_loc(seller_el, "cac:AccountingSupplierParty/cac:Party"),
                )
            else:
                invoice.seller = Seller(source=_loc(child, "cac:AccountingSupplierParty"))
        elif tag == CAC_AccountingCustomerParty:
            buyer_el = _find_party(child)
            if buyer_el is not None:
                data = _party(buyer_el, "cac:AccountingCustomerParty/cac:Party")
                invoice.buyer = Buyer(
                    name=data.registration_name,
                    trading_name=data.party_name,
                    identifiers=data.identifiers + [Identifier(v, "SEPA") for v in data.sepa_ids],
                    legal_registration_id=data.legal_id,
                    vat_identifier=data.vat_id,
                    electronic_address=data.endpoint,
                    address=data.address,
                    contact=data.contact,
                    source=_loc(buyer_el, "cac:AccountingCustomerParty/cac:Party"),
                )
            else:
                invoice.buyer = Buyer(source=_loc(child, "cac:AccountingCustomerParty"))
        elif tag == CAC_PayeeParty:
            data = _party(child, "cac:PayeeParty")
            sepa_ids.extend(data.sepa_ids)
            invoice.payee = Payee(
                name=data.party_name,
                identifiers=data.identifiers,
                legal_registration_id=data.legal_id,
                source=_loc(child, "cac:PayeeParty"),
            )
        elif tag == CAC_TaxRepresentativeParty:
            data = _party(child, "cac:TaxRepresentativeParty")
            invoice.tax_representative = SellerTaxRepresentative(
                name=data.party_name,
                vat_identifier=data.vat_id,
                address=data.address,
                source=_loc(child, "cac:TaxRepresentativeParty"),
            )
        elif tag == CAC_Delivery:
            if invoice.delivery is None:
                invoice.delivery = _delivery(child, invoice)
        elif tag == CAC_PaymentMeans:
            invoice.payment_instructions.append(
                _payment_means(
                    child,
                    invoice,
                    f"cac:PaymentMeans[{len(invoice.payment_instructions) + 1}]",
                )
            )
        elif tag == CAC_PaymentTerms:
            notes = [text_of(sub) for sub in child if sub.tag == NOTE]
            if notes:
                joined = "\n".join(notes)
                invoice.payment_terms = (
                    joined
                    if invoice.payment_terms is None
                    else invoice.payment_terms + "\n" + joined
                )
        elif tag == CAC_AllowanceCharge:
            ac = _allowance_charge(
                child,
                invoice,
                f"cac:AllowanceCharge[{len(invoice.allowances) + len(invoice.charges) + 1}]",
            )
            if ac is not None:
                (invoice.charges if ac.charge_indicator else invoice.allowances).append(ac)
        elif tag == CAC_TaxTotal:
            tax_totals.append(child)
        elif tag == CAC_LegalMonetaryTotal and invoice.totals is None:
            invoice.totals = _totals(child, invoice)
    if sepa_ids:
        invoice.creditor_reference_id = sepa_ids[0]
    share_payment_terms(invoice.payment_instructions)
    _tax_totals(tax_totals, invoice)
    return invoice


def _note(raw: str) -> InvoiceNote:
    # UBL carries the subject code (BT-21) as "#CODE#text" inside cbc:Note.
    if raw.count("#") >= 2:
        code = raw.partition("#")[2].partition("#")[0]
        if len(code) == 3:
            prefix = f"#{code}#"
            if raw.startswith(prefix):
                return InvoiceNote(subject_code=code, text=raw[len(prefix) :])
            return InvoiceNote(subject_code=code, text=raw)
    return InvoiceNote(text=raw)


def _delivery(el: etree._Element, invoice: Invoice) -> DeliveryInformation:
    delivery = DeliveryInformation(source=_loc(el, "cac:Delivery"))
    for child in el:
        tag = child.tag
        if tag == CBC_ActualDeliveryDate:
            delivery.actual_delivery_date = parse_date_iso(text_of(child), invoice, "BT-72")
        elif tag == CAC_DeliveryLocation:
            for sub in child:
                if sub.tag == ID:
                    delivery.location_identifier = _ident(sub)
                elif sub.tag == CAC_Address:
                    delivery.address = _address(
                        sub, "cac:Delivery/cac:DeliveryLocation/cac:Address"
                    )
        elif tag == CAC_DeliveryParty:
            for sub in child:
                if sub.tag == CAC_PartyName:
                    delivery.deliver_to_name = _first_text(sub, NAME)
    return delivery


def _tax_totals(tax_totals: list[etree._Element], invoice: Invoice) -> None:
    currency = (invoice.currency_code or "").strip()
    tax_currency = (invoice.vat_accounting_currency_code or "").strip()
    if invoice.totals is None and tax_totals:
        invoice.totals = DocumentTotals()
    facts: list[tuple[str | None, Decimal | None, list[Decimal | None]]] = []
    invoice.facts["tax_totals"] = facts
    for index, total in enumerate(tax_totals, start=1):
        fact_currency: str | None = None
        fact_amount: Decimal | None = None
        fact_subtotals: list[Decimal | None] = []
        facts.append((fact_currency, fact_amount, fact_subtotals))
        for child in total:
            tag = child.tag
            if tag == CBC_TaxAmount:
                amount = parse_decimal(text_of(child), invoice, "BT-110")
                fact_currency = child.get("currencyID")
                fact_amount = amount
                facts[-1] = (fact_currency, fact_amount, fact_subtotals)
                currency_id = (child.get("currencyID") or "").strip()
                assert invoice.totals is not None  # noqa: S101
                if currency_id == currency and invoice.totals.vat_total_amount is None:
                    invoice.totals.vat_total_amount = amount
                elif (
                    tax_currency
                    and currency_id == tax_currency
                    and invoice.totals.vat_total_amount_accounting is None
                ):
                    invoice.totals.vat_total_amount_accounting = amount
            elif tag == CAC_TaxSubtotal:
                subtotal = _subtotal(child, invoice, index)
                fact_subtotals.append(subtotal.tax_amount)
                invoice.vat_breakdown.append(subtotal)


def _subtotal(el: etree._Element, invoice: Invoice, total_index: int) -> VatBreakdown:
    path = f"cac:TaxTotal[{total_index}]/cac:TaxSubtotal"
    vb = VatBreakdown(source=_loc(el, path))
    for child in el:
        tag = child.tag
        if tag == CBC_TaxableAmount:
            vb.taxable_amount = parse_decimal(text_of(child), invoice, "BT-116")
        elif tag == CBC_TaxAmount:
            vb.tax_amount = parse_decimal(text_of(child), invoice, "BT-117")
    category = _pick_tax_category(el)
    if category is not None:
        code, rate, reason_code, reason = _tax_category(category)
        vb.category_code = code
        vb.rate = rate
        vb.exemption_reason_code = reason_code
        vb.exemption_reason = reason
        vb.tax_scheme = _scheme_of(category)
    return vb
