"""UN/CEFACT CII D16B writer (Factur-X 1.0x / ZUGFeRD 2.x: BASIC, EN 16931, EXTENDED).

The element order follows the Factur-X profile schemas (``Factur-X_EN16931.xsd`` and
``Factur-X_EXTENDED.xsd``), which are subsets of the UN/CEFACT D16B/D22B schemas, and the
EN 16931 CII syntax binding (CEN/TS 16931-3-3). Amounts carry no ``currencyID``
(CII-DT-031) except the VAT totals (BT-110 and BT-111), which must.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Literal

from lxml import etree

from invoices.einvoice.syntax import NS_CII
from invoices.einvoice.tags import NS_QDT, NS_RAM, NS_UDT, QDT, RAM, RSM, UDT
from invoices.einvoice.writers._common import (
    WriterError,
    add,
    format_amount,
    format_date_102,
    format_decimal,
    identifier_list,
    serialize,
)

if TYPE_CHECKING:
    from datetime import date
    from decimal import Decimal

    from invoices.einvoice.model import (
        AllowanceCharge,
        Contact,
        CreditTransfer,
        Identifier,
        Invoice,
        InvoiceLine,
        ItemInformation,
        PaymentInstructions,
        Period,
        PostalAddress,
        PriceDetails,
        VatBreakdown,
    )

__all__ = ["GUIDELINE_IDS", "CiiProfile", "write_cii"]

CiiProfile = Literal["BASIC", "EN16931", "EXTENDED"]

GUIDELINE_IDS: dict[str, str] = {
    "BASIC": "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
    "EN16931": "urn:cen.eu:en16931:2017",
    "EXTENDED": "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
}

NSMAP = {"rsm": NS_CII, "ram": NS_RAM, "udt": NS_UDT, "qdt": NS_QDT}

# BT-8 is coded with UNTDID 2005 in the model (and in UBL); the CII binding uses
# UNTDID 2475 (CII-DT-... / BR-CL-06): 3 -> 5 (invoice date), 35 -> 29 (delivery date),
# 432 -> 72 (payment date). Codes already in 2475 are written as they are.
_BT8_TO_CII = {"3": "5", "35": "29", "432": "72"}


def write_cii(invoice: Invoice, *, profile: CiiProfile | None = None) -> bytes:
    """Serialise ``invoice`` as a CII ``CrossIndustryInvoice`` document (UTF-8 bytes).

    ``profile`` chooses the guideline id written as BT-24. ``None`` keeps the model's own
    specification identifier, or writes the EN 16931 one when the model has none.
    EXTENDED-only data (sub-line parent ids, line status reason codes) is refused in the
    other profiles rather than dropped silently.
    """
    if profile is None:
        guideline = invoice.specification_identifier or GUIDELINE_IDS["EN16931"]
        extended = "extended" in guideline.lower()
    else:
        if profile not in GUIDELINE_IDS:
            raise WriterError(f"unknown CII profile {profile!r}", term="BT-24")
        guideline = GUIDELINE_IDS[profile]
        extended = profile == "EXTENDED"
    return serialize(_Writer(invoice, extended=extended).document(guideline))


class _Writer:
    def __init__(self, invoice: Invoice, *, extended: bool) -> None:
        self.inv = invoice
        self.extended = extended

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _date(
        parent: etree._Element, tag: str, value: date, inner: str = UDT + "DateTimeString"
    ) -> None:
        add(add(parent, tag), inner, format_date_102(value), {"format": "102"})

    @staticmethod
    def _amount(parent: etree._Element, tag: str, value: Decimal | None) -> None:
        if value is not None:
            add(parent, RAM + tag, format_amount(value))

    @staticmethod
    def _text(parent: etree._Element, tag: str, value: str | None) -> None:
        if value is not None:
            add(parent, RAM + tag, value)

    @staticmethod
    def _id(parent: etree._Element, tag: str, ident: Identifier | None) -> None:
        if ident is not None:
            add(
                parent,
                RAM + tag,
                ident.value,
                {"schemeID": ident.scheme_id, "schemeVersionID": ident.scheme_version_id},
            )

    @staticmethod
    def _indicator(parent: etree._Element, charge: bool) -> None:
        holder = add(parent, RAM + "ChargeIndicator")
        add(holder, UDT + "Indicator", "true" if charge else "false")

    # ------------------------------------------------------------------ document

    def document(self, guideline: str) -> etree._Element:
        inv = self.inv
        root = etree.Element(RSM + "CrossIndustryInvoice", nsmap=NSMAP)
        context = add(root, RSM + "ExchangedDocumentContext")
        if inv.business_process is not None:
            param = add(context, RAM + "BusinessProcessSpecifiedDocumentContextParameter")
            add(param, RAM + "ID", inv.business_process)
        param = add(context, RAM + "GuidelineSpecifiedDocumentContextParameter")
        add(param, RAM + "ID", guideline)

        doc = add(root, RSM + "ExchangedDocument")
        add(doc, RAM + "ID", inv.number or "")
        add(doc, RAM + "TypeCode", inv.type_code or "")
        if inv.issue_date is None:
            raise WriterError("BT-2 (issue date) is required to write CII", term="BT-2")
        self._date(doc, RAM + "IssueDateTime", inv.issue_date)
        for note in inv.notes:
            holder = add(doc, RAM + "IncludedNote")
            add(holder, RAM + "Content", note.text or "")
            self._text(holder, "SubjectCode", note.subject_code)

        transaction = add(root, RSM + "SupplyChainTradeTransaction")
        for line in inv.lines:
            self._line(transaction, line)
        self._agreement(transaction)
        self._delivery(transaction)
        self._settlement(transaction)
        return root

    # ------------------------------------------------------------------ parties

    def _address(self, parent: etree._Element, address: PostalAddress | None) -> None:
        if address is None:
            return
        el = add(parent, RAM + "PostalTradeAddress")
        self._text(el, "PostcodeCode", address.post_code)
        self._text(el, "LineOne", address.line_one)
        self._text(el, "LineTwo", address.line_two)
        self._text(el, "LineThree", address.line_three)
        self._text(el, "CityName", address.city)
        add(el, RAM + "CountryID", address.country_code or "")
        self._text(el, "CountrySubDivisionName", address.country_subdivision)

    def _contact(self, parent: etree._Element, contact: Contact | None) -> None:
        if contact is None:
            return
        el = add(parent, RAM + "DefinedTradeContact")
        self._text(el, "PersonName", contact.name)
        if contact.telephone is not None:
            add(
                add(el, RAM + "TelephoneUniversalCommunication"),
                RAM + "CompleteNumber",
                contact.telephone,
            )
        if contact.email is not None:
            add(add(el, RAM + "EmailURIUniversalCommunication"), RAM + "URIID", contact.email)

    def _party_ids(
        self, parent: etree._Element, identifiers: list[Identifier], what: str, bt: str
    ) -> None:
        # ram:ID (no scheme) elements come before ram:GlobalID (with a scheme).
        unscheme = [i for i in identifiers if i.scheme_id is None]
        scheme = [i for i in identifiers if i.scheme_id is not None]
        if identifiers != unscheme + scheme:
            raise WriterError(
                f"CII writes the {what} identifiers ({bt}) without a scheme (ram:ID) before "
                "those with one (ram:GlobalID): their order "
                f"({identifier_list(identifiers)}) cannot be kept",
                term=bt,
            )
        for ident in unscheme:
            self._id(parent, "ID", ident)
        for ident in scheme:
            self._id(parent, "GlobalID", ident)

    def _legal_organization(
        self, parent: etree._Element, legal: Identifier | None, trading_name: str | None
    ) -> None:
        if legal is None and trading_name is None:
            return
        el = add(parent, RAM + "SpecifiedLegalOrganization")
        self._id(el, "ID", legal)
        self._text(el, "TradingBusinessName", trading_name)

    def _uri(self, parent: etree._Element, address: Identifier | None) -> None:
        if address is not None:
            self._id(add(parent, RAM + "URIUniversalCommunication"), "URIID", address)

    @staticmethod
    def _tax_registration(parent: etree._Element, value: str | None, scheme: str) -> None:
        if value is not None:
            add(
                add(parent, RAM + "SpecifiedTaxRegistration"),
                RAM + "ID",
                value,
                {"schemeID": scheme},
            )

    def _agreement(self, transaction: etree._Element) -> None:
        inv = self.inv
        el = add(transaction, RAM + "ApplicableHeaderTradeAgreement")
        self._text(el, "BuyerReference", inv.buyer_reference)

        seller = inv.seller
        party = add(el, RAM + "SellerTradeParty")
        if seller is not None:
            self._party_ids(party, seller.identifiers, "seller", "BT-29")
            self._text(party, "Name", seller.name)
            self._text(party, "Description", seller.additional_legal_information)
            self._legal_organization(party, seller.legal_registration_id, seller.trading_name)
            self._contact(party, seller.contact)
            self._address(party, seller.address)
            self._uri(party, seller.electronic_address)
            self._tax_registration(party, seller.vat_identifier, "VA")
            self._tax_registration(party, seller.tax_registration_id, "FC")

        buyer = inv.buyer
        party = add(el, RAM + "BuyerTradeParty")
        if buyer is not None:
            self._party_ids(party, buyer.identifiers, "buyer", "BT-46")
            self._text(party, "Name", buyer.name)
            self._legal_organization(party, buyer.legal_registration_id, buyer.trading_name)
            self._contact(party, buyer.contact)
            self._address(party, buyer.address)
            self._uri(party, buyer.electronic_address)
            self._tax_registration(party, buyer.vat_identifier, "VA")

        rep = inv.tax_representative
        if rep is not None:
            party = add(el, RAM + "SellerTaxRepresentativeTradeParty")
            self._text(party, "Name", rep.name)
            self._address(party, rep.address)
            self._tax_registration(party, rep.vat_identifier, "VA")

        if inv.sales_order_reference is not None:
            add(
                add(el, RAM + "SellerOrderReferencedDocument"),
                RAM + "IssuerAssignedID",
                inv.sales_order_reference,
            )
        if inv.purchase_order_reference is not None:
            add(
                add(el, RAM + "BuyerOrderReferencedDocument"),
                RAM + "IssuerAssignedID",
                inv.purchase_order_reference,
            )
        if inv.contract_reference is not None:
            add(
                add(el, RAM + "ContractReferencedDocument"),
                RAM + "IssuerAssignedID",
                inv.contract_reference,
            )
        for doc in inv.additional_documents:
            ref = add(el, RAM + "AdditionalReferencedDocument")
            add(ref, RAM + "IssuerAssignedID", doc.reference or "")
            self._text(ref, "URIID", doc.external_uri)
            add(ref, RAM + "TypeCode", doc.type_code or "916")
            self._text(ref, "Name", doc.description)
            if doc.attachment is not None:
                add(
                    ref,
                    RAM + "AttachmentBinaryObject",
                    base64.b64encode(doc.attachment.content).decode("ascii"),
                    {"mimeCode": doc.attachment.mime_code, "filename": doc.attachment.filename},
                )
        if inv.tender_or_lot_reference is not None:
            ref = add(el, RAM + "AdditionalReferencedDocument")
            add(ref, RAM + "IssuerAssignedID", inv.tender_or_lot_reference)
            add(ref, RAM + "TypeCode", "50")
        if inv.invoiced_object_identifier is not None:
            obj = inv.invoiced_object_identifier
            ref = add(el, RAM + "AdditionalReferencedDocument")
            add(ref, RAM + "IssuerAssignedID", obj.value)
            add(ref, RAM + "TypeCode", "130")
            self._text(ref, "ReferenceTypeCode", obj.scheme_id)
        if inv.project_reference is not None:
            project = add(el, RAM + "SpecifiedProcuringProject")
            add(project, RAM + "ID", inv.project_reference)
            # ram:Name is mandatory in the schema; EN 16931 has no term for it.
            add(project, RAM + "Name", "Project reference")

    def _delivery(self, transaction: etree._Element) -> None:
        inv = self.inv
        el = add(transaction, RAM + "ApplicableHeaderTradeDelivery")
        delivery = inv.delivery
        if delivery is not None:
            if (
                delivery.location_identifier is not None
                or delivery.deliver_to_name is not None
                or delivery.address is not None
            ):
                party = add(el, RAM + "ShipToTradeParty")
                loc = delivery.location_identifier
                if loc is not None:
                    self._id(party, "GlobalID" if loc.scheme_id is not None else "ID", loc)
                self._text(party, "Name", delivery.deliver_to_name)
                self._address(party, delivery.address)
            if delivery.actual_delivery_date is not None:
                event = add(el, RAM + "ActualDeliverySupplyChainEvent")
                self._date(event, RAM + "OccurrenceDateTime", delivery.actual_delivery_date)
        if inv.despatch_advice_reference is not None:
            add(
                add(el, RAM + "DespatchAdviceReferencedDocument"),
                RAM + "IssuerAssignedID",
                inv.despatch_advice_reference,
            )
        if inv.receiving_advice_reference is not None:
            add(
                add(el, RAM + "ReceivingAdviceReferencedDocument"),
                RAM + "IssuerAssignedID",
                inv.receiving_advice_reference,
            )

    # ------------------------------------------------------------------ settlement

    def _settlement(self, transaction: etree._Element) -> None:
        inv = self.inv
        el = add(transaction, RAM + "ApplicableHeaderTradeSettlement")
        self._text(el, "CreditorReferenceID", inv.creditor_reference_id)
        instructions = inv.payment_instructions
        first = instructions[0] if instructions else None
        remittances = [pm.remittance_information for pm in instructions]
        if len(set(remittances)) > 1:
            # ram:PaymentReference is document level; the reader gives it to every payment
            # means, so a value held by some payment instructions only would come back
            # on all of them.
            raise WriterError(
                "CII carries one remittance information (BT-83) for all payment means: "
                f"the payment instructions hold {', '.join(repr(r) for r in remittances)}",
                term="BT-83",
            )
        for later in instructions[1:]:
            if later.direct_debit is not None and later.direct_debit.mandate_reference is not None:
                raise WriterError(
                    "CII carries one mandate reference (BT-89) per invoice, read back on the "
                    "first payment instructions: a later one cannot hold it",
                    term="BT-89",
                )
        if first is not None:
            self._text(el, "PaymentReference", first.remittance_information)
        self._text(el, "TaxCurrencyCode", inv.vat_accounting_currency_code)
        add(el, RAM + "InvoiceCurrencyCode", inv.currency_code or "")
        payee = inv.payee
        if payee is not None:
            party = add(el, RAM + "PayeeTradeParty")
            self._party_ids(party, payee.identifiers, "payee", "BT-60")
            self._text(party, "Name", payee.name)
            self._legal_organization(party, payee.legal_registration_id, None)
        for pm in instructions:
            self._payment_means(el, pm)
        for index, vb in enumerate(inv.vat_breakdown):
            self._trade_tax(el, vb, first=index == 0)
        if inv.invoicing_period is not None:
            self._period(el, inv.invoicing_period)
        for ac in [*inv.allowances, *inv.charges]:
            self._allowance_charge(el, ac, header=True)
        mandate = (
            first.direct_debit.mandate_reference
            if first is not None and first.direct_debit is not None
            else None
        )
        if inv.payment_terms is not None or inv.due_date is not None or mandate is not None:
            terms = add(el, RAM + "SpecifiedTradePaymentTerms")
            self._text(terms, "Description", inv.payment_terms)
            if inv.due_date is not None:
                self._date(terms, RAM + "DueDateDateTime", inv.due_date)
            self._text(terms, "DirectDebitMandateID", mandate)
        self._summation(el)
        for preceding in inv.preceding_invoices:
            ref = add(el, RAM + "InvoiceReferencedDocument")
            add(ref, RAM + "IssuerAssignedID", preceding.number or "")
            if preceding.issue_date is not None:
                self._date(
                    ref,
                    RAM + "FormattedIssueDateTime",
                    preceding.issue_date,
                    QDT + "DateTimeString",
                )
        if inv.buyer_accounting_reference is not None:
            account = add(el, RAM + "ReceivableSpecifiedTradeAccountingAccount")
            add(account, RAM + "ID", inv.buyer_accounting_reference)

    def _payment_means(self, parent: etree._Element, pm: PaymentInstructions) -> None:
        if (
            pm.means_code is None
            and pm.means_text is None
            and not pm.credit_transfers
            and pm.card is None
            and (pm.direct_debit is None or pm.direct_debit.debited_account_id is None)
        ):
            # Only BT-83 / BT-89, which CII writes at document level: no payment means
            # element (the reader makes this implicit group when there is none).
            return
        transfers: list[CreditTransfer | None] = [*pm.credit_transfers] or [None]
        for index, transfer in enumerate(transfers):
            # One CII payment means holds one creditor account: several accounts
            # (BG-17 repeated) become several payment means with the same code.
            el = add(parent, RAM + "SpecifiedTradeSettlementPaymentMeans")
            add(el, RAM + "TypeCode", pm.means_code or "")
            self._text(el, "Information", pm.means_text)
            if index == 0 and pm.card is not None:
                card = add(el, RAM + "ApplicableTradeSettlementFinancialCard")
                add(card, RAM + "ID", pm.card.primary_account_number or "")
                self._text(card, "CardholderName", pm.card.holder_name)
            dd = pm.direct_debit
            if index == 0 and dd is not None and dd.debited_account_id is not None:
                add(
                    add(el, RAM + "PayerPartyDebtorFinancialAccount"),
                    RAM + "IBANID",
                    dd.debited_account_id,
                )
            if transfer is not None:
                if transfer.account_id is not None or transfer.account_name is not None:
                    account = add(el, RAM + "PayeePartyCreditorFinancialAccount")
                    # An IBAN and a proprietary id read back the same (BT-84); IBANID is
                    # what EN 16931 asks for SEPA transfers.
                    self._text(account, "IBANID", transfer.account_id)
                    self._text(account, "AccountName", transfer.account_name)
                if transfer.service_provider_id is not None:
                    add(
                        add(el, RAM + "PayeeSpecifiedCreditorFinancialInstitution"),
                        RAM + "BICID",
                        transfer.service_provider_id,
                    )

    def _trade_tax(self, parent: etree._Element, vb: VatBreakdown, *, first: bool) -> None:
        inv = self.inv
        el = add(parent, RAM + "ApplicableTradeTax")
        self._amount(el, "CalculatedAmount", vb.tax_amount)
        self._text(el, "TypeCode", vb.tax_scheme)
        self._text(el, "ExemptionReason", vb.exemption_reason)
        self._amount(el, "BasisAmount", vb.taxable_amount)
        add(el, RAM + "CategoryCode", vb.category_code or "")
        self._text(el, "ExemptionReasonCode", vb.exemption_reason_code)
        if inv.tax_point_date is not None and first:
            # BT-7 once per document (CII-SR-461), in the first VAT breakdown.
            self._date(el, RAM + "TaxPointDate", inv.tax_point_date, UDT + "DateString")
        code = vb.tax_point_date_code or inv.tax_point_date_code
        if code is not None:
            add(el, RAM + "DueDateTypeCode", _BT8_TO_CII.get(code, code))
        if vb.rate is not None:
            add(el, RAM + "RateApplicablePercent", format_decimal(vb.rate))

    def _period(self, parent: etree._Element, period: Period) -> None:
        el = add(parent, RAM + "BillingSpecifiedPeriod")
        if period.start_date is not None:
            self._date(el, RAM + "StartDateTime", period.start_date)
        if period.end_date is not None:
            self._date(el, RAM + "EndDateTime", period.end_date)

    def _allowance_charge(self, parent: etree._Element, ac: AllowanceCharge, header: bool) -> None:
        el = add(parent, RAM + "SpecifiedTradeAllowanceCharge")
        self._indicator(el, ac.charge_indicator)
        if ac.percentage is not None:
            add(el, RAM + "CalculationPercent", format_decimal(ac.percentage))
        self._amount(el, "BasisAmount", ac.base_amount)
        add(el, RAM + "ActualAmount", format_amount(ac.amount) if ac.amount is not None else "")
        self._text(el, "ReasonCode", ac.reason_code)
        self._text(el, "Reason", ac.reason)
        if header:
            tax = add(el, RAM + "CategoryTradeTax")
            self._text(tax, "TypeCode", ac.tax_scheme)
            add(tax, RAM + "CategoryCode", ac.vat_category_code or "")
            if ac.vat_rate is not None:
                add(tax, RAM + "RateApplicablePercent", format_decimal(ac.vat_rate))
        elif ac.vat_category_code is not None or ac.vat_rate is not None:
            raise WriterError(
                "a line allowance or charge has no VAT category in EN 16931", term="BG-27"
            )

    def _summation(self, parent: etree._Element) -> None:
        inv = self.inv
        totals = inv.totals
        if totals is None:
            raise WriterError("BG-22 (document totals) is required to write CII", term="BG-22")
        el = add(parent, RAM + "SpecifiedTradeSettlementHeaderMonetarySummation")
        add(el, RAM + "LineTotalAmount", _required_amount(totals.line_extension_amount, "BT-106"))
        self._amount(el, "ChargeTotalAmount", totals.charge_total_amount)
        self._amount(el, "AllowanceTotalAmount", totals.allowance_total_amount)
        add(
            el, RAM + "TaxBasisTotalAmount", _required_amount(totals.tax_exclusive_amount, "BT-109")
        )
        if totals.vat_total_amount is not None:
            add(
                el,
                RAM + "TaxTotalAmount",
                format_amount(totals.vat_total_amount),
                {"currencyID": inv.currency_code},
            )
        if totals.vat_total_amount_accounting is not None:
            add(
                el,
                RAM + "TaxTotalAmount",
                format_amount(totals.vat_total_amount_accounting),
                {"currencyID": inv.vat_accounting_currency_code},
            )
        self._amount(el, "RoundingAmount", totals.rounding_amount)
        add(el, RAM + "GrandTotalAmount", _required_amount(totals.tax_inclusive_amount, "BT-112"))
        self._amount(el, "TotalPrepaidAmount", totals.prepaid_amount)
        add(el, RAM + "DuePayableAmount", _required_amount(totals.payable_amount, "BT-115"))

    # ------------------------------------------------------------------ lines

    def _line(self, transaction: etree._Element, line: InvoiceLine) -> None:
        el = add(transaction, RAM + "IncludedSupplyChainTradeLineItem")
        doc = add(el, RAM + "AssociatedDocumentLineDocument")
        add(doc, RAM + "LineID", line.id or "")
        if line.parent_line_id is not None or line.line_status_reason_code is not None:
            if not self.extended:
                raise WriterError(
                    f"line {line.id}: sub-line data (ParentLineID, LineStatusReasonCode) "
                    "exists only in the Factur-X EXTENDED profile",
                    term="BG-25",
                )
            self._text(doc, "ParentLineID", line.parent_line_id)
            if line.line_status_reason_code is not None:
                # LineStatusCode is mandatory before LineStatusReasonCode in EXTENDED.
                add(
                    doc,
                    RAM + "LineStatusCode",
                    "INFORMATION" if line.line_status_reason_code == "INFORMATION" else "DETAIL",
                )
                add(doc, RAM + "LineStatusReasonCode", line.line_status_reason_code)
        if line.note is not None:
            add(add(doc, RAM + "IncludedNote"), RAM + "Content", line.note)

        self._product(el, line.item)

        agreement = add(el, RAM + "SpecifiedLineTradeAgreement")
        if line.order_line_reference is not None:
            add(
                add(agreement, RAM + "BuyerOrderReferencedDocument"),
                RAM + "LineID",
                line.order_line_reference,
            )
        price = line.price
        if price is not None and (
            price.gross_price is not None or price.price_discount is not None
        ):
            gross = add(agreement, RAM + "GrossPriceProductTradePrice")
            add(gross, RAM + "ChargeAmount", format_decimal(_gross_price(line, price)))
            if price.price_discount is not None:
                discount = add(gross, RAM + "AppliedTradeAllowanceCharge")
                self._indicator(discount, False)
                add(discount, RAM + "ActualAmount", format_decimal(price.price_discount))
        net = add(agreement, RAM + "NetPriceProductTradePrice")
        add(
            net,
            RAM + "ChargeAmount",
            format_decimal(price.net_price)
            if price is not None and price.net_price is not None
            else "",
        )
        if price is not None and price.base_quantity is not None:
            add(
                net,
                RAM + "BasisQuantity",
                format_decimal(price.base_quantity),
                {"unitCode": price.base_quantity_unit_code},
            )

        delivery = add(el, RAM + "SpecifiedLineTradeDelivery")
        add(
            delivery,
            RAM + "BilledQuantity",
            format_decimal(line.quantity) if line.quantity is not None else "",
            {"unitCode": line.unit_code},
        )

        settlement = add(el, RAM + "SpecifiedLineTradeSettlement")
        tax = add(settlement, RAM + "ApplicableTradeTax")
        # The category's scheme as the model holds it (VAT unless read otherwise).
        self._text(tax, "TypeCode", line.vat.tax_scheme if line.vat is not None else "VAT")
        add(
            tax,
            RAM + "CategoryCode",
            (line.vat.category_code if line.vat is not None else None) or "",
        )
        if line.vat is not None and line.vat.rate is not None:
            add(tax, RAM + "RateApplicablePercent", format_decimal(line.vat.rate))
        if line.period is not None:
            self._period(settlement, line.period)
        for ac in [*line.allowances, *line.charges]:
            self._allowance_charge(settlement, ac, header=False)
        summation = add(settlement, RAM + "SpecifiedTradeSettlementLineMonetarySummation")
        add(
            summation,
            RAM + "LineTotalAmount",
            format_amount(line.net_amount) if line.net_amount is not None else "",
        )
        if line.object_identifier is not None:
            obj = line.object_identifier
            ref = add(settlement, RAM + "AdditionalReferencedDocument")
            add(ref, RAM + "IssuerAssignedID", obj.value)
            add(ref, RAM + "TypeCode", "130")
            self._text(ref, "ReferenceTypeCode", obj.scheme_id)
        if line.accounting_cost is not None:
            add(
                add(settlement, RAM + "ReceivableSpecifiedTradeAccountingAccount"),
                RAM + "ID",
                line.accounting_cost,
            )

    def _product(self, parent: etree._Element, item: ItemInformation | None) -> None:
        el = add(parent, RAM + "SpecifiedTradeProduct")
        if item is None:
            add(el, RAM + "Name", "")
            return
        self._id(el, "GlobalID", item.standard_identifier)
        self._text(el, "SellerAssignedID", item.sellers_identifier)
        self._text(el, "BuyerAssignedID", item.buyers_identifier)
        add(el, RAM + "Name", item.name or "")
        self._text(el, "Description", item.description)
        for attribute in item.attributes:
            char = add(el, RAM + "ApplicableProductCharacteristic")
            add(char, RAM + "Description", attribute.name or "")
            add(char, RAM + "Value", attribute.value or "")
        for classification in item.classifications:
            holder = add(el, RAM + "DesignatedProductClassification")
            add(
                holder,
                RAM + "ClassCode",
                classification.code,
                {"listID": classification.list_id, "listVersionID": classification.list_version_id},
            )
        if item.origin_country is not None:
            add(add(el, RAM + "OriginTradeCountry"), RAM + "ID", item.origin_country)


def _gross_price(line: InvoiceLine, price: PriceDetails) -> Decimal:
    """BT-148, or the gross price an item price discount (BT-147) implies.

    CII carries BT-147 only inside ``ram:GrossPriceProductTradePrice``, whose
    ``ram:ChargeAmount`` (BT-148) is mandatory. EN 16931 defines the net price as the gross
    price minus the discount, so a discount without a gross price is written with
    BT-148 = BT-146 + BT-147 (docs/einvoice.md, "Implied values").
    """
    if price.gross_price is not None:
        return price.gross_price
    if price.net_price is None or price.price_discount is None:
        raise WriterError(
            f"line {line.id}: CII carries the item price discount (BT-147) inside the gross "
            "price (BT-148), which cannot be derived without the item net price (BT-146)",
            term="BT-147",
        )
    return price.net_price + price.price_discount


def _required_amount(value: Decimal | None, bt: str) -> str:
    if value is None:
        raise WriterError(f"{bt} is required to write CII", term=bt)
    return format_amount(value)
