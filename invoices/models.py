"""Deposits (flows), invoices, their lines, VAT breakdown, attachments and status events.

Statuses are assigned by ``invoices.services.lifecycle.invoice_transition`` only; the database
refuses any other status change (``pgtrigger.FSM`` built from the transition table) and keeps
status events append-only (``pgtrigger.Protect``).
"""

from __future__ import annotations

import re
import uuid
from typing import ClassVar

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from chorus.accounts.models import Structure
from chorus.circuits.models import CircuitEvent
from chorus.circuits.triggers import event_triggers, status_triggers
from invoices.choices import (
    BillingFramework,
    DepositMode,
    FlowStatus,
    FlowSyntax,
    InvoiceStatus,
)
from invoices.circuit import FLOW, INVOICE
from public_entities.models import EntityService


def flow_upload_to(instance: Flow, filename: str) -> str:
    """Server-generated names: the original name is kept in a column, never in the path."""
    now = timezone.now()
    return f"flows/{now:%Y/%m/%d}/{instance.public_id}"


def attachment_upload_to(instance: InvoiceAttachment, filename: str) -> str:
    now = timezone.now()
    return f"attachments/{now:%Y/%m/%d}/{uuid.uuid4()}"


@pgtrigger.register(*status_triggers(FLOW))
class Flow(models.Model):
    """A deposit (``flux``): the original bytes, unchanged, and what processing made of them.

    The row and the stored file exist before any acknowledgement reaches the depositor; the
    database is the source of truth for processing (status, attempts, lease), the task queue
    only a hint.
    """

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True)
    mode = models.CharField(_("deposit channel"), max_length=24, choices=DepositMode.choices)
    syntax = models.CharField(
        _("syntax"), max_length=32, choices=FlowSyntax.choices, blank=True, default=""
    )
    file = models.FileField(_("original file"), upload_to=flow_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    depositor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deposited by"),
        on_delete=models.PROTECT,
        related_name="flows_deposited",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    structure = models.ForeignKey(
        Structure,
        verbose_name=_("depositing structure"),
        on_delete=models.PROTECT,
        related_name="flows",
    )
    status = models.CharField(
        _("status"), max_length=40, choices=FlowStatus.choices, default=FlowStatus.RECEIVED
    )
    attempts = models.PositiveSmallIntegerField(_("processing attempts"), default=0)
    lease_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    report = models.JSONField(_("integration report"), default=dict, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("processing started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("processing finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        ordering = ("-received_at",)
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(status__in=FlowStatus.values), name="invoices_flow_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=DepositMode.values), name="invoices_flow_mode_valid"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["structure", "sha256"], name="invoices_flow_dup_bytes"),
            models.Index(fields=["status", "lease_until"], name="invoices_flow_claimable"),
            models.Index(fields=["finished_at"], name="invoices_flow_finished"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The deposit number shown to users, like Chorus Pro's ``CPP`` + 22 digits."""
        return f"CHO{self.pk or 0:022d}"

    @staticmethod
    def pk_from_number(number: str) -> int | None:
        """The id a deposit number carries (``CHO`` + 22 digits), or None if it is none."""
        match = re.fullmatch(r"CHO(\d{22})", number.strip())
        return int(match.group(1)) if match else None


class DepositKey(models.Model):
    """What makes a re-posted deposit the same one (API idempotency, issue 12 item 6).

    One row per key of a deposit: the digest of its bytes and name, and the client's
    ``Idempotency-Key`` if it sent one. The unique index is the lock: of two concurrent
    identical deposits, one inserts its keys and creates the flow, the other waits on the
    index, fails, and answers the first one's flow. Rows older than the window, or of a
    flow that ended rejected or in incident (to be sent again), are replaced.
    """

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=300)
    flow = models.ForeignKey(
        Flow, null=True, blank=True, on_delete=models.CASCADE, related_name="deposit_keys"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("deposit key")
        verbose_name_plural = _("deposit keys")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["structure", "key"], name="invoices_depositkey_unique")
        ]

    def __str__(self) -> str:
        return self.key


class UploadedAttachment(models.Model):
    """A file sent ahead with ``transverses/v1/ajouter/fichier`` (``pieceJointeId``).

    Chorus Pro's two-step attachment: the file is checked and stored for the structure,
    then ``soumettre`` or ``completer`` names it by id; only the structure that sent it can
    use it. The invoice gets its own copy (an :class:`InvoiceAttachment` or BG-24 document).
    """

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("media type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("uploaded attachment")
        verbose_name_plural = _("uploaded attachments")

    def __str__(self) -> str:
        return self.original_name


class StatusReason(models.Model):
    """A reason code for suspending, rejecting or sending back an invoice.

    The official Chorus Pro list is not public: the reform's vocabulary is seeded (reference
    §4.4, §11.3) and administrators extend it here.
    """

    class Use(models.TextChoices):
        SUSPEND = "SUSPENSION", _("Suspension")
        REJECT = "REJET", _("Rejection")
        RECYCLE = "RECYCLAGE", _("Sending back for re-routing")

    code = models.CharField(_("code"), max_length=32, unique=True)
    label_fr = models.CharField(_("label (French)"), max_length=255)
    label_en = models.CharField(_("label (English)"), max_length=255)
    uses = models.JSONField(_("used for"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("status reason")
        verbose_name_plural = _("status reasons")
        ordering = ("position", "code")

    def __str__(self) -> str:
        return f"{self.code} — {self.label_fr}"

    @property
    def label(self) -> str:
        """The label in the active language (French unless English is active)."""
        english = (get_language() or "fr").startswith("en")
        return self.label_en if english and self.label_en else self.label_fr


@pghistory.track(
    pghistory.UpdateEvent(
        "acknowledged",
        condition=pghistory.AnyChange("supplier_acknowledged_at"),
        row=pghistory.New,
    ),
    pghistory.UpdateEvent(
        "rerouted", condition=pghistory.AnyChange("recipient", "service", "commitment_number")
    ),
    fields=["status", "supplier_acknowledged_at", "recipient", "service", "commitment_number"],
    model_name="InvoiceAuditEvent",
)
@pgtrigger.register(*status_triggers(INVOICE))
class Invoice(models.Model):
    """A payment request (``demande de paiement``) routed to a public recipient."""

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True)
    flow = models.ForeignKey(
        Flow, verbose_name=_("deposit"), on_delete=models.PROTECT, related_name="invoices"
    )
    position = models.PositiveIntegerField(_("position in the deposit"), default=0)
    supplier = models.ForeignKey(
        Structure,
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="invoices_issued",
    )
    recipient = models.ForeignKey(
        Structure,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="invoices_received",
    )
    service = models.ForeignKey(
        EntityService,
        verbose_name=_("recipient service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    number = models.CharField(_("invoice number"), max_length=20)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    issue_date = models.DateField(_("issue date"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    type_code = models.CharField(_("document type code"), max_length=3, default="380")
    framework = models.CharField(
        _("billing framework"),
        max_length=64,
        choices=BillingFramework.choices,
        default=BillingFramework.A1,
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    total_without_vat = models.DecimalField(
        _("total excluding VAT"), max_digits=19, decimal_places=2
    )
    total_vat = models.DecimalField(_("total VAT"), max_digits=19, decimal_places=2)
    total_with_vat = models.DecimalField(_("total including VAT"), max_digits=19, decimal_places=2)
    amount_due = models.DecimalField(_("amount due"), max_digits=19, decimal_places=2)
    commitment_number = models.CharField(_("legal commitment number"), max_length=50, blank=True)
    service_code = models.CharField(_("service code"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=40, choices=InvoiceStatus.choices, default=InvoiceStatus.DEPOSITED
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    highest_step = models.CharField(
        _("furthest processing step"), max_length=40, blank=True, default=""
    )
    deposited_at = models.DateTimeField(_("deposited at"), default=timezone.now, db_index=True)
    data = models.JSONField(_("semantic model"), default=dict, blank=True)
    supplier_acknowledged_at = models.DateTimeField(
        _("acknowledged by the supplier at"), null=True, blank=True
    )
    # Legal payment period (reference §4.5): starts at the deposit, stops while suspended.
    payment_period_days = models.PositiveSmallIntegerField(_("payment period (days)"), default=30)
    suspended_days = models.PositiveIntegerField(_("days suspended"), default=0)
    suspended_since = models.DateTimeField(_("suspended since"), null=True, blank=True)
    payment_due_date = models.DateField(
        _("payment due by"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Empty while the invoice is suspended: the period is stopped."),
    )
    paid_at = models.DateTimeField(_("payment sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ("-deposited_at",)
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # The last guard against a number used twice by a supplier in one year.
            models.UniqueConstraint(
                fields=["supplier", "number", "fiscal_year"],
                name="invoices_invoice_number_unique_per_year",
            ),
            # Replaying the processing of a deposit cannot create the invoice twice.
            models.UniqueConstraint(
                fields=["flow", "position"], name="invoices_invoice_flow_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=InvoiceStatus.values),
                name="invoices_invoice_status_valid",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["supplier", "status"], name="invoices_supplier_status"),
            models.Index(fields=["recipient", "status"], name="invoices_recipient_status"),
            models.Index(fields=["service", "status"], name="invoices_service_status"),
            # Support's hypervision searches by number; stuck-document sweeps by status age.
            models.Index(fields=["number"], name="invoices_invoice_number"),
            models.Index(
                fields=["status_changed_at"],
                condition=models.Q(status__in=["DEPOSEE", "EN_COURS_ACHEMINEMENT"]),
                name="invoices_invoice_in_transit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_status_display()})"


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    line_id = models.CharField(_("line identifier"), max_length=50)
    description = models.CharField(_("description"), max_length=1000)
    quantity = models.DecimalField(_("quantity"), max_digits=19, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=3, default="C62")
    unit_price = models.DecimalField(_("unit price excluding VAT"), max_digits=19, decimal_places=6)
    net_amount = models.DecimalField(_("net amount"), max_digits=19, decimal_places=2)
    vat_category = models.CharField(_("VAT category"), max_length=2)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=2, null=True)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ("invoice", "id")

    def __str__(self) -> str:
        return f"{self.line_id}: {self.description}"


class InvoiceVatBreakdown(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="vat_breakdown")
    category = models.CharField(_("VAT category"), max_length=2)
    rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=2, null=True)
    taxable_amount = models.DecimalField(_("taxable amount"), max_digits=19, decimal_places=2)
    tax_amount = models.DecimalField(_("VAT amount"), max_digits=19, decimal_places=2)
    exemption_reason = models.CharField(_("exemption reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("VAT breakdown")
        verbose_name_plural = _("VAT breakdowns")

    def __str__(self) -> str:
        return f"{self.category} {self.rate}"


class InvoiceAttachment(models.Model):
    """A document attached to an invoice: at deposit, or when completing a suspension."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("media type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_main = models.BooleanField(_("main document"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("added_at",)

    def __str__(self) -> str:
        return self.original_name


@pgtrigger.register(*event_triggers(INVOICE))
class InvoiceEvent(CircuitEvent):
    """One status change of an invoice, with the reason and mandate number it may carry."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="events")
    reason = models.ForeignKey(
        StatusReason,
        verbose_name=_("reason"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mandate_number = models.CharField(_("mandate number"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("status event")
        verbose_name_plural = _("status events")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.from_status} → {self.to_status}"


@pgtrigger.register(*event_triggers(FLOW))
class FlowEvent(CircuitEvent):
    """One status change of a deposit (claimed, integrated, rejected…), kept forever."""

    flow = models.ForeignKey(Flow, on_delete=models.PROTECT, related_name="events")

    class Meta:
        verbose_name = _("deposit event")
        verbose_name_plural = _("deposit events")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.flow_id}: {self.from_status} → {self.to_status}"


class NotificationMode(models.TextChoices):
    IMMEDIATE = "IMMEDIATE", _("An e-mail for each change")
    DAILY = "DAILY", _("One daily digest e-mail")
    NONE = "NONE", _("No e-mail (portal only)")


class NotificationPreference(models.Model):
    """How a user wants to hear about status changes of their structure's invoices."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="invoice_notification_preference",
    )
    mode = models.CharField(
        _("e-mails about invoices"),
        max_length=10,
        choices=NotificationMode.choices,
        default=NotificationMode.IMMEDIATE,
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.mode}"


class Notification(models.Model):
    """One status change told to one user: unread in the portal until opened, e-mailed once.

    Unique per (event, user): the row is the outbox key, so a retried task never tells twice.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invoice_notifications"
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(InvoiceEvent, on_delete=models.PROTECT, related_name="notifications")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created_at", "-id")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["event", "user"], name="invoices_notification_once_per_user"
            )
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="invoices_notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ← {self.event_id}"


class LatePaymentRate(models.Model):
    """ECB main refinancing rate in force from a date: maintained by administrators."""

    valid_from = models.DateField(_("in force from"), unique=True)
    rate = models.DecimalField(_("ECB main refinancing rate (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("ECB rate")
        verbose_name_plural = _("ECB rates")
        ordering = ("-valid_from",)

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.rate} %"

    def clean(self) -> None:
        """A rate is set for a half-year: it starts on 1 January or 1 July."""
        if self.valid_from and (self.valid_from.day, self.valid_from.month) not in ((1, 1), (1, 7)):
            raise ValidationError(
                {"valid_from": _("A rate is set for a half-year: give 1 January or 1 July.")}
            )


# --- Portal entry (SAISIE_PORTAIL / DEPOT_PDF_PORTAIL) and readable renderings -------------


def draft_attachment_upload_to(instance: InvoiceDraftAttachment, filename: str) -> str:
    now = timezone.now()
    return f"drafts/{now:%Y/%m/%d}/{uuid.uuid4()}"


def rendering_upload_to(instance: InvoiceRendering, filename: str) -> str:
    now = timezone.now()
    return f"renderings/{now:%Y/%m/%d}/{uuid.uuid4()}.pdf"


class InvoiceDraft(models.Model):
    """An invoice keyed in the portal and saved ("Enregistrer"), not yet sent (``BROUILLON``).

    ``data`` holds the form as keyed (strings), so that a draft with errors comes back as it
    was left. Once submitted, ``flow`` points at the deposit and the draft is read-only; for
    a PDF deposit its ``PDF`` attachment stays the supplier's original, downloadable.
    """

    class Kind(models.TextChoices):
        ENTRY = "SAISIE", _("Invoice keyed in the portal")
        PDF = "PDF", _("Uploaded PDF with keyed data")

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.ENTRY)
    structure = models.ForeignKey(
        Structure,
        verbose_name=_("supplier"),
        on_delete=models.CASCADE,
        related_name="invoice_drafts",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    data = models.JSONField(_("keyed data"), default=dict, blank=True)
    flow = models.ForeignKey(
        Flow,
        verbose_name=_("deposit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drafts",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("invoice draft")
        verbose_name_plural = _("invoice drafts")
        ordering = ("-updated_at", "-id")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["structure", "-updated_at"], name="invoices_draft_structure"),
        ]

    def __str__(self) -> str:
        return str(self.data.get("number") or self.public_id)

    @property
    def number(self) -> str:
        return str(self.data.get("number") or "")


class InvoiceDraftAttachment(models.Model):
    """A file kept with a draft: a supporting document, or the supplier's own PDF invoice."""

    class Role(models.TextChoices):
        SUPPORTING = "PJ", _("Supporting document")
        INVOICE_PDF = "PDF", _("Invoice PDF")

    draft = models.ForeignKey(InvoiceDraft, on_delete=models.CASCADE, related_name="attachments")
    role = models.CharField(_("role"), max_length=4, choices=Role.choices, default=Role.SUPPORTING)
    file = models.FileField(_("file"), upload_to=draft_attachment_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("media type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("draft attachment")
        verbose_name_plural = _("draft attachments")
        ordering = ("added_at", "id")

    def __str__(self) -> str:
        return self.original_name


class InvoiceRendering(models.Model):
    """The readable PDF of a structured invoice, rendered once and kept with its checksum."""

    invoice = models.OneToOneField(
        Invoice, on_delete=models.CASCADE, related_name="rendering", primary_key=True
    )
    file = models.FileField(_("file"), upload_to=rendering_upload_to, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    source_sha256 = models.CharField(_("SHA-256 of the rendered original"), max_length=64)
    created_at = models.DateTimeField(_("rendered at"), default=timezone.now)

    class Meta:
        verbose_name = _("readable rendering")
        verbose_name_plural = _("readable renderings")

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.sha256[:12]}"
