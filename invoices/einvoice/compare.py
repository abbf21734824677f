"""When two models say the same invoice: the comparison behind "re-read to the same model".

A writer is correct when reading what it wrote gives back the model it was given. Two
models are compared on their *semantic view* (:func:`semantic`): plain tuples, dicts and
lists of the invoice content, without what only says where or how a value was read
(source lines, syntax, reader facts) and without the few codes that are syntax rather
than content. Two values that EN 16931 defines as equal but a syntax must spell
differently are brought to one form (:func:`_implied_price`).
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from decimal import Decimal
from typing import Any

from invoices.einvoice.model import PriceDetails

__all__ = ["SYNTAX_ONLY_FIELDS", "differences", "semantic"]

SYNTAX_ONLY_FIELDS = frozenset(
    {
        # where a value was read, and reader bookkeeping
        "source",
        "syntax",
        "locations",
        "facts",
        "unparsed",
    }
)
"""Model fields that are not invoice content: ignored when comparing round trips."""

_SYNTAX_CODES = {
    # CII writes TypeCode 916 on every BG-24 document (mandatory there), UBL writes no
    # DocumentTypeCode on them (UBL-SR-43): the code is syntax, not content.
    ("AdditionalDocument", "type_code"),
    # CII repeats BT-8 on each VAT breakdown (DueDateTypeCode); the header BT-8 is content.
    ("VatBreakdown", "tax_point_date_code"),
}


def _implied_price(price: PriceDetails) -> dict[str, Any]:
    """BG-29 with the values a syntax must write when the model leaves them out.

    EN 16931 defines the item net price as the gross price minus the price discount
    (BT-146 = BT-148 - BT-147). UBL requires a discount amount next to a gross price, so
    an absent discount is written as 0; CII carries a discount only inside a gross price,
    so an absent gross price is written as net + discount. Both say what the model says,
    and compare equal here (docs/einvoice.md, "Implied values").
    """
    view: dict[str, Any] = {f.name: getattr(price, f.name) for f in fields(price)}
    if price.gross_price is not None and price.price_discount is None:
        view["price_discount"] = Decimal(0)
    net = price.net_price
    if price.gross_price is None and price.price_discount is not None and net is not None:
        view["gross_price"] = net + price.price_discount
    return view


def semantic(value: Any) -> Any:
    """A plain, comparable view of a model object without syntax bookkeeping."""
    if isinstance(value, PriceDetails):
        return ("PriceDetails", _implied_price(value))
    if is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        return (
            name,
            {
                f.name: semantic(getattr(value, f.name))
                for f in fields(value)
                if f.name not in SYNTAX_ONLY_FIELDS and (name, f.name) not in _SYNTAX_CODES
            },
        )
    if isinstance(value, list):
        return [semantic(v) for v in value]
    return value


def differences(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Where two semantic views differ, as ``path: expected != actual`` lines."""
    if (
        isinstance(expected, tuple)
        and isinstance(actual, tuple)
        and len(expected) == len(actual) == 2
        and isinstance(expected[1], dict)
        and isinstance(actual[1], dict)
        and expected[0] == actual[0]
    ):
        out: list[str] = []
        for key in expected[1].keys() | actual[1].keys():
            out += differences(expected[1].get(key), actual[1].get(key), f"{path}.{key}")
        return sorted(out)
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        out = []
        for index, (a, b) in enumerate(zip(expected, actual, strict=True)):
            out += differences(a, b, f"{path}[{index}]")
        return out
    return [] if expected == actual else [f"{path or '.'}: {expected!r} != {actual!r}"]
