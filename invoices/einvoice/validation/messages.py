"""Human messages for every rule id we report, in English, translated where they are shown.

Each message says what is wrong *and* what to change, in terms of the business term
(BT-n) a person finds on the invoice, rather than repeating the rule text.
"""

from __future__ import annotations

import re

from invoices.einvoice.i18n import Message, gettext_noop

__all__ = ["MESSAGES", "message_for"]

# rule id -> English message (the gettext msgid; French in invoices/locale)
MESSAGES: dict[str, str] = {
    # --- mandatory terms
    "BR-01": gettext_noop(
        "The specification identifier (BT-24) is missing: state the profile, for example "
        "'urn:cen.eu:en16931:2017'."
    ),
    "BR-02": gettext_noop("The invoice number (BT-1) is missing: fill it in."),
    "BR-03": gettext_noop("The invoice issue date (BT-2) is missing: fill it in."),
    "BR-04": gettext_noop(
        "The invoice type code (BT-3) is missing: use for example 380 (invoice) or 381 (credit "
        "note)."
    ),
    "BR-05": gettext_noop(
        "The invoice currency code (BT-5) is missing: give an ISO 4217 code such as EUR."
    ),
    "BR-06": gettext_noop("The seller name (BT-27) is missing: fill it in."),
    "BR-07": gettext_noop("The buyer name (BT-44) is missing: fill it in."),
    "BR-08": gettext_noop(
        "The seller postal address (BG-5) is missing: add it (at least the country code)."
    ),
    "BR-09": gettext_noop("The seller country code (BT-40) is missing: add it (e.g. FR)."),
    "BR-10": gettext_noop(
        "The buyer postal address (BG-8) is missing: add it (at least the country code)."
    ),
    "BR-11": gettext_noop("The buyer country code (BT-55) is missing: add it (e.g. FR)."),
    "BR-12": gettext_noop(
        "The sum of invoice line net amounts (BT-106) is missing from the totals."
    ),
    "BR-13": gettext_noop(
        "The invoice total amount without VAT (BT-109) is missing from the totals."
    ),
    "BR-14": gettext_noop("The invoice total amount with VAT (BT-112) is missing from the totals."),
    "BR-15": gettext_noop("The amount due for payment (BT-115) is missing from the totals."),
    "BR-16": gettext_noop(
        "The invoice has no line (BG-25): an EN 16931 invoice needs at least one. Factur-X "
        "MINIMUM and BASIC WL have no lines and are therefore not complete EN 16931 invoices."
    ),
    "BR-17": gettext_noop(
        "The payee (BG-10) needs a name (BT-59) and must differ from the seller; if the payee "
        "is the seller, remove the payee group."
    ),
    "BR-18": gettext_noop("The seller tax representative (BG-11) needs a name (BT-62)."),
    "BR-19": gettext_noop("The seller tax representative (BG-11) needs a postal address (BG-12)."),
    "BR-20": gettext_noop("The tax representative address needs a country code (BT-69)."),
    "BR-21": gettext_noop("An invoice line has no identifier (BT-126): number every line."),
    "BR-22": gettext_noop("An invoice line has no invoiced quantity (BT-129)."),
    "BR-23": gettext_noop(
        "A line quantity has no unit of measure (BT-130): add the unitCode attribute (e.g. C62 "
        "for 'one')."
    ),
    "BR-24": gettext_noop("An invoice line has no net amount (BT-131)."),
    "BR-25": gettext_noop("An invoice line has no item name (BT-153)."),
    "BR-26": gettext_noop("An invoice line has no item net price (BT-146)."),
    "BR-27": gettext_noop(
        "A line item net price (BT-146) is missing or negative: it must be zero or more (use an "
        "allowance for a discount, a negative quantity for a return)."
    ),
    "BR-28": gettext_noop("A line item gross price (BT-148) is negative: it must be zero or more."),
    "BR-29": gettext_noop(
        "The invoicing period end date (BT-74) is before its start date (BT-73): fix the dates."
    ),
    "BR-30": gettext_noop(
        "A line period end date (BT-135) is before its start date (BT-134): fix the dates."
    ),
    "BR-31": gettext_noop("A document level allowance (BG-20) has no amount (BT-92)."),
    "BR-32": gettext_noop("A document level allowance (BG-20) has no VAT category code (BT-95)."),
    "BR-33": gettext_noop(
        "A document level allowance (BG-20) has neither a reason (BT-97) nor a reason code (BT-98)."
    ),
    "BR-36": gettext_noop("A document level charge (BG-21) has no amount (BT-99)."),
    "BR-37": gettext_noop("A document level charge (BG-21) has no VAT category code (BT-102)."),
    "BR-38": gettext_noop(
        "A document level charge (BG-21) has neither a reason (BT-104) nor a reason code (BT-105)."
    ),
    "BR-41": gettext_noop("A line allowance (BG-27) has no amount (BT-136)."),
    "BR-42": gettext_noop(
        "A line allowance (BG-27) has neither a reason (BT-139) nor a reason code (BT-140)."
    ),
    "BR-43": gettext_noop("A line charge (BG-28) has no amount (BT-141)."),
    "BR-44": gettext_noop(
        "A line charge (BG-28) has neither a reason (BT-144) nor a reason code (BT-145)."
    ),
    "BR-45": gettext_noop("A VAT breakdown (BG-23) has no taxable amount (BT-116)."),
    "BR-46": gettext_noop("A VAT breakdown (BG-23) has no VAT amount (BT-117)."),
    "BR-47": gettext_noop("A VAT breakdown (BG-23) has no VAT category code (BT-118)."),
    "BR-48": gettext_noop(
        "A VAT breakdown (BG-23) has no rate (BT-119); only category 'O' (not subject to VAT) "
        "may omit it."
    ),
    "BR-49": gettext_noop(
        "A payment instruction (BG-16) has no payment means code (BT-81): use for example 30 or "
        "58 (credit transfer)."
    ),
    "BR-50": gettext_noop(
        "A credit transfer (BG-17) has no payment account identifier (BT-84): give the IBAN."
    ),
    "BR-51": gettext_noop(
        "The card number (BT-87) must not be complete: keep only the last 4 to 6 digits."
    ),
    "BR-52": gettext_noop("A supporting document (BG-24) has no reference (BT-122)."),
    "BR-53": gettext_noop(
        "A VAT accounting currency (BT-6) is given but the VAT total in that currency (BT-111) "
        "is missing: add it, or remove BT-6."
    ),
    "BR-54": gettext_noop("An item attribute (BG-32) needs a name (BT-160) and a value (BT-161)."),
    "BR-55": gettext_noop("A preceding invoice reference (BG-3) has no invoice number (BT-25)."),
    "BR-56": gettext_noop("The seller tax representative (BG-11) needs a VAT identifier (BT-63)."),
    "BR-57": gettext_noop("The deliver-to address (BG-15) needs a country code (BT-80)."),
    "BR-61": gettext_noop(
        "For a credit transfer (code 30 or 58) the payment account identifier (BT-84, IBAN) is "
        "mandatory."
    ),
    "BR-62": gettext_noop(
        "The seller electronic address (BT-34) needs a scheme (schemeID, e.g. 0009 for a SIRET, "
        "EM for an e-mail)."
    ),
    "BR-63": gettext_noop(
        "The buyer electronic address (BT-49) needs a scheme (schemeID, e.g. 0009 for a SIRET)."
    ),
    "BR-64": gettext_noop(
        "An item standard identifier (BT-157) needs a scheme (schemeID, e.g. 0160 for a GTIN)."
    ),
    "BR-65": gettext_noop(
        "An item classification code (BT-158) needs its list identifier (listID)."
    ),
    # --- calculations
    "BR-CO-03": gettext_noop(
        "The VAT point date (BT-7) and its code (BT-8) are mutually exclusive: keep only one."
    ),
    "BR-CO-04": gettext_noop(
        "Every line needs a VAT category code (BT-151), for example S (standard rate)."
    ),
    "BR-CO-09": gettext_noop(
        "A VAT identifier (BT-31, BT-48 or BT-63) must start with an ISO 3166 country prefix "
        "(e.g. FR, or EL for Greece)."
    ),
    "BR-CO-10": gettext_noop(
        "The sum of line net amounts (BT-106) does not equal the sum of the line net amounts "
        "(BT-131): recompute it."
    ),
    "BR-CO-11": gettext_noop(
        "The sum of allowances (BT-107) does not equal the sum of the document level "
        "allowances (BT-92)."
    ),
    "BR-CO-12": gettext_noop(
        "The sum of charges (BT-108) does not equal the sum of the document level charges (BT-99)."
    ),
    "BR-CO-13": gettext_noop(
        "The total without VAT (BT-109) must equal line total (BT-106) minus allowances "
        "(BT-107) plus charges (BT-108): recompute it."
    ),
    "BR-CO-14": gettext_noop(
        "The VAT total (BT-110) does not equal the sum of the VAT category amounts (BT-117)."
    ),
    "BR-CO-15": gettext_noop(
        "The total with VAT (BT-112) must equal the total without VAT (BT-109) plus the VAT "
        "total (BT-110), given once in the invoice currency."
    ),
    "BR-CO-16": gettext_noop(
        "The amount due (BT-115) must equal the total with VAT (BT-112) minus the paid amount "
        "(BT-113) plus the rounding amount (BT-114)."
    ),
    "BR-CO-17": gettext_noop(
        "A VAT category amount (BT-117) does not equal the taxable amount (BT-116) times the "
        "rate (BT-119), rounded to 2 decimals."
    ),
    "BR-CO-18": gettext_noop(
        "The invoice has no VAT breakdown (BG-23): add at least one category."
    ),
    "BR-CO-19": gettext_noop(
        "The invoicing period (BG-14) is present but empty: give a start (BT-73) or end (BT-74) "
        "date, or remove it."
    ),
    "BR-CO-20": gettext_noop(
        "A line period (BG-26) is present but empty: give a start (BT-134) or end (BT-135) date, "
        "or remove it."
    ),
    "BR-CO-21": gettext_noop(
        "A document level allowance needs a reason (BT-97) or a reason code (BT-98)."
    ),
    "BR-CO-22": gettext_noop(
        "A document level charge needs a reason (BT-104) or a reason code (BT-105)."
    ),
    "BR-CO-23": gettext_noop("A line allowance needs a reason (BT-139) or a reason code (BT-140)."),
    "BR-CO-24": gettext_noop("A line charge needs a reason (BT-144) or a reason code (BT-145)."),
    "BR-CO-26": gettext_noop(
        "The seller must be identifiable: give at least its identifier (BT-29), legal "
        "registration number (BT-30, e.g. SIRET) or VAT identifier (BT-31)."
    ),
    "BR-B-01": gettext_noop(
        "Category 'B' (split payment) is only valid for a domestic Italian invoice."
    ),
    "BR-B-02": gettext_noop(
        "A split payment (B) invoice cannot also contain category S (standard rate)."
    ),
    # --- input (our own rules)
    "XSD": gettext_noop("The document does not follow the XSD schema of its syntax."),
}

_CATEGORY_NAMES = {
    "S": gettext_noop("standard rate (S)"),
    "Z": gettext_noop("zero rated (Z)"),
    "E": gettext_noop("exempt from VAT (E)"),
    "AE": gettext_noop("reverse charge (AE)"),
    "IC": gettext_noop("intra-community supply (K)"),
    "G": gettext_noop("export outside the EU (G)"),
    "O": gettext_noop("not subject to VAT (O)"),
    "AF": gettext_noop("IGIC, Canary Islands (L)"),
    "AG": gettext_noop("IPSI, Ceuta and Melilla (M)"),
}

_CATEGORY_TEMPLATES: dict[str, str] = {
    "01": gettext_noop(
        "Category %(category)s is used on a line, allowance or charge but the VAT breakdown "
        "(BG-23) does not hold exactly one entry for it: add or merge the matching breakdown."
    ),
    "02": gettext_noop(
        "A line in category %(category)s requires the tax identifiers that category needs "
        "(seller VAT id BT-31 or tax representative BT-63, and where required the buyer VAT id "
        "BT-48): add them."
    ),
    "03": gettext_noop(
        "An allowance in category %(category)s requires the tax identifiers that category needs "
        "(BT-31/BT-63, and where required BT-48): add them."
    ),
    "04": gettext_noop(
        "A charge in category %(category)s requires the tax identifiers that category needs "
        "(BT-31/BT-63, and where required BT-48): add them."
    ),
    "05": gettext_noop(
        "The VAT rate of a line in category %(category)s (BT-152) is not what the category "
        "requires (positive for S, 0 for Z/E/AE/K/G, none for O): fix the rate or the category."
    ),
    "06": gettext_noop(
        "The VAT rate of an allowance in category %(category)s (BT-96) is not what the category "
        "requires: fix the rate or the category."
    ),
    "07": gettext_noop(
        "The VAT rate of a charge in category %(category)s (BT-103) is not what the category "
        "requires: fix the rate or the category."
    ),
    "08": gettext_noop(
        "The taxable amount of category %(category)s (BT-116) does not equal the lines plus "
        "charges minus allowances of that category (and rate): recompute it."
    ),
    "09": gettext_noop(
        "The VAT amount of category %(category)s (BT-117) is wrong (taxable amount times rate, "
        "or 0 for a category without VAT): recompute it."
    ),
    "10": gettext_noop(
        "The breakdown in category %(category)s has an exemption reason (BT-120/BT-121) where "
        "none is allowed, or lacks one where it is mandatory (E, AE, K, G, O): add or remove "
        "it."
    ),
    "11": gettext_noop(
        "An intra-community supply (K) requires the actual delivery date (BT-72) or the "
        "invoicing period (BG-14)."
    ),
    "12": gettext_noop(
        "An intra-community supply (K) requires the deliver-to country code (BT-80)."
    ),
}

_O_EXCLUSIVE = gettext_noop(
    "An invoice with category 'not subject to VAT' (O) cannot contain any other VAT category "
    "(lines, allowances, charges, breakdown): issue two invoices."
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
    "BR-CL-01": gettext_noop("the document type code (BT-3, UNTDID 1001)"),
    "BR-CL-03": gettext_noop("an amount's currency (currencyID, ISO 4217)"),
    "BR-CL-04": gettext_noop("the invoice currency (BT-5, ISO 4217)"),
    "BR-CL-05": gettext_noop("the VAT accounting currency (BT-6, ISO 4217)"),
    "BR-CL-06": gettext_noop("the VAT point date code (BT-8)"),
    "BR-CL-07": gettext_noop("the object identifier scheme (BT-18/BT-128, UNTDID 1153)"),
    "BR-CL-08": gettext_noop("a note subject code (BT-21, UNTDID 4451)"),
    "BR-CL-10": gettext_noop("an identifier scheme (ISO 6523 ICD)"),
    "BR-CL-11": gettext_noop("a legal registration scheme (ISO 6523 ICD, e.g. 0009 SIRET)"),
    "BR-CL-13": gettext_noop("an item classification list (UNTDID 7143)"),
    "BR-CL-14": gettext_noop("a country code (ISO 3166-1 alpha-2)"),
    "BR-CL-15": gettext_noop("an item country of origin (ISO 3166-1)"),
    "BR-CL-16": gettext_noop("the payment means code (BT-81, UNTDID 4461)"),
    "BR-CL-17": gettext_noop("a VAT category code (UNTDID 5305)"),
    "BR-CL-18": gettext_noop("a VAT category code (UNTDID 5305)"),
    "BR-CL-19": gettext_noop("an allowance reason code (UNTDID 5189)"),
    "BR-CL-20": gettext_noop("a charge reason code (UNTDID 7161)"),
    "BR-CL-21": gettext_noop("an item identifier scheme (ISO 6523 ICD)"),
    "BR-CL-22": gettext_noop("a VAT exemption reason code (VATEX list)"),
    "BR-CL-23": gettext_noop("a unit of measure (UN/ECE Rec 20 and 21)"),
    "BR-CL-24": gettext_noop("an attachment MIME type (PDF, PNG, JPEG, CSV, XLSX, ODS)"),
    "BR-CL-25": gettext_noop("an electronic address scheme (EAS list)"),
    "BR-CL-26": gettext_noop("the delivery location scheme (ISO 6523 ICD)"),
}

_CATEGORY_RULE = re.compile(r"^BR-(S|Z|E|AE|IC|G|O|AF|AG)-(\d\d)$")


def message_for(rule_id: str) -> Message:
    """The message for ``rule_id``; a generic one for unknown ids."""
    found = MESSAGES.get(rule_id)
    if found is not None:
        return Message(found)
    match = _CATEGORY_RULE.match(rule_id)
    if match:
        family, number = match.groups()
        if family == "O" and number in ("11", "12", "13", "14"):
            return Message(_O_EXCLUSIVE)
        template = _CATEGORY_TEMPLATES.get(number)
        if template is not None:
            return Message.of(template, category=Message(_CATEGORY_NAMES[family]))
    if rule_id.startswith("BR-DEC-"):
        term = _DEC_TERMS.get(rule_id[7:])
        if term is None:
            return Message(_DEC_ANY)
        return Message.of(_DEC_TERM, term=term)
    if rule_id in _CODE_LISTS:
        return Message.of(_CODE_LIST, code_list=Message(_CODE_LISTS[rule_id]))
    if rule_id.startswith(("UBL-CR-", "CII-SR-", "UBL-DT-", "CII-DT-")) and rule_id not in (
        _FATAL_SYNTAX
    ):
        return Message.of(_IGNORED_ELEMENT, rule=rule_id)
    if rule_id in _FATAL_SYNTAX:
        return Message(_FATAL_SYNTAX[rule_id])
    return Message.of(_GENERIC, rule=rule_id)


_DEC_TERM = gettext_noop("Amount %(term)s has more than 2 decimals: round it to 2 decimals.")
_DEC_ANY = gettext_noop("An amount has more than 2 decimals: round it to 2 decimals.")
_CODE_LIST = gettext_noop(
    "The value of %(code_list)s is not in the allowed code list: use a code from the list."
)
_IGNORED_ELEMENT = gettext_noop(
    "[%(rule)s] An element or attribute that EN 16931 does not use is present (or repeated) "
    "here: the recipient will ignore it; remove it if you can."
)
_GENERIC = gettext_noop("Rule %(rule)s is not satisfied: fix the element it points to.")

_REPEAT = gettext_noop(
    "An element that may occur only once is repeated (or missing): keep a single occurrence."
)

_FATAL_SYNTAX: dict[str, str] = {
    "UBL-SR-48": gettext_noop(
        "Every UBL line needs exactly one VAT category (cac:Item/cac:ClassifiedTaxCategory)."
    ),
    "UBL-DT-01": gettext_noop(
        "An amount has more than 2 decimals: round it to 2 decimals (only unit prices may have "
        "more)."
    ),
    "UBL-DT-06": gettext_noop("An embedded attachment must state its MIME type (mimeCode)."),
    "UBL-DT-07": gettext_noop("An embedded attachment must state its file name (filename)."),
    "UBL-SR-43": gettext_noop(
        "An additional document reference may carry a schemeID only for an invoiced object "
        "(DocumentTypeCode 130)."
    ),
    "UBL-SR-53": gettext_noop(
        "A PartyTaxScheme must hold the number (CompanyID) and the scheme (TaxScheme/ID)."
    ),
    "UBL-CR-666": gettext_noop(
        "An invoiced object reference (type 130) cannot contain an attachment."
    ),
    "UBL-CR-673": gettext_noop(
        "An invoiced object reference (type 130) cannot contain a description."
    ),
    "CII-DT-031": gettext_noop(
        "The currencyID attribute is only allowed on the VAT total (TaxTotalAmount): remove it "
        "from the other amounts."
    ),
    "CII-DT-033": gettext_noop(
        "The unitCode attribute is only allowed when the billed quantity carries a unit too."
    ),
    "CII-SR-439": gettext_noop(
        "Every line needs exactly one net price (NetPriceProductTradePrice/ChargeAmount)."
    ),
    "CII-SR-046": gettext_noop("An item standard identifier (GlobalID) needs a schemeID."),
    "CII-DT-018": gettext_noop(
        "Only an additional referenced document may carry a TypeCode, and only 50, 130 or 916."
    ),
    "CII-DT-021": gettext_noop(
        "Only a supporting document (additional document of type 916) may carry a name."
    ),
    "CII-DT-024": gettext_noop(
        "Only an invoiced object (additional document of type 130) may carry a ReferenceTypeCode."
    ),
    "CII-DT-027": gettext_noop("Only a preceding invoice reference may carry an issue date."),
    "CII-DT-097": gettext_noop("A format 102 date must be written YYYYMMDD (e.g. 20250131)."),
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
        gettext_noop(
            "An attribute or element that the EN 16931 CII binding forbids is present here: "
            "remove it."
        ),
    )
for _number in [*list(range(68, 98)), 101, 102, 103, 104]:
    _FATAL_SYNTAX.setdefault(
        f"CII-DT-{_number:03d}",
        gettext_noop(
            "An attribute or element that the EN 16931 CII binding forbids is present here: "
            "remove it."
        ),
    )
