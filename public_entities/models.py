"""Public entities: the public side of a structure, its parameters and its services.

The structure itself (identifier, name, address, activity) is ``accounts.Structure``; a
``PublicEntity`` row marks it as a public recipient and carries the parameters Chorus Pro
attaches to a public structure (reference §1.3). ``EntityService`` is a service of it (§1.2).
"""

from __future__ import annotations

import datetime
import uuid
from typing import ClassVar

import pghistory
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.accounts.models import Membership, Structure
from public_entities.choices import PublicEntityCategory, RequiredReferences


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude=["directory_updated_at"])),
    pghistory.DeleteEvent(),
    model_name="PublicEntityEvent",
)
class PublicEntity(models.Model):
    """A public structure that can receive invoices, with its structure-level parameters."""

    structure = models.OneToOneField(
        Structure,
        verbose_name=_("structure"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="public_entity",
    )
    category = models.CharField(
        _("category"),
        max_length=32,
        choices=PublicEntityCategory.choices,
        default=PublicEntityCategory.OTHER,
    )
    # Parameters (reference §1.3; names of the directory export columns in comments).
    commitment_required = models.BooleanField(
        _("legal commitment number required"), default=False
    )  # numeroEJDoitEtreRenseigne / GestionEngagement
    service_code_required = models.BooleanField(
        _("service code required"), default=False
    )  # codeServiceDoitEtreRenseigne / GestionService
    service_or_commitment_required = models.BooleanField(
        _("service code or commitment number required"), default=False
    )  # gestionNumeroEJOuCodeService / GestionServiceEngagement
    manages_payment_status = models.BooleanField(
        _("reports the payment status"),
        default=True,
        help_text=_("When off, suppliers never see the 'payment issued' status."),
    )  # not statutMiseEnPaiementNestPasRemonte / GestionStatutMiseEnPaiement
    edi_emitter = models.BooleanField(_("sends by EDI"), default=False)  # EmetteurEdi
    edi_receiver = models.BooleanField(_("receives by EDI"), default=False)  # RecepteurEdi
    is_moa = models.BooleanField(_("acts as project owner (MOA)"), default=False)  # EstMOA
    is_moa_only = models.BooleanField(
        _("acts only as project owner (MOA)"), default=False
    )  # EstMOAUniquement
    is_delegated_validator = models.BooleanField(_("delegated validator"), default=False)
    in_directory = models.BooleanField(
        _("from the directory"),
        default=False,
        help_text=_("Loaded by import_directory, which deactivates it when it disappears."),
    )
    directory_updated_at = models.DateTimeField(_("directory update"), null=True, blank=True)

    class Meta:
        verbose_name = _("public entity")
        verbose_name_plural = _("public entities")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(category__in=PublicEntityCategory.values),
                name="public_entities_publicentity_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.structure)

    @property
    def required_references(self) -> RequiredReferences:
        """Combine the parameters into one value, as OCA does (reference §1.3)."""
        if self.service_code_required and self.commitment_required:
            return RequiredReferences.SERVICE_AND_COMMITMENT
        if self.service_or_commitment_required:
            return RequiredReferences.SERVICE_OR_COMMITMENT
        if self.service_code_required:
            return RequiredReferences.SERVICE
        if self.commitment_required:
            return RequiredReferences.COMMITMENT
        return RequiredReferences.NONE


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude=["updated_at"])),
    pghistory.DeleteEvent(),
    model_name="EntityServiceEvent",
)
class EntityService(models.Model):
    """A service of a public structure: where invoices are routed (``codeServiceExecutant``)."""

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True)
    structure = models.ForeignKey(
        Structure,
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="services",
        db_index=False,  # the unique (structure, code) index serves lookups by structure
    )
    code = models.CharField(_("service code"), max_length=100)
    name = models.CharField(_("service name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    start_date = models.DateField(_("valid from"), null=True, blank=True)
    end_date = models.DateField(_("valid until"), null=True, blank=True)
    commitment_required = models.BooleanField(
        _("legal commitment number required"), default=False
    )  # numeroEngagement
    manages_payment_status = models.BooleanField(
        _("reports the payment status"), default=True
    )  # miseEnPaiement
    in_directory = models.BooleanField(
        _("from the directory"),
        default=False,
        help_text=_("Loaded by import_directory, which deactivates it when it disappears."),
    )
    members = models.ManyToManyField(
        Membership,
        verbose_name=_("members limited to this service"),
        related_name="services",
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ("code",)
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["structure", "code"], name="public_entities_service_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="public_entities_service_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def is_open_on(self, day: datetime.date) -> bool:
        """Active, and ``day`` within the validity dates: it may receive documents that day."""
        if not self.is_active:
            return False
        if self.start_date is not None and day < self.start_date:
            return False
        return self.end_date is None or day <= self.end_date
