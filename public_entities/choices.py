"""Enumerations of public entities."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicEntityCategory(models.TextChoices):
    STATE = "ETAT", _("State")
    LOCAL_AUTHORITY = "COLLECTIVITE_TERRITORIALE", _("Local authority")
    HEALTH_ESTABLISHMENT = "ETABLISSEMENT_PUBLIC_SANTE", _("Public health establishment")
    OTHER = "AUTRE", _("Other public body")


class RequiredReferences(models.TextChoices):
    """What an invoice to this structure must carry (OCA's ``fr_chorus_required``, §1.3)."""

    NONE = "none", _("Nothing required")
    SERVICE = "service", _("Service code required")
    COMMITMENT = "engagement", _("Legal commitment number required")
    SERVICE_OR_COMMITMENT = "service_or_engagement", _("Service code or commitment number")
    SERVICE_AND_COMMITMENT = "service_and_engagement", _("Service code and commitment number")


# Pseudo-service listed by Chorus Pro in service lists; not a real service (reference §1.2).
PSEUDO_SERVICE_CODES = frozenset({"FACTURES_PUBLIQUES"})
