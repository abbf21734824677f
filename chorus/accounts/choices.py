"""Enumerations of the organisation model: stored values are Chorus Pro's own codes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StructureKind(models.TextChoices):
    """``typeStructure`` (reference §1.1)."""

    PRIVATE = "PRIVEE", pgettext_lazy("kind of structure", "Private")
    PUBLIC = "PUBLIQUE", pgettext_lazy("kind of structure", "Public")


class IdentifierType(models.TextChoices):
    """``typeIdentifiantStructure`` (reference §1.1); the scheme code is in ``SCHEME_CODES``."""

    SIRET = "SIRET", _("SIRET (France)")
    EU_OUTSIDE_FRANCE = "UE_HORS_FRANCE", _("European Union outside France (VAT number)")
    OUTSIDE_EU = "HORS_UE", _("Outside the European Union")
    RIDET = "RIDET", _("RIDET (New Caledonia)")
    TAHITI = "TAHITI", _("TAHITI number (French Polynesia)")
    OTHER = "AUTRE", _("Other identifier")
    INDIVIDUAL = "PARTICULIER", _("Private individual")


# Factur-X / EDI scheme codes of each identifier type (reference §1.1, "confirmed, gobl"); the
# directory export gives ``TypeIdentifiant`` as one of these numbers.
SCHEME_CODES: dict[str, str] = {
    IdentifierType.SIRET: "1",
    IdentifierType.EU_OUTSIDE_FRANCE: "2",
    IdentifierType.OUTSIDE_EU: "3",
    IdentifierType.RIDET: "4",
    IdentifierType.TAHITI: "5",
    IdentifierType.OTHER: "6",
}


class Role(models.TextChoices):
    """Role of a user on a structure (reference §1.4)."""

    PRINCIPAL_MANAGER = "GESTIONNAIRE_PRINCIPAL", _("Principal manager")
    SECONDARY_MANAGER = "GESTIONNAIRE_SECONDAIRE", _("Secondary manager")
    USER = "UTILISATEUR", _("User")


MANAGER_ROLES = frozenset({Role.PRINCIPAL_MANAGER, Role.SECONDARY_MANAGER})


class Area(models.TextChoices):
    """Portal areas ("espaces", reference §1.4). The codes are ours: the labels are official."""

    INVOICES_ISSUED = "FACTURES_EMISES", _("Invoices issued")
    INVOICES_RECEIVED = "FACTURES_RECUES", _("Invoices received")
    INVOICES_TO_VALIDATE = "FACTURES_A_VALIDER", _("Invoices to validate")
    WORKS_INVOICES = "FACTURES_TRAVAUX", _("Works invoices")
    JUSTICE_FEES = "MEMOIRES_FRAIS_JUSTICE", _("Justice fee claims")
    TIC_REFUNDS = "REMBOURSEMENT_TIC", _("TIC refund requests")
    REQUESTS_ISSUED = "SOLLICITATIONS_EMISES", _("Support requests issued")
    REQUESTS_RECEIVED = "SOLLICITATIONS_RECUES", _("Support requests received")
    COMMITMENTS = "ENGAGEMENTS", _("Legal commitments")
    MANAGER_ACTIVITY = "ACTIVITES_GESTIONNAIRE", _("Manager activities")
    MY_ACCOUNT = "MON_COMPTE", _("My account")


# Areas a user may open or close on their own, without a manager (reference §1.4).
SELF_SERVICE_AREAS = frozenset({Area.INVOICES_ISSUED})


def default_areas(*, kind: str, role: str) -> list[str]:
    """Areas given at attachment time (reference §1.4 defaults, one deviation).

    Everyone: support requests issued/received and "My account". Managers: manager activities.
    Private structures: "Invoices issued", the reason a supplier attaches to one. Public
    structures: "Invoices received" only, although §1.4 opens "Invoices issued" for them too:
    their agents process invoices, and a menu entry they do not use is noise; the few who do
    issue invoices open the area themselves (``SELF_SERVICE_AREAS``). See docs/decisions.md.
    """
    areas = [Area.REQUESTS_ISSUED, Area.REQUESTS_RECEIVED, Area.MY_ACCOUNT]
    if role in MANAGER_ROLES:
        areas.append(Area.MANAGER_ACTIVITY)
    if kind == StructureKind.PUBLIC:
        areas.append(Area.INVOICES_RECEIVED)
    else:
        areas.append(Area.INVOICES_ISSUED)
    return [str(a) for a in Area if a in areas]


class JoinRequestStatus(models.TextChoices):
    PENDING = "EN_ATTENTE", _("Pending")
    ACCEPTED = "ACCEPTEE", _("Accepted")
    REFUSED = "REFUSEE", _("Refused")
    CANCELLED = "ANNULEE", _("Cancelled")


class SecondFactorReason(models.TextChoices):
    """Why an account must have a second factor (docs/accounts.md, "Two-factor")."""

    STAFF = "ADMINISTRATEUR", _("You administer the platform.")
    SUPPORT = "SUPPORT", _("You are a support agent.")
    PUBLIC_STRUCTURE = "STRUCTURE_PUBLIQUE", _("You are a member of a public structure.")
    STRUCTURE_RULE = (
        "EXIGE_PAR_STRUCTURE",
        _("The principal manager of one of your structures requires it of its members."),
    )
