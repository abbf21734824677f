"""Readable HTML rendering of an invoice (French by default, English available).

The page shows what a French invoice must show (code de commerce L441-9 and R123-237,
CGI art. 242 nonies A; for public buyers the commitment number and service code that
Chorus Pro routes on): parties with SIREN/SIRET and VAT numbers, number and dates, lines,
allowances and charges, VAT breakdown with exemption mentions, totals, payment terms and
bank details, late-payment penalties and the EUR 40 recovery indemnity.

Every value from the invoice goes through :func:`html.escape`; the markup around it is
ours. No template engine (the core imports no Django), no URL built from invoice data.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from datetime import date

    from invoices.einvoice.model import (
        AllowanceCharge,
        Buyer,
        Identifier,
        Invoice,
        PostalAddress,
        Seller,
        VatBreakdown,
    )

__all__ = ["Lang", "render_invoice_html"]

Lang = Literal["fr", "en"]

STYLESHEET = "facturx.css"
"""Stylesheet shipped next to this module, loaded through the restricted URL fetcher."""

_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "seller": "Vendeur",
        "buyer": "Acheteur",
        "payee": "Bénéficiaire du paiement",
        "tax_rep": "Représentant fiscal",
        "number": "Numéro",
        "issue_date": "Date d'émission",
        "due_date": "Date d'échéance",
        "tax_point_date": "Date d'exigibilité de la TVA",
        "delivery_date": "Date de livraison",
        "period": "Période de facturation",
        "buyer_reference": "Code service (référence acheteur)",
        "purchase_order": "Numéro d'engagement juridique (bon de commande)",
        "contract": "Référence du contrat ou marché",
        "project": "Référence du projet",
        "sales_order": "Référence de commande vendeur",
        "preceding": "Facture d'origine",
        "siret": "SIRET",
        "siren": "SIREN",
        "legal_id": "Immatriculation",
        "vat_id": "N° TVA intracommunautaire",
        "tax_reg": "Identifiant fiscal",
        "electronic_address": "Adresse électronique",
        "contact": "Contact",
        "lines": "Détail",
        "line_id": "N°",
        "description": "Désignation",
        "quantity": "Quantité",
        "unit": "Unité",
        "unit_price": "Prix unitaire HT",
        "vat_rate": "TVA",
        "net_amount": "Montant HT",
        "allowances_charges": "Remises et frais",
        "allowance": "Remise",
        "charge": "Frais",
        "vat_breakdown": "Récapitulatif de la TVA",
        "vat_category": "Catégorie",
        "taxable": "Base HT",
        "vat_amount": "Montant TVA",
        "exemption": "Mention",
        "totals": "Totaux",
        "total_lines": "Total des lignes HT",
        "total_allowances": "Total des remises",
        "total_charges": "Total des frais",
        "total_ht": "Total HT",
        "total_vat": "Total TVA",
        "total_vat_accounting": "Total TVA en devise de comptabilisation",
        "total_ttc": "Total TTC",
        "prepaid": "Déjà payé",
        "rounding": "Arrondi",
        "amount_due": "Net à payer",
        "payment": "Paiement",
        "payment_terms": "Conditions de paiement",
        "payment_means": "Moyen de paiement",
        "iban": "IBAN",
        "bic": "BIC",
        "account_name": "Titulaire du compte",
        "remittance": "Référence de paiement",
        "mandate": "Référence du mandat",
        "creditor_id": "Identifiant créancier SEPA",
        "card": "Carte",
        "notes": "Mentions",
        "legal": "Mentions légales",
        "penalties_default": (
            "En cas de retard de paiement, des intérêts moratoires sont dus au taux "
            "d'intérêt appliqué par la Banque centrale européenne à son opération de "
            "refinancement la plus récente, majoré de huit points (code de la commande "
            "publique, art. R. 2192-31 ; code de commerce, art. L. 441-10)."
        ),
        "indemnity_default": (
            "Indemnité forfaitaire pour frais de recouvrement en cas de retard de "
            "paiement : 40 € (code de commerce, art. D. 441-5 ; code de la commande "
            "publique, art. D. 2192-35)."
        ),
        "discount_default": "Pas d'escompte pour paiement anticipé.",
        "documents": "Documents joints",
        "embedded": (
            "Facture électronique Factur-X : les données structurées (factur-x.xml) "
            "jointes à ce PDF font foi."
        ),
    },
    "en": {
        "seller": "Seller",
        "buyer": "Buyer",
        "payee": "Payee",
        "tax_rep": "Seller tax representative",
        "number": "Number",
        "issue_date": "Issue date",
        "due_date": "Due date",
        "tax_point_date": "VAT point date",
        "delivery_date": "Delivery date",
        "period": "Invoicing period",
        "buyer_reference": "Service code (buyer reference)",
        "purchase_order": "Commitment number (purchase order)",
        "contract": "Contract reference",
        "project": "Project reference",
        "sales_order": "Sales order reference",
        "preceding": "Preceding invoice",
        "siret": "SIRET",
        "siren": "SIREN",
        "legal_id": "Registration",
        "vat_id": "VAT number",
        "tax_reg": "Tax registration",
        "electronic_address": "Electronic address",
        "contact": "Contact",
        "lines": "Lines",
        "line_id": "#",
        "description": "Description",
        "quantity": "Quantity",
        "unit": "Unit",
        "unit_price": "Unit price (excl. VAT)",
        "vat_rate": "VAT",
        "net_amount": "Net amount",
        "allowances_charges": "Allowances and charges",
        "allowance": "Allowance",
        "charge": "Charge",
        "vat_breakdown": "VAT breakdown",
        "vat_category": "Category",
        "taxable": "Taxable amount",
        "vat_amount": "VAT amount",
        "exemption": "Note",
        "totals": "Totals",
        "total_lines": "Sum of line net amounts",
        "total_allowances": "Sum of allowances",
        "total_charges": "Sum of charges",
        "total_ht": "Total excluding VAT",
        "total_vat": "Total VAT",
        "total_vat_accounting": "Total VAT in accounting currency",
        "total_ttc": "Total including VAT",
        "prepaid": "Paid amount",
        "rounding": "Rounding",
        "amount_due": "Amount due",
        "payment": "Payment",
        "payment_terms": "Payment terms",
        "payment_means": "Payment means",
        "iban": "IBAN",
        "bic": "BIC",
        "account_name": "Account name",
        "remittance": "Remittance information",
        "mandate": "Mandate reference",
        "creditor_id": "SEPA creditor identifier",
        "card": "Card",
        "notes": "Notes",
        "legal": "Legal notices",
        "penalties_default": (
            "Late payment interest is due at the European Central Bank refinancing rate "
            "plus eight percentage points (French public procurement code, art. R. 2192-31; "
            "commercial code, art. L. 441-10)."
        ),
        "indemnity_default": (
            "Fixed indemnity for recovery costs in case of late payment: EUR 40 (French "
            "commercial code, art. D. 441-5)."
        ),
        "discount_default": "No discount for early payment.",
        "documents": "Supporting documents",
        "embedded": (
            "Factur-X electronic invoice: the structured data (factur-x.xml) attached to "
            "this PDF is authoritative."
        ),
    },
}

_TYPE_NAMES = {
    "fr": {
        "380": "Facture",
        "381": "Avoir",
        "384": "Facture rectificative",
        "386": "Facture d'acompte",
        "389": "Autofacture",
        "751": "Facture (information comptable)",
    },
    "en": {
        "380": "Invoice",
        "381": "Credit note",
        "384": "Corrected invoice",
        "386": "Prepayment invoice",
        "389": "Self-billed invoice",
        "751": "Invoice information for accounting purposes",
    },
}

_UNIT_NAMES = {
    "fr": {
        "C62": "unité",
        "H87": "pièce",
        "XPP": "pièce",
        "EA": "unité",
        "HUR": "heure",
        "DAY": "jour",
        "MON": "mois",
        "ANN": "an",
        "KGM": "kg",
        "LTR": "l",
        "MTR": "m",
        "MTK": "m²",
        "MTQ": "m³",
        "KWH": "kWh",
        "LS": "forfait",
        "E48": "service",
    },
    "en": {
        "C62": "unit",
        "H87": "piece",
        "XPP": "piece",
        "EA": "each",
        "HUR": "hour",
        "DAY": "day",
        "MON": "month",
        "ANN": "year",
        "KGM": "kg",
        "LTR": "l",
        "MTR": "m",
        "MTK": "m²",
        "MTQ": "m³",
        "KWH": "kWh",
        "LS": "lump sum",
        "E48": "service",
    },
}

_MEANS_NAMES = {
    "fr": {
        "30": "Virement",
        "58": "Virement SEPA",
        "49": "Prélèvement",
        "59": "Prélèvement SEPA",
        "48": "Carte bancaire",
        "54": "Carte de crédit",
        "55": "Carte de débit",
        "20": "Chèque",
        "10": "Espèces",
        "1": "Non défini",
        "42": "Virement sur compte bancaire",
        "97": "Compensation",
    },
    "en": {
        "30": "Credit transfer",
        "58": "SEPA credit transfer",
        "49": "Direct debit",
        "59": "SEPA direct debit",
        "48": "Bank card",
        "54": "Credit card",
        "55": "Debit card",
        "20": "Cheque",
        "10": "Cash",
        "1": "Not defined",
        "42": "Payment to bank account",
        "97": "Clearing between partners",
    },
}

_CATEGORY_NAMES = {
    "fr": {
        "S": "Taux normal",
        "Z": "Taux zéro",
        "E": "Exonéré",
        "AE": "Autoliquidation",
        "K": "Livraison intracommunautaire",
        "G": "Exportation hors UE",
        "O": "Hors champ de la TVA",
        "L": "IGIC (Canaries)",
        "M": "IPSI (Ceuta, Melilla)",
    },
    "en": {
        "S": "Standard rate",
        "Z": "Zero rated",
        "E": "Exempt",
        "AE": "Reverse charge",
        "K": "Intra-community supply",
        "G": "Export outside the EU",
        "O": "Not subject to VAT",
        "L": "IGIC (Canary Islands)",
        "M": "IPSI (Ceuta, Melilla)",
    },
}

# Mentions the law asks for when VAT is not charged, used when the invoice gives an
# exemption code (BT-121) without the text (BT-120).
_EXEMPTION_TEXTS = {
    "fr": {
        "VATEX-FR-FRANCHISE": "TVA non applicable, art. 293 B du CGI",
        "VATEX-EU-AE": "Autoliquidation",
        "VATEX-EU-IC": "Exonération de TVA, article 262 ter I du CGI",
        "VATEX-EU-G": "Exonération de TVA, article 262 I du CGI",
        "VATEX-EU-O": "Non soumis à la TVA",
        "VATEX-FR-CNWVAT": "Facture émise par un tiers non assujetti",
    },
    "en": {
        "VATEX-FR-FRANCHISE": "VAT not applicable, art. 293 B of the French tax code (CGI)",
        "VATEX-EU-AE": "Reverse charge",
        "VATEX-EU-IC": "Intra-community supply exempt from VAT (art. 262 ter I CGI)",
        "VATEX-EU-G": "Export exempt from VAT (art. 262 I CGI)",
        "VATEX-EU-O": "Not subject to VAT",
        "VATEX-FR-CNWVAT": "Invoice issued by a third party not liable to VAT",
    },
}

_NBSP = "\u202f"  # narrow no-break space, the French thousands separator
_DASH = "\u2013"  # en dash, between the dates of a period
_MINUS = "\u2212"
_TIMES = "\u00d7"


def _e(value: object) -> str:
    """Escape any value for HTML text and attribute contexts."""
    return escape("" if value is None else str(value), quote=True)


class _Formatter:
    def __init__(self, lang: Lang, currency: str | None) -> None:
        self.lang = lang
        self.currency = currency or ""
        self.labels = _LABELS[lang]

    def label(self, key: str) -> str:
        return _e(self.labels[key])

    def number(self, value: Decimal | None, places: int | None = None) -> str:
        if value is None:
            return ""
        if places is not None:
            value = value.quantize(Decimal(1).scaleb(-places))
        text = format(value, ",f")
        if self.lang == "fr":
            text = text.replace(",", _NBSP).replace(".", ",")
        return _e(text)

    def amount(self, value: Decimal | None, currency: str | None = None) -> str:
        if value is None:
            return ""
        exponent = value.as_tuple().exponent
        places = 2 if isinstance(exponent, int) and exponent >= -2 else None
        cur = currency if currency is not None else self.currency
        symbol = "€" if cur == "EUR" and self.lang == "fr" else cur
        return f"{self.number(value, places)}\u00a0{_e(symbol)}"

    def rate(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        return f"{self.number(value.normalize() if value == value.to_integral() else value)}\u00a0%"

    def date(self, value: date | None) -> str:
        if value is None:
            return ""
        if self.lang == "fr":
            return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
        return value.isoformat()


def _identifier(fmt: _Formatter, ident: Identifier | None) -> str:
    if ident is None:
        return ""
    if ident.scheme_id == "0009":
        return (
            f"{fmt.label('siret')}\u00a0: {_e(ident.value)}"
            if fmt.lang == "fr"
            else (f"{fmt.label('siret')}: {_e(ident.value)}")
        )
    if ident.scheme_id == "0002":
        return f"{fmt.label('siren')} {_e(ident.value)}"
    scheme = f" ({_e(ident.scheme_id)})" if ident.scheme_id else ""
    return f"{_e(ident.value)}{scheme}"


def _address(address: PostalAddress | None) -> str:
    if address is None:
        return ""
    parts = [address.line_one, address.line_two, address.line_three]
    city = " ".join(p for p in (address.post_code, address.city) if p)
    parts.append(city or None)
    parts.append(address.country_subdivision)
    parts.append(address.country_code)
    return "<br>".join(_e(p) for p in parts if p)


def _row(label: str, value: str) -> str:
    return f"<tr><th>{label}</th><td>{value}</td></tr>" if value else ""


def _party(fmt: _Formatter, title: str, party: Seller | Buyer | None) -> str:
    if party is None:
        return ""
    out = [f'<section class="party"><h2>{fmt.label(title)}</h2>']
    out.append(f'<p class="name">{_e(party.name)}</p>')
    if party.trading_name:
        out.append(f'<p class="trading">{_e(party.trading_name)}</p>')
    out.append(f"<p>{_address(party.address)}</p>")
    rows = [
        _row(fmt.label("legal_id"), _identifier(fmt, party.legal_registration_id)),
        _row(fmt.label("vat_id"), _e(party.vat_identifier)),
    ]
    seller_only = getattr(party, "tax_registration_id", None)
    rows.append(_row(fmt.label("tax_reg"), _e(seller_only)))
    for ident in party.identifiers:
        rows.append(_row("", _identifier(fmt, ident)))
    rows.append(_row(fmt.label("electronic_address"), _identifier(fmt, party.electronic_address)))
    contact = party.contact
    if contact is not None:
        bits = [b for b in (contact.name, contact.telephone, contact.email) if b]
        rows.append(_row(fmt.label("contact"), " · ".join(_e(b) for b in bits)))
    legal_info = getattr(party, "additional_legal_information", None)
    out.append(f'<table class="facts">{"".join(rows)}</table>')
    if legal_info:
        out.append(f'<p class="legal-info">{_e(legal_info)}</p>')
    out.append("</section>")
    return "".join(out)


def _header(fmt: _Formatter, inv: Invoice) -> str:
    type_name = _TYPE_NAMES[fmt.lang].get(inv.type_code or "", inv.type_code or "")
    rows = [
        _row(fmt.label("number"), _e(inv.number)),
        _row(fmt.label("issue_date"), fmt.date(inv.issue_date)),
        _row(fmt.label("due_date"), fmt.date(inv.due_date)),
        _row(fmt.label("tax_point_date"), fmt.date(inv.tax_point_date)),
    ]
    if inv.delivery is not None:
        rows.append(_row(fmt.label("delivery_date"), fmt.date(inv.delivery.actual_delivery_date)))
    period = inv.invoicing_period
    if period is not None:
        rows.append(
            _row(
                fmt.label("period"),
                f"{fmt.date(period.start_date)} {_DASH} {fmt.date(period.end_date)}",
            )
        )
    rows += [
        _row(fmt.label("buyer_reference"), _e(inv.buyer_reference)),
        _row(fmt.label("purchase_order"), _e(inv.purchase_order_reference)),
        _row(fmt.label("contract"), _e(inv.contract_reference)),
        _row(fmt.label("project"), _e(inv.project_reference)),
        _row(fmt.label("sales_order"), _e(inv.sales_order_reference)),
    ]
    for preceding in inv.preceding_invoices:
        rows.append(
            _row(
                fmt.label("preceding"),
                f"{_e(preceding.number)} {fmt.date(preceding.issue_date)}".strip(),
            )
        )
    return (
        f"<header><h1>{_e(type_name)} {_e(inv.number)}</h1>"
        f'<table class="facts header">{"".join(rows)}</table></header>'
    )


def _lines(fmt: _Formatter, inv: Invoice) -> str:
    head = "".join(
        f"<th>{fmt.label(k)}</th>"
        for k in (
            "line_id",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "vat_rate",
            "net_amount",
        )
    )
    rows = []
    for line in inv.lines:
        item = line.item
        desc = [f"<strong>{_e(item.name if item else '')}</strong>"]
        if item is not None and item.description:
            desc.append(f"<br>{_e(item.description)}")
        if item is not None and item.sellers_identifier:
            desc.append(f'<br><span class="ref">{_e(item.sellers_identifier)}</span>')
        if line.note:
            desc.append(f"<br><em>{_e(line.note)}</em>")
        if line.period is not None:
            desc.append(
                f"<br>{fmt.date(line.period.start_date)} {_DASH} {fmt.date(line.period.end_date)}"
            )
        for ac in [*line.allowances, *line.charges]:
            kind = fmt.label("charge" if ac.charge_indicator else "allowance")
            why = _e(ac.reason or ac.reason_code or "")
            desc.append(f"<br>{kind} {why} : {fmt.amount(ac.amount)}")
        price = line.price
        unit_price = fmt.number(price.net_price) if price is not None else ""
        if price is not None and price.base_quantity not in (None, Decimal(1)):
            unit_price += f" / {fmt.number(price.base_quantity)}"
        if price is not None and price.gross_price is not None:
            unit_price += (
                f'<br><span class="ref">{fmt.number(price.gross_price)} {_MINUS} '
                f"{fmt.number(price.price_discount)}</span>"
            )
        vat = line.vat
        vat_text = ""
        if vat is not None:
            vat_text = fmt.rate(vat.rate) if vat.rate is not None else ""
            vat_text = f"{_e(vat.category_code)} {vat_text}".strip()
        unit = _UNIT_NAMES[fmt.lang].get(line.unit_code or "", line.unit_code or "")
        rows.append(
            f"<tr><td>{_e(line.id)}</td><td>{''.join(desc)}</td>"
            f'<td class="num">{fmt.number(line.quantity)}</td><td>{_e(unit)}</td>'
            f'<td class="num">{unit_price}</td><td class="num">{vat_text}</td>'
            f'<td class="num">{fmt.amount(line.net_amount)}</td></tr>'
        )
    return (
        f'<section><h2>{fmt.label("lines")}</h2><table class="grid lines"><thead><tr>{head}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _allowances(fmt: _Formatter, items: list[AllowanceCharge]) -> str:
    if not items:
        return ""
    rows = []
    for ac in items:
        kind = fmt.label("charge" if ac.charge_indicator else "allowance")
        reason = " ".join(
            _e(x) for x in (ac.reason, f"({ac.reason_code})" if ac.reason_code else None) if x
        )
        base = ""
        if ac.percentage is not None:
            base = f"{fmt.rate(ac.percentage)} {_TIMES} {fmt.amount(ac.base_amount)}"
        vat = f"{_e(ac.vat_category_code)} {fmt.rate(ac.vat_rate)}".strip()
        sign = _MINUS if not ac.charge_indicator else "+"
        rows.append(
            f'<tr><td>{kind}</td><td>{reason}</td><td class="num">{base}</td>'
            f'<td class="num">{vat}</td><td class="num">{sign}\u00a0{fmt.amount(ac.amount)}</td>'
            "</tr>"
        )
    return (
        f'<section><h2>{fmt.label("allowances_charges")}</h2><table class="grid">'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _exemption(fmt: _Formatter, vb: VatBreakdown) -> str:
    text = vb.exemption_reason or _EXEMPTION_TEXTS[fmt.lang].get(vb.exemption_reason_code or "", "")
    code = f" ({vb.exemption_reason_code})" if vb.exemption_reason_code else ""
    return _e(f"{text}{code}".strip())


def _vat(fmt: _Formatter, inv: Invoice) -> str:
    head = "".join(
        f"<th>{fmt.label(k)}</th>"
        for k in ("vat_category", "vat_rate", "taxable", "vat_amount", "exemption")
    )
    rows = []
    for vb in inv.vat_breakdown:
        name = _CATEGORY_NAMES[fmt.lang].get(vb.category_code or "", vb.category_code or "")
        rows.append(
            f"<tr><td>{_e(vb.category_code)} {_DASH} {_e(name)}</td>"
            f'<td class="num">{fmt.rate(vb.rate)}</td>'
            f'<td class="num">{fmt.amount(vb.taxable_amount)}</td>'
            f'<td class="num">{fmt.amount(vb.tax_amount)}</td><td>{_exemption(fmt, vb)}</td></tr>'
        )
    return (
        f'<section><h2>{fmt.label("vat_breakdown")}</h2><table class="grid"><thead><tr>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _totals(fmt: _Formatter, inv: Invoice) -> str:
    t = inv.totals
    if t is None:
        return ""
    rows = [
        _row(fmt.label("total_lines"), fmt.amount(t.line_extension_amount)),
        _row(fmt.label("total_allowances"), fmt.amount(t.allowance_total_amount)),
        _row(fmt.label("total_charges"), fmt.amount(t.charge_total_amount)),
        _row(fmt.label("total_ht"), fmt.amount(t.tax_exclusive_amount)),
        _row(fmt.label("total_vat"), fmt.amount(t.vat_total_amount)),
        _row(
            fmt.label("total_vat_accounting"),
            fmt.amount(t.vat_total_amount_accounting, inv.vat_accounting_currency_code),
        ),
        _row(fmt.label("total_ttc"), fmt.amount(t.tax_inclusive_amount)),
        _row(fmt.label("prepaid"), fmt.amount(t.prepaid_amount)),
        _row(fmt.label("rounding"), fmt.amount(t.rounding_amount)),
    ]
    due = (
        f'<tr class="due"><th>{fmt.label("amount_due")}</th>'
        f"<td>{fmt.amount(t.payable_amount)}</td></tr>"
    )
    return f'<section class="totals"><table class="facts">{"".join(rows)}{due}</table></section>'


def _payment(fmt: _Formatter, inv: Invoice) -> str:
    rows = [
        _row(fmt.label("payment_terms"), _e(inv.payment_terms).replace("\n", "<br>")),
        _row(fmt.label("due_date"), fmt.date(inv.due_date)),
    ]
    for pm in inv.payment_instructions:
        means = _MEANS_NAMES[fmt.lang].get(pm.means_code or "", pm.means_code or "")
        if pm.means_text:
            means = f"{means} ({pm.means_text})" if means else pm.means_text
        rows.append(_row(fmt.label("payment_means"), _e(means)))
        for ct in pm.credit_transfers:
            rows.append(_row(fmt.label("iban"), _e(ct.account_id)))
            rows.append(_row(fmt.label("bic"), _e(ct.service_provider_id)))
            rows.append(_row(fmt.label("account_name"), _e(ct.account_name)))
        rows.append(_row(fmt.label("remittance"), _e(pm.remittance_information)))
        if pm.direct_debit is not None:
            rows.append(_row(fmt.label("mandate"), _e(pm.direct_debit.mandate_reference)))
            rows.append(_row(fmt.label("iban"), _e(pm.direct_debit.debited_account_id)))
        if pm.card is not None:
            rows.append(
                _row(
                    fmt.label("card"),
                    _e(f"**** {pm.card.primary_account_number or ''} {pm.card.holder_name or ''}"),
                )
            )
    rows.append(_row(fmt.label("creditor_id"), _e(inv.creditor_reference_id)))
    return (
        f'<section class="payment"><h2>{fmt.label("payment")}</h2>'
        f'<table class="facts">{"".join(rows)}</table></section>'
    )


def _notes(fmt: _Formatter, inv: Invoice) -> str:
    codes = {n.subject_code for n in inv.notes}
    items = [f"<li>{_e(n.text).replace(chr(10), '<br>')}</li>" for n in inv.notes if n.text]
    # Statutory mentions (code de commerce L441-9 / D441-5, commande publique R2192-31)
    # that the invoice did not state itself in notes with subject codes PMD, PMT, AAB.
    if "PMD" not in codes:
        items.append(f'<li class="default">{fmt.label("penalties_default")}</li>')
    if "PMT" not in codes:
        items.append(f'<li class="default">{fmt.label("indemnity_default")}</li>')
    if "AAB" not in codes:
        items.append(f'<li class="default">{fmt.label("discount_default")}</li>')
    for vb in inv.vat_breakdown:
        if vb.category_code in ("E", "AE", "K", "G", "O") and (
            vb.exemption_reason or vb.exemption_reason_code
        ):
            items.append(f"<li><strong>{_exemption(fmt, vb)}</strong></li>")
    docs = [
        f"<li>{_e(d.reference)} {_e(d.description or '')}</li>" for d in inv.additional_documents
    ]
    out = [f'<section class="notes"><h2>{fmt.label("legal")}</h2><ul>{"".join(items)}</ul>']
    if docs:
        out.append(f"<h3>{fmt.label('documents')}</h3><ul>{''.join(docs)}</ul>")
    out.append(f'<p class="embedded">{fmt.label("embedded")}</p></section>')
    return "".join(out)


def render_invoice_html(invoice: Invoice, lang: Lang = "fr") -> str:
    """The invoice as a standalone HTML document (stylesheet linked relatively)."""
    if lang not in _LABELS:
        raise ValueError(f"unsupported language {lang!r}")
    fmt = _Formatter(lang, invoice.currency_code)
    type_name = _TYPE_NAMES[lang].get(invoice.type_code or "", invoice.type_code or "")
    parties = [
        _party(fmt, "seller", invoice.seller),
        _party(fmt, "buyer", invoice.buyer),
    ]
    extra = []
    if invoice.payee is not None:
        extra.append(
            f'<section class="party"><h2>{fmt.label("payee")}</h2>'
            f'<p class="name">{_e(invoice.payee.name)}</p>'
            f"<p>{_identifier(fmt, invoice.payee.legal_registration_id)}</p></section>"
        )
    rep = invoice.tax_representative
    if rep is not None:
        extra.append(
            f'<section class="party"><h2>{fmt.label("tax_rep")}</h2>'
            f'<p class="name">{_e(rep.name)}</p><p>{_address(rep.address)}</p>'
            f"<p>{fmt.label('vat_id')} {_e(rep.vat_identifier)}</p></section>"
        )
    body = "".join(
        [
            _header(fmt, invoice),
            f'<div class="parties">{"".join(parties)}</div>',
            f'<div class="parties">{"".join(extra)}</div>' if extra else "",
            _lines(fmt, invoice),
            _allowances(fmt, [*invoice.allowances, *invoice.charges]),
            _vat(fmt, invoice),
            _totals(fmt, invoice),
            _payment(fmt, invoice),
            _notes(fmt, invoice),
        ]
    )
    title = f"{type_name} {invoice.number or ''}".strip()
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title>"
        f'<meta name="author" content="{_e(invoice.seller.name if invoice.seller else "")}">'
        f'<link rel="stylesheet" href="{STYLESHEET}"></head><body>{body}</body></html>'
    )
