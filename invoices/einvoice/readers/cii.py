"""UN/CEFACT CII D16B reader (all Factur-X / ZUGFeRD 2 profiles): one pass over the tree."""

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
    parse_date_102,
    parse_decimal,
    share_payment_terms,
    text_of,
)
from invoices.einvoice.tags import (
    RAM_BICID,
    RAM_IBANID,
    RAM_ID,
    RAM_URIID,
    QDT_DateTimeString,
    RAM_AccountName,
    RAM_ActualAmount,
    RAM_ActualDeliverySupplyChainEvent,
    RAM_AdditionalReferencedDocument,
    RAM_AllowanceTotalAmount,
    RAM_ApplicableHeaderTradeAgreement,
    RAM_ApplicableHeaderTradeDelivery,
    RAM_ApplicableHeaderTradeSettlement,
    RAM_ApplicableProductCharacteristic,
    RAM_ApplicableTradeSettlementFinancialCard,
    RAM_ApplicableTradeTax,
    RAM_AppliedTradeAllowanceCharge,
    RAM_AssociatedDocumentLineDocument,
    RAM_AttachmentBinaryObject,
    RAM_BasisAmount,
    RAM_BasisQuantity,
    RAM_BilledQuantity,
    RAM_BillingSpecifiedPeriod,
    RAM_BusinessProcessSpecifiedDocumentContextParameter,
    RAM_BuyerAssignedID,
    RAM_BuyerOrderReferencedDocument,
    RAM_BuyerReference,
    RAM_BuyerTradeParty,
    RAM_CalculatedAmount,
    RAM_CalculationPercent,
    RAM_CardholderName,
    RAM_CategoryCode,
    RAM_CategoryTradeTax,
    RAM_ChargeAmount,
    RAM_ChargeIndicator,
    RAM_ChargeTotalAmount,
    RAM_CityName,
    RAM_ClassCode,
    RAM_CompleteNumber,
    RAM_Content,
    RAM_ContractReferencedDocument,
    RAM_CountryID,
    RAM_CountrySubDivisionName,
    RAM_CreditorReferenceID,
    RAM_DefinedTradeContact,
    RAM_DepartmentName,
    RAM_Description,
    RAM_DesignatedProductClassification,
    RAM_DespatchAdviceReferencedDocument,
    RAM_DirectDebitMandateID,
    RAM_DueDateDateTime,
    RAM_DueDateTypeCode,
    RAM_DuePayableAmount,
    RAM_EmailURIUniversalCommunication,
    RAM_EndDateTime,
    RAM_ExemptionReason,
    RAM_ExemptionReasonCode,
    RAM_FormattedIssueDateTime,
    RAM_GlobalID,
    RAM_GrandTotalAmount,
    RAM_GrossPriceProductTradePrice,
    RAM_GuidelineSpecifiedDocumentContextParameter,
    RAM_IncludedNote,
    RAM_IncludedSupplyChainTradeLineItem,
    RAM_Information,
    RAM_InvoiceCurrencyCode,
    RAM_InvoiceReferencedDocument,
    RAM_IssueDateTime,
    RAM_IssuerAssignedID,
    RAM_LineID,
    RAM_LineOne,
    RAM_LineStatusReasonCode,
    RAM_LineThree,
    RAM_LineTotalAmount,
    RAM_LineTwo,
    RAM_Name,
    RAM_NetPriceProductTradePrice,
    RAM_OccurrenceDateTime,
    RAM_OriginTradeCountry,
    RAM_ParentLineID,
    RAM_PayeePartyCreditorFinancialAccount,
    RAM_PayeeSpecifiedCreditorFinancialInstitution,
    RAM_PayeeTradeParty,
    RAM_PayerPartyDebtorFinancialAccount,
    RAM_PaymentReference,
    RAM_PersonName,
    RAM_PostalTradeAddress,
    RAM_PostcodeCode,
    RAM_ProprietaryID,
    RAM_RateApplicablePercent,
    RAM_Reason,
    RAM_ReasonCode,
    RAM_ReceivableSpecifiedTradeAccountingAccount,
    RAM_ReceivingAdviceReferencedDocument,
    RAM_ReferenceTypeCode,
    RAM_RoundingAmount,
    RAM_SellerAssignedID,
    RAM_SellerOrderReferencedDocument,
    RAM_SellerTaxRepresentativeTradeParty,
    RAM_SellerTradeParty,
    RAM_ShipToTradeParty,
    RAM_SpecifiedLegalOrganization,
    RAM_SpecifiedLineTradeAgreement,
    RAM_SpecifiedLineTradeDelivery,
    RAM_SpecifiedLineTradeSettlement,
    RAM_SpecifiedProcuringProject,
    RAM_SpecifiedTaxRegistration,
    RAM_SpecifiedTradeAllowanceCharge,
    RAM_SpecifiedTradePaymentTerms,
    RAM_SpecifiedTradeProduct,
    RAM_SpecifiedTradeSettlementHeaderMonetarySummation,
    RAM_SpecifiedTradeSettlementLineMonetarySummation,
    RAM_SpecifiedTradeSettlementPaymentMeans,
    RAM_StartDateTime,
    RAM_SubjectCode,
    RAM_TaxBasisTotalAmount,
    RAM_TaxCurrencyCode,
    RAM_TaxPointDate,
    RAM_TaxTotalAmount,
    RAM_TelephoneUniversalCommunication,
    RAM_TotalPrepaidAmount,
    RAM_TradingBusinessName,
    RAM_TypeCode,
    RAM_URIUniversalCommunication,
    RAM_Value,
    RSM_ExchangedDocument,
    RSM_ExchangedDocumentContext,
    RSM_SupplyChainTradeTransaction,
    UDT_DateString,
    UDT_DateTimeString,
    UDT_Indicator,
)

if TYPE_CHECKING:
    from datetime import date
    from decimal import Decimal

    from lxml import etree

__all__ = ["read_cii"]


# Full Clark tags, computed once: concatenating ``RAM + "Name"`` in the hot loops
# (each comparison of a child's tag) cost a string allocation per test.

ID = RAM_ID
NAME = RAM_Name
TYPE_CODE = RAM_TypeCode
ISSUER_ASSIGNED_ID = RAM_IssuerAssignedID
POSTAL = RAM_PostalTradeAddress
CATEGORY_CODE = RAM_CategoryCode
RATE = RAM_RateApplicablePercent


_UNTDID_2475_TO_2005 = {"5": "3", "29": "35", "72": "432"}
"""BT-8 codes: CII DueDateTypeCode (UNTDID 2475) to the model's UNTDID 2005."""


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


def _first(el: etree._Element, tag: str) -> etree._Element | None:
    for child in el:
        if child.tag == tag:
            return child
    return None


def _datetime_102(
    el: etree._Element, invoice: Invoice, bt: str, inner: str = UDT_DateTimeString
) -> date | None:
    """Date inside ``<x><udt:DateTimeString format="102">`` (or ``qdt:``/``udt:DateString``)."""
    for child in el:
        if child.tag == inner:
            raw = text_of(child)
            fmt = child.get("format")
            if fmt is not None and fmt != "102":
                invoice.unparsed.setdefault(bt, raw)
                return None
            return parse_date_102(raw, invoice, bt)
    return None


def _address(el: etree._Element, path: str) -> PostalAddress:
    addr = PostalAddress(source=_loc(el, path))
    for child in el:
        tag = child.tag
        if tag == RAM_LineOne:
            addr.line_one = text_of(child)
        elif tag == RAM_LineTwo:
            addr.line_two = text_of(child)
        elif tag == RAM_LineThree:
            addr.line_three = text_of(child)
        elif tag == RAM_CityName:
            addr.city = text_of(child)
        elif tag == RAM_PostcodeCode:
            addr.post_code = text_of(child)
        elif tag == RAM_CountrySubDivisionName:
            addr.country_subdivision = text_of(child)
        elif tag == RAM_CountryID:
            addr.country_code = text_of(child)
    return addr


def _contact(el: etree._Element) -> Contact:
    contact = Contact()
    for child in el:
        tag = child.tag
        if tag == RAM_PersonName:
            contact.name = text_of(child)
        elif tag == RAM_DepartmentName:
            if contact.name is None:
                contact.name = text_of(child)
        elif tag == RAM_TelephoneUniversalCommunication:
            contact.telephone = _first_text(child, RAM_CompleteNumber)
        elif tag == RAM_EmailURIUniversalCommunication:
            contact.email = _first_text(child, RAM_URIID)
    return contact


class _PartyData:
    __slots__ = (
        "address",
        "contact",
        "description",
        "endpoint",
        "identifiers",
        "legal_id",
        "name",
        "other_tax_ids",
        "tax_ids",
        "trading_name",
        "uri_multiple",
        "vat_id",
    )

    def __init__(self) -> None:
        self.identifiers: list[Identifier] = []
        self.name: str | None = None
        self.description: str | None = None
        self.legal_id: Identifier | None = None
        self.trading_name: str | None = None
        self.contact: Contact | None = None
        self.address: PostalAddress | None = None
        self.endpoint: Identifier | None = None
        self.vat_id: str | None = None
        self.tax_ids: list[str] = []
        self.other_tax_ids: list[str] = []
        self.uri_multiple = False


def _party(el: etree._Element, path: str) -> _PartyData:
    data = _PartyData()
    for child in el:
        tag = child.tag
        if tag in (ID, RAM_GlobalID):
            data.identifiers.append(_ident(child))
        elif tag == NAME:
            data.name = text_of(child)
        elif tag == RAM_Description:
            data.description = text_of(child)
        elif tag == RAM_SpecifiedLegalOrganization:
            for sub in child:
                if sub.tag == ID:
                    data.legal_id = _ident(sub)
                elif sub.tag == RAM_TradingBusinessName:
                    data.trading_name = text_of(sub)
        elif tag == RAM_DefinedTradeContact:
            if data.contact is None:
                data.contact = _contact(child)
        elif tag == POSTAL:
            data.address = _address(child, path + "/ram:PostalTradeAddress")
        elif tag == RAM_URIUniversalCommunication:
            if data.endpoint is None:
                uris = [c for c in child if c.tag == RAM_URIID]
                if uris:
                    data.endpoint = _ident(uris[0])
                if len(uris) > 1:
                    data.uri_multiple = True
        elif tag == RAM_SpecifiedTaxRegistration:
            for sub in child:
                if sub.tag == ID:
                    scheme = sub.get("schemeID")
                    if scheme == "VA":
                        if data.vat_id is None:
                            data.vat_id = text_of(sub)
                    elif scheme == "FC":
                        data.tax_ids.append(text_of(sub))
                    else:
                        data.other_tax_ids.append(text_of(sub))
    return data


def _allowance_charge(
    el: etree._Element, invoice: Invoice, path: str, line_level: bool
) -> AllowanceCharge | None:
    ac = AllowanceCharge(source=_loc(el, path))
    indicator: bool | None = None
    for child in el:
        tag = child.tag
        if tag == RAM_ChargeIndicator:
            for sub in child:
                if sub.tag == UDT_Indicator:
                    value = text_of(sub).strip()
                    if value in ("true", "1"):
                        indicator = True
                    elif value in ("false", "0"):
                        indicator = False
        elif tag == RAM_ActualAmount:
            ac.amount = parse_decimal(text_of(child), invoice, "BT-92")
        elif tag == RAM_BasisAmount:
            ac.base_amount = parse_decimal(text_of(child), invoice, "BT-93")
        elif tag == RAM_CalculationPercent:
            ac.percentage = parse_decimal(text_of(child), invoice, "BT-94")
        elif tag == RAM_Reason:
            ac.reason = text_of(child)
        elif tag == RAM_ReasonCode:
            ac.reason_code = text_of(child)
        elif tag == RAM_CategoryTradeTax and not line_level:
            ac.tax_scheme = None
            for sub in child:
                if sub.tag == CATEGORY_CODE:
                    ac.vat_category_code = text_of(sub)
                elif sub.tag == RATE:
                    ac.vat_rate = parse_decimal(text_of(sub))
                elif sub.tag == TYPE_CODE:
                    ac.tax_scheme = text_of(sub)
    if indicator is None:
        return None
    ac.charge_indicator = indicator
    return ac


def _period(el: etree._Element, invoice: Invoice, start_bt: str, end_bt: str) -> Period:
    period = Period()
    for child in el:
        if child.tag == RAM_StartDateTime:
            period.start_date = _datetime_102(child, invoice, start_bt)
        elif child.tag == RAM_EndDateTime:
            period.end_date = _datetime_102(child, invoice, end_bt)
    return period


def _b64(raw: str) -> bytes:
    import base64
    import binascii

    try:
        return base64.b64decode("".join(raw.split()), validate=True)
    except (binascii.Error, ValueError):
        return b""


def _referenced_document(el: etree._Element, invoice: Invoice, path: str) -> None:
    """Header ``ram:AdditionalReferencedDocument``: BG-24, BT-17 (50) or BT-18 (130)."""
    type_code = (_first_text(el, TYPE_CODE) or "").strip()
    issuer = _first(el, ISSUER_ASSIGNED_ID)
    if type_code == "50":
        if issuer is not None and invoice.tender_or_lot_reference is None:
            invoice.tender_or_lot_reference = text_of(issuer)
        return
    if type_code == "130":
        if issuer is not None and invoice.invoiced_object_identifier is None:
            invoice.invoiced_object_identifier = Identifier(
                value=text_of(issuer), scheme_id=_first_text(el, RAM_ReferenceTypeCode)
            )
        return
    doc = AdditionalDocument(source=_loc(el, path), type_code=type_code or None)
    doc.reference = text_of(issuer) if issuer is not None else None
    for child in el:
        tag = child.tag
        if tag == RAM_URIID:
            doc.external_uri = text_of(child)
        elif tag == NAME:
            doc.description = text_of(child)
        elif tag == RAM_AttachmentBinaryObject:
            doc.attachment = Attachment(
                content=_b64(text_of(child)),
                mime_code=child.get("mimeCode"),
                filename=child.get("filename"),
            )
    invoice.additional_documents.append(doc)


def _product(el: etree._Element) -> ItemInformation:
    item = ItemInformation()
    for child in el:
        tag = child.tag
        if tag == NAME:
            item.name = text_of(child)
        elif tag == RAM_Description:
            item.description = text_of(child)
        elif tag == RAM_SellerAssignedID:
            item.sellers_identifier = text_of(child)
        elif tag == RAM_BuyerAssignedID:
            item.buyers_identifier = text_of(child)
        elif tag == RAM_GlobalID:
            item.standard_identifier = _ident(child)
        elif tag == RAM_ApplicableProductCharacteristic:
            item.attributes.append(
                ItemAttribute(
                    name=_first_text(child, RAM_Description),
                    value=_first_text(child, RAM_Value),
                )
            )
        elif tag == RAM_DesignatedProductClassification:
            code = _first(child, RAM_ClassCode)
            if code is not None:
                item.classifications.append(
                    ItemClassification(
                        code=text_of(code),
                        list_id=code.get("listID"),
                        list_version_id=code.get("listVersionID"),
                    )
                )
        elif tag == RAM_OriginTradeCountry:
            item.origin_country = _first_text(child, ID)
    return item


def _price(el: etree._Element, invoice: Invoice, price: PriceDetails, gross: bool) -> None:
    for child in el:
        tag = child.tag
        if tag == RAM_ChargeAmount:
            amount = parse_decimal(text_of(child), invoice, "BT-148" if gross else "BT-146")
            if gross:
                price.gross_price = amount
            else:
                price.net_price = amount
        elif tag == RAM_BasisQuantity:
            if not gross or price.base_quantity is None:
                price.base_quantity = parse_decimal(text_of(child), invoice, "BT-149")
                price.base_quantity_unit_code = child.get("unitCode")
        elif tag == RAM_AppliedTradeAllowanceCharge and gross:
            amount_el = _first(child, RAM_ActualAmount)
            if amount_el is not None and price.price_discount is None:
                price.price_discount = parse_decimal(text_of(amount_el), invoice, "BT-147")


def _line(el: etree._Element, invoice: Invoice, path: str) -> InvoiceLine:
    line = InvoiceLine(source=_loc(el, path))
    for child in el:
        tag = child.tag
        if tag == RAM_AssociatedDocumentLineDocument:
            for sub in child:
                stag = sub.tag
                if stag == RAM_LineID:
                    line.id = text_of(sub)
                elif stag == RAM_ParentLineID:
                    line.parent_line_id = text_of(sub)
                elif stag == RAM_LineStatusReasonCode:
                    line.line_status_reason_code = text_of(sub)
                elif stag == RAM_IncludedNote and line.note is None:
                    line.note = _first_text(sub, RAM_Content)
        elif tag == RAM_SpecifiedTradeProduct:
            line.item = _product(child)
        elif tag == RAM_SpecifiedLineTradeAgreement:
            for sub in child:
                stag = sub.tag
                if stag == RAM_BuyerOrderReferencedDocument:
                    line.order_line_reference = _first_text(sub, RAM_LineID)
                elif stag == RAM_GrossPriceProductTradePrice:
                    line.price = line.price or PriceDetails()
                    _price(sub, invoice, line.price, gross=True)
                elif stag == RAM_NetPriceProductTradePrice:
                    line.price = line.price or PriceDetails()
                    _price(sub, invoice, line.price, gross=False)
        elif tag == RAM_SpecifiedLineTradeDelivery:
            qty = _first(child, RAM_BilledQuantity)
            if qty is not None:
                line.quantity = parse_decimal(text_of(qty), invoice, "BT-129")
                line.unit_code = qty.get("unitCode")
        elif tag == RAM_SpecifiedLineTradeSettlement:
            _line_settlement(child, invoice, line, path)
    return line


def _line_settlement(el: etree._Element, invoice: Invoice, line: InvoiceLine, path: str) -> None:
    for child in el:
        tag = child.tag
        if tag == RAM_ApplicableTradeTax:
            if line.vat is None:
                vat = LineVatInformation(tax_scheme=None)
                for sub in child:
                    if sub.tag == CATEGORY_CODE:
                        vat.category_code = text_of(sub)
                    elif sub.tag == RATE:
                        vat.rate = parse_decimal(text_of(sub))
                    elif sub.tag == TYPE_CODE:
                        vat.tax_scheme = text_of(sub)
                line.vat = vat
        elif tag == RAM_BillingSpecifiedPeriod:
            line.period = _period(child, invoice, "BT-134", "BT-135")
        elif tag == RAM_SpecifiedTradeAllowanceCharge:
            ac = _allowance_charge(
                child, invoice, path + "/ram:SpecifiedTradeAllowanceCharge", line_level=True
            )
            if ac is not None:
                (line.charges if ac.charge_indicator else line.allowances).append(ac)
        elif tag == RAM_SpecifiedTradeSettlementLineMonetarySummation:
            amount = _first(child, RAM_LineTotalAmount)
            if amount is not None:
                line.net_amount = parse_decimal(text_of(amount), invoice, "BT-131")
        elif tag == RAM_AdditionalReferencedDocument:
            issuer = _first(child, ISSUER_ASSIGNED_ID)
            if issuer is not None and line.object_identifier is None:
                line.object_identifier = Identifier(
                    value=text_of(issuer),
                    scheme_id=_first_text(child, RAM_ReferenceTypeCode),
                )
        elif tag == RAM_ReceivableSpecifiedTradeAccountingAccount:
            line.accounting_cost = _first_text(child, ID)


def _agreement(el: etree._Element, invoice: Invoice) -> None:
    base = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
    for child in el:
        tag = child.tag
        if tag == RAM_BuyerReference:
            invoice.buyer_reference = text_of(child)
            invoice.locations["BT-10"] = _loc(child, base + "/ram:BuyerReference")
        elif tag == RAM_SellerTradeParty:
            path = base + "/ram:SellerTradeParty"
            data = _party(child, path)
            if data.uri_multiple:
                invoice.facts["ambiguous"] = "BT-34"
            invoice.seller = Seller(
                name=data.name,
                trading_name=data.trading_name,
                identifiers=data.identifiers,
                legal_registration_id=data.legal_id,
                vat_identifier=data.vat_id,
                tax_registration_id=data.tax_ids[0] if data.tax_ids else None,
                additional_legal_information=data.description,
                electronic_address=data.endpoint,
                address=data.address,
                contact=data.contact,
                source=_loc(child, path),
            )
        elif tag == RAM_BuyerTradeParty:
            path = base + "/ram:BuyerTradeParty"
            data = _party(child, path)
            if data.uri_multiple:
                invoice.facts["ambiguous"] = "BT-49"
            invoice.buyer = Buyer(
                name=data.name,
                trading_name=data.trading_name,
                identifiers=data.identifiers,
                legal_registration_id=data.legal_id,
                vat_identifier=data.vat_id,
                electronic_address=data.endpoint,
                address=data.address,
                contact=data.contact,
                source=_loc(child, path),
            )
        elif tag == RAM_SellerTaxRepresentativeTradeParty:
            path = base + "/ram:SellerTaxRepresentativeTradeParty"
            data = _party(child, path)
            invoice.tax_representative = SellerTaxRepresentative(
                name=data.name,
                vat_identifier=data.vat_id,
                address=data.address,
                source=_loc(child, path),
            )
        elif tag == RAM_SellerOrderReferencedDocument:
            invoice.sales_order_reference = _first_text(child, ISSUER_ASSIGNED_ID)
        elif tag == RAM_BuyerOrderReferencedDocument:
            issuer = _first(child, ISSUER_ASSIGNED_ID)
            if issuer is not None:
                invoice.purchase_order_reference = text_of(issuer)
                invoice.locations["BT-13"] = _loc(
                    issuer, base + "/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"
                )
        elif tag == RAM_ContractReferencedDocument:
            invoice.contract_reference = _first_text(child, ISSUER_ASSIGNED_ID)
        elif tag == RAM_AdditionalReferencedDocument:
            _referenced_document(
                child,
                invoice,
                base
                + f"/ram:AdditionalReferencedDocument[{len(invoice.additional_documents) + 1}]",
            )
        elif tag == RAM_SpecifiedProcuringProject:
            invoice.project_reference = _first_text(child, ID)


def _delivery(el: etree._Element, invoice: Invoice) -> None:
    base = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery"
    delivery = DeliveryInformation(source=_loc(el, base))
    for child in el:
        tag = child.tag
        if tag == RAM_ShipToTradeParty:
            for sub in child:
                stag = sub.tag
                if stag in (ID, RAM_GlobalID):
                    if delivery.location_identifier is None:
                        delivery.location_identifier = _ident(sub)
                elif stag == NAME:
                    delivery.deliver_to_name = text_of(sub)
                elif stag == POSTAL:
                    delivery.address = _address(
                        sub, base + "/ram:ShipToTradeParty/" + "ram:PostalTradeAddress"
                    )
        elif tag == RAM_ActualDeliverySupplyChainEvent:
            occurrence = _first(child, RAM_OccurrenceDateTime)
            if occurrence is not None:
                delivery.actual_delivery_date = _datetime_102(occurrence, invoice, "BT-72")
        elif tag == RAM_DespatchAdviceReferencedDocument:
            invoice.despatch_advice_reference = _first_text(child, ISSUER_ASSIGNED_ID)
        elif tag == RAM_ReceivingAdviceReferencedDocument:
            invoice.receiving_advice_reference = _first_text(child, ISSUER_ASSIGNED_ID)
    if (
        delivery.deliver_to_name is not None
        or delivery.location_identifier is not None
        or delivery.actual_delivery_date is not None
        or delivery.address is not None
    ):
        invoice.delivery = delivery


def _payment_means(el: etree._Element, path: str) -> PaymentInstructions:
    pm = PaymentInstructions(source=_loc(el, path))
    for child in el:
        tag = child.tag
        if tag == TYPE_CODE:
            pm.means_code = text_of(child)
        elif tag == RAM_Information:
            pm.means_text = text_of(child)
        elif tag == RAM_ApplicableTradeSettlementFinancialCard:
            pm.card = PaymentCard(
                primary_account_number=_first_text(child, ID),
                holder_name=_first_text(child, RAM_CardholderName),
            )
        elif tag == RAM_PayerPartyDebtorFinancialAccount:
            pm.direct_debit = pm.direct_debit or DirectDebit()
            pm.direct_debit.debited_account_id = _first_text(child, RAM_IBANID)
        elif tag == RAM_PayeePartyCreditorFinancialAccount:
            ct = CreditTransfer()
            for sub in child:
                stag = sub.tag
                if stag == RAM_IBANID:
                    ct.account_id = text_of(sub)
                elif stag == RAM_ProprietaryID:
                    if ct.account_id is None:
                        ct.account_id = text_of(sub)
                elif stag == RAM_AccountName:
                    ct.account_name = text_of(sub)
            pm.credit_transfers.append(ct)
        elif tag == RAM_PayeeSpecifiedCreditorFinancialInstitution:
            bic = _first_text(child, RAM_BICID)
            if pm.credit_transfers:
                pm.credit_transfers[-1].service_provider_id = bic
            else:
                pm.credit_transfers.append(CreditTransfer(service_provider_id=bic))
    return pm


def _settlement(el: etree._Element, invoice: Invoice) -> None:
    base = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
    tax_totals: list[etree._Element] = []
    remittance: str | None = None
    mandate: str | None = None
    for child in el:
        tag = child.tag
        if tag == RAM_ApplicableTradeTax:
            invoice.vat_breakdown.append(
                _trade_tax(child, invoice, f"{base}/ram:ApplicableTradeTax")
            )
        elif tag == RAM_SpecifiedTradeAllowanceCharge:
            ac = _allowance_charge(
                child, invoice, f"{base}/ram:SpecifiedTradeAllowanceCharge", line_level=False
            )
            if ac is not None:
                (invoice.charges if ac.charge_indicator else invoice.allowances).append(ac)
        elif tag == RAM_InvoiceCurrencyCode:
            invoice.currency_code = text_of(child)
            invoice.locations["BT-5"] = _loc(child, base + "/ram:InvoiceCurrencyCode")
        elif tag == RAM_TaxCurrencyCode:
            invoice.vat_accounting_currency_code = text_of(child)
        elif tag == RAM_CreditorReferenceID:
            invoice.creditor_reference_id = text_of(child)
        elif tag == RAM_PaymentReference:
            remittance = text_of(child)
        elif tag == RAM_PayeeTradeParty:
            data = _party(child, base + "/ram:PayeeTradeParty")
            invoice.payee = Payee(
                name=data.name,
                identifiers=data.identifiers,
                legal_registration_id=data.legal_id,
                source=_loc(child, base + "/ram:PayeeTradeParty"),
            )
        elif tag == RAM_SpecifiedTradeSettlementPaymentMeans:
            invoice.payment_instructions.append(
                _payment_means(
                    child,
                    f"{base}/ram:SpecifiedTradeSettlementPaymentMeans"
                    f"[{len(invoice.payment_instructions) + 1}]",
                )
            )
        elif tag == RAM_BillingSpecifiedPeriod:
            if invoice.invoicing_period is None:
                invoice.invoicing_period = _period(child, invoice, "BT-73", "BT-74")
        elif tag == RAM_SpecifiedTradePaymentTerms:
            for sub in child:
                stag = sub.tag
                if stag == RAM_Description:
                    text = text_of(sub)
                    invoice.payment_terms = (
                        text
                        if invoice.payment_terms is None
                        else invoice.payment_terms + "\n" + text
                    )
                elif stag == RAM_DueDateDateTime:
                    if invoice.due_date is None:
                        invoice.due_date = _datetime_102(sub, invoice, "BT-9")
                elif stag == RAM_DirectDebitMandateID:
                    mandate = text_of(sub)
        elif tag == RAM_SpecifiedTradeSettlementHeaderMonetarySummation:
            invoice.totals = _summation(child, invoice, tax_totals, base)
        elif tag == RAM_InvoiceReferencedDocument:
            ref = PrecedingInvoiceReference(number=_first_text(child, ISSUER_ASSIGNED_ID))
            formatted = _first(child, RAM_FormattedIssueDateTime)
            if formatted is not None:
                ref.issue_date = _datetime_102(
                    formatted, invoice, "BT-26", inner=QDT_DateTimeString
                )
            invoice.preceding_invoices.append(ref)
        elif (
            tag == RAM_ReceivableSpecifiedTradeAccountingAccount
            and invoice.buyer_accounting_reference is None
        ):
            invoice.buyer_accounting_reference = _first_text(child, ID)
    if remittance is not None or mandate is not None:
        if not invoice.payment_instructions:
            # BT-83 / BT-89 without payment means: keep them on an implicit BG-16.
            invoice.payment_instructions.append(PaymentInstructions())
        first = invoice.payment_instructions[0]
        first.remittance_information = remittance
        if mandate is not None:
            first.direct_debit = first.direct_debit or DirectDebit()
            first.direct_debit.mandate_reference = mandate
    share_payment_terms(invoice.payment_instructions)
    currency = (invoice.currency_code or "").strip()
    tax_currency = (invoice.vat_accounting_currency_code or "").strip()
    totals = invoice.totals
    facts: list[tuple[str | None, Decimal | None, str]] = []
    invoice.facts["tax_total_amounts"] = facts
    for amount_el in tax_totals:
        currency_id = (amount_el.get("currencyID") or "").strip()
        raw = text_of(amount_el)
        amount = parse_decimal(raw, invoice, "BT-110")
        facts.append((amount_el.get("currencyID"), amount, raw))
        assert totals is not None  # noqa: S101
        if tax_currency and currency_id == tax_currency and currency_id != currency:
            if totals.vat_total_amount_accounting is None:
                totals.vat_total_amount_accounting = amount
        elif totals.vat_total_amount is None:
            totals.vat_total_amount = amount


def _trade_tax(el: etree._Element, invoice: Invoice, path: str) -> VatBreakdown:
    vb = VatBreakdown(tax_scheme=None, source=_loc(el, path))
    for child in el:
        tag = child.tag
        if tag == TYPE_CODE:
            vb.tax_scheme = text_of(child)
        elif tag == RAM_CalculatedAmount:
            vb.tax_amount = parse_decimal(text_of(child), invoice, "BT-117")
        elif tag == RAM_BasisAmount:
            vb.taxable_amount = parse_decimal(text_of(child), invoice, "BT-116")
        elif tag == CATEGORY_CODE:
            vb.category_code = text_of(child)
        elif tag == RATE:
            vb.rate = parse_decimal(text_of(child), invoice, "BT-119")
        elif tag == RAM_ExemptionReason:
            vb.exemption_reason = text_of(child)
        elif tag == RAM_ExemptionReasonCode:
            vb.exemption_reason_code = text_of(child)
        elif tag == RAM_DueDateTypeCode:
            vb.tax_point_date_code = text_of(child)
            if invoice.tax_point_date_code is None:
                # BT-8 is documented in UNTDID 2005 (as in UBL); CII writes UNTDID 2475
                code = vb.tax_point_date_code
                invoice.tax_point_date_code = _UNTDID_2475_TO_2005.get(code.strip(), code)
        elif tag == RAM_TaxPointDate and invoice.tax_point_date is None:
            invoice.tax_point_date = _datetime_102(child, invoice, "BT-7", inner=UDT_DateString)
    return vb


def _summation(
    el: etree._Element, invoice: Invoice, tax_totals: list[etree._Element], base: str
) -> DocumentTotals:
    totals = DocumentTotals(
        source=_loc(el, base + "/ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    )
    for child in el:
        tag = child.tag
        if tag == RAM_TaxTotalAmount:
            tax_totals.append(child)
            continue
        raw = text_of(child)
        if tag == RAM_LineTotalAmount:
            totals.line_extension_amount = parse_decimal(raw, invoice, "BT-106")
        elif tag == RAM_ChargeTotalAmount:
            totals.charge_total_amount = parse_decimal(raw, invoice, "BT-108")
        elif tag == RAM_AllowanceTotalAmount:
            totals.allowance_total_amount = parse_decimal(raw, invoice, "BT-107")
        elif tag == RAM_TaxBasisTotalAmount:
            totals.tax_exclusive_amount = parse_decimal(raw, invoice, "BT-109")
        elif tag == RAM_RoundingAmount:
            totals.rounding_amount = parse_decimal(raw, invoice, "BT-114")
        elif tag == RAM_GrandTotalAmount:
            totals.tax_inclusive_amount = parse_decimal(raw, invoice, "BT-112")
        elif tag == RAM_TotalPrepaidAmount:
            totals.prepaid_amount = parse_decimal(raw, invoice, "BT-113")
        elif tag == RAM_DuePayableAmount:
            totals.payable_amount = parse_decimal(raw, invoice, "BT-115")
    return totals


def read_cii(root: etree._Element) -> Invoice:
    """Map a CII ``CrossIndustryInvoice`` element to the semantic model."""
    invoice = Invoice(syntax="cii")
    locations = invoice.locations
    for part in root:
        tag = part.tag
        if tag == RSM_ExchangedDocumentContext:
            for child in part:
                ctag = child.tag
                if ctag == RAM_GuidelineSpecifiedDocumentContextParameter:
                    ident = _first(child, ID)
                    if ident is not None:
                        invoice.specification_identifier = text_of(ident)
                        locations["BT-24"] = _loc(
                            ident,
                            "rsm:ExchangedDocumentContext/"
                            "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
                        )
                elif ctag == RAM_BusinessProcessSpecifiedDocumentContextParameter:
                    ident = _first(child, ID)
                    if ident is not None:
                        invoice.business_process = text_of(ident)
                        locations["BT-23"] = _loc(
                            ident,
                            "rsm:ExchangedDocumentContext/"
                            "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID",
                        )
        elif tag == RSM_ExchangedDocument:
            for child in part:
                ctag = child.tag
                if ctag == ID:
                    invoice.number = text_of(child)
                    locations["BT-1"] = _loc(child, "rsm:ExchangedDocument/ram:ID")
                elif ctag == TYPE_CODE:
                    invoice.type_code = text_of(child)
                    locations["BT-3"] = _loc(child, "rsm:ExchangedDocument/ram:TypeCode")
                elif ctag == RAM_IssueDateTime:
                    invoice.issue_date = _datetime_102(child, invoice, "BT-2")
                    locations["BT-2"] = _loc(child, "rsm:ExchangedDocument/ram:IssueDateTime")
                elif ctag == RAM_IncludedNote:
                    invoice.notes.append(
                        InvoiceNote(
                            subject_code=_first_text(child, RAM_SubjectCode),
                            text=_first_text(child, RAM_Content),
                        )
                    )
        elif tag == RSM_SupplyChainTradeTransaction:
            line_index = 0
            for child in part:
                ctag = child.tag
                if ctag == RAM_IncludedSupplyChainTradeLineItem:
                    line_index += 1
                    invoice.lines.append(
                        _line(
                            child,
                            invoice,
                            "rsm:SupplyChainTradeTransaction/"
                            f"ram:IncludedSupplyChainTradeLineItem[{line_index}]",
                        )
                    )
                elif ctag == RAM_ApplicableHeaderTradeAgreement:
                    _agreement(child, invoice)
                elif ctag == RAM_ApplicableHeaderTradeDelivery:
                    _delivery(child, invoice)
                elif ctag == RAM_ApplicableHeaderTradeSettlement:
                    _settlement(child, invoice)
    return invoice
