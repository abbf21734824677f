"""The kernel's tables: the abstract append-only event every family's events extend, and the
deadlines the sweeper runs (one row per deadline started, kept once closed)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CircuitEvent(models.Model):
    """One status change, kept forever: who, when, from what, to what, and why.

    ``user`` is the person at the keyboard and ``on_behalf_of`` the user a support agent
    substitutes; both are empty for the platform's own steps, named by ``system_reason``.
    Concrete events add the foreign key to their document and are protected against update
    and delete by :func:`chorus.circuits.triggers.event_triggers`.
    """

    from_status = models.CharField(_("from"), max_length=40, blank=True)
    to_status = models.CharField(_("to"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
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
    system_reason = models.CharField(_("automatic step"), max_length=100, blank=True)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ("created_at", "id")


class DeadlineState(models.TextChoices):
    PENDING = "PENDING", _("Running")
    FIRED = "FIRED", _("Expired")
    CANCELLED = "CANCELLED", _("Ended before expiry")


class CircuitDeadline(models.Model):
    """A declared deadline started for one document when it entered the deadline's status.

    It is closed exactly once: ``FIRED`` by the sweeper when due (tacit transition applied or
    lateness flag raised), or ``CANCELLED`` when the document left the status first.
    """

    circuit = models.CharField(_("circuit"), max_length=40)
    object_id = models.BigIntegerField(_("document"))
    name = models.CharField(_("deadline"), max_length=60)
    status = models.CharField(_("runs in status"), max_length=40)
    starts_at = models.DateTimeField(_("counted from"))
    due_at = models.DateTimeField(_("due at"))
    state = models.CharField(
        _("state"), max_length=12, choices=DeadlineState.choices, default=DeadlineState.PENDING
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ("due_at", "id")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["circuit", "object_id", "name"],
                condition=models.Q(state="PENDING"),
                name="circuits_deadline_one_running",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["PENDING", "FIRED", "CANCELLED"]),
                name="circuits_deadline_state_valid",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(state="PENDING"),
                name="circuits_deadline_due",
            ),
            models.Index(fields=["circuit", "object_id"], name="circuits_deadline_document"),
        ]

    def __str__(self) -> str:
        return f"{self.circuit}:{self.object_id} {self.name} ({self.state}, {self.due_at})"
