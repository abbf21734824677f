"""Numbers as the reader of the active language expects them, for every page of the portal.

Django's localisation gives the separators (French: a no-break space between thousands and a
decimal comma, ``1 200,00``; English: ``1,200.00``); this module adds what it lacks: rounding
half up instead of truncating, grouping even when ``USE_THOUSAND_SEPARATOR`` is off (form
inputs must stay ungrouped), trailing zeros dropped down to a minimum, and the currency placed
as each language places it (``1 200,00 €`` in French, ``€1,200.00`` in English).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import formats
from django.utils.translation import get_language

NBSP = "\u00a0"
# Symbols written instead of the ISO 4217 code; other currencies show their code.
CURRENCY_SYMBOLS = {"EUR": "€"}


def as_decimal(value: Any) -> Decimal | None:
    """``value`` as a Decimal, or None when it is empty or not a number."""
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def number(value: Any, *, min_places: int = 0, max_places: int = 2) -> str:
    """``value`` rounded half up to ``max_places`` decimals, zeros beyond ``min_places``
    dropped, with the active language's separators and thousands grouping.

    Not a number: returned unchanged (as text), so a template never breaks on bad data.
    """
    amount = as_decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    amount = amount.quantize(Decimal(1).scaleb(-max_places), rounding=ROUND_HALF_UP)
    exponent = amount.normalize().as_tuple().exponent
    significant = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    places = max(min_places, min(max_places, significant))
    text = formats.number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    return str(text)


def money(value: Any, currency: str = "EUR", *, max_places: int = 2) -> str:
    """An amount with its currency: ``1 200,00 €`` (French), ``€1,200.00`` (English).

    ``max_places`` above 2 keeps a unit price's own precision (``0,125 €``), never fewer than
    the cents.
    """
    text = number(value, min_places=2, max_places=max(2, max_places))
    if as_decimal(value) is None:
        return text
    code = (currency or "EUR").upper()
    symbol = CURRENCY_SYMBOLS.get(code)
    if (get_language() or "fr").startswith("en"):
        if symbol is None:
            return f"{code}{NBSP}{text}"
        return f"-{symbol}{text[1:]}" if text.startswith("-") else f"{symbol}{text}"
    return f"{text}{NBSP}{symbol or code}"


def percent(value: Any) -> str:
    """A rate as ``20 %`` / ``5,5 %`` (French, no-break space) or ``5.5%`` (English)."""
    text = number(value, min_places=0, max_places=3)
    if as_decimal(value) is None:
        return text
    if (get_language() or "fr").startswith("en"):
        return f"{text}%"
    return f"{text}{NBSP}%"
