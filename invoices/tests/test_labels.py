"""Codes shown as labels in the user's language, with the official code beside them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from invoices.choices import InvoiceStatus
from invoices.entry.forms import LineForm
from invoices.forms import RecipientActionForm
from invoices.labels import reason_label, unit_label, vat_label
from invoices.models import StatusReason

NB = "\u00a0"


def test_units_read_as_words_with_their_code():
    with translation.override("fr"):
        assert unit_label("C62") == "unité (C62)"
        assert unit_label("HUR") == "heure (HUR)"
    with translation.override("en"):
        assert unit_label("HUR") == "hour (HUR)"
    assert unit_label("ZZZ") == "ZZZ"  # unknown: the code alone, never a guess


def test_vat_categories_read_as_words_with_their_code():
    with translation.override("fr"):
        assert vat_label("S", Decimal("20.00")) == f"TVA 20{NB}% (S)"
        assert vat_label("S", Decimal("5.50")) == f"TVA 5,5{NB}% (S)"
        assert vat_label("E", Decimal("0")) == "Exonéré de TVA (E)"
        assert vat_label("AE", None) == "Autoliquidation de la TVA (AE)"
    with translation.override("en"):
        assert vat_label("S", Decimal("20.00")) == "VAT 20% (S)"
        assert vat_label("Z", Decimal("0")) == "Zero-rated VAT (Z)"
    assert vat_label("XX", Decimal("3")) == "XX 3\u00a0%"


@pytest.mark.django_db
def test_every_seeded_reason_has_its_english_label_in_the_english_ui():
    reasons = list(StatusReason.objects.filter(is_active=True))
    assert len(reasons) >= 24
    with translation.override("en"):
        form = RecipientActionForm(targets=[InvoiceStatus.REJECTED])
        options = [str(label) for _value, label in form.fields["reason"].choices]
    assert options[0] == "Choose a reason"
    shown = dict(zip([r.code for r in reasons], options[1:], strict=True))
    for reason in reasons:
        assert shown[reason.code] == f"{reason.label_en} ({reason.code})"
    with translation.override("fr"):
        routing = StatusReason.objects.get(code="CODE_ROUTAGE_ERR")
        assert reason_label(routing) == "Code service ou de routage erroné (CODE_ROUTAGE_ERR)"


def test_empty_reason_option_asks_to_choose_one_in_french():
    with translation.override("fr"):
        form = RecipientActionForm(targets=[InvoiceStatus.REJECTED])
        assert str(next(iter(form.fields["reason"].choices))[1]) == "Choisir un motif"


def test_entry_form_vat_and_unit_options_follow_the_language():
    with translation.override("en"):
        vat = [str(label) for _code, label in LineForm().fields["vat"].choices]
        units = [str(label) for _code, label in LineForm().fields["unit"].choices]
    assert vat == [
        "VAT 20% (S)",
        "VAT 10% (S)",
        "VAT 5.5% (S)",
        "VAT 2.1% (S)",
        "Zero-rated VAT (Z)",
        "Exempt from VAT (E)",
        "VAT reverse charge (AE)",
    ]
    assert units[:2] == ["unit (C62)", "hour (HUR)"]
    with translation.override("fr"):
        vat_fr = [str(label) for _code, label in LineForm().fields["vat"].choices]
    assert vat_fr[2] == f"TVA 5,5{NB}% (S)"
    assert vat_fr[-1] == "Autoliquidation de la TVA (AE)"
