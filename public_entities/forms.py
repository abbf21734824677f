"""Forms of the directory and of public-entity management."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from public_entities.choices import PublicEntityCategory
from public_entities.services import EntityParameters, ServiceData


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("SIRET, SIREN or name"),
        max_length=200,
        required=False,
        help_text=_("For example 'commune de lyon' or a 14-digit SIRET."),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        required=False,
        help_text=_("The start is enough: 69 for the whole Rhône."),
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)


class DateInput(forms.DateInput):
    input_type = "date"


class ServiceForm(forms.Form):
    code = forms.CharField(label=_("Service code"), max_length=100)
    name = forms.CharField(label=_("Service name"), max_length=255)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_active = forms.BooleanField(
        label=pgettext_lazy("service", "Active"), required=False, initial=True
    )
    start_date = forms.DateField(label=_("Valid from"), required=False, widget=DateInput)
    end_date = forms.DateField(label=_("Valid until"), required=False, widget=DateInput)
    commitment_required = forms.BooleanField(
        label=_("Legal commitment number required"), required=False
    )
    manages_payment_status = forms.BooleanField(
        label=_("Reports the payment status"), required=False, initial=True
    )

    def __init__(self, *args: Any, code_editable: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not code_editable:
            self.fields["code"].disabled = True

    def data_object(self) -> ServiceData:
        data = self.cleaned_data
        return ServiceData(
            code=data["code"],
            name=data["name"],
            description=data["description"],
            is_active=data["is_active"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            commitment_required=data["commitment_required"],
            manages_payment_status=data["manages_payment_status"],
        )


class ParametersForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=PublicEntityCategory.choices)
    commitment_required = forms.BooleanField(
        label=_("Legal commitment number required"), required=False
    )
    service_code_required = forms.BooleanField(label=_("Service code required"), required=False)
    service_or_commitment_required = forms.BooleanField(
        label=_("Service code or commitment number required"), required=False
    )
    manages_payment_status = forms.BooleanField(
        label=_("Reports the payment status"), required=False
    )
    is_moa = forms.BooleanField(label=_("Acts as project owner (MOA)"), required=False)
    is_moa_only = forms.BooleanField(label=_("Acts only as project owner (MOA)"), required=False)
    is_delegated_validator = forms.BooleanField(label=_("Delegated validator"), required=False)

    def parameters(self) -> EntityParameters:
        return EntityParameters(**self.cleaned_data)


class MemberServicesForm(forms.Form):
    services = forms.MultipleChoiceField(
        label=_("Services"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the member acts for every service."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["services"]).choices = choices
