"""Labels of the codes an invoice carries, in the active language, with the code beside them.

Invoices store official codes verbatim (UN/ECE Recommendation 20 units, UNCL 5305 VAT
categories, Chorus Pro reason codes); people read labels. One rule everywhere (docs/invoices.md,
"Display rules"): the label in the user's language, a space, then the official code in
parentheses — « heure (HUR) », « TVA 20 % (S) », « Code service ou de routage erroné
(CODE_ROUTAGE_ERR) ». A code we have no label for is shown alone rather than guessed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy, pgettext_lazy

from chorus.core.formats import as_decimal, percent

# UN/ECE Recommendation 20 (and 21 for the X… packages): the units seen on public invoices.
UNIT_LABELS: dict[str, Promise] = {
    "C62": pgettext_lazy("unit of measure", "unit"),
    "EA": pgettext_lazy("unit of measure", "each"),
    "H87": pgettext_lazy("unit of measure", "piece"),
    "XPP": pgettext_lazy("unit of measure", "piece"),
    "LS": pgettext_lazy("unit of measure", "lump sum"),
    "E48": pgettext_lazy("unit of measure", "service unit"),
    "SET": pgettext_lazy("unit of measure", "set"),
    "PR": pgettext_lazy("unit of measure", "pair"),
    "MIN": pgettext_lazy("unit of measure", "minute"),
    "HUR": pgettext_lazy("unit of measure", "hour"),
    "DAY": pgettext_lazy("unit of measure", "day"),
    "WEE": pgettext_lazy("unit of measure", "week"),
    "MON": pgettext_lazy("unit of measure", "month"),
    "ANN": pgettext_lazy("unit of measure", "year"),
    "GRM": pgettext_lazy("unit of measure", "gram"),
    "KGM": pgettext_lazy("unit of measure", "kilogram"),
    "TNE": pgettext_lazy("unit of measure", "tonne"),
    "MTR": pgettext_lazy("unit of measure", "metre"),
    "KMT": pgettext_lazy("unit of measure", "kilometre"),
    "MTK": pgettext_lazy("unit of measure", "square metre"),
    "MTQ": pgettext_lazy("unit of measure", "cubic metre"),
    "LTR": pgettext_lazy("unit of measure", "litre"),
    "KWH": pgettext_lazy("unit of measure", "kilowatt-hour"),
}
# The units offered when keying an invoice in the portal, in this order.
ENTRY_UNITS = ("C62", "HUR", "DAY", "MON", "KGM", "MTR", "LTR", "LS")


def with_code(label: Any, code: str) -> str:
    """``label (code)``; the code alone when there is no label, never ``C99 (C99)``."""
    text = str(label or "").strip()
    if not code:
        return text
    if not text or text == code:
        return code
    return f"{text} ({code})"


def unit_label(code: str) -> str:
    """``HUR`` → « heure (HUR) » in French, "hour (HUR)" in English."""
    code = (code or "").strip()
    return with_code(UNIT_LABELS.get(code.upper(), ""), code)


# UNCL 5305 VAT categories used by EN 16931: those charged at a rate show it in their label.
VAT_RATED_LABELS: dict[str, Promise] = {
    "S": gettext_lazy("VAT %(rate)s"),
    "L": gettext_lazy("IGIC (Canary Islands) %(rate)s"),
    "M": gettext_lazy("IPSI (Ceuta and Melilla) %(rate)s"),
}
VAT_LABELS: dict[str, Promise] = {
    "Z": gettext_lazy("Zero-rated VAT"),
    "E": gettext_lazy("Exempt from VAT"),
    "AE": gettext_lazy("VAT reverse charge"),
    "K": gettext_lazy("Intra-EU supply, exempt from VAT"),
    "G": gettext_lazy("Export outside the EU, exempt from VAT"),
    "O": gettext_lazy("Outside the scope of VAT"),
}


def vat_label(category: str, rate: Any = None) -> str:
    """A VAT category and rate as a person reads it: ``S``, 20 → « TVA 20 % (S) »."""
    category = (category or "").strip().upper()
    value: Decimal | None = as_decimal(rate)
    shown = percent(value) if value is not None else ""
    if category in VAT_RATED_LABELS:
        label = str(VAT_RATED_LABELS[category]) % {"rate": shown}
    elif category in VAT_LABELS:
        label = str(VAT_LABELS[category])
    else:  # a category we do not know: the codes as they are, never a guess
        return " ".join(part for part in (category, shown) if part)
    return with_code(label.strip(), category)


def vat_choice_label(choice: str) -> str:
    """A VAT choice of the entry form (``"S:5.5"``) → « TVA 5,5 % (S) »."""
    category, _sep, rate = choice.partition(":")
    return vat_label(category, rate)


lazy_unit_label = lazy(unit_label, str)
lazy_vat_choice_label = lazy(vat_choice_label, str)


def reason_label(reason: Any) -> str:
    """A suspension, rejection or re-routing reason: its label in the active language, its
    code beside it (« Justificatif absent ou insuffisant (JUSTIF_ABS) »)."""
    if reason is None:
        return ""
    return with_code(reason.label, reason.code)
