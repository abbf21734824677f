"""Validation: structure (XSD), EN 16931 business rules, syntax rules, optional French rules."""

from __future__ import annotations

from invoices.einvoice.validation.core import (
    RULE_SET_EN16931,
    RULE_SET_FR,
    ValidationReport,
    validate_invoice,
)
from invoices.einvoice.validation.profiles import validate_profile

__all__ = [
    "RULE_SET_EN16931",
    "RULE_SET_FR",
    "ValidationReport",
    "validate_invoice",
    "validate_profile",
]
