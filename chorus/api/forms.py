"""Portal forms of the API connections (the rules themselves are in ``services``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.api.choices import Scope
from chorus.api.selectors import OUTCOME_ERROR, OUTCOME_REFUSED, OUTCOME_SUCCESS
from chorus.api.services import DEFAULT_OVERLAP, MAX_OVERLAP


def _scopes_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the software may do with this connection; you can change it later."),
        error_messages={"required": _("Choose at least one scope.")},
    )


class ConnectionCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("The software this connection is for, e.g. « ERP comptabilité »."),
    )
    scopes = _scopes_field()


class ConnectionScopesForm(forms.Form):
    scopes = _scopes_field()


class SecretRotateForm(forms.Form):
    overlap_days = forms.IntegerField(
        label=_("Overlap (days)"),
        min_value=0,
        max_value=MAX_OVERLAP.days,
        initial=DEFAULT_OVERLAP.days,
        help_text=_(
            "How long the current secret keeps working, so that the software can switch "
            "without downtime (0 stops it at once)."
        ),
    )


class CallFilterForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[
            ("", _("All")),
            (OUTCOME_SUCCESS, _("Success")),
            (OUTCOME_REFUSED, _("Refused by a business rule")),
            (OUTCOME_ERROR, _("Error (HTTP 4xx/5xx)")),
        ],
    )
