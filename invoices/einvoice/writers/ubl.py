"""UBL 2.1 writer: ``Invoice``, or ``CreditNote`` for credit-note type codes (381...).

Element order follows the OASIS UBL 2.1 maindoc schemas; the mapping is the EN 16931 UBL
syntax binding (CEN/TS 16931-3-2). Every amount carries ``currencyID`` (the invoice
currency, or the VAT accounting currency for BT-111).
"""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import TYPE_CHECKING

from lxml import etree

from invoices.einvoice.syntax import NS_UBL_CREDIT_NOTE, NS_UBL_INVOICE
from invoices.einvoice.tags import CAC, CBC, NS_CAC, NS_CBC
from invoices.einvoice.writers._common import (
    WriterError,
    add,
    format_amount,
    format_decimal,
    identifier_list,
    serialize,
)

if TYPE_CHECKING:
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
    )

__all__ = ["write_ubl"]


DEFAULT_CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017"

# BT-8 is coded with UNTDID 2005 in UBL; a model read from CII may hold the UNTDID 2475
# code of ram:DueDateTypeCode: 5 -> 3, 29 -> 35, 72 -> 432.
_BT8_TO_UBL = {"5": "3", "29": "35", "72": "432"}


_ZERO = Decimal(0)


def _check_payment_means(instructions: list[PaymentInstructions]) -> None:
    """Refuse payment instructions that UBL's one-per-document payment terms cannot carry.

    EN 16931 has one BG-16 per invoice; the model keeps one ``PaymentInstructions`` per
    payment means of the source syntax. UBL repeats ``cac:PaymentMeans`` but allows one
    payment means code (UBL-SR-47), one payment means text (UBL-SR-46), one remittance
    information value (UBL-SR-44), one card (UBL-SR-54) and one mandate (UBL-SR-55) in
    the whole document. The UBL reader gives the document's BT-82 and BT-83 to every
    payment instructions, so several payment instructions must hold the same ones.
    """
    if len(instructions) < 2:
        return
    checks = (
        (
            "BT-81",
            "payment means type code (BT-81, UBL-SR-47)",
            [p.means_code for p in instructions],
        ),
        ("BT-82", "payment means text (BT-82, UBL-SR-46)", [p.means_text for p in instructions]),
        (
            "BT-83",
            "remittance information (BT-83, UBL-SR-44)",
            [p.remittance_information for p in instructions],
        ),
    )
    for term, what, values in checks:
        if len(set(values)) > 1:
            raise WriterError(
                f"UBL carries one {what} for all payment means: the payment instructions "
                f"hold {', '.join(repr(v) for v in values)}",
                term=term,
            )
    if sum(pm.card is not None for pm in instructions) > 1:
        raise WriterError(
            "UBL carries one payment card (BG-18, UBL-SR-54) per invoice", term="BG-18"
        )
    if sum(pm.direct_debit is not None for pm in instructions) > 1:
        raise WriterError(
            "UBL carries one direct debit mandate (BG-19, UBL-SR-55) per invoice", term="BG-19"
        )


def write_ubl(invoice: Invoice) -> bytes:
    """Serialise ``invoice`` as a UBL 2.1 Invoice or CreditNote (UTF-8 bytes)."""
    return serialize(_Writer(invoice).document())


class _Writer:
    def __init__(self, invoice: Invoice) -> None:
        self.inv = invoice
        self.credit_note = invoice.is_credit_note
        self.currency = invoice.currency_code or ""
        self._first_means = True

    # ------------------------------------------------------------------ helpers

    def _amount(
        self, parent: etree._Element, tag: str, value: Decimal | None, currency: str | None = None
    ) -> None:
        if value is not None:
            add(
                parent,
                CBC + tag,
                format_amount(value),
                {"currencyID": currency if currency is not None else self.currency},
            )

    @staticmethod
    def _text(parent: etree._Element, tag: str, value: str | None) -> None:
        if value is not None:
            add(parent, CBC + tag, value)

    @staticmethod
    def _id(parent: etree._Element, tag: str, ident: Identifier | None) -> None:
        if ident is not None:
            add(
                parent,
                CBC + tag,
                ident.value,
                {"schemeID": ident.scheme_id, "schemeVersionID": ident.scheme_version_id},
            )

    @staticmethod
    def _date(parent: etree._Element, tag: str, value: object) -> None:
        if value is not None:
            add(parent, CBC + tag, str(value))

    @staticmethod
    def _tax_scheme(parent: etree._Element, scheme: str | None = "VAT") -> None:
        # The model keeps a category's scheme (VAT unless read otherwise): a GST category
        # is written as GST, never turned into a VAT one. No scheme: an empty TaxScheme.
        holder = add(parent, CAC + "TaxScheme")
        if scheme is not None:
            add(holder, CBC + "ID", scheme)

    # ------------------------------------------------------------------ document

    def document(self) -> etree._Element:
        inv = self.inv
        cn = self.credit_note
        ns = NS_UBL_CREDIT_NOTE if cn else NS_UBL_INVOICE
        root = etree.Element(
            "{" + ns + "}" + ("CreditNote" if cn else "Invoice"),
            nsmap={None: ns, "cac": NS_CAC, "cbc": NS_CBC},  # type: ignore[dict-item]
        )
        self._text(
            root, "CustomizationID", inv.specification_identifier or DEFAULT_CUSTOMIZATION_ID
        )
        self._text(root, "ProfileID", inv.business_process)
        add(root, CBC + "ID", inv.number or "")
        if inv.issue_date is None:
            raise WriterError("BT-2 (issue date) is required to write UBL", term="BT-2")
        self._date(root, "IssueDate", inv.issue_date)
        if cn:
            self._date(root, "TaxPointDate", inv.tax_point_date)
            self._text(root, "CreditNoteTypeCode", inv.type_code)
        else:
            self._date(root, "DueDate", inv.due_date)
            self._text(root, "InvoiceTypeCode", inv.type_code)
        for note in inv.notes:
            text = note.text or ""
            add(
                root,
                CBC + "Note",
                f"#{note.subject_code}#{text}" if note.subject_code is not None else text,
            )
        if not cn:
            self._date(root, "TaxPointDate", inv.tax_point_date)
        add(root, CBC + "DocumentCurrencyCode", self.currency)
        self._text(root, "TaxCurrencyCode", inv.vat_accounting_currency_code)
        self._text(root, "AccountingCost", inv.buyer_accounting_reference)
        self._text(root, "BuyerReference", inv.buyer_reference)
        code = inv.tax_point_date_code
        if inv.invoicing_period is not None or code is not None:
            self._period(root, inv.invoicing_period, _BT8_TO_UBL.get(code, code) if code else None)
        if inv.purchase_order_reference is not None or inv.sales_order_reference is not None:
            order = add(root, CAC + "OrderReference")
            # cbc:ID is mandatory; EN 16931 writes "NA" when only BT-14 is known.
            add(
                order,
                CBC + "ID",
                inv.purchase_order_reference if inv.purchase_order_reference is not None else "NA",
            )
            self._text(order, "SalesOrderID", inv.sales_order_reference)
        for preceding in inv.preceding_invoices:
            ref = add(add(root, CAC + "BillingReference"), CAC + "InvoiceDocumentReference")
            add(ref, CBC + "ID", preceding.number or "")
            self._date(ref, "IssueDate", preceding.issue_date)
        self._doc_ref(root, "DespatchDocumentReference", inv.despatch_advice_reference)
        self._doc_ref(root, "ReceiptDocumentReference", inv.receiving_advice_reference)
        if not cn:
            self._doc_ref(root, "OriginatorDocumentReference", inv.tender_or_lot_reference)
        self._doc_ref(root, "ContractDocumentReference", inv.contract_reference)
        self._additional_documents(root)
        if cn:
            self._doc_ref(root, "OriginatorDocumentReference", inv.tender_or_lot_reference)
        elif inv.project_reference is not None:
            add(add(root, CAC + "ProjectReference"), CBC + "ID", inv.project_reference)

        self._seller(root)
        self._buyer(root)
        self._payee(root)
        self._tax_representative(root)
        self._delivery(root)
        _check_payment_means(inv.payment_instructions)
        for pm in inv.payment_instructions:
            self._payment_means(root, pm)
        if inv.payment_terms is not None:
            add(add(root, CAC + "PaymentTerms"), CBC + "Note", inv.payment_terms)
        for ac in [*inv.allowances, *inv.charges]:
            self._allowance_charge(root, ac, header=True)
        self._tax_totals(root)
        self._monetary_total(root)
        for line in inv.lines:
            self._line(root, line)
        return root

    def _doc_ref(self, parent: etree._Element, tag: str, value: str | None) -> None:
        if value is not None:
            add(add(parent, CAC + tag), CBC + "ID", value)

    def _period(self, parent: etree._Element, period: Period | None, code: str | None) -> None:
        el = add(parent, CAC + "InvoicePeriod")
        if period is not None:
            self._date(el, "StartDate", period.start_date)
            self._date(el, "EndDate", period.end_date)
        self._text(el, "DescriptionCode", code)

    def _additional_documents(self, root: etree._Element) -> None:
        inv = self.inv
        for doc in inv.additional_documents:
            el = add(root, CAC + "AdditionalDocumentReference")
            add(el, CBC + "ID", doc.reference or "")
            # BG-24 documents carry no DocumentTypeCode in UBL (UBL-SR-43): only 130
            # (BT-18) and, in a credit note, 50 (BT-11) may appear. A credit note read
            # by a reader that keeps BT-11 as a document with code 50 is written back
            # as it was.
            if doc.type_code == "130" or (doc.type_code == "50" and not self.credit_note):
                raise WriterError(
                    f"supporting document type code {doc.type_code} is reserved in UBL",
                    term="BG-24",
                )
            if doc.type_code == "50":
                add(el, CBC + "DocumentTypeCode", "50")
            self._text(el, "DocumentDescription", doc.description)
            if doc.attachment is not None or doc.external_uri is not None:
                attachment = add(el, CAC + "Attachment")
                if doc.attachment is not None:
                    add(
                        attachment,
                        CBC + "EmbeddedDocumentBinaryObject",
                        base64.b64encode(doc.attachment.content).decode("ascii"),
                        {"mimeCode": doc.attachment.mime_code, "filename": doc.attachment.filename},
                    )
                if doc.external_uri is not None:
                    add(add(attachment, CAC + "ExternalReference"), CBC + "URI", doc.external_uri)
        obj = inv.invoiced_object_identifier
        if obj is not None:
            el = add(root, CAC + "AdditionalDocumentReference")
            self._id(el, "ID", obj)
            add(el, CBC + "DocumentTypeCode", "130")
        if self.credit_note and inv.project_reference is not None:
            # A UBL CreditNote has no cac:ProjectReference: BT-11 goes here (code 50).
            el = add(root, CAC + "AdditionalDocumentReference")
            add(el, CBC + "ID", inv.project_reference)
            add(el, CBC + "DocumentTypeCode", "50")

    # ------------------------------------------------------------------ parties

    def _address(self, parent: etree._Element, tag: str, address: PostalAddress | None) -> None:
        if address is None:
            return
        el = add(parent, CAC + tag)
        self._text(el, "StreetName", address.line_one)
        self._text(el, "AdditionalStreetName", address.line_two)
        self._text(el, "CityName", address.city)
        self._text(el, "PostalZone", address.post_code)
        self._text(el, "CountrySubentity", address.country_subdivision)
        if address.line_three is not None:
            add(add(el, CAC + "AddressLine"), CBC + "Line", address.line_three)
        if address.country_code is not None:
            add(add(el, CAC + "Country"), CBC + "IdentificationCode", address.country_code)

    def _contact(self, parent: etree._Element, contact: Contact | None) -> None:
        if contact is None:
            return
        el = add(parent, CAC + "Contact")
        self._text(el, "Name", contact.name)
        self._text(el, "Telephone", contact.telephone)
        self._text(el, "ElectronicMail", contact.email)

    def _identifications(self, party: etree._Element, identifiers: list[Identifier]) -> None:
        for ident in identifiers:
            if ident.scheme_id == "SEPA":
                raise WriterError(
                    "party identifier scheme SEPA is reserved for BT-90 in UBL", term="BT-90"
                )
            self._id(add(party, CAC + "PartyIdentification"), "ID", ident)

    def _party_name(self, party: etree._Element, name: str | None) -> None:
        if name is not None:
            add(add(party, CAC + "PartyName"), CBC + "Name", name)

    def _party_tax(self, party: etree._Element, company_id: str | None, scheme: str) -> None:
        if company_id is not None:
            el = add(party, CAC + "PartyTaxScheme")
            add(el, CBC + "CompanyID", company_id)
            self._tax_scheme(el, scheme)

    def _legal_entity(
        self,
        party: etree._Element,
        name: str | None,
        legal: Identifier | None,
        legal_form: str | None = None,
    ) -> None:
        if name is None and legal is None and legal_form is None:
            return
        el = add(party, CAC + "PartyLegalEntity")
        self._text(el, "RegistrationName", name)
        self._id(el, "CompanyID", legal)
        self._text(el, "CompanyLegalForm", legal_form)

    def _seller(self, root: etree._Element) -> None:
        inv = self.inv
        seller = inv.seller
        party = add(add(root, CAC + "AccountingSupplierParty"), CAC + "Party")
        if seller is None:
            return
        self._id(party, "EndpointID", seller.electronic_address)
        self._identifications(party, seller.identifiers)
        if inv.creditor_reference_id is not None:
            # BT-90: bank assigned creditor identifier, a SEPA-scheme party identifier.
            add(
                add(party, CAC + "PartyIdentification"),
                CBC + "ID",
                inv.creditor_reference_id,
                {"schemeID": "SEPA"},
            )
        self._party_name(party, seller.trading_name)
        self._address(party, "PostalAddress", seller.address)
        self._party_tax(party, seller.vat_identifier, "VAT")
        # BT-32: a tax registration that is not VAT (TaxScheme other than VAT).
        self._party_tax(party, seller.tax_registration_id, "FC")
        self._legal_entity(
            party, seller.name, seller.legal_registration_id, seller.additional_legal_information
        )
        self._contact(party, seller.contact)

    def _buyer(self, root: etree._Element) -> None:
        buyer = self.inv.buyer
        party = add(add(root, CAC + "AccountingCustomerParty"), CAC + "Party")
        if buyer is None:
            return
        if len(buyer.identifiers) > 1:
            raise WriterError(
                f"UBL carries one buyer identifier (BT-46, UBL-SR-16): the buyer has "
                f"{len(buyer.identifiers)} ({identifier_list(buyer.identifiers)})",
                term="BT-46",
            )
        self._id(party, "EndpointID", buyer.electronic_address)
        self._identifications(party, buyer.identifiers)
        self._party_name(party, buyer.trading_name)
        self._address(party, "PostalAddress", buyer.address)
        self._party_tax(party, buyer.vat_identifier, "VAT")
        self._legal_entity(party, buyer.name, buyer.legal_registration_id)
        self._contact(party, buyer.contact)

    def _payee(self, root: etree._Element) -> None:
        payee = self.inv.payee
        if payee is None:
            return
        if len(payee.identifiers) > 1:
            raise WriterError(
                f"UBL carries one payee identifier (BT-60, UBL-SR-20): the payee has "
                f"{len(payee.identifiers)} ({identifier_list(payee.identifiers)})",
                term="BT-60",
            )
        party = add(root, CAC + "PayeeParty")
        self._identifications(party, payee.identifiers)
        self._party_name(party, payee.name)
        if payee.legal_registration_id is not None:
            self._legal_entity(party, None, payee.legal_registration_id)

    def _tax_representative(self, root: etree._Element) -> None:
        rep = self.inv.tax_representative
        if rep is None:
            return
        party = add(root, CAC + "TaxRepresentativeParty")
        self._party_name(party, rep.name)
        self._address(party, "PostalAddress", rep.address)
        self._party_tax(party, rep.vat_identifier, "VAT")

    def _delivery(self, root: etree._Element) -> None:
        delivery = self.inv.delivery
        if delivery is None:
            return
        el = add(root, CAC + "Delivery")
        self._date(el, "ActualDeliveryDate", delivery.actual_delivery_date)
        if delivery.location_identifier is not None or delivery.address is not None:
            location = add(el, CAC + "DeliveryLocation")
            self._id(location, "ID", delivery.location_identifier)
            self._address(location, "Address", delivery.address)
        if delivery.deliver_to_name is not None:
            party = add(el, CAC + "DeliveryParty")
            self._party_name(party, delivery.deliver_to_name)

    # ------------------------------------------------------------------ payment

    def _payment_means(self, root: etree._Element, pm: PaymentInstructions) -> None:
        if pm.means_code is None:
            held = ", ".join(
                bt
                for bt, present in (
                    ("BT-83 remittance information", pm.remittance_information is not None),
                    ("BT-89 mandate reference", pm.direct_debit is not None),
                    ("BG-17 credit transfer", bool(pm.credit_transfers)),
                    ("BG-18 card", pm.card is not None),
                )
                if present
            )
            raise WriterError(
                "UBL writes payment instructions as cac:PaymentMeans, whose payment means "
                "type code (BT-81) is mandatory: payment instructions without it"
                + (f" (holding {held})" if held else "")
                + " cannot be written",
                term="BT-81",
            )
        transfers: list[CreditTransfer | None] = [*pm.credit_transfers] or [None]
        for index, transfer in enumerate(transfers):
            # One UBL payment means holds one payee account: several accounts (BG-17
            # repeated) become several payment means with the same code.
            el = add(root, CAC + "PaymentMeans")
            # BT-82 once per document (UBL-SR-46): on the first payment means; the reader
            # gives it back to every payment instructions (_check_payment_means).
            add(
                el,
                CBC + "PaymentMeansCode",
                pm.means_code,
                {"name": pm.means_text if self._first_means else None},
            )
            self._first_means = False
            if self.credit_note and self.inv.due_date is not None:
                # A UBL CreditNote has no cbc:DueDate: BT-9 goes in the payment means.
                self._date(el, "PaymentDueDate", self.inv.due_date)
            self._text(el, "PaymentID", pm.remittance_information)
            if index == 0 and pm.card is not None:
                card = add(el, CAC + "CardAccount")
                add(card, CBC + "PrimaryAccountNumberID", pm.card.primary_account_number or "")
                # cbc:NetworkID is mandatory in UBL and has no EN 16931 term.
                add(card, CBC + "NetworkID", "NA")
                self._text(card, "HolderName", pm.card.holder_name)
            if transfer is not None:
                account = add(el, CAC + "PayeeFinancialAccount")
                self._text(account, "ID", transfer.account_id)
                self._text(account, "Name", transfer.account_name)
                if transfer.service_provider_id is not None:
                    add(
                        add(account, CAC + "FinancialInstitutionBranch"),
                        CBC + "ID",
                        transfer.service_provider_id,
                    )
            dd = pm.direct_debit
            if index == 0 and dd is not None:
                mandate = add(el, CAC + "PaymentMandate")
                self._text(mandate, "ID", dd.mandate_reference)
                if dd.debited_account_id is not None:
                    add(
                        add(mandate, CAC + "PayerFinancialAccount"),
                        CBC + "ID",
                        dd.debited_account_id,
                    )

    def _allowance_charge(self, parent: etree._Element, ac: AllowanceCharge, header: bool) -> None:
        el = add(parent, CAC + "AllowanceCharge")
        add(el, CBC + "ChargeIndicator", "true" if ac.charge_indicator else "false")
        self._text(el, "AllowanceChargeReasonCode", ac.reason_code)
        self._text(el, "AllowanceChargeReason", ac.reason)
        if ac.percentage is not None:
            add(el, CBC + "MultiplierFactorNumeric", format_decimal(ac.percentage))
        add(
            el,
            CBC + "Amount",
            format_amount(ac.amount) if ac.amount is not None else "",
            {"currencyID": self.currency},
        )
        self._amount(el, "BaseAmount", ac.base_amount)
        if header:
            category = add(el, CAC + "TaxCategory")
            add(category, CBC + "ID", ac.vat_category_code or "")
            if ac.vat_rate is not None:
                add(category, CBC + "Percent", format_decimal(ac.vat_rate))
            self._tax_scheme(category, ac.tax_scheme)
        elif ac.vat_category_code is not None or ac.vat_rate is not None:
            raise WriterError(
                "a line allowance or charge has no VAT category in EN 16931", term="BG-27"
            )

    def _tax_totals(self, root: etree._Element) -> None:
        inv = self.inv
        totals = inv.totals
        vat_total = totals.vat_total_amount if totals is not None else None
        if vat_total is None and inv.vat_breakdown:
            raise WriterError(
                "UBL nests the VAT breakdown (BG-23) in the cac:TaxTotal whose mandatory "
                "cbc:TaxAmount is the invoice total VAT amount (BT-110): a VAT breakdown "
                "without BT-110 cannot be written",
                term="BT-110",
            )
        if vat_total is not None:
            el = add(root, CAC + "TaxTotal")
            self._amount(el, "TaxAmount", vat_total)
            for vb in inv.vat_breakdown:
                sub = add(el, CAC + "TaxSubtotal")
                self._amount(sub, "TaxableAmount", vb.taxable_amount)
                add(
                    sub,
                    CBC + "TaxAmount",
                    format_amount(vb.tax_amount) if vb.tax_amount is not None else "",
                    {"currencyID": self.currency},
                )
                category = add(sub, CAC + "TaxCategory")
                add(category, CBC + "ID", vb.category_code or "")
                if vb.rate is not None:
                    add(category, CBC + "Percent", format_decimal(vb.rate))
                self._text(category, "TaxExemptionReasonCode", vb.exemption_reason_code)
                self._text(category, "TaxExemptionReason", vb.exemption_reason)
                self._tax_scheme(category, vb.tax_scheme)
        if totals is not None and totals.vat_total_amount_accounting is not None:
            el = add(root, CAC + "TaxTotal")
            self._amount(
                el,
                "TaxAmount",
                totals.vat_total_amount_accounting,
                inv.vat_accounting_currency_code or "",
            )

    def _monetary_total(self, root: etree._Element) -> None:
        totals = self.inv.totals
        if totals is None or totals.payable_amount is None:
            raise WriterError("BT-115 (amount due) is required to write UBL", term="BT-115")
        el = add(root, CAC + "LegalMonetaryTotal")
        self._amount(el, "LineExtensionAmount", totals.line_extension_amount)
        self._amount(el, "TaxExclusiveAmount", totals.tax_exclusive_amount)
        self._amount(el, "TaxInclusiveAmount", totals.tax_inclusive_amount)
        self._amount(el, "AllowanceTotalAmount", totals.allowance_total_amount)
        self._amount(el, "ChargeTotalAmount", totals.charge_total_amount)
        self._amount(el, "PrepaidAmount", totals.prepaid_amount)
        self._amount(el, "PayableRoundingAmount", totals.rounding_amount)
        self._amount(el, "PayableAmount", totals.payable_amount)

    # ------------------------------------------------------------------ lines

    def _line(self, root: etree._Element, line: InvoiceLine) -> None:
        if line.parent_line_id is not None or line.line_status_reason_code is not None:
            raise WriterError(
                f"line {line.id}: sub-line data (Factur-X EXTENDED) cannot be written in UBL",
                term="BG-25",
            )
        cn = self.credit_note
        el = add(root, CAC + ("CreditNoteLine" if cn else "InvoiceLine"))
        add(el, CBC + "ID", line.id or "")
        self._text(el, "Note", line.note)
        add(
            el,
            CBC + ("CreditedQuantity" if cn else "InvoicedQuantity"),
            format_decimal(line.quantity) if line.quantity is not None else "",
            {"unitCode": line.unit_code},
        )
        self._amount(el, "LineExtensionAmount", line.net_amount)
        self._text(el, "AccountingCost", line.accounting_cost)
        if line.period is not None:
            self._period(el, line.period, None)
        if line.order_line_reference is not None:
            add(add(el, CAC + "OrderLineReference"), CBC + "LineID", line.order_line_reference)
        if line.object_identifier is not None:
            ref = add(el, CAC + "DocumentReference")
            self._id(ref, "ID", line.object_identifier)
            add(ref, CBC + "DocumentTypeCode", "130")
        for ac in [*line.allowances, *line.charges]:
            self._allowance_charge(el, ac, header=False)
        self._item(el, line)
        price = line.price
        price_el = add(el, CAC + "Price")
        add(
            price_el,
            CBC + "PriceAmount",
            format_decimal(price.net_price)
            if price is not None and price.net_price is not None
            else "",
            {"currencyID": self.currency},
        )
        if price is not None:
            if price.base_quantity is not None:
                add(
                    price_el,
                    CBC + "BaseQuantity",
                    format_decimal(price.base_quantity),
                    {"unitCode": price.base_quantity_unit_code},
                )
            if price.price_discount is not None or price.gross_price is not None:
                discount = add(price_el, CAC + "AllowanceCharge")
                add(discount, CBC + "ChargeIndicator", "false")
                # cbc:Amount (BT-147) is mandatory next to the gross price (BT-148): a
                # gross price without a discount is written with a zero discount, which
                # is what an absent BT-147 means (see docs/einvoice.md, "Implied values").
                add(
                    discount,
                    CBC + "Amount",
                    format_decimal(
                        price.price_discount if price.price_discount is not None else _ZERO
                    ),
                    {"currencyID": self.currency},
                )
                if price.gross_price is not None:
                    add(
                        discount,
                        CBC + "BaseAmount",
                        format_decimal(price.gross_price),
                        {"currencyID": self.currency},
                    )

    def _item(self, parent: etree._Element, line: InvoiceLine) -> None:
        item: ItemInformation | None = line.item
        el = add(parent, CAC + "Item")
        if item is not None:
            self._text(el, "Description", item.description)
            self._text(el, "Name", item.name)
            if item.buyers_identifier is not None:
                add(add(el, CAC + "BuyersItemIdentification"), CBC + "ID", item.buyers_identifier)
            if item.sellers_identifier is not None:
                add(add(el, CAC + "SellersItemIdentification"), CBC + "ID", item.sellers_identifier)
            if item.standard_identifier is not None:
                self._id(
                    add(el, CAC + "StandardItemIdentification"), "ID", item.standard_identifier
                )
            if item.origin_country is not None:
                add(add(el, CAC + "OriginCountry"), CBC + "IdentificationCode", item.origin_country)
            for classification in item.classifications:
                add(
                    add(el, CAC + "CommodityClassification"),
                    CBC + "ItemClassificationCode",
                    classification.code,
                    {
                        "listID": classification.list_id,
                        "listVersionID": classification.list_version_id,
                    },
                )
        vat = line.vat
        if vat is not None:
            category = add(el, CAC + "ClassifiedTaxCategory")
            add(category, CBC + "ID", vat.category_code or "")
            if vat.rate is not None:
                add(category, CBC + "Percent", format_decimal(vat.rate))
            self._tax_scheme(category, vat.tax_scheme)
        if item is not None:
            for attribute in item.attributes:
                prop = add(el, CAC + "AdditionalItemProperty")
                add(prop, CBC + "Name", attribute.name or "")
                add(prop, CBC + "Value", attribute.value or "")
