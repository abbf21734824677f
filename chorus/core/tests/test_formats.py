"""Amounts, quantities and rates as the reader of each language expects them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from chorus.core.formats import money, number, percent

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1200"), f"1{NB}200,00{NB}€"),
        (Decimal("1234567.891"), f"1{NB}234{NB}567,89{NB}€"),
        (Decimal("0.005"), f"0,01{NB}€"),  # half up, not truncated nor banker's rounding
        (Decimal("-15.5"), f"-15,50{NB}€"),
        ("99.9", f"99,90{NB}€"),
    ],
)
def test_money_in_french_groups_thousands_and_puts_the_euro_after(value, expected):
    with translation.override("fr"):
        assert money(value, "EUR") == expected


def test_money_in_english_puts_the_symbol_first_and_other_currencies_by_code():
    with translation.override("en"):
        assert money(Decimal("1200"), "EUR") == "€1,200.00"
        assert money(Decimal("-3"), "EUR") == "-€3.00"
        assert money(Decimal("10"), "USD") == f"USD{NB}10.00"
    with translation.override("fr"):
        assert money(Decimal("10"), "usd") == f"10,00{NB}USD"


def test_unit_prices_keep_their_precision_without_trailing_zeros():
    with translation.override("fr"):
        assert money(Decimal("100.000000"), max_places=6) == f"100,00{NB}€"
        assert money(Decimal("0.125000"), max_places=6) == f"0,125{NB}€"
        assert money(Decimal("12.345678"), max_places=6) == f"12,345678{NB}€"


def test_quantities_drop_trailing_zeros():
    with translation.override("fr"):
        assert number(Decimal("10.0000"), max_places=4) == "10"
        assert number(Decimal("2.5000"), max_places=4) == "2,5"
        assert number(Decimal("1500"), max_places=4) == f"1{NB}500"
    with translation.override("en"):
        assert number(Decimal("1500.25"), max_places=4) == "1,500.25"


def test_rates_in_each_language():
    with translation.override("fr"):
        assert percent(Decimal("20.00")) == f"20{NB}%"
        assert percent(Decimal("5.50")) == f"5,5{NB}%"
    with translation.override("en"):
        assert percent(Decimal("5.50")) == "5.5%"


def test_what_is_not_a_number_is_shown_as_it_is():
    assert money(None) == ""
    assert money("n/a") == "n/a"
    assert number("") == ""


def test_template_filters_render_the_same():
    template = Template(
        "{% load formats %}{{ total|money:'EUR' }}|{{ price|unit_price }}|{{ qty|number }}"
    )
    context = Context({"total": Decimal("1200"), "price": Decimal("0.5"), "qty": Decimal("3")})
    with translation.override("fr"):
        assert template.render(context) == f"1{NB}200,00{NB}€|0,50{NB}€|3"
