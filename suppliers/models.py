"""Supplier-side data of a structure: bank accounts (``coordonnées bancaires``)."""

from __future__ import annotations

import uuid
from typing import ClassVar

import pghistory
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.accounts.models import Structure


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange()),
    pghistory.DeleteEvent(),
    model_name="BankAccountEvent",
)
class BankAccount(models.Model):
    """Bank details a structure is paid on, optionally a factoring company's (§1.1)."""

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True)
    structure = models.ForeignKey(
        Structure,
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="bank_accounts",
    )
    label = models.CharField(_("label"), max_length=100)
    holder = models.CharField(_("account holder"), max_length=255)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11)
    is_factoring = models.BooleanField(
        _("factoring company's account"),
        default=False,
        help_text=_("The account belongs to a factoring company (affactureur)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ("label",)
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["structure", "iban"], name="suppliers_bankaccount_iban_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.iban_masked})"

    @property
    def iban_masked(self) -> str:
        """Country code, check digits and the last four characters; the rest hidden."""
        if len(self.iban) < 8:
            return self.iban
        return f"{self.iban[:4]} •••• {self.iban[-4:]}"
