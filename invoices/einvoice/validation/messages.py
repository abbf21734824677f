"""Human messages (French, then English) for every rule id we report.

Each message says what is wrong *and* what to change, in terms of the business term
(BT-n) a person finds on the invoice, rather than repeating the rule text.
"""

from __future__ import annotations

import re

__all__ = ["MESSAGES", "message_for"]

# rule id -> (French, English)
MESSAGES: dict[str, tuple[str, str]] = {
    # --- mandatory terms
    "BR-01": (
        "L'identifiant de spécification (BT-24) manque : indiquez le profil, par exemple "
        "« urn:cen.eu:en16931:2017 ».",
        "The specification identifier (BT-24) is missing: state the profile, for example "
        "'urn:cen.eu:en16931:2017'.",
    ),
    "BR-02": (
        "Le numéro de facture (BT-1) manque : renseignez-le.",
        "The invoice number (BT-1) is missing: fill it in.",
    ),
    "BR-03": (
        "La date d'émission de la facture (BT-2) manque : renseignez-la.",
        "The invoice issue date (BT-2) is missing: fill it in.",
    ),
    "BR-04": (
        "Le code de type de facture (BT-3) manque : indiquez par exemple 380 (facture) ou 381 "
        "(avoir).",
        "The invoice type code (BT-3) is missing: use for example 380 (invoice) or 381 (credit "
        "note).",
    ),
    "BR-05": (
        "La devise de la facture (BT-5) manque : indiquez un code ISO 4217 comme EUR.",
        "The invoice currency code (BT-5) is missing: give an ISO 4217 code such as EUR.",
    ),
    "BR-06": (
        "La raison sociale du vendeur (BT-27) manque : renseignez-la.",
        "The seller name (BT-27) is missing: fill it in.",
    ),
    "BR-07": (
        "Le nom de l'acheteur (BT-44) manque : renseignez-le.",
        "The buyer name (BT-44) is missing: fill it in.",
    ),
    "BR-08": (
        "L'adresse postale du vendeur (BG-5) manque : ajoutez-la (au moins le code pays).",
        "The seller postal address (BG-5) is missing: add it (at least the country code).",
    ),
    "BR-09": (
        "Le code pays de l'adresse du vendeur (BT-40) manque : ajoutez-le (ex. FR).",
        "The seller country code (BT-40) is missing: add it (e.g. FR).",
    ),
    "BR-10": (
        "L'adresse postale de l'acheteur (BG-8) manque : ajoutez-la (au moins le code pays).",
        "The buyer postal address (BG-8) is missing: add it (at least the country code).",
    ),
    "BR-11": (
        "Le code pays de l'adresse de l'acheteur (BT-55) manque : ajoutez-le (ex. FR).",
        "The buyer country code (BT-55) is missing: add it (e.g. FR).",
    ),
    "BR-12": (
        "Le total des montants nets des lignes (BT-106) manque dans les totaux.",
        "The sum of invoice line net amounts (BT-106) is missing from the totals.",
    ),
    "BR-13": (
        "Le montant total hors TVA (BT-109) manque dans les totaux.",
        "The invoice total amount without VAT (BT-109) is missing from the totals.",
    ),
    "BR-14": (
        "Le montant total TVA comprise (BT-112) manque dans les totaux.",
        "The invoice total amount with VAT (BT-112) is missing from the totals.",
    ),
    "BR-15": (
        "Le montant à payer (BT-115) manque dans les totaux.",
        "The amount due for payment (BT-115) is missing from the totals.",
    ),
    "BR-16": (
        "La facture n'a aucune ligne (BG-25) : une facture EN 16931 en exige au moins une. "
        "Les profils Factur-X MINIMUM et BASIC WL n'ont pas de lignes et ne sont donc pas des "
        "factures EN 16931 complètes.",
        "The invoice has no line (BG-25): an EN 16931 invoice needs at least one. Factur-X "
        "MINIMUM and BASIC WL have no lines and are therefore not complete EN 16931 invoices.",
    ),
    "BR-17": (
        "Le bénéficiaire du paiement (BG-10) doit avoir un nom (BT-59) et être différent du "
        "vendeur ; s'il s'agit du vendeur, supprimez le groupe bénéficiaire.",
        "The payee (BG-10) needs a name (BT-59) and must differ from the seller; if the payee "
        "is the seller, remove the payee group.",
    ),
    "BR-18": (
        "Le représentant fiscal (BG-11) doit avoir un nom (BT-62).",
        "The seller tax representative (BG-11) needs a name (BT-62).",
    ),
    "BR-19": (
        "Le représentant fiscal (BG-11) doit avoir une adresse postale (BG-12).",
        "The seller tax representative (BG-11) needs a postal address (BG-12).",
    ),
    "BR-20": (
        "L'adresse du représentant fiscal doit contenir un code pays (BT-69).",
        "The tax representative address needs a country code (BT-69).",
    ),
    "BR-21": (
        "Une ligne de facture n'a pas d'identifiant (BT-126) : numérotez chaque ligne.",
        "An invoice line has no identifier (BT-126): number every line.",
    ),
    "BR-22": (
        "Une ligne de facture n'a pas de quantité facturée (BT-129).",
        "An invoice line has no invoiced quantity (BT-129).",
    ),
    "BR-23": (
        "La quantité d'une ligne n'a pas d'unité de mesure (BT-130) : ajoutez l'attribut "
        "unitCode (ex. C62 pour « unité »).",
        "A line quantity has no unit of measure (BT-130): add the unitCode attribute (e.g. C62 "
        "for 'one').",
    ),
    "BR-24": (
        "Une ligne de facture n'a pas de montant net (BT-131).",
        "An invoice line has no net amount (BT-131).",
    ),
    "BR-25": (
        "Une ligne de facture n'a pas de désignation d'article (BT-153).",
        "An invoice line has no item name (BT-153).",
    ),
    "BR-26": (
        "Une ligne de facture n'a pas de prix net unitaire (BT-146).",
        "An invoice line has no item net price (BT-146).",
    ),
    "BR-27": (
        "Le prix net unitaire (BT-146) d'une ligne est absent ou négatif : il doit être positif "
        "ou nul (une remise se porte en remise, un retour en quantité négative).",
        "A line item net price (BT-146) is missing or negative: it must be zero or more (use an "
        "allowance for a discount, a negative quantity for a return).",
    ),
    "BR-28": (
        "Le prix brut unitaire (BT-148) d'une ligne est négatif : il doit être positif ou nul.",
        "A line item gross price (BT-148) is negative: it must be zero or more.",
    ),
    "BR-29": (
        "La date de fin de la période de facturation (BT-74) est antérieure à sa date de "
        "début (BT-73) : corrigez les dates.",
        "The invoicing period end date (BT-74) is before its start date (BT-73): fix the dates.",
    ),
    "BR-30": (
        "La date de fin de la période d'une ligne (BT-135) est antérieure à sa date de début "
        "(BT-134) : corrigez les dates.",
        "A line period end date (BT-135) is before its start date (BT-134): fix the dates.",
    ),
    "BR-31": (
        "Une remise au niveau du document (BG-20) n'a pas de montant (BT-92).",
        "A document level allowance (BG-20) has no amount (BT-92).",
    ),
    "BR-32": (
        "Une remise au niveau du document (BG-20) n'a pas de code de catégorie de TVA (BT-95).",
        "A document level allowance (BG-20) has no VAT category code (BT-95).",
    ),
    "BR-33": (
        "Une remise au niveau du document (BG-20) n'a ni motif (BT-97) ni code motif (BT-98).",
        "A document level allowance (BG-20) has neither a reason (BT-97) nor a reason code "
        "(BT-98).",
    ),
    "BR-36": (
        "Des frais au niveau du document (BG-21) n'ont pas de montant (BT-99).",
        "A document level charge (BG-21) has no amount (BT-99).",
    ),
    "BR-37": (
        "Des frais au niveau du document (BG-21) n'ont pas de code de catégorie de TVA (BT-102).",
        "A document level charge (BG-21) has no VAT category code (BT-102).",
    ),
    "BR-38": (
        "Des frais au niveau du document (BG-21) n'ont ni motif (BT-104) ni code motif (BT-105).",
        "A document level charge (BG-21) has neither a reason (BT-104) nor a reason code (BT-105).",
    ),
    "BR-41": (
        "Une remise de ligne (BG-27) n'a pas de montant (BT-136).",
        "A line allowance (BG-27) has no amount (BT-136).",
    ),
    "BR-42": (
        "Une remise de ligne (BG-27) n'a ni motif (BT-139) ni code motif (BT-140).",
        "A line allowance (BG-27) has neither a reason (BT-139) nor a reason code (BT-140).",
    ),
    "BR-43": (
        "Des frais de ligne (BG-28) n'ont pas de montant (BT-141).",
        "A line charge (BG-28) has no amount (BT-141).",
    ),
    "BR-44": (
        "Des frais de ligne (BG-28) n'ont ni motif (BT-144) ni code motif (BT-145).",
        "A line charge (BG-28) has neither a reason (BT-144) nor a reason code (BT-145).",
    ),
    "BR-45": (
        "Une ventilation de TVA (BG-23) n'a pas de base imposable (BT-116).",
        "A VAT breakdown (BG-23) has no taxable amount (BT-116).",
    ),
    "BR-46": (
        "Une ventilation de TVA (BG-23) n'a pas de montant de TVA (BT-117).",
        "A VAT breakdown (BG-23) has no VAT amount (BT-117).",
    ),
    "BR-47": (
        "Une ventilation de TVA (BG-23) n'a pas de code de catégorie (BT-118).",
        "A VAT breakdown (BG-23) has no VAT category code (BT-118).",
    ),
    "BR-48": (
        "Une ventilation de TVA (BG-23) n'a pas de taux (BT-119) ; seul la catégorie « O » "
        "(hors champ) peut s'en passer.",
        "A VAT breakdown (BG-23) has no rate (BT-119); only category 'O' (not subject to VAT) "
        "may omit it.",
    ),
    "BR-49": (
        "Une instruction de paiement (BG-16) n'a pas de code de moyen de paiement (BT-81) : "
        "indiquez par exemple 30 ou 58 (virement).",
        "A payment instruction (BG-16) has no payment means code (BT-81): use for example 30 or "
        "58 (credit transfer).",
    ),
    "BR-50": (
        "Un virement (BG-17) n'a pas d'identifiant de compte (BT-84) : indiquez l'IBAN.",
        "A credit transfer (BG-17) has no payment account identifier (BT-84): give the IBAN.",
    ),
    "BR-51": (
        "Le numéro de carte (BT-87) ne doit pas être complet : ne gardez que les 4 à 6 "
        "derniers chiffres.",
        "The card number (BT-87) must not be complete: keep only the last 4 to 6 digits.",
    ),
    "BR-52": (
        "Une pièce jointe ou un document de référence (BG-24) n'a pas de référence (BT-122).",
        "A supporting document (BG-24) has no reference (BT-122).",
    ),
    "BR-53": (
        "Une devise de comptabilisation de la TVA (BT-6) est indiquée mais le total de TVA dans "
        "cette devise (BT-111) manque : ajoutez-le, ou retirez BT-6.",
        "A VAT accounting currency (BT-6) is given but the VAT total in that currency (BT-111) "
        "is missing: add it, or remove BT-6.",
    ),
    "BR-54": (
        "Un attribut d'article (BG-32) doit avoir un nom (BT-160) et une valeur (BT-161).",
        "An item attribute (BG-32) needs a name (BT-160) and a value (BT-161).",
    ),
    "BR-55": (
        "Une référence à une facture antérieure (BG-3) n'a pas de numéro (BT-25).",
        "A preceding invoice reference (BG-3) has no invoice number (BT-25).",
    ),
    "BR-56": (
        "Le représentant fiscal (BG-11) doit avoir un numéro de TVA (BT-63).",
        "The seller tax representative (BG-11) needs a VAT identifier (BT-63).",
    ),
    "BR-57": (
        "L'adresse de livraison (BG-15) doit contenir un code pays (BT-80).",
        "The deliver-to address (BG-15) needs a country code (BT-80).",
    ),
    "BR-61": (
        "Pour un virement (code 30 ou 58), l'identifiant de compte (BT-84, IBAN) est obligatoire.",
        "For a credit transfer (code 30 or 58) the payment account identifier (BT-84, IBAN) is "
        "mandatory.",
    ),
    "BR-62": (
        "L'adresse électronique du vendeur (BT-34) doit avoir un schéma (schemeID, ex. 0009 "
        "pour un SIRET, EM pour un courriel).",
        "The seller electronic address (BT-34) needs a scheme (schemeID, e.g. 0009 for a SIRET, "
        "EM for an e-mail).",
    ),
    "BR-63": (
        "L'adresse électronique de l'acheteur (BT-49) doit avoir un schéma (schemeID, ex. 0009 "
        "pour un SIRET).",
        "The buyer electronic address (BT-49) needs a scheme (schemeID, e.g. 0009 for a SIRET).",
    ),
    "BR-64": (
        "L'identifiant standard d'un article (BT-157) doit avoir un schéma (schemeID, ex. 0160 "
        "pour un GTIN).",
        "An item standard identifier (BT-157) needs a scheme (schemeID, e.g. 0160 for a GTIN).",
    ),
    "BR-65": (
        "Un code de classification d'article (BT-158) doit indiquer sa liste (listID).",
        "An item classification code (BT-158) needs its list identifier (listID).",
    ),
    # --- calculations
    "BR-CO-03": (
        "La date d'exigibilité de la TVA (BT-7) et son code (BT-8) s'excluent : n'en gardez qu'un.",
        "The VAT point date (BT-7) and its code (BT-8) are mutually exclusive: keep only one.",
    ),
    "BR-CO-04": (
        "Chaque ligne doit porter un code de catégorie de TVA (BT-151), par exemple S (taux "
        "normal).",
        "Every line needs a VAT category code (BT-151), for example S (standard rate).",
    ),
    "BR-CO-09": (
        "Un numéro de TVA (BT-31, BT-48 ou BT-63) doit commencer par un code pays ISO 3166 "
        "(ex. FR, ou EL pour la Grèce).",
        "A VAT identifier (BT-31, BT-48 or BT-63) must start with an ISO 3166 country prefix "
        "(e.g. FR, or EL for Greece).",
    ),
    "BR-CO-10": (
        "Le total des montants nets des lignes (BT-106) ne correspond pas à la somme des "
        "montants nets des lignes (BT-131) : recalculez-le.",
        "The sum of line net amounts (BT-106) does not equal the sum of the line net amounts "
        "(BT-131): recompute it.",
    ),
    "BR-CO-11": (
        "Le total des remises (BT-107) ne correspond pas à la somme des remises de niveau "
        "document (BT-92).",
        "The sum of allowances (BT-107) does not equal the sum of the document level "
        "allowances (BT-92).",
    ),
    "BR-CO-12": (
        "Le total des frais (BT-108) ne correspond pas à la somme des frais de niveau "
        "document (BT-99).",
        "The sum of charges (BT-108) does not equal the sum of the document level charges (BT-99).",
    ),
    "BR-CO-13": (
        "Le total hors TVA (BT-109) doit valoir total des lignes (BT-106) moins remises "
        "(BT-107) plus frais (BT-108) : recalculez-le.",
        "The total without VAT (BT-109) must equal line total (BT-106) minus allowances "
        "(BT-107) plus charges (BT-108): recompute it.",
    ),
    "BR-CO-14": (
        "Le total de TVA (BT-110) ne correspond pas à la somme des montants de TVA par "
        "catégorie (BT-117).",
        "The VAT total (BT-110) does not equal the sum of the VAT category amounts (BT-117).",
    ),
    "BR-CO-15": (
        "Le total TVA comprise (BT-112) doit valoir total hors TVA (BT-109) plus total TVA "
        "(BT-110), indiqué une seule fois dans la devise de la facture.",
        "The total with VAT (BT-112) must equal the total without VAT (BT-109) plus the VAT "
        "total (BT-110), given once in the invoice currency.",
    ),
    "BR-CO-16": (
        "Le montant à payer (BT-115) doit valoir total TVA comprise (BT-112) moins montant "
        "déjà payé (BT-113) plus arrondi (BT-114).",
        "The amount due (BT-115) must equal the total with VAT (BT-112) minus the paid amount "
        "(BT-113) plus the rounding amount (BT-114).",
    ),
    "BR-CO-17": (
        "Le montant de TVA d'une catégorie (BT-117) ne correspond pas à la base (BT-116) "
        "multipliée par le taux (BT-119), arrondie à 2 décimales.",
        "A VAT category amount (BT-117) does not equal the taxable amount (BT-116) times the "
        "rate (BT-119), rounded to 2 decimals.",
    ),
    "BR-CO-18": (
        "La facture n'a pas de ventilation de TVA (BG-23) : ajoutez au moins une catégorie.",
        "The invoice has no VAT breakdown (BG-23): add at least one category.",
    ),
    "BR-CO-19": (
        "La période de facturation (BG-14) est présente mais vide : indiquez une date de "
        "début (BT-73) ou de fin (BT-74), ou supprimez-la.",
        "The invoicing period (BG-14) is present but empty: give a start (BT-73) or end (BT-74) "
        "date, or remove it.",
    ),
    "BR-CO-20": (
        "La période d'une ligne (BG-26) est présente mais vide : indiquez une date de début "
        "(BT-134) ou de fin (BT-135), ou supprimez-la.",
        "A line period (BG-26) is present but empty: give a start (BT-134) or end (BT-135) date, "
        "or remove it.",
    ),
    "BR-CO-21": (
        "Une remise de niveau document doit avoir un motif (BT-97) ou un code motif (BT-98).",
        "A document level allowance needs a reason (BT-97) or a reason code (BT-98).",
    ),
    "BR-CO-22": (
        "Des frais de niveau document doivent avoir un motif (BT-104) ou un code motif (BT-105).",
        "A document level charge needs a reason (BT-104) or a reason code (BT-105).",
    ),
    "BR-CO-23": (
        "Une remise de ligne doit avoir un motif (BT-139) ou un code motif (BT-140).",
        "A line allowance needs a reason (BT-139) or a reason code (BT-140).",
    ),
    "BR-CO-24": (
        "Des frais de ligne doivent avoir un motif (BT-144) ou un code motif (BT-145).",
        "A line charge needs a reason (BT-144) or a reason code (BT-145).",
    ),
    "BR-CO-26": (
        "Le vendeur doit être identifiable : indiquez au moins son identifiant (BT-29), son "
        "numéro d'immatriculation (BT-30, ex. SIRET) ou son numéro de TVA (BT-31).",
        "The seller must be identifiable: give at least its identifier (BT-29), legal "
        "registration number (BT-30, e.g. SIRET) or VAT identifier (BT-31).",
    ),
    "BR-B-01": (
        "La catégorie « B » (paiement scindé) n'est valable que pour une facture italienne "
        "domestique.",
        "Category 'B' (split payment) is only valid for a domestic Italian invoice.",
    ),
    "BR-B-02": (
        "Une facture en paiement scindé (B) ne peut pas contenir la catégorie S (taux normal).",
        "A split payment (B) invoice cannot also contain category S (standard rate).",
    ),
    # --- input (our own rules)
    "XSD": (
        "Le document ne respecte pas le schéma XSD de sa syntaxe.",
        "The document does not follow the XSD schema of its syntax.",
    ),
}

_CATEGORY_NAMES = {
    "S": ("taux normal (S)", "standard rate (S)"),
    "Z": ("taux zéro (Z)", "zero rated (Z)"),
    "E": ("exonéré (E)", "exempt from VAT (E)"),
    "AE": ("autoliquidation (AE)", "reverse charge (AE)"),
    "IC": ("livraison intracommunautaire (K)", "intra-community supply (K)"),
    "G": ("exportation hors UE (G)", "export outside the EU (G)"),
    "O": ("hors champ de la TVA (O)", "not subject to VAT (O)"),
    "AF": ("IGIC des Canaries (L)", "IGIC, Canary Islands (L)"),
    "AG": ("IPSI de Ceuta et Melilla (M)", "IPSI, Ceuta and Melilla (M)"),
}

_CATEGORY_TEMPLATES: dict[str, tuple[str, str]] = {
    "01": (
        "La catégorie {fr} est utilisée sur une ligne, une remise ou des frais mais la "
        "ventilation de TVA (BG-23) n'en contient pas exactement une entrée : ajoutez ou "
        "fusionnez la ventilation correspondante.",
        "Category {en} is used on a line, allowance or charge but the VAT breakdown (BG-23) "
        "does not hold exactly one entry for it: add or merge the matching breakdown.",
    ),
    "02": (
        "Une ligne en catégorie {fr} exige les identifiants fiscaux attendus pour cette "
        "catégorie (numéro de TVA du vendeur BT-31 ou de son représentant BT-63, et selon le "
        "cas celui de l'acheteur BT-48) : ajoutez-les.",
        "A line in category {en} requires the tax identifiers that category needs (seller VAT "
        "id BT-31 or tax representative BT-63, and where required the buyer VAT id BT-48): add "
        "them.",
    ),
    "03": (
        "Une remise en catégorie {fr} exige les identifiants fiscaux attendus pour cette "
        "catégorie (BT-31/BT-63, et selon le cas BT-48) : ajoutez-les.",
        "An allowance in category {en} requires the tax identifiers that category needs "
        "(BT-31/BT-63, and where required BT-48): add them.",
    ),
    "04": (
        "Des frais en catégorie {fr} exigent les identifiants fiscaux attendus pour cette "
        "catégorie (BT-31/BT-63, et selon le cas BT-48) : ajoutez-les.",
        "A charge in category {en} requires the tax identifiers that category needs "
        "(BT-31/BT-63, and where required BT-48): add them.",
    ),
    "05": (
        "Le taux de TVA d'une ligne en catégorie {fr} (BT-152) n'est pas celui qu'impose la "
        "catégorie (positif pour S, 0 pour Z/E/AE/K/G, absent pour O) : corrigez le taux ou la "
        "catégorie.",
        "The VAT rate of a line in category {en} (BT-152) is not what the category requires "
        "(positive for S, 0 for Z/E/AE/K/G, none for O): fix the rate or the category.",
    ),
    "06": (
        "Le taux de TVA d'une remise en catégorie {fr} (BT-96) n'est pas celui qu'impose la "
        "catégorie : corrigez le taux ou la catégorie.",
        "The VAT rate of an allowance in category {en} (BT-96) is not what the category "
        "requires: fix the rate or the category.",
    ),
    "07": (
        "Le taux de TVA de frais en catégorie {fr} (BT-103) n'est pas celui qu'impose la "
        "catégorie : corrigez le taux ou la catégorie.",
        "The VAT rate of a charge in category {en} (BT-103) is not what the category requires: "
        "fix the rate or the category.",
    ),
    "08": (
        "La base imposable de la catégorie {fr} (BT-116) ne correspond pas à la somme des "
        "lignes, plus les frais, moins les remises de cette catégorie (et de ce taux) : "
        "recalculez-la.",
        "The taxable amount of category {en} (BT-116) does not equal the lines plus charges "
        "minus allowances of that category (and rate): recompute it.",
    ),
    "09": (
        "Le montant de TVA de la catégorie {fr} (BT-117) est incorrect (base multipliée par le "
        "taux, ou 0 pour une catégorie sans TVA) : recalculez-le.",
        "The VAT amount of category {en} (BT-117) is wrong (taxable amount times rate, or 0 for a "
        "category without VAT): recompute it.",
    ),
    "10": (
        "La ventilation en catégorie {fr} a une mention d'exonération (BT-120/BT-121) qui "
        "n'est pas à sa place, ou en manque une alors qu'elle est obligatoire (E, AE, K, G, "
        "O) : ajoutez ou retirez le motif d'exonération.",
        "The breakdown in category {en} has an exemption reason (BT-120/BT-121) where none is "
        "allowed, or lacks one where it is mandatory (E, AE, K, G, O): add or remove it.",
    ),
    "11": (
        "Une livraison intracommunautaire (K) exige la date de livraison (BT-72) ou la "
        "période de facturation (BG-14).",
        "An intra-community supply (K) requires the actual delivery date (BT-72) or the "
        "invoicing period (BG-14).",
    ),
    "12": (
        "Une livraison intracommunautaire (K) exige le pays de livraison (BT-80).",
        "An intra-community supply (K) requires the deliver-to country code (BT-80).",
    ),
}

_O_EXCLUSIVE = (
    "Une facture avec la catégorie « hors champ » (O) ne peut contenir aucune autre "
    "catégorie de TVA (lignes, remises, frais, ventilation) : émettez deux factures.",
    "An invoice with category 'not subject to VAT' (O) cannot contain any other VAT category "
    "(lines, allowances, charges, breakdown): issue two invoices.",
)

_DEC_TERMS = {
    "01": "BT-92",
    "02": "BT-93",
    "05": "BT-99",
    "06": "BT-100",
    "09": "BT-106",
    "10": "BT-107",
    "11": "BT-108",
    "12": "BT-109",
    "13": "BT-110",
    "14": "BT-112",
    "15": "BT-111",
    "16": "BT-113",
    "17": "BT-114",
    "18": "BT-115",
    "19": "BT-116",
    "20": "BT-117",
    "23": "BT-131",
    "24": "BT-136",
    "25": "BT-137",
    "27": "BT-141",
    "28": "BT-142",
}

_CODE_LISTS = {
    "BR-CL-01": (
        "le code de type de document (BT-3, UNTDID 1001)",
        "the document type code (BT-3, UNTDID 1001)",
    ),
    "BR-CL-03": (
        "la devise d'un montant (currencyID, ISO 4217)",
        "an amount's currency (currencyID, ISO 4217)",
    ),
    "BR-CL-04": (
        "la devise de la facture (BT-5, ISO 4217)",
        "the invoice currency (BT-5, ISO 4217)",
    ),
    "BR-CL-05": (
        "la devise de TVA (BT-6, ISO 4217)",
        "the VAT accounting currency (BT-6, ISO 4217)",
    ),
    "BR-CL-06": (
        "le code de date d'exigibilité de la TVA (BT-8)",
        "the VAT point date code (BT-8)",
    ),
    "BR-CL-07": (
        "le schéma de l'identifiant d'objet (BT-18/BT-128, UNTDID 1153)",
        "the object identifier scheme (BT-18/BT-128, UNTDID 1153)",
    ),
    "BR-CL-08": (
        "le code sujet d'une note (BT-21, UNTDID 4451)",
        "a note subject code (BT-21, UNTDID 4451)",
    ),
    "BR-CL-10": (
        "le schéma d'un identifiant (ISO 6523 ICD)",
        "an identifier scheme (ISO 6523 ICD)",
    ),
    "BR-CL-11": (
        "le schéma d'un numéro d'immatriculation (ISO 6523 ICD, ex. 0009 SIRET)",
        "a legal registration scheme (ISO 6523 ICD, e.g. 0009 SIRET)",
    ),
    "BR-CL-13": (
        "la liste d'un code de classification (UNTDID 7143)",
        "an item classification list (UNTDID 7143)",
    ),
    "BR-CL-14": ("un code pays (ISO 3166-1 alpha-2)", "a country code (ISO 3166-1 alpha-2)"),
    "BR-CL-15": (
        "le pays d'origine d'un article (ISO 3166-1)",
        "an item country of origin (ISO 3166-1)",
    ),
    "BR-CL-16": (
        "le code de moyen de paiement (BT-81, UNTDID 4461)",
        "the payment means code (BT-81, UNTDID 4461)",
    ),
    "BR-CL-17": ("un code de catégorie de TVA (UNTDID 5305)", "a VAT category code (UNTDID 5305)"),
    "BR-CL-18": ("un code de catégorie de TVA (UNTDID 5305)", "a VAT category code (UNTDID 5305)"),
    "BR-CL-19": ("un code motif de remise (UNTDID 5189)", "an allowance reason code (UNTDID 5189)"),
    "BR-CL-20": ("un code motif de frais (UNTDID 7161)", "a charge reason code (UNTDID 7161)"),
    "BR-CL-21": (
        "le schéma d'un identifiant d'article (ISO 6523 ICD)",
        "an item identifier scheme (ISO 6523 ICD)",
    ),
    "BR-CL-22": (
        "un code d'exonération de TVA (liste VATEX)",
        "a VAT exemption reason code (VATEX list)",
    ),
    "BR-CL-23": (
        "une unité de mesure (UN/ECE Rec. 20 et 21)",
        "a unit of measure (UN/ECE Rec 20 and 21)",
    ),
    "BR-CL-24": (
        "le type MIME d'une pièce jointe (PDF, PNG, JPEG, CSV, XLSX, ODS)",
        "an attachment MIME type (PDF, PNG, JPEG, CSV, XLSX, ODS)",
    ),
    "BR-CL-25": (
        "le schéma d'une adresse électronique (liste EAS)",
        "an electronic address scheme (EAS list)",
    ),
    "BR-CL-26": (
        "le schéma de l'identifiant du lieu de livraison (ISO 6523 ICD)",
        "the delivery location scheme (ISO 6523 ICD)",
    ),
}

_CATEGORY_RULE = re.compile(r"^BR-(S|Z|E|AE|IC|G|O|AF|AG)-(\d\d)$")


def message_for(rule_id: str) -> tuple[str, str]:
    """(French, English) message for ``rule_id``; a generic one for unknown ids."""
    found = MESSAGES.get(rule_id)
    if found is not None:
        return found
    match = _CATEGORY_RULE.match(rule_id)
    if match:
        family, number = match.groups()
        if family == "O" and number in ("11", "12", "13", "14"):
            return _O_EXCLUSIVE
        template = _CATEGORY_TEMPLATES.get(number)
        if template is not None:
            fr, en = _CATEGORY_NAMES[family]
            return template[0].format(fr=fr), template[1].format(en=en)
    if rule_id.startswith("BR-DEC-"):
        term = _DEC_TERMS.get(rule_id[7:], "un montant")
        return (
            f"Le montant {term} a plus de 2 décimales : arrondissez-le à 2 décimales.",
            f"Amount {term} has more than 2 decimals: round it to 2 decimals.",
        )
    if rule_id in _CODE_LISTS:
        fr, en = _CODE_LISTS[rule_id]
        return (
            f"La valeur de {fr} n'appartient pas à la liste de codes autorisée : utilisez un "
            "code de la liste.",
            f"The value of {en} is not in the allowed code list: use a code from the list.",
        )
    if rule_id.startswith(("UBL-CR-", "CII-SR-", "UBL-DT-", "CII-DT-")) and rule_id not in (
        _FATAL_SYNTAX
    ):
        return (
            f"[{rule_id}] Un élément ou un attribut non prévu par la norme EN 16931 est utilisé "
            "(ou répété) à cet endroit : il sera ignoré par le destinataire ; supprimez-le si "
            "possible.",
            f"[{rule_id}] An element or attribute that EN 16931 does not use is present (or "
            "repeated) here: the recipient will ignore it; remove it if you can.",
        )
    if rule_id in _FATAL_SYNTAX:
        fr, en = _FATAL_SYNTAX[rule_id]
        return fr, en
    return (
        f"La règle {rule_id} n'est pas respectée : corrigez l'élément signalé.",
        f"Rule {rule_id} is not satisfied: fix the element it points to.",
    )


_REPEAT = (
    "Un élément qui ne doit figurer qu'une fois est répété (ou manque) : ne gardez qu'une "
    "occurrence.",
    "An element that may occur only once is repeated (or missing): keep a single occurrence.",
)

_FATAL_SYNTAX: dict[str, tuple[str, str]] = {
    "UBL-SR-48": (
        "Chaque ligne UBL doit avoir exactement une catégorie de TVA "
        "(cac:Item/cac:ClassifiedTaxCategory).",
        "Every UBL line needs exactly one VAT category (cac:Item/cac:ClassifiedTaxCategory).",
    ),
    "UBL-DT-01": (
        "Un montant a plus de 2 décimales : arrondissez-le à 2 décimales (seuls les prix "
        "unitaires peuvent en avoir plus).",
        "An amount has more than 2 decimals: round it to 2 decimals (only unit prices may have "
        "more).",
    ),
    "UBL-DT-06": (
        "Une pièce jointe embarquée doit indiquer son type MIME (mimeCode).",
        "An embedded attachment must state its MIME type (mimeCode).",
    ),
    "UBL-DT-07": (
        "Une pièce jointe embarquée doit indiquer son nom de fichier (filename).",
        "An embedded attachment must state its file name (filename).",
    ),
    "UBL-SR-43": (
        "Une référence de document additionnel ne peut porter un schemeID que pour un objet "
        "facturé (DocumentTypeCode 130).",
        "An additional document reference may carry a schemeID only for an invoiced object "
        "(DocumentTypeCode 130).",
    ),
    "UBL-SR-53": (
        "Un PartyTaxScheme doit contenir le numéro (CompanyID) et le schéma (TaxScheme/ID).",
        "A PartyTaxScheme must hold the number (CompanyID) and the scheme (TaxScheme/ID).",
    ),
    "UBL-CR-666": (
        "Une référence d'objet facturé (type 130) ne peut pas contenir de pièce jointe.",
        "An invoiced object reference (type 130) cannot contain an attachment.",
    ),
    "UBL-CR-673": (
        "Une référence d'objet facturé (type 130) ne peut pas contenir de description.",
        "An invoiced object reference (type 130) cannot contain a description.",
    ),
    "CII-DT-031": (
        "L'attribut currencyID n'est autorisé que sur le total de TVA (TaxTotalAmount) : "
        "supprimez-le des autres montants.",
        "The currencyID attribute is only allowed on the VAT total (TaxTotalAmount): remove it "
        "from the other amounts.",
    ),
    "CII-DT-033": (
        "L'attribut unitCode n'est autorisé que si la quantité facturée porte aussi une unité.",
        "The unitCode attribute is only allowed when the billed quantity carries a unit too.",
    ),
    "CII-SR-439": (
        "Chaque ligne doit avoir exactement un prix net (NetPriceProductTradePrice/ChargeAmount).",
        "Every line needs exactly one net price (NetPriceProductTradePrice/ChargeAmount).",
    ),
    "CII-SR-046": (
        "L'identifiant standard d'un article (GlobalID) doit avoir un schemeID.",
        "An item standard identifier (GlobalID) needs a schemeID.",
    ),
    "CII-DT-018": (
        "Seul un document additionnel peut porter un TypeCode, et seulement 50, 130 ou 916.",
        "Only an additional referenced document may carry a TypeCode, and only 50, 130 or 916.",
    ),
    "CII-DT-021": (
        "Seul une pièce jointe (document additionnel de type 916) peut porter un nom.",
        "Only a supporting document (additional document of type 916) may carry a name.",
    ),
    "CII-DT-024": (
        "Seul un objet facturé (document additionnel de type 130) peut porter un "
        "ReferenceTypeCode.",
        "Only an invoiced object (additional document of type 130) may carry a ReferenceTypeCode.",
    ),
    "CII-DT-027": (
        "Seule une référence à une facture antérieure peut porter une date d'émission.",
        "Only a preceding invoice reference may carry an issue date.",
    ),
    "CII-DT-097": (
        "Une date au format 102 doit s'écrire AAAAMMJJ (ex. 20250131).",
        "A format 102 date must be written YYYYMMDD (e.g. 20250131).",
    ),
}
for _rule in [
    "UBL-SR-01",
    "UBL-SR-02",
    "UBL-SR-03",
    "UBL-SR-04",
    "UBL-SR-05",
    "UBL-SR-06",
    "UBL-SR-07",
    "UBL-SR-08",
    "UBL-SR-09",
    "UBL-SR-10",
    "UBL-SR-11",
    "UBL-SR-12",
    "UBL-SR-13",
    "UBL-SR-14",
    "UBL-SR-15",
    "UBL-SR-16",
    "UBL-SR-17",
    "UBL-SR-18",
    "UBL-SR-19",
    "UBL-SR-20",
    "UBL-SR-21",
    "UBL-SR-22",
    "UBL-SR-23",
    "UBL-SR-24",
    "UBL-SR-25",
    "UBL-SR-26",
    "UBL-SR-27",
    "UBL-SR-28",
    "UBL-SR-29",
    "UBL-SR-30",
    "UBL-SR-31",
    "UBL-SR-32",
    "UBL-SR-33",
    "UBL-SR-34",
    "UBL-SR-35",
    "UBL-SR-36",
    "UBL-SR-37",
    "UBL-SR-39",
    "UBL-SR-40",
    "UBL-SR-42",
    "UBL-SR-44",
    "UBL-SR-45",
    "UBL-SR-46",
    "UBL-SR-47",
    "UBL-SR-49",
    "UBL-SR-50",
    "UBL-SR-51",
    "UBL-SR-52",
    "UBL-SR-54",
    "UBL-SR-55",
    "UBL-SR-56",
    "CII-SR-009",
    "CII-SR-010",
    "CII-SR-014",
    "CII-SR-069",
    "CII-SR-072",
    "CII-SR-090",
    "CII-SR-440",
    "CII-SR-441",
    "CII-SR-455",
    "CII-SR-456",
    "CII-SR-459",
    "CII-SR-460",
    "CII-SR-461",
    "CII-SR-462",
    "CII-SR-463",
    "CII-SR-467",
    "CII-SR-468",
    "CII-SR-469",
    "CII-SR-470",
    "CII-SR-471",
    "CII-SR-472",
    "CII-SR-473",
]:
    _FATAL_SYNTAX.setdefault(_rule, _REPEAT)
for _number in range(477, 495):
    _FATAL_SYNTAX.setdefault(f"CII-SR-{_number}", _REPEAT)
for _number in list(range(1, 10)) + list(range(13, 31)) + list(range(32, 38)):
    _FATAL_SYNTAX.setdefault(
        f"CII-DT-{_number:03d}",
        (
            "Un attribut ou un élément interdit par la liaison CII de l'EN 16931 est présent "
            "à cet endroit : supprimez-le.",
            "An attribute or element that the EN 16931 CII binding forbids is present here: "
            "remove it.",
        ),
    )
for _number in [*list(range(68, 98)), 101, 102, 103, 104]:
    _FATAL_SYNTAX.setdefault(
        f"CII-DT-{_number:03d}",
        (
            "Un attribut ou un élément interdit par la liaison CII de l'EN 16931 est présent "
            "à cet endroit : supprimez-le.",
            "An attribute or element that the EN 16931 CII binding forbids is present here: "
            "remove it.",
        ),
    )
