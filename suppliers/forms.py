"""Supplier forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.accounts.forms import StructureCreateForm


class SupplierStructureCreateForm(StructureCreateForm):
    """Identifier (validated by type and country) and the structure's details."""


class BankAccountForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=100)
    holder = forms.CharField(
        label=_("Account holder"),
        max_length=255,
        required=False,
        help_text=_("Defaults to the structure's legal name."),
    )
    iban = forms.CharField(label=_("IBAN"), max_length=50)
    bic = forms.CharField(
        label=_("BIC"),
        max_length=20,
        required=False,
        help_text=_("Optional when the bank is known from the IBAN."),
    )
    is_factoring = forms.BooleanField(
        label=_("This account belongs to a factoring company"), required=False
    )
