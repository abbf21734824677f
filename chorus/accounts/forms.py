"""Account forms."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from chorus.accounts.choices import Area, IdentifierType, Role
from chorus.accounts.identifiers import CheckedIdentifier, country_choices, identifier_check
from chorus.accounts.models import Membership, Structure, User
from chorus.accounts.services import StructureDetails


class ProfileForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields: ClassVar[list[str]] = ["first_name", "last_name", "phone"]


# --- Organisations ---------------------------------------------------------------------------


class IdentifierForm(forms.Form):
    """Identifier type, identifier and country, checked together (reference §1.1)."""

    identifier_type = forms.ChoiceField(
        label=_("Identifier type"), choices=IdentifierType.choices, initial=IdentifierType.SIRET
    )
    identifier = forms.CharField(
        label=_("Identifier"),
        max_length=100,
        help_text=_(
            "SIRET: 14 digits, spaces allowed. EU outside France: the intra-EU VAT number."
        ),
    )
    country = forms.ChoiceField(label=_("Country"), initial="FR")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["country"]).choices = country_choices(
            translation.get_language() or "fr"
        )
        self.checked: CheckedIdentifier | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            self.checked = identifier_check(
                identifier_type=cleaned["identifier_type"],
                identifier=cleaned["identifier"],
                country=cleaned["country"],
            )
        except ValidationError as exc:
            self._add_errors(exc)
            return cleaned
        cleaned["identifier"] = self.checked.identifier
        cleaned["country"] = self.checked.country
        return cleaned

    def _add_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc)


class StructureDetailsForm(forms.Form):
    name = forms.CharField(
        label=_("Legal name"),
        max_length=255,
        help_text=_("For a private individual: last name and first name."),
    )
    vat_number = forms.CharField(label=_("Intra-EU VAT number"), max_length=20, required=False)
    address_line1 = forms.CharField(label=_("Address"), max_length=255, required=False)
    address_line2 = forms.CharField(label=_("Address (continued)"), max_length=255, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=16, required=False)
    city = forms.CharField(label=_("City"), max_length=255, required=False)
    email = forms.EmailField(label=_("Contact e-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def details(self) -> StructureDetails:
        data = self.cleaned_data
        return StructureDetails(
            name=data["name"],
            vat_number=data.get("vat_number", ""),
            address_line1=data.get("address_line1", ""),
            address_line2=data.get("address_line2", ""),
            postal_code=data.get("postal_code", ""),
            city=data.get("city", ""),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
        )

    @classmethod
    def initial_from(cls, structure: Structure) -> dict[str, str]:
        return {name: getattr(structure, name) for name in cls.base_fields}


class StructureCreateForm(IdentifierForm, StructureDetailsForm):
    field_order: ClassVar[list[str]] = [  # type: ignore[misc]
        "identifier_type",
        "identifier",
        "country",
        "name",
        "vat_number",
        "address_line1",
        "address_line2",
        "postal_code",
        "city",
        "email",
        "phone",
    ]


class JoinSearchForm(forms.Form):
    q = forms.CharField(
        label=_("SIRET, SIREN or name of the structure"), max_length=200, required=True
    )


class JoinRequestForm(forms.Form):
    structure = forms.UUIDField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message to the managers (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class JoinDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("refuse", "refuse")])
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Role.USER, Role.USER.label),
            (Role.SECONDARY_MANAGER, Role.SECONDARY_MANAGER.label),
        ],
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason (sent to the requester)"), max_length=1000, required=False
    )


class MembershipForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Role.SECONDARY_MANAGER, Role.SECONDARY_MANAGER.label),
            (Role.USER, Role.USER.label),
        ],
    )
    areas = forms.MultipleChoiceField(
        label=_("Areas"),
        choices=Area.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PrincipalTransferForm(forms.Form):
    member = forms.ChoiceField(label=_("New principal manager"))

    def __init__(self, *args: Any, members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["member"]).choices = [
            (str(m.public_id), f"{m.user.display_name} ({m.user.email})") for m in members
        ]


class SwitchStructureForm(forms.Form):
    structure = forms.UUIDField()
    next = forms.CharField(required=False)
