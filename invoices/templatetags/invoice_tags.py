"""Template helpers of the invoice pages: statuses (label, badge colour, 2026-reform lifecycle
code) and the labels of the codes an invoice carries (units, VAT categories, reasons)."""

from __future__ import annotations

from typing import Any

from django import template

from invoices import labels
from invoices.choices import REFORM_LIFECYCLE_CODE, InvoiceStatus
from invoices.reports import report_findings

register = template.Library()

_BADGES = {
    InvoiceStatus.REJECTED: "fr-badge--error",
    InvoiceStatus.SUSPENDED: "fr-badge--warning",
    InvoiceStatus.TO_RECYCLE: "fr-badge--warning",
    InvoiceStatus.PAYMENT_SENT: "fr-badge--success",
    InvoiceStatus.COMPLETED: "fr-badge--info",
    InvoiceStatus.MADE_AVAILABLE: "fr-badge--new",
}


@register.simple_tag
def status_label(status: str) -> str:
    try:
        return str(InvoiceStatus(status).label)
    except ValueError:
        return status


@register.simple_tag
def status_badge_class(status: str) -> str:
    badge: str = _BADGES.get(status, "fr-badge--info")  # type: ignore[call-overload]
    return badge


@register.simple_tag
def reform_code(status: str) -> str:
    return REFORM_LIFECYCLE_CODE.get(status, "")


@register.filter
def unit_label(code: str) -> str:
    """``{{ line.unit|unit_label }}`` → « heure (HUR) »."""
    return labels.unit_label(code)


@register.filter
def vat_label(category: str, rate: Any = None) -> str:
    """``{{ line.vat_category|vat_label:line.vat_rate }}`` → « TVA 20 % (S) »."""
    return labels.vat_label(category, rate)


@register.filter
def reason_label(reason: Any) -> str:
    """``{{ event.reason|reason_label }}`` → « Justificatif absent ou insuffisant (JUSTIF_ABS) »."""
    return labels.reason_label(reason)


@register.filter(name="report_findings")
def report_findings_filter(raw: Any) -> list[dict[str, str]]:
    """A stored report's findings with ``message`` in the active language."""
    return report_findings(raw)
