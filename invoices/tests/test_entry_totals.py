"""Totals of a keyed invoice: exact Decimal amounts, rounded as EN 16931 states them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from invoices.entry.totals import LineInput, line_net_amount, split_vat, totals_compute

D = Decimal


def test_line_net_amount_is_rounded_half_up_to_the_cent():
    assert line_net_amount(D("3"), D("19.99")) == D("59.97")
    assert line_net_amount(D("1"), D("0.125")) == D("0.13")
    assert line_net_amount(D("2.5"), D("3.333333")) == D("8.33")
    assert line_net_amount(D("0.3333"), D("3")) == D("1.00")


def test_a_single_line_at_twenty_percent():
    totals = totals_compute([LineInput(D("3"), D("19.99"), "S:20")])

    assert totals.line_net_amounts == [D("59.97")]
    assert [(g.category, g.rate, g.taxable_amount, g.tax_amount) for g in totals.vat_breakdown] == [
        ("S", D("20"), D("59.97"), D("11.99"))
    ]
    assert totals.total_without_vat == D("59.97")
    assert totals.total_vat == D("11.99")
    assert totals.total_with_vat == D("71.96")
    assert totals.amount_due == D("71.96")


def test_vat_is_rounded_once_per_rate_not_line_by_line():
    # Line by line: 3 x round(0.10 x 5.5 %) = 3 x 0.01 = 0.03; per group: round(0.0165) = 0.02.
    totals = totals_compute([LineInput(D("1"), D("0.10"), "S:5.5")] * 3)

    assert totals.vat_breakdown[0].taxable_amount == D("0.30")
    assert totals.vat_breakdown[0].tax_amount == D("0.02")
    assert totals.total_with_vat == D("0.32")


def test_several_rates_are_broken_down_highest_rate_first():
    totals = totals_compute(
        [
            LineInput(D("2.5"), D("3.333333"), "S:5.5"),
            LineInput(D("10"), D("1.005"), "S:20"),
            LineInput(D("1"), D("100"), "E:0"),
            LineInput(D("4"), D("12.345"), "S:20"),
        ]
    )

    assert totals.line_net_amounts == [D("8.33"), D("10.05"), D("100.00"), D("49.38")]
    assert [(g.code, g.taxable_amount, g.tax_amount) for g in totals.vat_breakdown] == [
        ("S:20", D("59.43"), D("11.89")),  # 11.886
        ("S:5.5", D("8.33"), D("0.46")),  # 0.45815
        ("E:0", D("100.00"), D("0.00")),
    ]
    assert totals.total_without_vat == D("167.76")
    assert totals.total_vat == D("12.35")
    assert totals.total_with_vat == D("180.11")


def test_half_a_cent_of_vat_rounds_up():
    totals = totals_compute([LineInput(D("1"), D("0.25"), "S:10")])  # 0.025

    assert totals.total_vat == D("0.03")


def test_no_line_gives_zero_totals():
    totals = totals_compute([])

    assert totals.total_with_vat == D("0.00")
    assert totals.vat_breakdown == []


def test_unknown_vat_choice_is_refused():
    with pytest.raises(ValueError, match="unknown VAT"):
        split_vat("S:19.6")
