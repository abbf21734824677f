"""Support forms; every one is rendered with ``components/form_fields.html``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chorus.core.exceptions import DomainError
from support.choices import Language, RequestPriority, RequestStatus, SupportLevel
from support.models import KnowledgeArticle, RequestCategory
from support.selectors import request_category_list, support_agent_list
from support.services.requests import MAX_ATTACHMENTS, attachment_check


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked against the attachment rules."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        if len(cleaned) > MAX_ATTACHMENTS:
            raise ValidationError(_("At most 5 files per message."))
        for upload in cleaned:
            try:
                attachment_check(upload)
            except DomainError as error:
                raise ValidationError(error.message) from error
        return cleaned


ATTACHMENTS_HELP = _(
    "Up to 5 files, each under 10 MB, names of 50 characters at most (PDF, images, office "
    "documents, XML, ZIP…)."
)


class AssistantQuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("For example: my invoice was rejected, what should I do?"),
    )


class SupportRequestForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=RequestCategory.objects.none(), empty_label=_("Choose")
    )
    subcategory = forms.ModelChoiceField(
        label=_("Sub-category"),
        queryset=RequestCategory.objects.none(),
        required=False,
        empty_label=_("Choose (optional)"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 6}))
    document_reference = forms.CharField(
        label=_("Document concerned"),
        max_length=120,
        required=False,
        help_text=_("Invoice number, flow number… filled in when you start from the document."),
    )
    attachments = MultipleFileField(label=_("Attachments"), help_text=ATTACHMENTS_HELP)
    document_url = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)
    source_url = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)
    conversation = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = request_category_list()
        self.fields["category"].queryset = categories.filter(parent__isnull=True)  # type: ignore[attr-defined]
        self.fields["subcategory"].queryset = categories.filter(parent__isnull=False)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        category, subcategory = cleaned.get("category"), cleaned.get("subcategory")
        if category and subcategory and subcategory.parent_id != category.pk:
            self.add_error("subcategory", _("This sub-category does not belong to the category."))
        for name in ("document_url", "source_url"):
            value = cleaned.get(name) or ""
            if value and not value.startswith("/"):
                cleaned[name] = ""  # only paths of this portal
        return cleaned


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("Attachments"), help_text=ATTACHMENTS_HELP)


class AgentReplyForm(ReplyForm):
    internal = forms.BooleanField(
        label=_("Internal note (not shown to the user, no e-mail)"), required=False
    )
    new_status = forms.ChoiceField(
        label=_("Then set the status to"),
        required=False,
        choices=[
            ("", _("Keep the current status")),
            (RequestStatus.IN_PROGRESS, RequestStatus.IN_PROGRESS.label),
            (RequestStatus.WAITING_FOR_USER, RequestStatus.WAITING_FOR_USER.label),
            (RequestStatus.SOLVED, RequestStatus.SOLVED.label),
        ],
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("internal") and cleaned.get("new_status"):
            self.add_error("new_status", _("An internal note does not change the status."))
        return cleaned


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=support_agent_list(),
        required=False,
        empty_label=_("Nobody"),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RequestStatus.choices)


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=RequestPriority.choices, coerce=int
    )


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why level 2?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        # « En cours » is a status of its own: the open group says what it holds.
        choices=[
            ("open", pgettext_lazy("request filter", "Not closed (new, in progress, waiting)")),
            ("all", _("All")),
            *RequestStatus.choices,
        ],
    )
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All")), *SupportLevel.choices],
    )
    assignee = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody"))],
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All")), *RequestPriority.choices],
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=RequestCategory.objects.filter(parent__isnull=True),
        empty_label=_("All"),
    )
    q = forms.CharField(label=_("Number, subject, e-mail or document"), required=False)


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("User's e-mail address"), min_length=3, max_length=254)


class SubstitutionStartForm(forms.Form):
    user_id = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("Usually the request number, e.g. SOL-2026-000123. Shown to the user."),
    )

    def clean_reason(self) -> str:
        reason = " ".join(str(self.cleaned_data["reason"]).split())
        if not reason:
            raise ValidationError(_("Give the reason for acting on behalf of this user."))
        return reason


class KnowledgeArticleForm(forms.ModelForm):  # type: ignore[type-arg]
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)

    class Meta:
        model = KnowledgeArticle
        fields = ("title", "slug", "language", "summary", "body", "keywords", "is_published")
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "keywords": forms.Textarea(attrs={"rows": 3}),
        }

    def validate_unique(self) -> None:
        """Uniqueness is checked by the service (it also runs for other callers)."""


class HypervisionSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Deposit or invoice"),
        max_length=120,
        help_text=_(
            "A deposit number (CHO…), a deposit or invoice identifier, an invoice number, "
            "a SIRET (supplier or recipient) or a deposit date (dd/mm/yyyy or yyyy-mm-dd)."
        ),
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=255,
        required=False,
        help_text=_("Usually the request number: it is kept in the hypervision access log."),
    )
