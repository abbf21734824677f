"""The portal's user: identified by e-mail address, from the first migration."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

import pghistory
import pgtrigger
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.accounts.choices import (
    MANAGER_ROLES,
    SCHEME_CODES,
    Area,
    IdentifierType,
    JoinRequestStatus,
    Role,
    StructureKind,
)
from chorus.accounts.circuit import JOIN_REQUEST
from chorus.accounts.identifiers import search_normalize
from chorus.circuits.models import CircuitEvent
from chorus.circuits.triggers import event_triggers, status_triggers


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude=["last_login", "password"])),
    pghistory.UpdateEvent(
        "password_changed", condition=pghistory.AnyChange("password"), row=pghistory.New
    ),
    pghistory.DeleteEvent(),
    exclude=["password"],
    model_name="UserEvent",
)
class User(AbstractBaseUser, PermissionsMixin):
    """A person with a login.

    Organisation membership lives elsewhere; platform roles (support agent, administrator)
    are flags here because they are not memberships of any organisation.
    """

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("platform administrator"),
        default=False,
        help_text=_("Can log into the administration site."),
    )
    is_support_agent = models.BooleanField(
        _("support agent"),
        default=False,
        help_text=_("Works the support queues and may substitute ordinary users."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name or self.email


# --- Organisations: structures, memberships, join requests --------------------------------
#
# A structure is any legal entity or establishment the portal acts for, private (suppliers)
# or public (the directory). Supplier-only data (bank accounts) lives in ``suppliers``, public-
# only data (category, parameters, services) in ``public_entities``; both point here, so that
# memberships, the active-structure switch and the access selectors are one mechanism.
# Why here and not in a domain app: docs/decisions.md, "Organisations".


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(
        condition=pghistory.AnyChange(exclude=["updated_at", "search_name", "search_city"])
    ),
    pghistory.DeleteEvent(),
    exclude=["search_name", "search_city"],
    model_name="StructureEvent",
)
class Structure(models.Model):
    """A legal entity or establishment (``structure``, reference §1.1)."""

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True)
    kind = models.CharField(_("kind of structure"), max_length=8, choices=StructureKind.choices)
    identifier_type = models.CharField(
        _("identifier type"), max_length=16, choices=IdentifierType.choices
    )
    identifier = models.CharField(_("identifier"), max_length=80)
    country = models.CharField(_("country"), max_length=2, default="FR")
    name = models.CharField(_("legal name"), max_length=255)
    vat_number = models.CharField(_("intra-EU VAT number"), max_length=20, blank=True)
    address_line1 = models.CharField(_("address"), max_length=255, blank=True)
    address_line2 = models.CharField(_("address (continued)"), max_length=255, blank=True)
    address_line3 = models.CharField(_("address (continued, 2)"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    city = models.CharField(_("city"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("contact e-mail"), max_length=254, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    second_factor_required = models.BooleanField(
        _("two-factor authentication required of members"),
        default=False,
        db_default=False,  # the directory import inserts rows in SQL
        help_text=_(
            "Set by the principal manager. Members of public structures need it in any case."
        ),
    )
    origin = models.ForeignKey(
        "self",
        verbose_name=_("originating structure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
        help_text=_("The structure this one was copied from when its identifier changed."),
    )
    # Upper-case ASCII copies of name and city, indexed for the directory search.
    search_name = models.CharField(max_length=255, editable=False, default="")
    search_city = models.CharField(max_length=255, editable=False, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ("name",)
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["identifier_type", "country", "identifier"],
                name="accounts_structure_identifier_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=StructureKind.values),
                name="accounts_structure_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(identifier_type__in=IdentifierType.values),
                name="accounts_structure_identifier_type_valid",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            GinIndex(
                OpClass(F("search_name"), name="gin_trgm_ops"),
                name="accounts_structure_name_trgm",
            ),
            models.Index(
                OpClass(F("identifier"), name="varchar_pattern_ops"),
                name="accounts_structure_ident_like",
            ),
            models.Index(
                OpClass(F("postal_code"), name="varchar_pattern_ops"),
                name="accounts_structure_postcode",
            ),
            models.Index(
                OpClass(F("search_city"), name="varchar_pattern_ops"),
                name="accounts_structure_city_like",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = search_normalize(self.name)
        self.search_city = search_normalize(self.city)
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_name", "search_city", "updated_at"}
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.kind == StructureKind.PUBLIC

    @property
    def scheme_code(self) -> str:
        return SCHEME_CODES.get(self.identifier_type, "")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange()),
    pghistory.DeleteEvent(),
    model_name="MembershipEvent",
)
class Membership(models.Model):
    """A user's attachment (``rattachement``) to a structure, with a role and areas."""

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True)
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    structure = models.ForeignKey(
        Structure,
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.USER)
    areas = ArrayField(
        models.CharField(max_length=32, choices=Area.choices),
        verbose_name=_("areas"),
        default=list,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["user", "structure"], name="accounts_membership_user_structure_unique"
            ),
            # At most one principal manager; the services keep it at exactly one.
            models.UniqueConstraint(
                fields=["structure"],
                condition=models.Q(role=Role.PRINCIPAL_MANAGER),
                name="accounts_membership_one_principal_manager",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.structure.name} ({self.role})"

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES

    @property
    def is_principal_manager(self) -> bool:
        return self.role == Role.PRINCIPAL_MANAGER

    def has_area(self, area: str) -> bool:
        return area in self.areas

    @property
    def area_labels(self) -> list[str]:
        return [str(Area(a).label) for a in self.areas if a in Area.values]


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange()),
    model_name="JoinRequestEvent",
)
@pgtrigger.register(*status_triggers(JOIN_REQUEST))
class JoinRequest(models.Model):
    """A user asks to be attached to a structure; a manager (or support) decides."""

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True)
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="join_requests"
    )
    structure = models.ForeignKey(
        Structure,
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.PENDING,
    )
    message = models.TextField(_("message to the managers"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ("-created_at",)
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["user", "structure"],
                condition=models.Q(status=JoinRequestStatus.PENDING),
                name="accounts_joinrequest_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=JoinRequestStatus.values),
                name="accounts_joinrequest_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.structure.name} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == JoinRequestStatus.PENDING


@pgtrigger.register(*event_triggers(JOIN_REQUEST))
class JoinRequestStatusEvent(CircuitEvent):
    """One status change of a join request (decision, withdrawal), kept forever."""

    join_request = models.ForeignKey(
        JoinRequest, on_delete=models.CASCADE, related_name="status_events"
    )

    class Meta:
        verbose_name = _("join request event")
        verbose_name_plural = _("join request events")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.join_request_id}: {self.from_status} → {self.to_status}"
