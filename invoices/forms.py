"""Forms of the invoice pages: deposit, list filters, recipient actions, supplier answers."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from invoices.choices import BillingFramework, InvoiceStatus
from invoices.circuit import REASON_REQUIRED
from invoices.labels import reason_label
from invoices.models import StatusReason
from invoices.selectors import SORTS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class DepositForm(forms.Form):
    # A declared field, not BaseForm.files: the form metaclass moves it to base_fields.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Invoice files"),
        help_text=_(
            "UBL, CII or Factur-X files, one or several, or a zip / tar.gz of them. "
            "At most 120 MB per deposit; file names of 50 characters at most."
        ),
    )


class InvoiceFilterForm(forms.Form):
    """The list filters; every value travels in the URL so a filtered list can be saved."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *InvoiceStatus.choices]
    )
    date_from = forms.DateField(
        label=_("Deposited from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Deposited until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    amount_min = forms.DecimalField(label=_("Minimum amount incl. VAT"), required=False)
    amount_max = forms.DecimalField(label=_("Maximum amount incl. VAT"), required=False)
    counterparty = forms.CharField(label=_("Counterparty (name or SIRET)"), required=False)
    service = forms.CharField(label=_("Service code"), required=False, max_length=100)
    number = forms.CharField(label=_("Invoice number"), required=False, max_length=20)
    framework = forms.ChoiceField(
        label=_("Billing framework"),
        required=False,
        choices=[("", _("All")), *BillingFramework.choices],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-date", _("Newest first")),
            ("date", _("Oldest first")),
            ("-amount", _("Highest amount")),
            ("amount", _("Lowest amount")),
            ("number", _("Number")),
            ("status", _("Status")),
        ],
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("sort") not in SORTS:
            cleaned["sort"] = "-date"
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def active_count(self) -> int:
        """How many filters the list is narrowed by (shown on the folded filters)."""
        if not self.is_bound or not self.is_valid():
            return 0
        return sum(1 for name, value in self.cleaned_data.items() if name != "sort" and value)

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "status": data.get("status") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "amount_min": data.get("amount_min"),
            "amount_max": data.get("amount_max"),
            "counterparty": data.get("counterparty") or "",
            "service": data.get("service") or "",
            "number": data.get("number") or "",
            "framework": data.get("framework") or "",
            "text": data.get("q") or "",
            "overdue": bool(data.get("overdue")),
            "sort": data.get("sort") or "-date",
        }


class ReasonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Reasons as « label (CODE) » in the user's language (not the model's French ``__str__``)."""

    def label_from_instance(self, obj: Any) -> str:
        return reason_label(obj)


class RecipientActionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"))
    expected_status = forms.CharField(widget=forms.HiddenInput)
    reason = ReasonChoiceField(
        label=_("Reason"),
        queryset=StatusReason.objects.filter(is_active=True),
        required=False,
        to_field_name="code",
        empty_label=_("Choose a reason"),
        help_text=_("Required to suspend or reject."),
    )
    mandate_number = forms.CharField(
        label=_("Mandate number"),
        required=False,
        max_length=50,
        help_text=_("Required to mark the invoice as mandated."),
    )
    comment = forms.CharField(
        label=_("Comment for the supplier"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Set by the confirmation step that a rejection goes through (``needs_confirmation``).
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, targets: list[InvoiceStatus], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["to"]).choices = [(t.value, t.label) for t in targets]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        to = cleaned.get("to")
        if to in REASON_REQUIRED and not cleaned.get("reason"):
            self.add_error("reason", _("Choose a reason: it is required to suspend or reject."))
        if to == InvoiceStatus.MANDATED and not (cleaned.get("mandate_number") or "").strip():
            self.add_error("mandate_number", _("Give the mandate number."))
        return cleaned

    def needs_confirmation(self) -> bool:
        """A rejection is final: it is applied only once the agent confirmed it."""
        data = self.cleaned_data
        return data.get("to") == InvoiceStatus.REJECTED and not data.get("confirmed")


class CompleteForm(forms.Form):
    comment = forms.CharField(
        label=_("Answer to the recipient"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Documents"),
        required=False,
        help_text=_("10 MB per file at most; names of 50 characters at most."),
    )


class RerouteForm(forms.Form):
    recipient_siret = forms.CharField(label=_("Recipient SIRET"), max_length=14, min_length=14)
    service_code = forms.CharField(label=_("Service code"), required=False, max_length=100)
    commitment_number = forms.CharField(
        label=_("Legal commitment number"), required=False, max_length=50
    )


class NotificationPreferenceForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("E-mails about my structure's invoices"),
        choices=[],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from invoices.models import NotificationMode

        cast("forms.ChoiceField", self.fields["mode"]).choices = NotificationMode.choices
