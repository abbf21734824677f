"""Official Chorus Pro codes, stored verbatim in the database and exchanged with the outside.

Identifiers are English; values are the official (French) codes; labels are French (they are
translated to English by the i18n catalogue). Reference: shared/reference/chorus-pro.md §2 to §4
and §11.3.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InvoiceStatus(models.TextChoices):
    """``statutFacture`` values of the ordinary (A1) circuit."""

    DRAFT = "BROUILLON", _("Draft")
    DEPOSITED = "DEPOSEE", _("Deposited")
    ROUTING = "EN_COURS_ACHEMINEMENT", _("Being routed")
    MADE_AVAILABLE = "MISE_A_DISPOSITION", _("Made available to the recipient")
    TAKEN_INTO_ACCOUNT = "PRISE_EN_COMPTE_DESTINATAIRE", _("Taken into account by the recipient")
    SERVICE_DONE = "SERVICE_FAIT", _("Service done")
    MANDATED = "MANDATEE", _("Mandated")
    PASSED_TO_ACCOUNTANT = "MISE_A_DISPOSITION_COMPTABLE", _("Passed to the public accountant")
    ACCOUNTED = "COMPTABILISEE", _("Accounted")
    PAYMENT_SENT = "MISE_EN_PAIEMENT", _("Payment sent")
    TO_RECYCLE = "A_RECYCLER", _("Sent back for re-routing")
    SUSPENDED = "SUSPENDUE", _("Suspended")
    COMPLETED = "COMPLETEE", _("Completed by the supplier")
    REJECTED = "REJETEE", _("Rejected")


class FlowStatus(models.TextChoices):
    """Deposit (flow) statuses, as in the integration report (``etatCourantFlux``)."""

    RECEIVED = "IN_RECU", _("Received")
    PROCESSING = "IN_EN_COURS_TRAITEMENT_CPP", _("Being processed")
    INTEGRATED = "IN_INTEGRE", _("Integrated")
    PARTIALLY_INTEGRATED = "IN_INTEGRE_PARTIEL", _("Partially integrated")
    REJECTED = "IN_REJETE", _("Rejected")
    INCIDENT = "IN_INCIDENTE", _("Not processed: deposit it again")


class FlowSyntax(models.TextChoices):
    """``syntaxeFlux``: the format family a deposited file was read as."""

    UBL = "IN_DP_E1_UBL_INVOICE", _("UBL 2.1 invoice")
    CII = "IN_DP_E1_CII_16B", _("UN/CEFACT CII D16B")
    FACTURX = "IN_DP_E2_CII_FACTURX", _("Factur-X (PDF/A-3 with CII)")
    PDF = "IN_DP_E2_PDF", _("PDF with keyed data")


class DepositMode(models.TextChoices):
    """``modeDepot``: the channel a deposit came through."""

    PORTAL_ENTRY = "SAISIE_PORTAIL", _("Keyed in the portal")
    PORTAL_PDF = "DEPOT_PDF_PORTAIL", _("PDF uploaded in the portal")
    PORTAL_UPLOAD = "UPLOAD_PORTAIL", _("Structured file uploaded in the portal")
    API_ENTRY = "SAISIE_API", _("Keyed through the API")
    API_PDF = "DEPOT_PDF_API", _("PDF through the API")
    API_UPLOAD = "UPLOAD_API", _("Structured file through the API")
    BATCH = "DEPOT_LOT", _("Batch deposit by an operator")


class BillingFramework(models.TextChoices):
    """``codeCadreFacturation`` (cadre de facturation), carried in BT-23."""

    A1 = "A1_FACTURE_FOURNISSEUR", _("A1 Supplier invoice")
    A2 = "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE", _("A2 Supplier invoice already paid")
    A3 = "A3_MEMOIRE_JUSTICE", _("A3 Justice fee claim")
    A4 = "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR", _("A4 Monthly statement draft (supplier)")
    A5 = "A5_ETAT_ACOMPTE_FOURNISSEUR", _("A5 Interim statement (supplier)")
    A6 = "A6_ETAT_ACOMPTE_VALIDE_FOURNISSEUR", _("A6 Validated interim statement (supplier)")
    A7 = "A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR", _("A7 Final statement draft (supplier)")
    A8 = "A8_DECOMPTE_GENERAL_DEFINITIF_FOURNISSEUR", _("A8 Final general statement (supplier)")
    A9 = "A9_FACTURE_SOUSTRAITANT", _("A9 Sub-contractor invoice")
    A10 = (
        "A10_PROJET_DECOMPTE_MENSUEL_SOUSTRAITANT",
        _("A10 Monthly statement draft (sub-contractor)"),
    )
    A12 = "A12_FACTURE_COTRAITANT", _("A12 Co-contractor invoice")
    A13 = "A13_PROJET_DECOMPTE_MENSUEL_COTRAITANT", _("A13 Monthly statement draft (co-contractor)")
    A14 = "A14_PROJET_DECOMPTE_FINAL_COTRAITANT", _("A14 Final statement draft (co-contractor)")
    A15 = "A15_ETAT_ACOMPTE_MOE", _("A15 Interim statement (project manager)")
    A16 = "A16_ETAT_ACOMPTE_VALIDE_MOE", _("A16 Validated interim statement (project manager)")
    A17 = "A17_PROJET_DECOMPTE_GENERAL_MOE", _("A17 General statement draft (project manager)")
    A18 = "A18_DECOMPTE_GENERAL_MOE", _("A18 General statement (project manager)")
    A19 = (
        "A19_ETAT_ACOMPTE_VALIDE_MOA",
        _("A19 Validated interim statement (contracting authority)"),
    )
    A20 = "A20_DECOMPTE_GENERAL_MOA", _("A20 General statement (contracting authority)")
    A21 = "A21_DEMANDE_REMBOURSEMENT_TIC", _("A21 TIC refund request")
    A22 = (
        "A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE",
        _("A22 General statement draft, tacit procedure (supplier)"),
    )
    A23 = (
        "A23_DECOMPTE_GENERAL_DEFINITIF_TACITE_FOURNISSEUR",
        _("A23 Tacit final general statement (supplier)"),
    )
    A24 = (
        "A24_DECOMPTE_GENERAL_DEFINITIF_TACITE_MOE",
        _("A24 Tacit final general statement (project manager)"),
    )
    A25 = (
        "A25_DECOMPTE_GENERAL_DEFINITIF_MOE_PROCEDURE_TACITE",
        _("A25 Final general statement, tacit procedure (project manager)"),
    )


# 2026-reform lifecycle code (CDAR MDT-9) next to each Chorus status, where one exists
# (reference §11.3, one client's reading; REJETEE is a business refusal: 210, not 213).
REFORM_LIFECYCLE_CODE: dict[str, str] = {
    InvoiceStatus.DEPOSITED: "200",
    InvoiceStatus.ROUTING: "201",
    InvoiceStatus.MADE_AVAILABLE: "203",
    InvoiceStatus.TAKEN_INTO_ACCOUNT: "204",
    InvoiceStatus.SERVICE_DONE: "205",
    InvoiceStatus.MANDATED: "205",
    InvoiceStatus.SUSPENDED: "208",
    InvoiceStatus.COMPLETED: "209",
    InvoiceStatus.REJECTED: "210",
    InvoiceStatus.PAYMENT_SENT: "211",
}


class PaymentMode(models.TextChoices):
    """``modePaiement`` of Chorus Pro's invoice references (reference §3.2, confirmed list)."""

    CHEQUE = "CHEQUE", _("Cheque")
    DIRECT_DEBIT = "PRELEVEMENT", _("Direct debit")
    TRANSFER = "VIREMENT", _("Credit transfer")
    CASH = "ESPECE", _("Cash")
    OTHER = "AUTRE", _("Other")
    CARRY_OVER = "REPORT", _("Carried over")
