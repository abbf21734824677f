"""The roles a party can hold on a document, shared by every circuit.

Values are the French names users and their software see in Chorus Pro's vocabulary; a
circuit's edges name the roles that may take them, and its parties say how a user comes to
hold each role on one document (see :mod:`chorus.circuits.declaration`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SUPPLIER = "FOURNISSEUR", _("supplier")
    RECIPIENT = "DESTINATAIRE", _("recipient")
    VALIDATOR = "VALIDEUR", _("validator")
    CONTRACTOR = "TITULAIRE", _("contractor")
    CO_CONTRACTOR = "COTRAITANT", _("co-contractor")
    MANDATAIRE = "MANDATAIRE", _("mandataire")
    SUB_CONTRACTOR = "SOUS_TRAITANT", _("sub-contractor")
    PROJECT_MANAGER = "MOE", _("project manager")
    OWNER = "MOA", _("contracting owner")
    FINANCIAL_SERVICE = "SERVICE_FINANCIER", _("financial service")
    PROVIDER = "PRESTATAIRE", _("provider")
    CENTRAL_SERVICE = "SERVICE_CENTRALISATEUR", _("central service")
    CLERK = "GREFFIER", _("clerk")
    MAGISTRATE = "MAGISTRAT", _("magistrate")
    BENEFICIARY = "BENEFICIAIRE", _("beneficiary")
    DELEGATE = "DELEGATAIRE", _("delegate")
    INSTRUCTOR = "INSTRUCTEUR", _("instructor")
    REQUESTER = "DEMANDEUR", _("requester")
    MANAGER = "GESTIONNAIRE", _("structure manager")
    SUPPORT = "SUPPORT", _("support")
    PLATFORM = "PLATEFORME", _("platform")
