"""Template filters for numbers, amounts and rates in the active language (``{% load formats %}``).

Every page shows amounts through ``money`` and quantities through ``number`` so that the
French reader sees ``1 200,00 €`` everywhere (rules in docs/invoices.md, "Display rules").
"""

from __future__ import annotations

from typing import Any

from django import template

from chorus.core import formats

register = template.Library()


@register.filter
def money(value: Any, currency: str = "EUR") -> str:
    """``{{ invoice.total_with_vat|money:invoice.currency }}`` → ``1 200,00 €``."""
    return formats.money(value, currency)


@register.filter
def unit_price(value: Any, currency: str = "EUR") -> str:
    """A unit price: the cents always, further decimals only when they are not zero."""
    return formats.money(value, currency, max_places=6)


@register.filter
def number(value: Any, max_places: int = 4) -> str:
    """A quantity: grouped, no trailing zeros (``10``, ``2,5``, ``1 000``)."""
    return formats.number(value, min_places=0, max_places=int(max_places))


@register.filter
def percent(value: Any) -> str:
    """A rate: ``20 %``, ``5,5 %``."""
    return formats.percent(value)
