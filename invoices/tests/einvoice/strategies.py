"""Hypothesis strategies building valid EN 16931 invoices, and a hand-written French B2G one.

Every generated invoice is meant to pass the EN 16931 rules: totals are computed the way
the rules check them (BR-CO-10..16), the VAT breakdown has one group per category and
rate (BR-CO-17, BR-S/Z/E/AE/IC/G/O-08 and -09), and each VAT category's own rules are
honoured (VAT identifiers, exemption reasons, delivery data for intra-community supply,
"not subject to VAT" alone in its invoice).

Where a syntax cannot carry some shape of the model, the strategy does not generate it and
says why, next to the narrowing (search for "SYNTAX:" and "READER:").
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import strategies as st

from invoices.einvoice.compare import semantic
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
    VatBreakdown,
)

__all__ = [
    "french_b2g_invoice",
    "invoices",
    "semantic",
]

CENT = Decimal("0.01")
EN16931 = "urn:cen.eu:en16931:2017"

# --------------------------------------------------------------------------- small values

# Letters, digits, French accents, XML-special characters and the euro sign: every text
# goes through escaping both ways. No control characters (not XML 1.0), no "\r" (XML
# parsers normalise line ends), no "#" (READER/SYNTAX: UBL carries the note subject code
# as a "#CODE#" prefix of cbc:Note, so a text starting with "#ABC#" is ambiguous).
_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 éèàçôÉ€&<>\"'-/.,()"


def _text(min_size: int = 1, max_size: int = 30) -> st.SearchStrategy[str]:
    # Non-blank, no leading/trailing space (identifiers are xs:token in CII).
    return (
        st.text(_ALPHABET, min_size=min_size, max_size=max_size)
        .map(lambda s: " ".join(s.split()))
        .filter(bool)
    )


def _token(max_size: int = 20) -> st.SearchStrategy[str]:
    return st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/", min_size=1, max_size=max_size)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=n, max_size=n)


def _opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _money(min_cents: int = 0, max_cents: int = 10_000_00) -> st.SearchStrategy[Decimal]:
    return st.integers(min_cents, max_cents).map(lambda c: Decimal(c) / 100)


_DATES = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))

siret = _digits(14)
siren = _digits(9)
fr_vat = _digits(11).map(lambda d: "FR" + d)


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- parties


@st.composite
def addresses(draw: st.DrawFn, country: str | None = None) -> PostalAddress:
    return PostalAddress(
        line_one=draw(_opt(_text())),
        line_two=draw(_opt(_text())),
        line_three=draw(_opt(_text())),
        city=draw(_opt(_text())),
        post_code=draw(_opt(_digits(5))),
        country_subdivision=draw(_opt(_text())),
        country_code=country or draw(st.sampled_from(["FR", "FR", "BE", "DE", "IT"])),
    )


@st.composite
def contacts(draw: st.DrawFn) -> Contact:
    contact = Contact(
        name=draw(_opt(_text())),
        telephone=draw(_opt(_digits(10))),
        email=draw(_opt(_token(10).map(lambda s: s.lower() + "@example.fr"))),
    )
    if contact == Contact():
        contact.name = "Service facturation"
    return contact


def _electronic_address() -> st.SearchStrategy[Identifier]:
    return st.one_of(
        siret.map(lambda v: Identifier(v, "0009")),
        _token(10).map(lambda v: Identifier(v.lower() + "@example.fr", "EM")),
        _digits(13).map(lambda v: Identifier(v, "0088")),
    )


def _party_identifiers() -> st.SearchStrategy[list[Identifier]]:
    # SYNTAX: CII writes identifiers without a scheme (ram:ID) before those with one
    # (ram:GlobalID), so the strategy lists them in that order. No "SEPA" scheme: in UBL
    # that scheme marks the bank assigned creditor identifier (BT-90), not BT-29/BT-46.
    return st.tuples(
        st.lists(_token().map(lambda v: Identifier(v)), max_size=1),
        st.lists(_digits(13).map(lambda v: Identifier(v, "0088")), max_size=1),
    ).map(lambda t: t[0] + t[1])


# --------------------------------------------------------------------------- VAT regimes

# category -> (possible rates, exemption reason code, exemption reason text)
_CATEGORIES: dict[str, tuple[list[Decimal | None], str | None, str | None]] = {
    "S": ([Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1")], None, None),
    "Z": ([Decimal("0")], None, None),
    "E": ([Decimal("0")], "VATEX-FR-FRANCHISE", "TVA non applicable, art. 293 B du CGI"),
    "AE": ([Decimal("0")], "VATEX-EU-AE", "Autoliquidation"),
    "K": ([Decimal("0")], "VATEX-EU-IC", "Exonération de TVA, article 262 ter I du CGI"),
    "G": ([Decimal("0")], "VATEX-EU-G", "Exonération de TVA, article 262 I du CGI"),
    "O": ([None], "VATEX-EU-O", "Non soumis à la TVA"),
}


@st.composite
def _vat_keys(draw: st.DrawFn) -> list[tuple[str, Decimal | None]]:
    """The (category, rate) pairs the invoice uses. "O" is alone (BR-O-11..14)."""
    if draw(st.integers(0, 9)) == 0:
        return [("O", None)]
    categories = draw(
        st.lists(
            st.sampled_from(["S", "S", "S", "Z", "E", "AE", "K", "G"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    keys: list[tuple[str, Decimal | None]] = []
    for category in categories:
        rates = _CATEGORIES[category][0]
        chosen = draw(st.lists(st.sampled_from(rates), min_size=1, max_size=2, unique=True))
        keys.extend((category, rate) for rate in chosen)
    return keys


# --------------------------------------------------------------------------- lines

_UNITS = ["C62", "H87", "HUR", "DAY", "KGM", "LTR", "MTR", "XPP"]
_ALLOWANCE_CODES = ["95", "100", "102", "104"]
_CHARGE_CODES = ["FC", "AA", "ABL", "ADR"]


@st.composite
def _line_allowance_charge(draw: st.DrawFn, charge: bool) -> AllowanceCharge:
    amount = draw(_money(1, 500_00))
    ac = AllowanceCharge(charge_indicator=charge, amount=amount)
    if draw(st.booleans()):
        ac.base_amount = amount * 10
        ac.percentage = Decimal("10")
    ac.reason = draw(_opt(_text()))
    ac.reason_code = draw(st.sampled_from(_CHARGE_CODES if charge else _ALLOWANCE_CODES))
    if ac.reason is None and draw(st.booleans()):
        ac.reason_code, ac.reason = None, draw(_text())
    return ac


@st.composite
def _items(draw: st.DrawFn) -> ItemInformation:
    return ItemInformation(
        name=draw(_text()),
        description=draw(_opt(_text(max_size=80))),
        sellers_identifier=draw(_opt(_token())),
        buyers_identifier=draw(_opt(_token())),
        standard_identifier=draw(_opt(_digits(13).map(lambda v: Identifier(v, "0160")))),
        classifications=draw(
            st.lists(
                st.builds(
                    ItemClassification,
                    code=_digits(8),
                    list_id=st.sampled_from(["STI", "CV", "HS"]),
                    list_version_id=_opt(st.sampled_from(["2008", "1.0"])),
                ),
                max_size=2,
            )
        ),
        origin_country=draw(_opt(st.sampled_from(["FR", "DE", "CN"]))),
        attributes=draw(
            st.lists(st.builds(ItemAttribute, name=_text(), value=_text()), max_size=2)
        ),
    )


@st.composite
def _lines(
    draw: st.DrawFn, keys: list[tuple[str, Decimal | None]], issue: date
) -> list[InvoiceLine]:
    count = draw(st.integers(1, 4))
    lines = []
    # every (category, rate) used by the breakdown must be used by a line or an
    # allowance/charge: give the first lines one key each.
    line_keys = list(keys) + [draw(st.sampled_from(keys)) for _ in range(count)]
    for index in range(max(count, len(keys))):
        category, rate = line_keys[index]
        quantity = Decimal(draw(st.integers(1, 100_000))) / Decimal(
            draw(st.sampled_from([1, 10, 100, 1000]))
        )
        net_price = Decimal(draw(st.integers(0, 1_000_000))) / Decimal(
            draw(st.sampled_from([1, 100, 10000]))
        )
        base_quantity = draw(st.sampled_from([None, Decimal("1"), Decimal("10"), Decimal("100")]))
        price = PriceDetails(net_price=net_price, base_quantity=base_quantity)
        if base_quantity is not None:
            # SYNTAX: UBL BaseQuantity and CII BasisQuantity both carry the unit code.
            price.base_quantity_unit_code = draw(_opt(st.sampled_from(_UNITS)))
        if draw(st.booleans()):
            # SYNTAX: UBL carries the discount (BT-147) and gross price (BT-148) in one
            # price AllowanceCharge whose Amount is mandatory, CII the discount inside
            # the gross price whose ChargeAmount is mandatory: both or neither.
            discount = Decimal(draw(st.integers(0, 10_000))) / 100
            price.price_discount = discount
            price.gross_price = net_price + discount
        allowances = draw(st.lists(_line_allowance_charge(False), max_size=1))
        charges = draw(st.lists(_line_allowance_charge(True), max_size=1))
        gross_amount = _round(quantity * net_price / (base_quantity or Decimal(1)))
        net_amount = (
            gross_amount
            - sum((a.amount or Decimal(0) for a in allowances), Decimal(0))
            + sum((c.amount or Decimal(0) for c in charges), Decimal(0))
        )
        period = None
        if draw(st.booleans()):
            start = draw(_opt(st.just(issue - timedelta(days=30))))
            end = draw(st.just(issue) if start is None else _opt(st.just(issue)))
            period = Period(start_date=start, end_date=end)
        lines.append(
            InvoiceLine(
                id=str(index + 1),
                note=draw(_opt(_text(max_size=60))),
                # READER: the CII reader has no place for the scheme version of BT-128
                # (ram:ReferenceTypeCode carries only the scheme), so none is generated.
                object_identifier=draw(_opt(_token().map(lambda v: Identifier(v, "AWV")))),
                quantity=quantity,
                unit_code=draw(st.sampled_from(_UNITS)),
                net_amount=net_amount,
                order_line_reference=draw(_opt(_token(6))),
                accounting_cost=draw(_opt(_token())),
                period=period,
                allowances=allowances,
                charges=charges,
                price=price,
                vat=LineVatInformation(category_code=category, rate=rate),
                item=draw(_items()),
            )
        )
    return lines


# --------------------------------------------------------------------------- invoice


@st.composite
def _document_allowance_charge(
    draw: st.DrawFn, charge: bool, keys: list[tuple[str, Decimal | None]]
) -> AllowanceCharge:
    ac = draw(_line_allowance_charge(charge))
    ac.vat_category_code, ac.vat_rate = draw(st.sampled_from(keys))
    return ac


def _breakdown(
    lines: list[InvoiceLine],
    allowances: list[AllowanceCharge],
    charges: list[AllowanceCharge],
) -> list[VatBreakdown]:
    taxable: dict[tuple[str, Decimal | None], Decimal] = defaultdict(Decimal)
    order: list[tuple[str, Decimal | None]] = []

    def key_of(category: str | None, rate: Decimal | None) -> tuple[str, Decimal | None]:
        assert category is not None
        key = (category, rate)
        if key not in order:
            order.append(key)
        return key

    for line in lines:
        assert line.vat is not None
        assert line.net_amount is not None
        taxable[key_of(line.vat.category_code, line.vat.rate)] += line.net_amount
    for ac in charges:
        assert ac.amount is not None
        taxable[key_of(ac.vat_category_code, ac.vat_rate)] += ac.amount
    for ac in allowances:
        assert ac.amount is not None
        taxable[key_of(ac.vat_category_code, ac.vat_rate)] -= ac.amount
    groups = []
    for category, rate in order:
        base = taxable[(category, rate)]
        _, code, reason = _CATEGORIES[category]
        groups.append(
            VatBreakdown(
                taxable_amount=base,
                tax_amount=_round(base * (rate or 0) / 100),
                category_code=category,
                rate=rate,
                exemption_reason=reason,
                exemption_reason_code=code,
            )
        )
    return groups


@st.composite
def _payment_instructions(draw: st.DrawFn) -> list[PaymentInstructions]:
    # EN 16931 has one PAYMENT INSTRUCTIONS group with one means code (BT-81); CII even
    # requires every payment means to repeat the same code and text (CII-SR-467/468).
    kinds = draw(st.lists(st.sampled_from(["30", "58", "49", "48"]), max_size=1))
    result = []
    for kind in kinds:
        pm = PaymentInstructions(means_code=kind, means_text=draw(_opt(_text())))
        if kind in ("30", "58"):
            # SYNTAX: one creditor account per payment means in both syntaxes (a second
            # BG-17 would be a second payment means when read back).
            pm.credit_transfers = [
                CreditTransfer(
                    account_id="FR76" + draw(_digits(23)),
                    account_name=draw(_opt(_text())),
                    service_provider_id=draw(_opt(st.just("BNPAFRPPXXX"))),
                )
            ]
        elif kind == "49":
            pm.direct_debit = DirectDebit(
                mandate_reference=draw(_token()),
                debited_account_id=draw(_opt(_digits(23).map(lambda d: "FR76" + d))),
            )
        else:
            pm.card = PaymentCard(
                primary_account_number=draw(_digits(4)), holder_name=draw(_opt(_text()))
            )
        result.append(pm)
    if result:
        result[0].remittance_information = draw(_opt(_token()))
    return result


@st.composite
def invoices(draw: st.DrawFn, syntax: str | None = None) -> Invoice:
    """A valid EN 16931 invoice or credit note, French public-sector flavoured.

    ``syntax`` ("cii" or "ubl") names the syntax the invoice will be written in, for the
    few narrowings documented below; ``None`` generates everything.
    """
    keys = draw(_vat_keys())
    categories = {c for c, _ in keys}
    not_subject = categories == {"O"}
    needs_buyer_vat = bool(categories & {"AE", "K"})

    issue = draw(_DATES)
    type_code = draw(st.sampled_from(["380", "380", "380", "381", "384", "389"]))

    seller = Seller(
        name=draw(_text()),
        trading_name=draw(_opt(_text())),
        identifiers=draw(_party_identifiers()),
        legal_registration_id=Identifier("1" + draw(_digits(13)), "0009"),
        # BR-O-02: no seller VAT identifier with "not subject to VAT"; the other
        # categories need one (BR-S/Z/E/AE/IC/G-02).
        vat_identifier=None if not_subject else draw(fr_vat),
        tax_registration_id=draw(_opt(_token())),
        additional_legal_information=draw(_opt(_text())),
        electronic_address=draw(_opt(_electronic_address())),
        address=draw(addresses("FR")),
        contact=draw(_opt(contacts())),
    )
    buyer = Buyer(
        name=draw(_text()),
        trading_name=draw(_opt(_text())),
        # BT-46 occurs at most once (UBL-SR-16; CII warns on ram:ID plus ram:GlobalID).
        identifiers=draw(_party_identifiers())[:1],
        legal_registration_id=draw(_opt(siret.map(lambda v: Identifier(v, "0009")))),
        vat_identifier=None
        if not_subject
        else (draw(fr_vat) if needs_buyer_vat else draw(_opt(fr_vat))),
        electronic_address=draw(_opt(_electronic_address())),
        address=draw(addresses()),
        contact=draw(_opt(contacts())),
    )

    lines = draw(_lines(keys, issue))
    allowances = draw(st.lists(_document_allowance_charge(False, keys), max_size=2))
    charges = draw(st.lists(_document_allowance_charge(True, keys), max_size=2))
    breakdown = _breakdown(lines, allowances, charges)

    line_total = sum((line.net_amount or Decimal(0) for line in lines), Decimal(0))
    allowance_total = sum((a.amount or Decimal(0) for a in allowances), Decimal(0))
    charge_total = sum((c.amount or Decimal(0) for c in charges), Decimal(0))
    tax_exclusive = line_total - allowance_total + charge_total
    vat_total = sum((vb.tax_amount or Decimal(0) for vb in breakdown), Decimal(0))
    tax_inclusive = tax_exclusive + vat_total
    prepaid = draw(_opt(st.sampled_from([Decimal("0.00"), Decimal("10.00")])))
    rounding = draw(_opt(st.sampled_from([Decimal("0.01"), Decimal("-0.01")])))
    payable = tax_inclusive - (prepaid or 0) + (rounding or 0)
    accounting_currency = draw(_opt(st.just("USD")))
    totals = DocumentTotals(
        line_extension_amount=line_total,
        allowance_total_amount=allowance_total if allowances else None,
        charge_total_amount=charge_total if charges else None,
        tax_exclusive_amount=tax_exclusive,
        vat_total_amount=vat_total,
        # BR-53: BT-111 with BT-6.
        vat_total_amount_accounting=_round(vat_total * Decimal("1.1"))
        if accounting_currency
        else None,
        tax_inclusive_amount=tax_inclusive,
        prepaid_amount=prepaid,
        rounding_amount=rounding,
        payable_amount=payable,
    )

    delivery = draw(
        _opt(
            st.builds(
                DeliveryInformation,
                deliver_to_name=_opt(_text()),
                location_identifier=_opt(
                    st.one_of(
                        _token().map(lambda v: Identifier(v)),
                        _digits(13).map(lambda v: Identifier(v, "0088")),
                    )
                ),
                actual_delivery_date=_opt(st.just(issue)),
                address=_opt(addresses()),
            )
        )
    )
    if "K" in categories:
        # BR-IC-11 / BR-IC-12: delivery date (or invoicing period) and deliver-to country.
        delivery = delivery or DeliveryInformation()
        delivery.actual_delivery_date = issue
        delivery.address = delivery.address or draw(addresses("DE"))
    if delivery == DeliveryInformation():
        delivery = None

    tax_point_date = tax_point_code = None
    timings = ["none", "none", "date", "code"]
    timing = draw(st.sampled_from(timings))
    if timing == "date":
        tax_point_date = issue
    elif timing == "code":
        tax_point_code = draw(st.sampled_from(["3", "35", "432"]))

    period = None
    if draw(st.booleans()):
        start = draw(_opt(st.just(issue.replace(day=1))))
        end = issue if start is None else draw(_opt(st.just(issue)))
        period = Period(start_date=start, end_date=end)

    payment = draw(_payment_instructions())
    has_direct_debit = any(pm.direct_debit is not None for pm in payment)
    credit_note = type_code == "381"

    purchase_order = draw(_opt(_token(10)))
    sales_order = draw(_opt(_token()))
    project = draw(_opt(_token()))
    due_date = draw(_opt(st.just(issue + timedelta(days=30))))
    if syntax == "ubl" and credit_note and not payment:
        # SYNTAX: a UBL CreditNote has no cbc:DueDate; BT-9 travels in
        # cac:PaymentMeans/cbc:PaymentDueDate, so it needs payment instructions.
        due_date = None

    return Invoice(
        number=draw(_token()),
        issue_date=issue,
        type_code=type_code,
        currency_code="EUR",
        vat_accounting_currency_code=accounting_currency,
        tax_point_date=tax_point_date,
        tax_point_date_code=tax_point_code,
        due_date=due_date,
        buyer_reference=draw(_opt(_token())),
        project_reference=project,
        contract_reference=draw(_opt(_token())),
        purchase_order_reference=purchase_order,
        sales_order_reference=sales_order,
        receiving_advice_reference=draw(_opt(_token())),
        despatch_advice_reference=draw(_opt(_token())),
        tender_or_lot_reference=draw(_opt(_token())),
        invoiced_object_identifier=draw(_opt(_token().map(lambda v: Identifier(v, "AAB")))),
        buyer_accounting_reference=draw(_opt(_token())),
        payment_terms=draw(_opt(_text(max_size=80))),
        notes=draw(
            st.lists(
                st.builds(
                    InvoiceNote,
                    subject_code=_opt(st.sampled_from(["PMT", "PMD", "AAB", "AAI"])),
                    text=_text(max_size=80),
                ),
                max_size=3,
            )
        ),
        business_process=draw(_opt(st.sampled_from(["A1", "A2", "S1", "B1"]))),
        specification_identifier=EN16931,
        preceding_invoices=draw(
            st.lists(
                st.builds(PrecedingInvoiceReference, number=_token(), issue_date=_opt(_DATES)),
                max_size=2,
            )
        ),
        seller=seller,
        buyer=buyer,
        # BR-17: the payee differs from the seller (name, identifiers, legal id).
        payee=draw(
            _opt(
                st.builds(
                    Payee,
                    name=_text().map(lambda s: "Affactureur " + s),
                    identifiers=st.lists(_token().map(lambda v: Identifier("P" + v)), max_size=1),
                    legal_registration_id=_opt(
                        _digits(13).map(lambda v: Identifier("9" + v, "0009"))
                    ),
                )
            )
        ),
        # BR-O-02 forbids a tax representative VAT identifier with "not subject to VAT",
        # and BR-56 makes it mandatory in BG-11.
        tax_representative=None
        if not_subject
        else draw(
            _opt(
                st.builds(
                    SellerTaxRepresentative,
                    name=_text(),
                    vat_identifier=fr_vat,
                    address=addresses(),
                )
            )
        ),
        delivery=delivery,
        invoicing_period=period,
        payment_instructions=payment,
        creditor_reference_id=draw(_opt(_token())) if has_direct_debit else None,
        allowances=allowances,
        charges=charges,
        totals=totals,
        vat_breakdown=breakdown,
        additional_documents=draw(
            st.lists(
                st.builds(
                    AdditionalDocument,
                    reference=_token(),
                    description=_opt(_text()),
                    external_uri=_opt(st.just("https://example.fr/doc.pdf")),
                    attachment=_opt(
                        st.builds(
                            Attachment,
                            content=st.binary(max_size=64),
                            mime_code=st.sampled_from(["application/pdf", "text/csv"]),
                            filename=_token(10).map(lambda s: s + ".pdf"),
                        )
                    ),
                ),
                max_size=2,
            )
        ),
        lines=lines,
    )


# --------------------------------------------------------------------------- example


def french_b2g_invoice() -> Invoice:
    """A supplier invoicing a French public entity through Chorus Pro (all mentions)."""
    issue = date(2025, 3, 14)
    lines = [
        InvoiceLine(
            id="1",
            quantity=Decimal("3"),
            unit_code="DAY",
            net_amount=Decimal("1950.00"),
            price=PriceDetails(net_price=Decimal("650.00")),
            vat=LineVatInformation("S", Decimal("20")),
            item=ItemInformation(
                name="Journée de conseil <architecture> & sécurité",
                description="Audit du système d'information, phase 1",
                sellers_identifier="CONS-J",
            ),
            period=Period(date(2025, 2, 3), date(2025, 2, 5)),
        ),
        InvoiceLine(
            id="2",
            quantity=Decimal("12"),
            unit_code="C62",
            net_amount=Decimal("120.00"),
            price=PriceDetails(
                net_price=Decimal("10.00"),
                gross_price=Decimal("12.50"),
                price_discount=Decimal("2.50"),
            ),
            vat=LineVatInformation("S", Decimal("5.5")),
            item=ItemInformation(name="Ouvrage de référence"),
        ),
    ]
    allowance = AllowanceCharge(
        charge_indicator=False,
        amount=Decimal("50.00"),
        vat_category_code="S",
        vat_rate=Decimal("20"),
        reason="Remise commerciale",
        reason_code="95",
    )
    breakdown = [
        VatBreakdown(Decimal("1900.00"), Decimal("380.00"), "S", Decimal("20")),
        VatBreakdown(Decimal("120.00"), Decimal("6.60"), "S", Decimal("5.5")),
    ]
    return Invoice(
        number="F2025-0042",
        issue_date=issue,
        type_code="380",
        currency_code="EUR",
        due_date=date(2025, 4, 13),
        buyer_reference="SERV-FIN-01",
        purchase_order_reference="EJ-2025-000123",
        contract_reference="MARCHE-2024-17",
        payment_terms="Paiement à 30 jours par virement",
        notes=[
            InvoiceNote("PMD", "Pénalités de retard : trois fois le taux d'intérêt légal"),
            InvoiceNote(
                "PMT",
                "Indemnité forfaitaire pour frais de recouvrement en cas de retard de "
                "paiement : 40 €",
            ),
            InvoiceNote("AAB", "Pas d'escompte pour paiement anticipé"),
        ],
        business_process="A1",
        specification_identifier=EN16931,
        seller=Seller(
            name="Conseil & Associés SAS",
            legal_registration_id=Identifier("12345678900017", "0009"),
            vat_identifier="FR32123456789",
            additional_legal_information="SAS au capital de 10 000 €, RCS Paris 123 456 789",
            electronic_address=Identifier("12345678900017", "0009"),
            address=PostalAddress(
                line_one="12 rue de la Paix", city="Paris", post_code="75002", country_code="FR"
            ),
            contact=Contact("Marie Dupont", "0102030405", "facturation@conseil.example"),
        ),
        buyer=Buyer(
            name="Direction régionale des finances publiques",
            legal_registration_id=Identifier("11000201100044", "0009"),
            electronic_address=Identifier("11000201100044", "0009"),
            address=PostalAddress(
                line_one="1 place de la République",
                city="Lyon",
                post_code="69002",
                country_code="FR",
            ),
        ),
        invoicing_period=Period(date(2025, 2, 1), date(2025, 2, 28)),
        payment_instructions=[
            PaymentInstructions(
                means_code="30",
                remittance_information="F2025-0042",
                credit_transfers=[
                    CreditTransfer(
                        account_id="FR7630006000011234567890189",
                        account_name="Conseil & Associés",
                        service_provider_id="AGRIFRPPXXX",
                    )
                ],
            )
        ],
        allowances=[allowance],
        totals=DocumentTotals(
            line_extension_amount=Decimal("2070.00"),
            allowance_total_amount=Decimal("50.00"),
            tax_exclusive_amount=Decimal("2020.00"),
            vat_total_amount=Decimal("386.60"),
            tax_inclusive_amount=Decimal("2406.60"),
            payable_amount=Decimal("2406.60"),
        ),
        vat_breakdown=breakdown,
        lines=lines,
    )
