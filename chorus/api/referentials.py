"""``transverses/v1`` referentials: the code lists the portal itself uses, as Chorus Pro lists them.

No list is typed twice: each answer reads the portal's own table (``invoices.choices``, the
entry form's VAT choices, the EN 16931 code lists the validation accepts, the support
categories, the directory). Paths are the reference's (§10.2); labels follow ``codeLangue``
(``FR`` or ``EN``), else the request's language.
"""

from __future__ import annotations

import base64
import gettext
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache
from typing import Any, ClassVar

import pycountry
from django.db.models import Q, QuerySet
from django.utils.translation import get_language, override
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from chorus.accounts.choices import IdentifierType
from chorus.accounts.identifiers import country_choices
from chorus.api import referential_serializers as s
from chorus.api.authentication import ApiClient
from chorus.api.choices import Scope
from chorus.api.pagination import paginate
from chorus.api.views import CproView
from chorus.circuits.roles import Role
from chorus.core.formats import percent
from invoices.choices import (
    BillingFramework,
    DepositMode,
    FlowSyntax,
    InvoiceStatus,
    PaymentMode,
)
from invoices.circuit import allowed_targets
from invoices.einvoice.validation.codelists import CURRENCY_CODES, VATEX_CODES
from invoices.einvoice.writers.html import _EXEMPTION_TEXTS as EXEMPTION_TEXTS
from invoices.entry.totals import VAT_CHOICE_CODES
from public_entities.services.directory_export import directory_export_zip
from support.models import RequestCategory
from support.selectors import request_category_list

FRANCE_FIRST = ("EUR",)


def _language(body: dict[str, Any]) -> str:
    code = (body.get("codeLangue") or "").lower()
    return code or (get_language() or "fr")[:2]


@cache
def _iso_translation(domain: str, language: str) -> Callable[[str], str]:
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language]).gettext
    except OSError:
        return str


def currency_list(language: str) -> list[dict[str, str]]:
    """The ISO 4217 currencies an invoice may carry (BR-CL-03/04), the euro first."""
    translate = _iso_translation("iso4217", language)

    def label(code: str) -> str:
        currency = pycountry.currencies.get(alpha_3=code)
        return translate(currency.name) if currency is not None else code

    codes = [*FRANCE_FIRST, *sorted(CURRENCY_CODES - set(FRANCE_FIRST))]
    return [{"codeDevise": code, "libelleDevise": label(code)} for code in codes]


def country_list(language: str) -> list[dict[str, str]]:
    """The portal's ISO 3166 country list (France first), as its address forms offer it."""
    return [{"codePays": code, "libellePays": name} for code, name in country_choices(language)]


def vat_rate_list(language: str) -> list[dict[str, Any]]:
    """The rates of the entry form's VAT choices, once each: code ``20,00``, value 20.0."""
    rates = sorted({Decimal(code.partition(":")[2]) for code in VAT_CHOICE_CODES}, reverse=True)
    with override(language):
        return [
            {
                "codeTauxTva": f"{rate:.2f}".replace(".", ","),
                "libelleTauxTva": percent(rate),
                "valeurTauxTva": float(rate),
            }
            for rate in rates
        ]


def exemption_reason_list(language: str) -> list[dict[str, str]]:
    """The VATEX codes the validation accepts; a code without a text of ours shows alone."""
    texts = EXEMPTION_TEXTS.get(language, EXEMPTION_TEXTS["fr"])
    labelled = [code for code in texts if code in VATEX_CODES]
    others = sorted(VATEX_CODES - set(labelled))
    return [
        {"codeMotifExonerationTva": code, "libelleMotifExonerationTva": texts.get(code, code)}
        for code in [*labelled, *others]
    ]


def _values(key: str, values: Iterable[str]) -> list[dict[str, str]]:
    return [{key: value} for value in values]


class ReferentialView(CproView):
    """A fixed list: ``name`` is its field in the answer, ``items`` builds it."""

    scope: ClassVar[str] = Scope.DIRECTORY
    input_serializer: ClassVar[type[serializers.Serializer[Any]] | None] = s.EmptyIn
    name: ClassVar[str] = ""

    def items(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        raise NotImplementedError

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        return {self.name: self.items(body)}


def referential(
    *,
    name: str,
    operation_id: str,
    out: type[Any],
    items: Callable[[dict[str, Any]], list[dict[str, Any]]],
    body: type[serializers.Serializer[Any]] = s.EmptyIn,
) -> type[ReferentialView]:
    """A :class:`ReferentialView` with its OpenAPI description."""

    class View(ReferentialView):
        input_serializer = body

        @extend_schema(request=body, responses=out, operation_id=operation_id)
        def post(self, request: Request) -> Response:
            return super().post(request)

        def items(self, body: dict[str, Any]) -> list[dict[str, Any]]:
            return items(body)

    View.name = name
    View.__name__ = View.__qualname__ = f"{operation_id[0].upper()}{operation_id[1:]}View"
    return View


CurrenciesView = referential(
    name="listeDevises",
    operation_id="recupererDevises",
    out=s.CurrencyListOut,
    body=s.LanguageIn,
    items=lambda body: currency_list(_language(body)),
)
CountriesView = referential(
    name="listePays",
    operation_id="recupererPays",
    out=s.CountryListOut,
    body=s.LanguageIn,
    items=lambda body: country_list(_language(body)),
)
VatRatesView = referential(
    name="listeTauxTva",
    operation_id="recupererTauxTva",
    out=s.VatRateListOut,
    body=s.LanguageIn,
    items=lambda body: vat_rate_list(_language(body)),
)
ExemptionReasonsView = referential(
    name="listeMotifsExonerationTva",
    operation_id="recupererMotifsExonerationTva",
    out=s.ExemptionReasonListOut,
    body=s.LanguageIn,
    items=lambda body: exemption_reason_list(_language(body)),
)
PaymentModesView = referential(
    name="listeModePaiement",
    operation_id="recupererModesReglement",
    out=s.PaymentModeListOut,
    items=lambda body: _values("modePaiement", PaymentMode.values),
)
DepositModesView = referential(
    name="listeModeDepot",
    operation_id="recupererModesDepot",
    out=s.DepositModeListOut,
    items=lambda body: _values("modeDepot", DepositMode.values),
)
FlowFormatsView = referential(
    name="listeFormatFlux",
    operation_id="recupererFormatFlux",
    out=s.FlowFormatListOut,
    items=lambda body: _values("formatFlux", FlowSyntax.values),
)
BillingFrameworksView = referential(
    name="listeCadreFacturation",
    operation_id="recupererCadreFacturation",
    out=s.BillingFrameworkListOut,
    body=s.PaymentRequestTypeIn,
    items=lambda body: _values("codeCadreFacturation", BillingFramework.values),
)
IdentifierTypesView = referential(
    name="listeTypeIdentifiant",
    operation_id="recupererTypesIdentifiantStructure",
    out=s.IdentifierTypeListOut,
    items=lambda body: _values("typeIdentifiantStructure", IdentifierType.values),
)
InvoiceStatusesView = referential(
    name="listeEtatDemandePaiement",
    operation_id="recupererEtatParTypeDemandePaiement",
    out=s.InvoiceStatusListOut,
    body=s.PaymentRequestTypeIn,
    items=lambda body: _values("etatDemandePaiement", InvoiceStatus.values),
)

# The statuses a recipient may set from a given one: the circuit kernel's own edges.
ProcessingStatusesView = referential(
    name="listeStatutsPossiblesPourTraitement",
    operation_id="recupererEtatsPossiblesPourTraitement",
    out=s.ProcessingStatusListOut,
    body=s.CurrentStatusIn,
    items=lambda body: _values(
        "statutPossiblePourTraitement",
        allowed_targets(current=body["statutCourant"], role=Role.RECIPIENT),
    ),
)


class DirectoryDownloadView(CproView):
    """``telecharger/annuaire/destinataire``: the directory export, base64 of a zip."""

    scope: ClassVar[str] = Scope.DIRECTORY
    input_serializer = s.EmptyIn

    @extend_schema(
        request=s.EmptyIn,
        responses=s.DirectoryFileOut,
        operation_id="telechargerAnnuaireDestinataire",
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        return {"fichierResultat": base64.b64encode(directory_export_zip()).decode("ascii")}


# --- Support request categories -------------------------------------------------------------

CATEGORY_COLUMNS = {"CodeCategorie": "code", "LibelleCategorie": "label", "Ordre": "position"}
SUBCATEGORY_COLUMNS = {"Code": "code", "Libelle": "label", "Ordre": "position"}


def _categories(body: dict[str, Any], code: str, label: str) -> QuerySet[RequestCategory]:
    """The portal's categories (active ones unless ``estActif`` is false) matching the body."""
    active = body.get("estActif")
    categories = request_category_list(include_inactive=active is False)
    if active is False:
        categories = categories.filter(is_active=False)
    if body.get(code):
        categories = categories.filter(code__iexact=body[code].strip())
    if body.get(label):
        text = body[label].strip()
        categories = categories.filter(Q(label__icontains=text) | Q(label_en__icontains=text))
    return categories


def _page_params(body: dict[str, Any]) -> dict[str, Any]:
    return {"triSens": "Ascendant", "triColonne": "Ordre", **(body.get("pagination") or {})}


class CategorySearchView(CproView):
    """``rechercher/categorieSollicitation``: the categories of a support request."""

    scope: ClassVar[str] = Scope.DIRECTORY
    input_serializer = s.CategorySearchIn

    @extend_schema(
        request=s.CategorySearchIn,
        responses=s.CategorySearchOut,
        operation_id="rechercherCategorieSollicitation",
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        language = (get_language() or "fr")[:2]
        categories = _categories(body, "codeCategorie", "libelleCategorie").filter(
            parent__isnull=True
        )
        page = paginate(categories, _page_params(body), columns=CATEGORY_COLUMNS, default="Ordre")
        return {
            "listeCategories": [
                {
                    "idTechniqueCategorie": category.pk,
                    "codeCategorie": category.code,
                    "libelleCategorie": category.localized_label(language),
                    "estActif": category.is_active,
                }
                for category in page.rows
            ],
            "parametresRetour": page.meta,
        }


class SubcategorySearchView(CproView):
    """``rechercher/sousCategorieSollicitation``: sub-categories, grouped by their category.

    Paginated over sub-categories; each group gives its category once (``categorie``) and
    the page's sub-categories of it (``ssCategorie``), as the Go client reads the answer.
    """

    scope: ClassVar[str] = Scope.DIRECTORY
    input_serializer = s.SubcategorySearchIn

    @extend_schema(
        request=s.SubcategorySearchIn,
        responses=s.SubcategorySearchOut,
        operation_id="rechercherSousCategorieSollicitation",
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        language = (get_language() or "fr")[:2]
        subcategories = _categories(body, "code", "libelle").filter(parent__isnull=False)
        if body.get("idTechniqueCategorie"):
            subcategories = subcategories.filter(parent_id=body["idTechniqueCategorie"])
        page = paginate(
            subcategories, _page_params(body), columns=SUBCATEGORY_COLUMNS, default="Ordre"
        )
        groups: dict[int, dict[str, Any]] = {}
        for sub in page.rows:
            parent = sub.parent
            group = groups.setdefault(
                parent.pk,
                {
                    "categorie": [
                        {
                            "idTechniqueCategorie": parent.pk,
                            "codeCategorie": parent.code,
                            "libelleCategorie": parent.localized_label(language),
                        }
                    ],
                    "ssCategorie": [],
                },
            )
            group["ssCategorie"].append(
                {
                    "code": sub.code,
                    "libelle": sub.localized_label(language),
                    "estActif": sub.is_active,
                    "idTechniqueCategorie": parent.pk,
                    "dateCreation": None,
                    "dateDerniereModification": None,
                }
            )
        return {"listeSousCategories": list(groups.values()), "parametresRetour": page.meta}
