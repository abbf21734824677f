"""Amounts of a keyed invoice, computed with Decimal as EN 16931 states them.

* line net amount (BT-131) = quantity (BT-129) * net price (BT-146), rounded to 2 decimals
  (no base quantity, line allowance or charge in the portal form);
* per VAT category and rate (BG-23): taxable amount (BT-116) = sum of the line net amounts
  of that category and rate; VAT amount (BT-117) = BT-116 * rate (BT-119) / 100, rounded to
  2 decimals once per group, never line by line (BR-CO-17);
* BT-106 = Σ BT-131; BT-109 = BT-106 (no document allowance or charge); BT-110 = Σ BT-117;
  BT-112 = BT-109 + BT-110; BT-115 (amount due) = BT-112.

Rounding is "half up" (commercial rounding, 0.005 → 0.01), as the French rules and the
validator's tolerance expect. Pure functions: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

# The VAT choices of the form, in their order: "<category>:<rate>" (UNCL 5305 category, rate in
# percent). Their labels are the page's (invoices.labels.vat_choice_label), in the user's language.
VAT_CHOICE_CODES: tuple[str, ...] = ("S:20", "S:10", "S:5.5", "S:2.1", "Z:0", "E:0", "AE:0")
VAT_CODES = frozenset(VAT_CHOICE_CODES)
# Categories whose breakdown must say why no VAT is charged (BR-E-10, BR-AE-10).
EXEMPT_CATEGORIES = frozenset({"E", "AE"})
DEFAULT_EXEMPTION_CODES = {"AE": "VATEX-EU-AE"}


def money(value: Decimal) -> Decimal:
    """Round to the cent, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def split_vat(code: str) -> tuple[str, Decimal]:
    """``"S:5.5"`` → ``("S", Decimal("5.5"))``; raises ``ValueError`` on an unknown code."""
    if code not in VAT_CODES:
        raise ValueError(f"unknown VAT choice {code!r}")
    category, _sep, rate = code.partition(":")
    return category, Decimal(rate)


@dataclass(frozen=True)
class LineInput:
    quantity: Decimal
    unit_price: Decimal
    vat: str


@dataclass(frozen=True)
class VatGroup:
    category: str
    rate: Decimal
    taxable_amount: Decimal
    tax_amount: Decimal

    @property
    def code(self) -> str:
        return f"{self.category}:{self.rate}"


@dataclass(frozen=True)
class Totals:
    line_net_amounts: list[Decimal] = field(default_factory=list)
    vat_breakdown: list[VatGroup] = field(default_factory=list)
    total_without_vat: Decimal = Decimal("0.00")
    total_vat: Decimal = Decimal("0.00")
    total_with_vat: Decimal = Decimal("0.00")

    @property
    def amount_due(self) -> Decimal:
        return self.total_with_vat


def line_net_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """BT-131 = BT-129 * BT-146, rounded to the cent."""
    return money(quantity * unit_price)


def totals_compute(lines: Iterable[LineInput]) -> Totals:
    """Every amount of the invoice from its lines, in the order of the lines and rates."""
    nets: list[Decimal] = []
    taxable: dict[tuple[str, Decimal], Decimal] = {}
    for line in lines:
        net = line_net_amount(line.quantity, line.unit_price)
        nets.append(net)
        key = split_vat(line.vat)
        taxable[key] = taxable.get(key, Decimal("0.00")) + net
    groups = [
        VatGroup(
            category=category,
            rate=rate,
            taxable_amount=money(base),
            tax_amount=money(base * rate / HUNDRED),
        )
        for (category, rate), base in sorted(taxable.items(), key=lambda item: -item[0][1])
    ]
    without_vat = money(sum(nets, Decimal("0.00")))
    vat = money(sum((g.tax_amount for g in groups), Decimal("0.00")))
    return Totals(
        line_net_amounts=nets,
        vat_breakdown=groups,
        total_without_vat=without_vat,
        total_vat=vat,
        total_with_vat=without_vat + vat,
    )
