"""Forms of the entry pages: header, lines (a formset), attachments, the supplier's PDF.

Checks that need the directory (recipient parameters) or earlier invoices (number already
used) run here so that each error lands on the field to fix; the processing pipeline checks
everything again after the deposit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MinValueValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.accounts.identifiers import compact
from chorus.accounts.models import Structure
from chorus.core.exceptions import DomainError
from chorus.core.uploads import upload_content_check, upload_name_check
from invoices.choices import BillingFramework
from invoices.entry.services import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_NAME_MAX,
    ATTACHMENT_TYPES,
    EntryData,
    EntryFile,
    EntryLine,
    attachment_mime_type,
)
from invoices.entry.totals import VAT_CHOICE_CODES
from invoices.forms import MultipleFileField
from invoices.labels import ENTRY_UNITS, lazy_unit_label, lazy_vat_choice_label
from invoices.models import Invoice
from invoices.services.limits import MAX_DEPOSIT_BYTES
from public_entities.exceptions import RecipientRefused
from public_entities.selectors import Recipient, recipient_resolve

MAX_LINES = 200
FRAMEWORK_CHOICES = [
    ("A1", BillingFramework.A1.label),
    ("A2", BillingFramework.A2.label),
    ("A9", BillingFramework.A9.label),
    ("A12", BillingFramework.A12.label),
]
TYPE_CHOICES = [("380", _("Invoice")), ("381", _("Credit note"))]
UNIT_CHOICES = [(code, lazy_unit_label(code)) for code in ENTRY_UNITS]
VAT_CHOICES = [(code, lazy_vat_choice_label(code)) for code in VAT_CHOICE_CODES]
HEADER_FIELDS = (
    "number",
    "issue_date",
    "due_date",
    "type_code",
    "framework",
    "recipient_siret",
    "service_code",
    "commitment_number",
    "payment_terms",
    "bank_account",
    "exemption_reason",
)
LINE_FIELDS = ("description", "quantity", "unit", "unit_price", "vat")

# Where each refusal of recipient_resolve goes, and what it tells.
RECIPIENT_ERRORS: dict[str, tuple[str, Any]] = {
    "recipient_not_found": (
        "recipient_siret",
        _("No public structure has this SIRET in the directory: search for it by name."),
    ),
    "recipient_inactive": (
        "recipient_siret",
        _("This public structure is inactive and no longer receives invoices."),
    ),
    "service_not_found": (
        "service_code",
        _("This service code does not exist for this recipient: pick one from the list."),
    ),
    "service_inactive": (
        "service_code",
        _("This service is inactive: choose an active service of the recipient."),
    ),
    "service_required": ("service_code", _("This recipient requires a service code.")),
    "commitment_required": (
        "commitment_number",
        _("This recipient requires a legal commitment number: copy it from the purchase order."),
    ),
    "service_or_commitment_required": (
        "service_code",
        _("This recipient requires a service code or a legal commitment number."),
    ),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class EntryForm(forms.Form):
    number = forms.CharField(
        label=_("Invoice number"),
        max_length=20,
        help_text=_("20 characters at most, unique for your structure in the year."),
    )
    issue_date = forms.DateField(label=_("Issue date"), widget=DateInput())
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    type_code = forms.ChoiceField(label=_("Document type"), choices=TYPE_CHOICES, initial="380")
    framework = forms.ChoiceField(
        label=_("Billing framework"), choices=FRAMEWORK_CHOICES, initial="A1"
    )
    recipient_siret = forms.CharField(
        label=_("Recipient SIRET"),
        max_length=20,
        help_text=_("14 digits; or search the directory by name above."),
    )
    service_code = forms.CharField(label=_("Service code"), required=False, max_length=100)
    commitment_number = forms.CharField(
        label=_("Legal commitment number"), required=False, max_length=50
    )
    payment_terms = forms.CharField(
        label=_("Payment terms"),
        required=False,
        max_length=500,
        help_text=_("For example: payment at 30 days by bank transfer."),
    )
    bank_account = forms.ChoiceField(label=_("Bank account"), required=False, choices=())
    exemption_reason = forms.CharField(
        label=_("VAT exemption reason"),
        required=False,
        max_length=255,
        help_text=_("Required for exempt or reverse-charge lines, e.g. the article of law."),
    )

    def __init__(self, *args: Any, structure: Structure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.structure = structure
        self.recipient: Recipient | None = None
        self.accounts = _bank_accounts(structure)
        bank_field = self.fields["bank_account"]
        assert isinstance(bank_field, forms.ChoiceField)  # noqa: S101 - declared above
        bank_field.choices = [
            ("", _("None")),
            *[(str(a.public_id), str(a)) for a in self.accounts],
        ]
        self.fields["service_code"].widget.attrs["list"] = "recipient-services"
        self.fields["recipient_siret"].widget.attrs.update(
            {
                "hx-get": reverse("invoices:entry_recipient"),
                "hx-trigger": "change",
                "hx-target": "#recipient-block",
                "hx-include": "[name=service_code],[name=commitment_number]",
                "inputmode": "numeric",
            }
        )
        if not self.accounts:
            self.fields["bank_account"].help_text = _(
                "Add your bank details in your structure's page to have them on the invoice."
            )

    def show_required(self, recipient: dict[str, Any] | None) -> None:
        """Mark the references the chosen recipient requires (display only: the server
        checks them with ``recipient_resolve`` whatever the form says)."""
        if not recipient or not recipient.get("structure"):
            return
        if recipient.get("service_required"):
            self.fields["service_code"].required = True
        if recipient.get("commitment_required"):
            self.fields["commitment_number"].required = True

    def clean_recipient_siret(self) -> str:
        value = compact(self.cleaned_data["recipient_siret"])
        if not (value.isdigit() and len(value) == 14):
            raise forms.ValidationError(_("A SIRET has 14 digits."))
        return value

    def clean_number(self) -> str:
        return str(self.cleaned_data["number"]).strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        issue, due = cleaned.get("issue_date"), cleaned.get("due_date")
        if issue and due and due < issue:
            self.add_error("due_date", _("The due date cannot be before the issue date."))
        if "due_date" in cleaned and not due and not cleaned.get("payment_terms"):
            self.add_error(
                "due_date", _("Give a due date or payment terms (EN 16931 rule BR-CO-25).")
            )
        siret = cleaned.get("recipient_siret")
        if siret:
            try:
                self.recipient = recipient_resolve(
                    siret=siret,
                    service_code=cleaned.get("service_code") or "",
                    commitment_number=cleaned.get("commitment_number") or "",
                    on_date=timezone.localdate(),
                )
            except RecipientRefused as refused:
                field, message = RECIPIENT_ERRORS.get(
                    refused.code, ("recipient_siret", refused.message)
                )
                self.add_error(field, message)
        number = cleaned.get("number")
        if number and issue and _number_used(self.structure, number, issue.year):
            self.add_error(
                "number",
                _(
                    "You already deposited an invoice with this number in %(year)s: "
                    "a new invoice needs a new number."
                )
                % {"year": issue.year},
            )
        return cleaned

    def bank_details(self) -> tuple[str, str, str]:
        chosen = self.cleaned_data.get("bank_account")
        for account in self.accounts:
            if str(account.public_id) == chosen:
                return account.iban, account.bic, account.holder
        return "", "", ""


def _number_used(structure: Structure, number: str, year: int) -> bool:
    return Invoice.objects.filter(supplier=structure, number=number, fiscal_year=year).exists()


def _bank_accounts(structure: Structure) -> list[Any]:
    """The supplier's active bank accounts (``suppliers.BankAccount``)."""
    try:
        from suppliers.models import BankAccount
    except ImportError:  # pragma: no cover - the suppliers app is always installed
        return []
    return list(BankAccount.objects.filter(structure=structure, is_active=True).order_by("label"))


class LineForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=1000)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=19,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=UNIT_CHOICES, initial="C62")
    unit_price = forms.DecimalField(
        label=_("Unit price excl. VAT"),
        max_digits=19,
        decimal_places=6,
        validators=[MinValueValidator(Decimal(0))],
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    vat = forms.ChoiceField(label=_("VAT"), choices=VAT_CHOICES, initial="S:20")


class BaseLineFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def live_forms(self) -> list[forms.Form]:
        """The lines not marked for deletion (valid formset)."""
        return [f for f in self.forms if not f.cleaned_data.get("DELETE")]


LineFormSet = forms.formset_factory(
    LineForm,
    formset=BaseLineFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_LINES,
    validate_max=True,
    can_delete=True,
)
LINE_PREFIX = "lines"


class AttachmentsForm(forms.Form):
    documents = MultipleFileField(
        label=_("Supporting documents"),
        required=False,
        help_text=_(
            "PDF, PNG, JPEG, CSV, XLSX or ODS; 10 MB each at most; names of 50 characters "
            "at most, with their extension."
        ),
    )

    def clean_documents(self) -> list[EntryFile]:
        result = []
        for upload in self.cleaned_data.get("documents") or []:
            result.append(_checked_file(upload, ATTACHMENT_MAX_BYTES, attachment_mime_type))
        return result


class InvoicePdfForm(forms.Form):
    pdf = forms.FileField(
        label=_("Your invoice (PDF)"),
        required=False,
        help_text=_("The PDF of your invoice; the keyed data is embedded in it (Factur-X)."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_pdf(self) -> EntryFile | None:
        upload = self.cleaned_data.get("pdf")
        if not upload:
            return None
        checked = _checked_file(
            upload,
            MAX_DEPOSIT_BYTES,
            lambda n: "application/pdf" if n.lower().endswith(".pdf") else "",
            sniff=False,
        )
        if not checked.content.startswith(b"%PDF-"):
            raise forms.ValidationError(_("%(name)s is not a PDF file.") % {"name": checked.name})
        try:
            upload_content_check(checked.name, checked.content)
        except DomainError as refused:
            raise forms.ValidationError(refused.message) from refused
        return checked


def _checked_file(
    upload: UploadedFile, limit: int, mime_of: Any, *, sniff: bool = True
) -> EntryFile:
    try:
        name = upload_name_check(upload.name or "")
    except DomainError as refused:
        raise forms.ValidationError(refused.message) from refused
    if len(name) > ATTACHMENT_NAME_MAX or "." not in name:
        raise forms.ValidationError(
            _("%(name)s: a file name has 50 characters at most, extension included.")
            % {"name": name[:80]}
        )
    mime = mime_of(name)
    if not mime:
        raise forms.ValidationError(
            _("%(name)s: this type of file cannot be attached (accepted: %(types)s).")
            % {"name": name, "types": ", ".join(sorted(ATTACHMENT_TYPES))}
        )
    if upload.size is not None and upload.size > limit:
        raise forms.ValidationError(
            _("%(name)s is larger than %(size)d MB.")
            % {"name": name, "size": limit // (1024 * 1024)}
        )
    content = upload.read(limit + 1)
    if not content:
        raise forms.ValidationError(_("%(name)s is empty.") % {"name": name})
    if len(content) > limit:
        raise forms.ValidationError(
            _("%(name)s is larger than %(size)d MB.")
            % {"name": name, "size": limit // (1024 * 1024)}
        )
    if sniff:
        try:
            upload_content_check(name, content)
        except DomainError as refused:
            raise forms.ValidationError(refused.message) from refused
    return EntryFile(name=name, mime_type=mime, content=content)


# --- Draft data <-> forms ------------------------------------------------------------------


def draft_data_from_post(post: Any) -> dict[str, Any]:
    """What was keyed, as strings, valid or not: header fields and the lines not deleted."""
    data: dict[str, Any] = {name: str(post.get(name, ""))[:1000] for name in HEADER_FIELDS}
    try:
        count = min(int(post.get(f"{LINE_PREFIX}-TOTAL_FORMS", "0")), MAX_LINES)
    except ValueError:
        count = 0
    lines = []
    for index in range(count):
        if post.get(f"{LINE_PREFIX}-{index}-DELETE"):
            continue
        row = {
            name: str(post.get(f"{LINE_PREFIX}-{index}-{name}", ""))[:1000] for name in LINE_FIELDS
        }
        if any(row[name] for name in ("description", "quantity", "unit_price")):
            lines.append(row)
    data["lines"] = lines
    return data


def new_line() -> dict[str, str]:
    return {"description": "", "quantity": "1", "unit": "C62", "unit_price": "", "vat": "S:20"}


def entry_data(form: EntryForm, formset: Any) -> EntryData:
    """The checked data of valid forms, for the services."""
    cleaned = form.cleaned_data
    iban, bic, holder = form.bank_details()
    return EntryData(
        number=cleaned["number"],
        issue_date=cleaned["issue_date"],
        due_date=cleaned.get("due_date"),
        type_code=cleaned["type_code"],
        framework=cleaned["framework"],
        service_code=(cleaned.get("service_code") or "").strip(),
        commitment_number=(cleaned.get("commitment_number") or "").strip(),
        payment_terms=(cleaned.get("payment_terms") or "").strip(),
        exemption_reason=(cleaned.get("exemption_reason") or "").strip(),
        iban=iban,
        bic=bic,
        account_name=holder,
        lines=tuple(
            EntryLine(
                description=f.cleaned_data["description"],
                quantity=f.cleaned_data["quantity"],
                unit=f.cleaned_data["unit"],
                unit_price=f.cleaned_data["unit_price"],
                vat=f.cleaned_data["vat"],
            )
            for f in formset.live_forms()
        ),
    )


def check_together(form: EntryForm, formset: Any) -> None:
    """Rules across the header and the lines (both already valid on their own)."""
    categories = {f.cleaned_data["vat"].split(":")[0] for f in formset.live_forms()}
    if "E" in categories and not form.cleaned_data.get("exemption_reason"):
        form.add_error(
            "exemption_reason",
            _("A line is exempt from VAT: give the reason (for example the article of law)."),
        )
    if not form.structure.vat_number:
        form.add_error(
            None,
            _(
                "Your structure has no intra-EU VAT number: add it to your structure's details "
                "before invoicing (EN 16931 rules BR-S-02, BR-E-02)."
            ),
        )
