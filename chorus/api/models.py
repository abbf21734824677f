"""API connections (« raccordements »), their technical accounts, and the call log."""

from __future__ import annotations

import datetime
import uuid
from typing import ClassVar

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.api.choices import ConnectionState, Scope

# The managers are reminded by e-mail this long before expiry (tasks.py); the portal warns too.
EXPIRY_WARNING = datetime.timedelta(days=30)
SECRET_ROTATED = "secret_rotated"  # noqa: S105 (an audit label, not a secret)


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange()),
    # A secret rotation changes no column of the connection (the secret is the OAuth
    # client's): the service records it by hand, with the actor context, under this label.
    pghistory.ManualEvent(SECRET_ROTATED),  # type: ignore[no-untyped-call]
    model_name="ApiConnectionEvent",
)
class ApiConnection(models.Model):
    """A structure's API access: one OAuth client, one technical account, its scopes."""

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True)
    structure = models.ForeignKey(
        "accounts.Structure",
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="api_connections",
    )
    name = models.CharField(_("name"), max_length=120)
    application = models.OneToOneField(
        "oauth2_provider.Application",
        verbose_name=_("OAuth client"),
        on_delete=models.PROTECT,
        related_name="connection",
    )
    scopes = ArrayField(
        models.CharField(max_length=16, choices=Scope.choices), verbose_name=_("scopes")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    reminded_at = models.DateTimeField(_("expiry reminder sent at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API connection")
        verbose_name_plural = _("API connections")
        ordering = ("-created_at",)
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["structure", "-created_at"], name="api_connection_structure"),
            models.Index(fields=["expires_at"], name="api_connection_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.structure})"

    def is_active(self, now: object | None = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and self.expires_at > moment  # type: ignore[operator]

    @property
    def scope_labels(self) -> list[str]:
        return [str(Scope(scope).label) for scope in self.scopes if scope in Scope.values]

    @property
    def state(self) -> ConnectionState:
        """Revoked, expired, expiring (within the reminder period) or active."""
        now = timezone.now()
        if self.revoked_at is not None:
            return ConnectionState.REVOKED
        if self.expires_at <= now:
            return ConnectionState.EXPIRED
        if self.expires_at <= now + EXPIRY_WARNING:
            return ConnectionState.EXPIRING
        return ConnectionState.ACTIVE


class PreviousClientSecret(models.Model):
    """A rotated-out client secret that stays valid until ``valid_until`` (no downtime)."""

    connection = models.ForeignKey(
        ApiConnection, on_delete=models.CASCADE, related_name="previous_secrets"
    )
    secret_hash = models.CharField(max_length=255)
    valid_until = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("previous client secret")
        verbose_name_plural = _("previous client secrets")

    def __str__(self) -> str:
        return f"previous secret of {self.connection_id} until {self.valid_until:%Y-%m-%d}"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude=["password_hash"])),
    exclude=["password_hash"],
    model_name="TechnicalAccountEvent",
)
class TechnicalAccount(models.Model):
    """The « compte technique » sent in ``cpro-account``: a login and password of its own.

    It is backed by a user attached to the structure (never able to log in to the portal),
    so that the API acts through the same services and memberships as the portal.
    """

    connection = models.OneToOneField(
        ApiConnection,
        verbose_name=_("connection"),
        on_delete=models.CASCADE,
        related_name="technical_account",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="technical_account",
    )
    login = models.CharField(_("login"), max_length=120, unique=True)
    password_hash = models.CharField(max_length=255)
    password_changed_at = models.DateTimeField(default=timezone.now)
    password_expires_at = models.DateTimeField(_("password expires at"))

    class Meta:
        verbose_name = _("technical account")
        verbose_name_plural = _("technical accounts")

    def __str__(self) -> str:
        return self.login


class ApiCall(models.Model):
    """One API call, kept for the structure's managers and for support (who, what, outcome)."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    connection = models.ForeignKey(
        ApiConnection, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    structure = models.ForeignKey(
        "accounts.Structure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    technical_login = models.CharField(max_length=120, blank=True)
    client_id = models.CharField(max_length=100, blank=True)
    method = models.CharField(max_length=8)
    service = models.CharField(max_length=200)
    status_code = models.PositiveSmallIntegerField()
    code_retour = models.IntegerField(null=True, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    duration_ms = models.PositiveIntegerField()
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["structure", "-created_at"], name="api_call_structure"),
            models.Index(fields=["connection", "-created_at"], name="api_call_connection"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.service} {self.status_code}"
