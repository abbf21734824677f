"""EN 16931 business rules (BR-*, BR-CO-*, VAT category rules, BR-DEC-*) on the model.

Each rule follows the official CEN/TC 434 Schematron (release 1.3.16) of the syntax the
invoice was read from: where the UBL and CII bindings of a rule differ (tolerances,
what counts as "present", which context fires), the syntax decides. XPath arithmetic is
reproduced with :class:`~decimal.Decimal` (``round`` rounds half towards +infinity).

The entry point is :func:`check_en16931`, returning ``(rule_id, location)`` hits; the
caller turns them into findings with messages.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from invoices.einvoice.validation.codelists import VAT_PREFIX_CODES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from invoices.einvoice.model import (
        AllowanceCharge,
        Invoice,
        InvoiceLine,
        SourceLocation,
        VatBreakdown,
    )

__all__ = ["Hit", "check_en16931"]

Hit = tuple[str, "SourceLocation | None"]

_HALF = Decimal("0.5")
_HUNDRED = Decimal(100)
_ONE = Decimal(1)
_ZERO = Decimal(0)


def xround(value: Decimal) -> Decimal:
    """XPath ``round()``: nearest integer, halves towards positive infinity."""
    return (value + _HALF).to_integral_value(rounding=ROUND_FLOOR)


def round2(value: Decimal) -> Decimal:
    """``round(x * 10 * 10) div 100``."""
    return xround(value * _HUNDRED) / _HUNDRED


def nonblank(value: str | None) -> bool:
    """``normalize-space(x) != ''``."""
    return value is not None and not value.isspace() and value != ""


def norm(value: str | None) -> str:
    """``normalize-space(x)`` (``""`` for a missing value)."""
    return " ".join(value.split()) if value else ""


def decimals(value: Decimal | None) -> int:
    """Digits after the decimal point as written (``string-length(substring-after(x,'.'))``)."""
    if value is None:
        return 0
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def is_vat(scheme: str | None, *, cii: bool, normalise: bool = False) -> bool:
    """The tax category is under the VAT scheme, as the official XPath filters say.

    UBL: ``cac:TaxScheme/normalize-space(upper-case(cbc:ID)) = 'VAT'``; CII:
    ``upper-case(ram:TypeCode) = 'VAT'`` (BR-CO-17 normalises the spaces, ``normalise``).
    EN 16931 knows only VAT: a category under another scheme (GST...) is no VAT category.
    """
    if scheme is None:
        return False
    if cii and not normalise:
        return scheme.upper() == "VAT"
    return norm(scheme).upper() == "VAT"


def dsum(values: Iterable[Decimal | None]) -> Decimal:
    total = _ZERO
    for v in values:
        if v is not None:
            total += v
    return total


class _Ctx:
    __slots__ = ("anchored", "cii", "hits", "inv")

    def __init__(self, inv: Invoice) -> None:
        self.inv = inv
        self.cii = inv.syntax == "cii"
        # False when the root is not rsm:CrossIndustryInvoice: rules whose context or test
        # is an absolute path from that root see nothing, as in the official stylesheet.
        self.anchored = not inv.facts.get("unanchored", False)
        self.hits: list[Hit] = []

    def fire(self, rule_id: str, where: SourceLocation | None = None) -> None:
        self.hits.append((rule_id, where))


def check_en16931(inv: Invoice) -> list[Hit]:
    """Run every EN 16931 business rule on ``inv``; return the hits (possibly repeated)."""
    ctx = _Ctx(inv)
    _header(ctx)
    _parties(ctx)
    _totals(ctx)
    _lines(ctx)
    _allowances_charges(ctx)
    _vat_breakdown(ctx)
    _payment(ctx)
    _references(ctx)
    _vat_categories(ctx)
    return ctx.hits


# --------------------------------------------------------------------------- header


def _loc(inv: Invoice, bt: str) -> SourceLocation | None:
    return inv.locations.get(bt)


def _header(ctx: _Ctx) -> None:
    inv = ctx.inv
    if not ctx.anchored:
        _invoice_period(ctx)
        return
    if not nonblank(inv.specification_identifier):
        ctx.fire("BR-01", _loc(inv, "BT-24"))
    if not nonblank(inv.number):
        ctx.fire("BR-02", _loc(inv, "BT-1"))
    if inv.issue_date is None and not nonblank(inv.unparsed.get("BT-2")):
        ctx.fire("BR-03", _loc(inv, "BT-2"))
    if not nonblank(inv.type_code):
        ctx.fire("BR-04", _loc(inv, "BT-3"))
    if not nonblank(inv.currency_code):
        ctx.fire("BR-05", _loc(inv, "BT-5"))
    if not inv.lines:
        ctx.fire("BR-16")
    # BR-CO-03: tax point date (BT-7) and tax point date code (BT-8) are exclusive.
    if inv.tax_point_date is not None and inv.tax_point_date_code is not None:
        ctx.fire("BR-CO-03", _loc(inv, "BT-7"))
    _invoice_period(ctx)
    if not ctx.cii and not any(subs for _, _, subs in inv.facts.get("tax_totals", [])):
        ctx.fire("BR-CO-18")
    # BR-CO-25 (payment due date or terms when an amount is due) is not in release 1.3.16.


def _invoice_period(ctx: _Ctx) -> None:
    inv = ctx.inv
    period = inv.invoicing_period
    if period is not None:
        if (
            period.start_date is not None
            and period.end_date is not None
            and period.end_date < period.start_date
        ):
            ctx.fire("BR-29")
        # UBL accepts a period holding only the tax point date code (BT-8).
        if (
            period.start_date is None
            and period.end_date is None
            and (ctx.cii or inv.tax_point_date_code is None)
        ):
            ctx.fire("BR-CO-19")


# --------------------------------------------------------------------------- parties


def _parties(ctx: _Ctx) -> None:
    if ctx.anchored:
        _invoice_parties(ctx)
    _other_parties(ctx)


def _invoice_parties(ctx: _Ctx) -> None:
    """Party rules whose context is the invoice root."""
    inv = ctx.inv
    cii = ctx.cii
    seller = inv.seller
    buyer = inv.buyer
    if seller is None or not nonblank(seller.name):
        ctx.fire("BR-06", seller.source if seller else None)
    if buyer is None or not nonblank(buyer.name):
        ctx.fire("BR-07", buyer.source if buyer else None)
    seller_address = seller.address if seller else None
    buyer_address = buyer.address if buyer else None
    if seller_address is None:
        ctx.fire("BR-08", seller.source if seller else None)
        if cii:
            ctx.fire("BR-09", seller.source if seller else None)
    elif not nonblank(seller_address.country_code):
        ctx.fire("BR-09", seller_address.source)
    if buyer_address is None:
        ctx.fire("BR-10", buyer.source if buyer else None)
        if cii:
            ctx.fire("BR-11", buyer.source if buyer else None)
    elif not nonblank(buyer_address.country_code):
        ctx.fire("BR-11", buyer_address.source)
    if seller is not None:
        ea = seller.electronic_address
        if ea is not None and not (nonblank(ea.scheme_id) if cii else ea.scheme_id is not None):
            ctx.fire("BR-62", seller.source)
    if buyer is not None:
        ea = buyer.electronic_address
        if ea is not None and not (nonblank(ea.scheme_id) if cii else ea.scheme_id is not None):
            ctx.fire("BR-63", buyer.source)
    delivery = inv.delivery
    if delivery is not None and delivery.address is not None:
        country = delivery.address.country_code
        if (not nonblank(country)) if cii else country is None:
            ctx.fire("BR-57", delivery.address.source)


def _other_parties(ctx: _Ctx) -> None:
    inv = ctx.inv
    cii = ctx.cii
    seller = inv.seller
    buyer = inv.buyer
    # BR-CO-26: seller identifier, legal registration id or VAT id.
    if seller is not None and not (
        seller.identifiers
        or seller.legal_registration_id is not None
        or seller.vat_identifier is not None
    ):
        ctx.fire("BR-CO-26", seller.source)
    payee = inv.payee
    if payee is not None:
        ok = payee.name is not None
        if ok and seller is not None:
            if cii:
                same_name = payee.name == seller.name
                seller_ids = {i.value for i in seller.identifiers}
                same_id = any(i.value in seller_ids for i in payee.identifiers)
                same_legal = (
                    payee.legal_registration_id is not None
                    and seller.legal_registration_id is not None
                    and payee.legal_registration_id.value == seller.legal_registration_id.value
                )
                ok = not (same_name or same_id or same_legal)
            else:
                same_name = seller.trading_name is not None and payee.name == seller.trading_name
                seller_ids = {i.value for i in seller.identifiers}
                same_id = any(i.value in seller_ids for i in payee.identifiers)
                ok = not (same_name or same_id)
        if not ok:
            ctx.fire("BR-17", payee.source)
    rep = inv.tax_representative
    if rep is not None:
        if not nonblank(rep.name) if not cii else rep.name is None:
            ctx.fire("BR-18", rep.source)
        if rep.address is None:
            ctx.fire("BR-19", rep.source)
            if cii:
                ctx.fire("BR-20", rep.source)
        elif (rep.address.country_code is None) if cii else not nonblank(rep.address.country_code):
            ctx.fire("BR-20", rep.address.source)
        if not nonblank(rep.vat_identifier) if cii else rep.vat_identifier is None:
            ctx.fire("BR-56", rep.source)
    # BR-CO-09: VAT identifiers start with a country prefix.
    for vat_id, where in (
        (seller.vat_identifier if seller else None, seller.source if seller else None),
        (buyer.vat_identifier if buyer else None, buyer.source if buyer else None),
        (rep.vat_identifier if rep else None, rep.source if rep else None),
    ):
        if vat_id is not None and vat_id[:2] not in VAT_PREFIX_CODES:
            ctx.fire("BR-CO-09", where)


# --------------------------------------------------------------------------- totals


def _totals(ctx: _Ctx) -> None:
    inv = ctx.inv
    if ctx.cii:
        _totals_cii(ctx)
    else:
        _totals_ubl(ctx)
    totals = inv.totals
    if totals is None:
        return
    where = totals.source
    lea = totals.line_extension_amount
    tea = totals.tax_exclusive_amount
    tia = totals.tax_inclusive_amount
    pay = totals.payable_amount
    ata = totals.allowance_total_amount
    cta = totals.charge_total_amount
    pre = totals.prepaid_amount
    rnd = totals.rounding_amount
    if where is not None:
        if lea is None:
            ctx.fire("BR-12", where)
        if tea is None:
            ctx.fire("BR-13", where)
        if tia is None:
            ctx.fire("BR-14", where)
        if pay is None:
            ctx.fire("BR-15", where)
        line_sum = dsum(line.net_amount for line in inv.lines)
        if lea is None or lea != round2(line_sum):
            ctx.fire("BR-CO-10", where)
        allowances = [a.amount for a in inv.allowances] if ctx.anchored else []
        charges = [c.amount for c in inv.charges] if ctx.anchored else []
        if not (ata is None and not allowances) and (
            ata is None or ata != round2(dsum(allowances))
        ):
            ctx.fire("BR-CO-11", where)
        if not (cta is None and not charges) and (cta is None or cta != round2(dsum(charges))):
            ctx.fire("BR-CO-12", where)
        if not _co13(tea, lea, ata, cta, cii=ctx.cii):
            ctx.fire("BR-CO-13", where)
        if not (_co16_cii(pay, tia, pre, rnd) if ctx.cii else _co16_ubl(pay, tia, pre, rnd)):
            ctx.fire("BR-CO-16", where)
        for rule, value in (
            ("BR-DEC-09", lea),
            ("BR-DEC-10", ata),
            ("BR-DEC-11", cta),
            ("BR-DEC-12", tea),
            ("BR-DEC-14", tia),
            ("BR-DEC-16", pre),
            ("BR-DEC-17", rnd),
            ("BR-DEC-18", pay),
        ):
            if decimals(value) > 2:
                ctx.fire(rule, where)


def _co13(
    tea: Decimal | None,
    lea: Decimal | None,
    ata: Decimal | None,
    cta: Decimal | None,
    *,
    cii: bool,
) -> bool:
    if tea is None or lea is None:
        return False
    if cta is not None and ata is not None:
        return tea == round2(lea + cta - ata)
    if cta is None and ata is not None:
        return tea == round2(lea - ata)
    if cta is not None and ata is None:
        return tea == round2(lea + cta)
    return tea == round2(lea) if cii else tea == lea


def _co16_ubl(
    pay: Decimal | None, tia: Decimal | None, pre: Decimal | None, rnd: Decimal | None
) -> bool:
    if pay is None or tia is None:
        return False
    if pre is not None and rnd is None:
        return pay == round2(tia - pre)
    if pre is None and rnd is None:
        return pay == tia
    if pre is not None and rnd is not None:
        return round2(pay - rnd) == round2(tia - pre)
    assert rnd is not None  # noqa: S101
    return round2(pay - rnd) == tia


def _co16_cii(
    pay: Decimal | None, tia: Decimal | None, pre: Decimal | None, rnd: Decimal | None
) -> bool:
    if pay is None or tia is None:
        return False
    no_pre = not pre  # not(xs:decimal(x)) is true for a missing or zero amount
    no_rnd = not rnd
    if pre is not None and rnd is not None and pay == tia - pre + rnd:
        return True
    if rnd is not None and no_pre and pay == tia + rnd:
        return True
    if pre is not None and no_rnd and pay == tia - pre:
        return True
    return pay == tia and no_pre and no_rnd


def _totals_ubl(ctx: _Ctx) -> None:
    inv = ctx.inv
    tax_totals: list[tuple[str | None, Decimal | None, list[Decimal | None]]] = inv.facts.get(
        "tax_totals", []
    )
    for _currency, amount, subtotal_amounts in tax_totals:
        if subtotal_amounts and (amount is None or amount != round2(dsum(subtotal_amounts))):
            ctx.fire("BR-CO-14", inv.totals.source if inv.totals else None)
    currency = inv.currency_code
    totals = inv.totals
    if currency is not None:
        matching = [a for c, a, _ in tax_totals if c == currency]
        ok = False
        if len(matching) == 1 and totals is not None:
            tia, tea = totals.tax_inclusive_amount, totals.tax_exclusive_amount
            tax = matching[0]
            ok = (
                tia is not None
                and tea is not None
                and tax is not None
                and (tia == round2(tea + tax))
            )
        if not ok:
            ctx.fire("BR-CO-15", totals.source if totals else None)
    tax_currency = inv.vat_accounting_currency_code
    if tax_currency is not None and not any(c == tax_currency for c, _, _ in tax_totals):
        ctx.fire("BR-53")
    # BR-DEC-13 / BR-DEC-15 never fire in UBL 1.3.16 (their predicate looks for a child).


def _totals_cii(ctx: _Ctx) -> None:
    inv = ctx.inv
    if not ctx.anchored:
        return  # BR-CO-14/15, BR-53, BR-DEC-13/15 all need /rsm:CrossIndustryInvoice
    totals = inv.totals
    where = totals.source if totals else None
    facts: list[tuple[str | None, Decimal | None, str]] = inv.facts.get("tax_total_amounts", [])
    currency = inv.currency_code
    tax_currency = inv.vat_accounting_currency_code
    breakdown_sum = round2(dsum(vb.tax_amount for vb in inv.vat_breakdown))
    for cur, amount, _raw in facts:
        if (
            cur is not None
            and currency is not None
            and cur == currency
            and (amount is None or amount != breakdown_sum)
        ):
            ctx.fire("BR-CO-14", where)
    if totals is not None:
        grand, basis = totals.tax_inclusive_amount, totals.tax_exclusive_amount
        if currency is not None:
            matching = [a for c, a, _ in facts if c == currency]
            ok = False
            if len(matching) == 1 and grand is not None and basis is not None:
                tax = matching[0]
                ok = tax is not None and grand == round2(basis + tax)
            if not ok and not (grand is not None and basis is not None and grand == basis):
                ctx.fire("BR-CO-15", where)
        if tax_currency is not None and not (
            any(c == tax_currency for c, _, _ in facts) and tax_currency != currency
        ):
            ctx.fire("BR-53", where)
        if facts:
            ok13 = any(
                (c == currency and a is not None and a == round2(a)) or c != currency
                for c, a, _ in facts
            )
            if not ok13:
                ctx.fire("BR-DEC-13", where)
            if tax_currency is not None:
                ok15 = any(
                    c == tax_currency and a is not None and a == round2(a) for c, a, _ in facts
                )
                if not ok15:
                    ctx.fire("BR-DEC-15", where)


# --------------------------------------------------------------------------- lines


def _line_vat_code(line: InvoiceLine) -> str | None:
    return line.vat.category_code if line.vat is not None else None


def _lines(ctx: _Ctx) -> None:
    inv = ctx.inv
    cii = ctx.cii
    no_breakdown = not inv.vat_breakdown
    for line in inv.lines:
        where = line.source
        if not nonblank(line.id):
            ctx.fire("BR-21", where)
        if line.quantity is None and "BT-129" not in inv.unparsed:
            ctx.fire("BR-22", where)
        if line.unit_code is None:
            ctx.fire("BR-23", where)
        if line.net_amount is None and "BT-131" not in inv.unparsed:
            ctx.fire("BR-24", where)
        if not nonblank(line.item.name if line.item else None):
            ctx.fire("BR-25", where)
        price = line.price
        net = price.net_price if price else None
        if net is None:
            ctx.fire("BR-26", where)
        if net is None or net < 0:
            ctx.fire("BR-27", where)
        gross = price.gross_price if price else None
        if gross is not None and gross < 0:
            ctx.fire("BR-28", where)
        vat = line.vat
        if vat is None or vat.category_code is None or not is_vat(vat.tax_scheme, cii=cii):
            ctx.fire("BR-CO-04", where)
        if decimals(line.net_amount) > 2:
            ctx.fire("BR-DEC-23", where)
        if cii and no_breakdown:
            ctx.fire("BR-CO-18", where)
        period = line.period
        if period is not None:
            if (
                period.start_date is not None
                and period.end_date is not None
                and period.end_date < period.start_date
            ):
                ctx.fire("BR-30", where)
            if period.start_date is None and period.end_date is None:
                ctx.fire("BR-CO-20", where)
        item = line.item
        if item is not None:
            std = item.standard_identifier
            if std is not None and not (
                nonblank(std.scheme_id) if cii else std.scheme_id is not None
            ):
                ctx.fire("BR-64", where)
            for cls in item.classifications:
                if not (nonblank(cls.list_id) if cii else cls.list_id is not None):
                    ctx.fire("BR-65", where)
            for attr in item.attributes:
                if attr.name is None or attr.value is None:
                    ctx.fire("BR-54", where)
        for ac in line.allowances:
            _line_ac(ctx, ac, charge=False)
        for ac in line.charges:
            _line_ac(ctx, ac, charge=True)


def _line_ac(ctx: _Ctx, ac: AllowanceCharge, *, charge: bool) -> None:
    where = ac.source
    if ac.amount is None:
        ctx.fire("BR-43" if charge else "BR-41", where)
    if ac.reason is None and ac.reason_code is None:
        ctx.fire("BR-44" if charge else "BR-42", where)
        ctx.fire("BR-CO-24" if charge else "BR-CO-23", where)
    if decimals(ac.amount) > 2:
        ctx.fire("BR-DEC-27" if charge else "BR-DEC-24", where)
    if decimals(ac.base_amount) > 2:
        ctx.fire("BR-DEC-28" if charge else "BR-DEC-25", where)


def _allowances_charges(ctx: _Ctx) -> None:
    cii = ctx.cii
    for ac in ctx.inv.allowances:
        where = ac.source
        if ac.amount is None:
            ctx.fire("BR-31", where)
        if ac.vat_category_code is None or not is_vat(ac.tax_scheme, cii=cii):
            ctx.fire("BR-32", where)
        if ac.reason is None and ac.reason_code is None:
            ctx.fire("BR-33", where)
            ctx.fire("BR-CO-21", where)
        if decimals(ac.amount) > 2:
            ctx.fire("BR-DEC-01", where)
        if decimals(ac.base_amount) > 2:
            ctx.fire("BR-DEC-02", where)
    for ac in ctx.inv.charges:
        where = ac.source
        if ac.amount is None:
            ctx.fire("BR-36", where)
        if ac.vat_category_code is None or not is_vat(ac.tax_scheme, cii=cii):
            ctx.fire("BR-37", where)
        if ac.reason is None and ac.reason_code is None:
            ctx.fire("BR-38", where)
            ctx.fire("BR-CO-22", where)
        if decimals(ac.amount) > 2:
            ctx.fire("BR-DEC-05", where)
        if decimals(ac.base_amount) > 2:
            ctx.fire("BR-DEC-06", where)


# --------------------------------------------------------------------------- VAT breakdown


def _vat_breakdown(ctx: _Ctx) -> None:
    cii = ctx.cii
    for vb in ctx.inv.vat_breakdown:
        where = vb.source
        if vb.taxable_amount is None:
            ctx.fire("BR-45", where)
        if vb.tax_amount is None:
            ctx.fire("BR-46", where)
        vat = is_vat(vb.tax_scheme, cii=cii)
        if vb.category_code is None or not vat:
            ctx.fire("BR-47", where)
        code = vb.category_code
        if not vat or (vb.rate is None and not ((code == "O") if cii else (norm(code) == "O"))):
            ctx.fire("BR-48", where)
        # The rate the official test reads is that of a VAT category only.
        rate = vb.rate if is_vat(vb.tax_scheme, cii=cii, normalise=True) else None
        if not _co17(vb, rate, strict=not cii):
            ctx.fire("BR-CO-17", where)
        if decimals(vb.taxable_amount) > 2:
            ctx.fire("BR-DEC-19", where)
        if decimals(vb.tax_amount) > 2:
            ctx.fire("BR-DEC-20", where)


def _co17(vb: VatBreakdown, rate: Decimal | None, *, strict: bool) -> bool:
    amount = vb.tax_amount
    basis = vb.taxable_amount
    if amount is None:
        return False
    if rate is not None and xround(rate) == 0:
        return xround(amount) == 0
    if rate is not None:
        if basis is None:
            return False
        expected = round2(abs(basis) * (rate / _HUNDRED))
        if strict:
            return abs(amount) - 1 < expected and abs(amount) + 1 > expected
        return abs(amount) - 1 <= expected and abs(amount) + 1 >= expected
    return xround(amount) == 0


# --------------------------------------------------------------------------- payment


_CREDIT_TRANSFER = ("30", "58")


def _payment(ctx: _Ctx) -> None:
    cii = ctx.cii
    for pi in ctx.inv.payment_instructions:
        if pi.source is None:
            continue  # implicit group holding BT-83/BT-89 only (CII)
        where = pi.source
        if pi.means_code is None:
            ctx.fire("BR-49", where)
        if cii:
            if pi.means_code in _CREDIT_TRANSFER:
                for ct in pi.credit_transfers:
                    if ct.account_id is None and ct.account_name is not None:
                        ctx.fire("BR-50", where)
                        ctx.fire("BR-61", where)
        else:
            code = norm(pi.means_code)
            if pi.means_code is not None and code in _CREDIT_TRANSFER:
                for ct in pi.credit_transfers:
                    if not nonblank(ct.account_id):
                        ctx.fire("BR-50", where)
                if not any(ct.account_id is not None for ct in pi.credit_transfers):
                    ctx.fire("BR-61", where)
        card = pi.card
        if card is not None and card.primary_account_number is not None:
            pan = card.primary_account_number
            if len(pan if cii else norm(pan)) > 10:
                ctx.fire("BR-51", where)


def _references(ctx: _Ctx) -> None:
    inv = ctx.inv
    for doc in inv.additional_documents:
        if not nonblank(doc.reference):
            ctx.fire("BR-52", doc.source)
    obj = inv.invoiced_object_identifier
    if obj is not None and not nonblank(obj.value):
        ctx.fire("BR-52")
    if not ctx.cii and inv.facts.get("billing_reference_without_invoice"):
        ctx.fire("BR-55")
    for ref in inv.preceding_invoices if ctx.anchored else ():
        if (not nonblank(ref.number)) if ctx.cii else ref.number is None:
            ctx.fire("BR-55")


# --------------------------------------------------------------------------- VAT categories

# category -> (rule prefix, kind of rate rule, breakdown check kind, exemption reason expected)
_CATEGORIES = {
    "S": "BR-S",
    "Z": "BR-Z",
    "E": "BR-E",
    "AE": "BR-AE",
    "K": "BR-IC",
    "G": "BR-G",
    "O": "BR-O",
    "L": "BR-AF",
    "M": "BR-AG",
}
_NEEDS_REASON = {"E", "AE", "K", "G", "O"}
_NO_REASON = {"S", "Z", "L", "M"}


def _vat_categories(ctx: _Ctx) -> None:
    inv = ctx.inv
    cii = ctx.cii
    seller = inv.seller
    buyer = inv.buyer
    rep = inv.tax_representative
    seller_vat = seller is not None and seller.vat_identifier is not None
    seller_tax_reg = seller is not None and seller.tax_registration_id is not None
    rep_vat = rep is not None and rep.vat_identifier is not None
    buyer_vat = buyer is not None and buyer.vat_identifier is not None
    buyer_legal = buyer is not None and buyer.legal_registration_id is not None

    key = norm if not cii else (lambda v: v or "")
    line_codes = [key(_line_vat_code(line)) for line in inv.lines]
    allowance_codes = [key(a.vat_category_code) for a in inv.allowances]
    charge_codes = [key(c.vat_category_code) for c in inv.charges]
    breakdown_codes = [key(vb.category_code) for vb in inv.vat_breakdown]
    # The same codes seen through the official "[TaxScheme/ID = 'VAT']" (UBL) or
    # "[TypeCode = 'VAT']" (CII) filters: a category under another scheme is none ("").
    # Which rule filters and which does not follows the 1.3.16 stylesheets of each syntax.
    line_vat = [
        c if line.vat is not None and is_vat(line.vat.tax_scheme, cii=cii) else ""
        for line, c in zip(inv.lines, line_codes, strict=True)
    ]
    allowance_vat = _vat_only(inv.allowances, allowance_codes, cii)
    charge_vat = _vat_only(inv.charges, charge_codes, cii)
    breakdown_vat = _vat_only(inv.vat_breakdown, breakdown_codes, cii)

    # Identifier requirements per category (BR-x-02/03/04): seller side and buyer side.
    seller_any = seller_vat or seller_tax_reg or rep_vat  # S, Z, E, AE, L, M
    seller_vat_only = seller_vat or rep_vat  # K, G (and UBL for others: see below)
    requirements = {
        "S": seller_any,
        "Z": seller_any,
        "E": seller_any,
        "L": seller_any,
        "M": seller_any,
        "AE": seller_any and (buyer_vat or buyer_legal),
        "K": seller_vat_only and buyer_vat,
        "G": seller_vat_only,
        "O": not seller_vat and not rep_vat and not buyer_vat,
    }
    if not ctx.anchored:
        # Tests written as /rsm:CrossIndustryInvoice/... see no seller identifiers.
        for code in ("S", "Z", "E", "L", "M"):
            requirements[code] = False
        requirements["O"] = True

    for code, prefix in _CATEGORIES.items():
        # -01 and the sums: raw codes in CII and for S in UBL; UBL filters the others
        # (for L, only the lines and allowances/charges).
        raw01 = cii or code == "S"
        in_lines = code in (line_codes if raw01 else line_vat)
        in_allow = code in (allowance_codes if raw01 else allowance_vat)
        in_charge = code in (charge_codes if raw01 else charge_vat)
        n_breakdown = (breakdown_codes if raw01 or code == "L" else breakdown_vat).count(code)
        # -01: presence of the category in the VAT breakdown
        if not ctx.anchored:
            ok = True
        elif cii:
            used = in_lines or in_allow or in_charge
            if code in ("S", "L", "M"):
                ok = (n_breakdown >= 1 or not in_lines) and (
                    n_breakdown >= 1 or not (in_allow or in_charge)
                )
            elif code == "O":
                ok = n_breakdown == 0 or (n_breakdown == 1 and used)
            else:
                ok = (n_breakdown == 0 and not used) or (n_breakdown == 1 and used)
        else:
            used_any = in_lines or in_allow or in_charge or _line_ac_code(inv, code)
            if code in ("S", "L", "M"):
                ok = (used_any and n_breakdown > 0) or (not used_any and n_breakdown == 0)
            else:
                exists_any = used_any or n_breakdown > 0
                ok = (exists_any and n_breakdown == 1) or not exists_any
        if not ok:
            ctx.fire(prefix + "-01")
        # -02..-07: the contexts (and UBL tests) see VAT categories only...
        vat_lines = code in line_vat
        vat_allow = code in allowance_vat
        vat_charge = code in charge_vat
        # -02/-03/-04: identifiers
        if not requirements[code]:
            if vat_lines:
                ctx.fire(prefix + "-02")
            if vat_allow:
                ctx.fire(prefix + "-03")
            if vat_charge:
                ctx.fire(prefix + "-04")
        if not cii and code == "S" and code in line_codes and not vat_lines:
            # ...except UBL BR-S-02, which also fires for an "S" line under another scheme.
            ctx.fire(prefix + "-02")
        # -05/-06/-07: rates (the codes were normalised once above, in the same order)
        if vat_lines:
            for line, line_code in zip(inv.lines, line_vat, strict=True):
                if line_code == code and not _rate_ok(
                    code, line.vat.rate if line.vat else None, cii
                ):
                    ctx.fire(prefix + "-05", line.source)
        if vat_allow:
            for ac, ac_code in zip(inv.allowances, allowance_vat, strict=True):
                if ac_code == code and not _rate_ok(code, ac.vat_rate, cii):
                    ctx.fire(prefix + "-06", ac.source)
        if vat_charge:
            for ac, ac_code in zip(inv.charges, charge_vat, strict=True):
                if ac_code == code and not _rate_ok(code, ac.vat_rate, cii):
                    ctx.fire(prefix + "-07", ac.source)
        # -08/-09/-10 on each VAT breakdown of the category (CII: any scheme; UBL: VAT)
        for vb, vb_code in zip(
            inv.vat_breakdown, breakdown_codes if cii else breakdown_vat, strict=True
        ):
            if vb_code != code:
                continue
            if not _breakdown_basis_ok(inv, vb, code, cii, anchored=ctx.anchored):
                ctx.fire(prefix + "-08", vb.source)
            if not _breakdown_amount_ok(vb, code, cii):
                ctx.fire(prefix + "-09", vb.source)
            has_reason = vb.exemption_reason is not None or vb.exemption_reason_code is not None
            if (code in _NEEDS_REASON and not has_reason) or (code in _NO_REASON and has_reason):
                ctx.fire(prefix + "-10", vb.source)
            if code == "K":
                delivery = inv.delivery
                has_date = (
                    ctx.anchored
                    and delivery is not None
                    and delivery.actual_delivery_date is not None
                )
                period = inv.invoicing_period
                has_period = period is not None and (
                    period.start_date is not None or period.end_date is not None
                )
                if not cii and inv.facts.get("period_code_only"):
                    has_period = True  # //cac:InvoicePeriod/* holds the BT-8 code
                if not (has_date or has_period):
                    ctx.fire("BR-IC-11", vb.source)
                address = delivery.address if delivery and ctx.anchored else None
                country = address.country_code if address else None
                if (country is None) if cii else len(country or "") <= 1:
                    ctx.fire("BR-IC-12", vb.source)
        if not cii and code == "O":
            # BR-O-11..14: an "O" invoice contains no other (VAT) category.
            if n_breakdown:
                if any(c != "O" for c, v in zip(breakdown_codes, breakdown_vat, strict=True) if v):
                    ctx.fire("BR-O-11")
                if any(c != "O" for c in line_vat if c):
                    ctx.fire("BR-O-12")
                if any(c != "O" for c in allowance_vat if c):
                    ctx.fire("BR-O-13")
                if any(c != "O" for c in charge_vat if c):
                    ctx.fire("BR-O-14")
        elif cii and code == "O" and n_breakdown:
            if any(c != "O" for c in breakdown_codes + line_codes if c):
                ctx.fire("BR-O-11")
                ctx.fire("BR-O-12")
            if any(c != "O" for c in allowance_codes + charge_codes if c):
                ctx.fire("BR-O-13")
                ctx.fire("BR-O-14")
    if not ctx.anchored:
        return
    # BR-B-01 / BR-B-02: split payment (Italy)
    all_codes = line_codes + allowance_codes + charge_codes + breakdown_codes
    if "B" in all_codes:
        countries = [
            p.address.country_code
            for p in (seller, buyer, rep)
            if p is not None and p.address is not None and p.address.country_code is not None
        ]
        if any(c != "IT" for c in countries):
            ctx.fire("BR-B-01")
        if "S" in all_codes:
            ctx.fire("BR-B-02")


def _vat_only(
    items: Iterable[AllowanceCharge | VatBreakdown], codes: list[str], cii: bool
) -> list[str]:
    """``codes`` with "" where the category is not under the VAT scheme."""
    return [
        c if is_vat(item.tax_scheme, cii=cii) else "" for item, c in zip(items, codes, strict=True)
    ]


def _line_ac_code(inv: Invoice, code: str) -> bool:
    """UBL ``//cac:AllowanceCharge/cac:TaxCategory`` also sees line-level allowances."""
    return False


def _rate_ok(code: str, rate: Decimal | None, cii: bool) -> bool:
    if code == "S":
        return rate is not None and rate > 0
    if code == "O":
        return rate is None
    if code == "L":
        return rate is not None and (rate > 0 if cii else rate >= 0)
    if code == "M":
        return rate is not None and rate >= 0
    return rate is not None and rate == 0


def _sum_category(
    inv: Invoice,
    code: str,
    rate: Decimal | None,
    *,
    by_rate: bool,
    cii: bool,
    anchored: bool = True,
) -> tuple[Decimal, Decimal, Decimal]:
    if not anchored:
        return _ZERO, _ZERO, _ZERO
    key = (lambda v: v or "") if cii else norm

    def match(cat: str | None, r: Decimal | None) -> bool:
        return key(cat) == code and (not by_rate or (r is not None and r == rate))

    lines = dsum(
        line.net_amount
        for line in inv.lines
        if line.vat is not None and match(line.vat.category_code, line.vat.rate)
    )
    charges = dsum(c.amount for c in inv.charges if match(c.vat_category_code, c.vat_rate))
    allowances = dsum(a.amount for a in inv.allowances if match(a.vat_category_code, a.vat_rate))
    return lines, charges, allowances


def _breakdown_basis_ok(
    inv: Invoice, vb: VatBreakdown, code: str, cii: bool, *, anchored: bool = True
) -> bool:
    basis = vb.taxable_amount
    if cii:
        if code in ("S", "L", "M"):
            if vb.rate is None:
                return True  # every $rate in () satisfies ... is true
            lines, charges, allowances = _sum_category(
                inv, code, vb.rate, by_rate=True, cii=True, anchored=anchored
            )
            expected = round2(lines) + round2(charges) - round2(allowances)
            return basis is not None and basis == expected
        lines, charges, allowances = _sum_category(
            inv, code, None, by_rate=False, cii=True, anchored=anchored
        )
        expected = round2(lines) + round2(charges) - round2(allowances)
        if basis is None:
            return False
        if code == "O":
            return basis == expected
        return basis - 1 < expected and basis + 1 > expected
    # UBL
    if code in ("S", "L", "M") and vb.rate is None:
        return True  # every $rate in () satisfies ...
    if not inv.lines:
        return False
    if code in ("S", "L", "M"):
        lines, charges, allowances = _sum_category(inv, code, vb.rate, by_rate=True, cii=False)
        expected = lines + charges - allowances
        if basis is None:
            return False
        within = basis - 1 < expected and basis + 1 > expected
        if code == "S":
            exists = any(
                line.vat is not None
                and norm(line.vat.category_code) == "S"
                and line.vat.rate == vb.rate
                for line in inv.lines
            ) or any(
                norm(ac.vat_category_code) == "S" and ac.vat_rate == vb.rate
                for ac in (*inv.allowances, *inv.charges)
            )
            return exists and within
        return within
    lines, charges, allowances = _sum_category(inv, code, None, by_rate=False, cii=False)
    return basis is not None and basis == lines + charges - allowances


def _breakdown_amount_ok(vb: VatBreakdown, code: str, cii: bool) -> bool:
    amount = vb.tax_amount
    if code in ("S", "L", "M"):
        if code != "S" and cii:
            return True  # BR-AF-09 / BR-AG-09 are true() in CII (duplicates of BR-CO-17)
        rate = vb.rate
        basis = vb.taxable_amount
        if amount is None or rate is None or basis is None:
            return False
        if cii:
            expected = xround(abs(basis) * rate) / _HUNDRED
        else:
            expected = round2(abs(basis) * (rate / _HUNDRED))
        return abs(amount) - 1 < expected and abs(amount) + 1 > expected
    return amount is not None and amount == 0
