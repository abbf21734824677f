"""Seed reference data administrators then maintain in the admin.

- Reasons: the official Chorus Pro list of suspension and rejection reasons is not public;
  these are the 2026 reform's CDAR reason codes (reference §4.4 and §11.3).
- ECB main refinancing rates in force on the first day of each half-year, for late-payment
  interest (from the ECB's published decisions; newer half-years are added by administrators).
"""

import datetime
from decimal import Decimal

from django.db import migrations

SUSPEND, REJECT, RECYCLE = "SUSPENSION", "REJET", "RECYCLAGE"

REASONS = [
    ("JUSTIF_ABS", "Justificatif absent ou insuffisant", "Supporting document missing", [SUSPEND]),
    (
        "REF_CT_ABSENT",
        "Référence du contrat ou de l'engagement absente",
        "Contract or commitment reference missing",
        [SUSPEND, RECYCLE],
    ),
    (
        "CMD_ERR",
        "Numéro de commande ou d'engagement erroné",
        "Wrong order or commitment number",
        [SUSPEND, REJECT, RECYCLE],
    ),
    (
        "CODE_ROUTAGE_ERR",
        "Code service ou de routage erroné",
        "Wrong service or routing code",
        [RECYCLE, REJECT],
    ),
    ("DEST_ERR", "Erreur de destinataire", "Wrong recipient", [RECYCLE, REJECT]),
    ("SIRET_ERR", "SIRET erroné", "Wrong SIRET", [RECYCLE, REJECT]),
    ("ADR_ERR", "Adresse erronée", "Wrong address", [SUSPEND, REJECT]),
    ("DOUBLON", "Facture en doublon", "Duplicate invoice", [REJECT]),
    ("DOUBLE_FACT", "Prestation déjà facturée", "Already invoiced", [REJECT]),
    ("MONTANTTOTAL_ERR", "Montant total erroné", "Wrong total amount", [REJECT]),
    ("CALCUL_ERR", "Erreur de calcul", "Calculation error", [REJECT]),
    ("TX_TVA_ERR", "Taux de TVA erroné", "Wrong VAT rate", [REJECT]),
    ("PU_ERR", "Prix unitaire erroné", "Wrong unit price", [REJECT, SUSPEND]),
    ("QTE_ERR", "Quantité erronée", "Wrong quantity", [REJECT, SUSPEND]),
    ("REM_ERR", "Remise erronée", "Wrong discount", [REJECT]),
    ("ART_ERR", "Article facturé erroné", "Wrong item invoiced", [REJECT]),
    ("COORD_BANC_ERR", "Coordonnées bancaires erronées", "Wrong bank details", [SUSPEND, REJECT]),
    ("MODPAI_ERR", "Mode de paiement erroné", "Wrong payment means", [SUSPEND, REJECT]),
    (
        "LIVR_INCOMP",
        "Livraison ou prestation incomplète",
        "Delivery or service incomplete",
        [SUSPEND],
    ),
    (
        "QUALITE_ERR",
        "Qualité de la prestation non conforme",
        "Service quality not as agreed",
        [SUSPEND, REJECT],
    ),
    ("CONTRAT_TERM", "Contrat terminé", "Contract ended", [REJECT]),
    ("NON_CONFORME", "Facture non conforme", "Invoice not compliant", [REJECT]),
    ("REF_ERR", "Référence erronée", "Wrong reference", [SUSPEND, REJECT, RECYCLE]),
    (
        "AUTRE",
        "Autre motif (précisé en commentaire)",
        "Other reason (explained in the comment)",
        [SUSPEND, REJECT, RECYCLE],
    ),
]


def seed(apps, schema_editor):
    StatusReason = apps.get_model("invoices", "StatusReason")
    for position, (code, label_fr, label_en, uses) in enumerate(REASONS):
        StatusReason.objects.update_or_create(
            code=code,
            defaults={
                "label_fr": label_fr,
                "label_en": label_en,
                "uses": uses,
                "position": position,
                "is_active": True,
            },
        )


ECB_RATES = [
    (datetime.date(2022, 7, 1), Decimal("0.00")),
    (datetime.date(2023, 1, 1), Decimal("2.50")),
    (datetime.date(2023, 7, 1), Decimal("4.00")),
    (datetime.date(2024, 1, 1), Decimal("4.50")),
    (datetime.date(2024, 7, 1), Decimal("4.25")),
    (datetime.date(2025, 1, 1), Decimal("3.15")),
    (datetime.date(2025, 7, 1), Decimal("2.15")),
]


def seed_rates(apps, schema_editor):
    LatePaymentRate = apps.get_model("invoices", "LatePaymentRate")
    for valid_from, rate in ECB_RATES:
        LatePaymentRate.objects.get_or_create(valid_from=valid_from, defaults={"rate": rate})


class Migration(migrations.Migration):
    dependencies = [("invoices", "0001_flows_invoices_events")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(seed_rates, migrations.RunPython.noop),
    ]
