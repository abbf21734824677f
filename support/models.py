"""Support: agent profiles, requests (sollicitations), knowledge base, assistant, substitution.

Document links (``document_reference``/``document_url``) are plain text until invoice deposit
exists; hypervision will replace them with real foreign keys.
"""

from __future__ import annotations

from typing import ClassVar

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.circuits.models import CircuitEvent
from chorus.circuits.triggers import event_triggers, status_triggers
from support.choices import (
    ConversationOutcome,
    HypervisionAction,
    HypervisionObject,
    Language,
    RequestEventKind,
    RequestPriority,
    RequestStatus,
    SubstitutionEndCause,
    SupportLevel,
)
from support.circuit import SUPPORT_REQUEST

# --- Agents ---------------------------------------------------------------------------------


class SupportAgentProfile(models.Model):
    """Level and manager flag of a support agent; ``User.is_support_agent`` stays the gate."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="support_profile",
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=SupportLevel.choices, default=SupportLevel.LEVEL_1
    )
    is_manager = models.BooleanField(
        _("support manager"),
        default=False,
        help_text=_("Sees the support dashboards (assistant resolution rate, response times)."),
    )

    class Meta:
        verbose_name = _("support agent profile")
        verbose_name_plural = _("support agent profiles")

    def __str__(self) -> str:
        return f"{self.user} (N{self.level})"


# --- Requests (sollicitations) --------------------------------------------------------------


class RequestCategory(models.Model):
    """A category, or a sub-category when ``parent`` is set; data, extended in the admin."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("label (French)"), max_length=120)
    label_en = models.CharField(_("label (English)"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    default_level = models.PositiveSmallIntegerField(
        _("default level"), choices=SupportLevel.choices, default=SupportLevel.LEVEL_1
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("request category")
        verbose_name_plural = _("request categories")
        ordering = ("position", "label")

    def __str__(self) -> str:
        return f"{self.parent.label} / {self.label}" if self.parent is not None else self.label

    def localized_label(self, language: str) -> str:
        return self.label_en if language == "en" and self.label_en else self.label


class RequestNumberCounter(models.Model):
    """Last request number handed out per year (``SOL-<year>-<n>``)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude=["updated_at"])),
    model_name="SupportRequestHistory",
    obj_field=pghistory.ObjForeignKey(related_name="history"),
)
@pgtrigger.register(*status_triggers(SUPPORT_REQUEST))
class SupportRequest(models.Model):
    """A request (``sollicitation``) opened by a user and worked by support agents."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="support_requests",
    )
    structure = models.ForeignKey(
        "accounts.Structure",
        verbose_name=_("structure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_requests",
    )
    category = models.ForeignKey(
        RequestCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    subcategory = models.ForeignKey(
        RequestCategory,
        verbose_name=_("sub-category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(
        _("status"), max_length=24, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=RequestPriority.choices, default=RequestPriority.NORMAL
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=SupportLevel.choices, default=SupportLevel.LEVEL_1
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_support_requests",
    )
    # The document concerned, generic until invoices exist (replaced by FKs with hypervision).
    document_reference = models.CharField(_("document concerned"), max_length=120, blank=True)
    document_url = models.CharField(_("link to the document"), max_length=500, blank=True)
    source_url = models.CharField(_("page the request was opened from"), max_length=500, blank=True)
    conversation = models.OneToOneField(
        "support.AssistantConversation",
        verbose_name=_("assistant conversation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_request",
    )
    created_at = models.DateTimeField(_("opened at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ("-created_at",)
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(status__in=RequestStatus.values),
                name="support_request_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=SupportLevel.values),
                name="support_request_level_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(priority__in=RequestPriority.values),
                name="support_request_priority_valid",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "level", "-priority"], name="support_req_queue"),
            models.Index(fields=["requester", "-created_at"], name="support_req_requester"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in {
            RequestStatus.NEW,
            RequestStatus.IN_PROGRESS,
            RequestStatus.WAITING_FOR_USER,
        }


class SupportMessage(models.Model):
    """One message of a request's thread: a reply (either way) or an internal note."""

    request = models.ForeignKey(
        SupportRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_support = models.BooleanField(_("written by support"), default=False)
    is_internal_note = models.BooleanField(_("internal note"), default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, editable=False)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("support message")
        verbose_name_plural = _("support messages")
        ordering = ("created_at", "pk")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=~models.Q(is_internal_note=True, from_support=False),
                name="support_message_notes_are_support_only",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.number} #{self.pk}"


def _attachment_path(instance: SupportAttachment, filename: str) -> str:
    return f"support/{instance.message.request.number}/{timezone.now():%Y%m%d%H%M%S%f}.bin"


class SupportAttachment(models.Model):
    """A file joined to a message; served only by a permission-checking view."""

    message = models.ForeignKey(
        SupportMessage,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=_attachment_path)
    original_name = models.CharField(_("file name"), max_length=50)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.original_name


@pgtrigger.register(*event_triggers(SUPPORT_REQUEST))
class SupportRequestEvent(CircuitEvent):
    """Append-only timeline of a request: status, assignment, priority, escalation.

    Status changes are the kernel's events (``kind`` STATUS); the other kinds use the same
    ``from_status``/``to_status`` columns for the value changed (assignee, priority, level).
    """

    request = models.ForeignKey(
        SupportRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RequestEventKind.choices)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.from_status}→{self.to_status}"


# --- Knowledge base and assistant -----------------------------------------------------------

_SEARCH_VECTOR_FUNC = """
    NEW.search_vector :=
        setweight(to_tsvector(
            CASE WHEN NEW.language = 'en' THEN 'english_unaccent'::regconfig
                 ELSE 'french_unaccent'::regconfig END,
            coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector(
            CASE WHEN NEW.language = 'en' THEN 'english_unaccent'::regconfig
                 ELSE 'french_unaccent'::regconfig END,
            coalesce(NEW.keywords, '')), 'B')
        || setweight(to_tsvector(
            CASE WHEN NEW.language = 'en' THEN 'english_unaccent'::regconfig
                 ELSE 'french_unaccent'::regconfig END,
            coalesce(NEW.summary, '') || ' ' || coalesce(NEW.body, '')), 'C');
    RETURN NEW;
"""


class KnowledgeArticle(models.Model):
    """A help article written and edited by support agents, in French or English."""

    slug = models.SlugField(_("slug"), max_length=80)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One or two sentences shown in the answers.")
    )
    body = models.TextField(_("body"), help_text=_("Plain text; blank lines separate paragraphs."))
    keywords = models.TextField(
        _("keywords and synonyms"),
        blank=True,
        help_text=_("Words users type for this topic, including common misspellings."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ("title",)
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["slug", "language"], name="support_article_slug_lang"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            GinIndex(fields=["search_vector"], name="support_article_search"),
        ]
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            pgtrigger.Trigger(
                name="search_vector_update",
                operation=pgtrigger.Insert | pgtrigger.Update,
                when=pgtrigger.Before,
                func=_SEARCH_VECTOR_FUNC,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


class KnowledgeTerm(models.Model):
    """A word of the published articles, unaccented: the vocabulary typos are corrected to."""

    word = models.CharField(max_length=80, unique=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            GinIndex(fields=["word"], name="support_term_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.word


class AssistantConversation(models.Model):
    """A visitor's exchange with the assistant; its outcome feeds the resolution rate."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assistant_conversations",
    )
    session_key = models.CharField(max_length=64, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    source_url = models.CharField(_("page"), max_length=500, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=12,
        choices=ConversationOutcome.choices,
        default=ConversationOutcome.OPEN,
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now, editable=False)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assistant conversation")
        verbose_name_plural = _("assistant conversations")
        ordering = ("-started_at",)
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["started_at", "outcome"], name="support_conv_stats"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.outcome}"


class AssistantTurn(models.Model):
    """A question, the articles shown in answer, and whether that solved it."""

    conversation = models.ForeignKey(
        AssistantConversation,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="turns",
    )
    question = models.TextField(_("question"))
    article_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    solved = models.BooleanField(_("solved"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("assistant turn")
        verbose_name_plural = _("assistant turns")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.question[:60]


# --- Substitution ---------------------------------------------------------------------------


class SubstitutionSession(models.Model):
    """A support agent acting as a user: who, for whom, why, and for how long.

    Append-only: only the end (``ended_at``, ``end_cause``) may be written once, and the
    user's notification timestamp; PostgreSQL refuses any other change and every delete.
    """

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        related_name="substitutions_made",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="substitutions_undergone",
    )
    reason = models.CharField(_("reason"), max_length=255)
    support_request = models.ForeignKey(
        SupportRequest,
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="substitutions",
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_cause = models.CharField(
        _("end cause"), max_length=10, choices=SubstitutionEndCause.choices, blank=True
    )
    notified_at = models.DateTimeField(_("user notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("substitution session")
        verbose_name_plural = _("substitution sessions")
        ordering = ("-started_at",)
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="support_substitution_reason_required"
            ),
            models.CheckConstraint(
                condition=~models.Q(agent=models.F("user")), name="support_substitution_not_self"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["user", "-started_at"], name="support_subst_user"),
            models.Index(
                fields=["ends_at"],
                name="support_subst_open",
                condition=models.Q(ended_at__isnull=True),
            ),
        ]
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete),
            pgtrigger.Protect(
                name="only_end_changes",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange(exclude=["ended_at", "end_cause", "notified_at"]),
            ),
            pgtrigger.Protect(
                name="end_written_once",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__ended_at__isnull=False)
                & (
                    pgtrigger.Q(new__ended_at__df=pgtrigger.F("old__ended_at"))
                    | pgtrigger.Q(new__end_cause__df=pgtrigger.F("old__end_cause"))
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent} → {self.user} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and timezone.now() < self.ends_at


class SubstitutionEvent(models.Model):
    """A page visited or a change made during a substitution. Never updated nor deleted."""

    session = models.ForeignKey(
        SubstitutionSession,
        verbose_name=_("substitution"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("page"), max_length=500)
    status_code = models.PositiveSmallIntegerField(_("response"))
    is_change = models.BooleanField(_("change"), default=False)
    created_at = models.DateTimeField(_("at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("substitution event")
        verbose_name_plural = _("substitution events")
        ordering = ("created_at", "pk")
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


class SubstitutionActMode(models.Model):
    """The agent switched a read-only substitution to "act for the user", with a reason.

    A substitution starts read-only (reference §9): views that change data run only once
    this row exists for the session. Written once, never changed.
    """

    session = models.OneToOneField(
        SubstitutionSession,
        verbose_name=_("substitution"),
        on_delete=models.PROTECT,
        related_name="act_mode",
    )
    reason = models.CharField(_("reason for acting"), max_length=255)
    created_at = models.DateTimeField(_("at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("act-for-the-user switch")
        verbose_name_plural = _("act-for-the-user switches")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="support_act_mode_reason_required"
            ),
        ]
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return self.reason


class HypervisionAccess(models.Model):
    """One read of a deposit or an invoice by a support agent (security H6): never changed.

    A search, a trace page, a download of the original or of the report each write one row
    before anything is shown, so the number of rows is the number of accesses.
    """

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        related_name="hypervision_accesses",
    )
    action = models.CharField(_("action"), max_length=12, choices=HypervisionAction.choices)
    object_type = models.CharField(
        _("object type"), max_length=8, choices=HypervisionObject.choices, blank=True
    )
    object_ref = models.CharField(
        _("object"), max_length=120, blank=True, help_text=_("Number, identifier or search text.")
    )
    flow = models.ForeignKey(
        "invoices.Flow",
        verbose_name=_("deposit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    invoice = models.ForeignKey(
        "invoices.Invoice",
        verbose_name=_("invoice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    support_request = models.ForeignKey(
        SupportRequest,
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hypervision_accesses",
    )
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)

    class Meta:
        verbose_name = _("hypervision access")
        verbose_name_plural = _("hypervision accesses")
        ordering = ("-at", "-pk")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(action__in=HypervisionAction.values),
                name="support_hypervision_action_valid",
            ),
        ]
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.action} {self.object_ref}"
