"""Request categories and the starter knowledge base (support/data/knowledge_base.json)."""

import json
from pathlib import Path

from django.db import migrations

KNOWLEDGE_BASE = Path(__file__).resolve().parent.parent / "data" / "knowledge_base.json"

# code, French label, English label, default level, sub-categories
CATEGORIES = [
    (
        "compte",
        "Compte et connexion",
        "Account and login",
        1,
        [
            ("compte-connexion", "Connexion, mot de passe, blocage", "Login, password, lock-out"),
            ("compte-email", "Vérification de l'adresse e-mail", "E-mail verification"),
            ("compte-mfa", "Double authentification", "Two-factor authentication"),
        ],
    ),
    (
        "structures",
        "Structures et utilisateurs",
        "Structures and users",
        1,
        [
            (
                "structures-creation",
                "Créer une structure, identifiant",
                "Creating a structure, identifier",
            ),
            ("structures-rattachement", "Rattachement, gestionnaires", "Joining, managers"),
            ("structures-banque", "Coordonnées bancaires", "Bank details"),
        ],
    ),
    (
        "depot",
        "Dépôt de factures",
        "Depositing invoices",
        1,
        [
            ("depot-formats", "Formats et fichiers", "Formats and files"),
            ("depot-refus", "Facture refusée au dépôt", "Invoice refused at deposit"),
        ],
    ),
    (
        "suivi",
        "Suivi des factures",
        "Invoice follow-up",
        1,
        [
            ("suivi-statut", "Statut d'une facture", "Invoice status"),
            ("suivi-rejet", "Rejet, suspension, recyclage", "Rejection, suspension, recycling"),
            ("suivi-paiement", "Délais et retards de paiement", "Payment periods and late payment"),
        ],
    ),
    (
        "raccordement",
        "API et EDI",
        "API and EDI",
        2,
        [
            ("raccordement-api", "API et compte technique", "API and technical account"),
            ("raccordement-edi", "Échanges EDI", "EDI exchanges"),
        ],
    ),
    ("autre", "Autre question", "Other question", 1, []),
]

TERMS_REBUILD_SQL = """
DELETE FROM support_knowledgeterm;
INSERT INTO support_knowledgeterm (word)
SELECT word FROM ts_stat($$
    SELECT to_tsvector('simple', lower(unaccent(
        title || ' ' || keywords || ' ' || summary || ' ' || body)))
    FROM support_knowledgearticle WHERE is_published
$$)
WHERE length(word) BETWEEN 2 AND 80 AND word ~ '^[a-z0-9]+$';
"""


def load(apps, schema_editor):
    RequestCategory = apps.get_model("support", "RequestCategory")
    KnowledgeArticle = apps.get_model("support", "KnowledgeArticle")
    for position, (code, label, label_en, level, children) in enumerate(CATEGORIES):
        parent, _ = RequestCategory.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "label_en": label_en,
                "default_level": level,
                "position": position,
                "parent": None,
            },
        )
        for sub_position, (sub_code, sub_label, sub_label_en) in enumerate(children):
            RequestCategory.objects.update_or_create(
                code=sub_code,
                defaults={
                    "label": sub_label,
                    "label_en": sub_label_en,
                    "default_level": level,
                    "position": sub_position,
                    "parent": parent,
                },
            )
    for article in json.loads(KNOWLEDGE_BASE.read_text(encoding="utf-8")):
        KnowledgeArticle.objects.update_or_create(
            slug=article["slug"],
            language=article["language"],
            defaults={k: article[k] for k in ("title", "summary", "body", "keywords")},
        )
    schema_editor.execute(TERMS_REBUILD_SQL)


class Migration(migrations.Migration):
    dependencies = [("support", "0001_support_requests_assistant_substitution")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
