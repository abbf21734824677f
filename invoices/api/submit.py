"""``factures/v1/soumettre``, ``completer`` and ``recycler``: the supplier's invoice actions.

``soumettre`` fills the portal's entry form (:class:`~invoices.entry.forms.EntryForm` and
its lines) with the JSON data, so that the same rules judge it, then saves and submits it
through the entry services (a draft pointing at its deposit, a Factur-X made by our writer,
``modeDepot`` ``SAISIE_API``) and processes the deposit at once, as Chorus Pro answers
with the invoice. ``completer`` and ``recycler`` call the portal's actions.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from chorus.api.authentication import ApiClient
from chorus.api.choices import Scope
from chorus.api.errors import RETOUR_BUSINESS, ApiRefusal, business_refusal, forbidden, not_found
from chorus.api.views import CproView
from chorus.core.actor import Actor
from invoices.api.serializers_submit import (
    FRAMEWORK_CODES,
    INVOICE_TYPES,
    AjouterFichierIn,
    AjouterFichierOut,
    CompleterIn,
    CompleterOut,
    RecyclerIn,
    RecyclerOut,
    SoumettreIn,
    SoumettreOut,
    TraiterRejetIn,
    TraiterRejetOut,
)
from invoices.choices import DepositMode, FlowStatus
from invoices.entry.forms import (
    LINE_PREFIX,
    EntryForm,
    LineFormSet,
    check_together,
    draft_data_from_post,
    entry_data,
)
from invoices.entry.services import (
    EntryFile,
    EntryRefused,
    attachment_mime_type,
    draft_save,
    draft_submit,
)
from invoices.entry.totals import VAT_CHOICE_CODES
from invoices.models import Invoice, InvoiceDraft
from invoices.reports import report_findings
from invoices.selectors import invoice_list_for_supplier
from invoices.services.actions import (
    invoice_acknowledge,
    invoice_complete,
    invoice_reroute,
    uploaded_attachment_create,
    uploaded_attachment_files,
)
from invoices.services.processing import flow_process

# Where each entry-form field comes from in the soumettre body (for the error's ``champ``).
FORM_FIELDS = {
    "number": "numeroFactureSaisi",
    "issue_date": "dateFacture",
    "due_date": "dateEcheancePaiement",
    "type_code": "references.typeFacture",
    "framework": "cadreDeFacturation.codeCadreFacturation",
    "recipient_siret": "destinataire.codeDestinataire",
    "service_code": "destinataire.codeServiceExecutant",
    "commitment_number": "references.numeroBonCommande",
    "payment_terms": "commentaire",
    "bank_account": "fournisseur.codeCoordonneesBancairesFournisseur",
    "exemption_reason": "references.motifExonerationTva",
}
LINE_FIELDS = {
    "description": "lignePosteDenomination",
    "quantity": "lignePosteQuantite",
    "unit": "lignePosteUnite",
    "unit_price": "lignePosteMontantUnitaireHT",
    "vat": "lignePosteTauxTva",
}


class InvoiceRefused(ApiRefusal):
    """A business refusal listing every field the rules refused (``erreurs``)."""

    def __init__(self, code: str, errors: list[dict[str, str]]) -> None:
        first = errors[0]
        where = f"{first['champ']}: " if first["champ"] else ""
        super().__init__(status.HTTP_200_OK, RETOUR_BUSINESS, code, where + first["message"])
        self.errors = errors

    def body(self) -> dict[str, Any]:
        return {**super().body(), "erreurs": self.errors}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _vat_code(line: dict[str, Any], *, exempt: bool) -> str:
    """Our VAT choice (``S:20``…) from Chorus Pro's rate; an unknown one stays as sent."""
    given = _text(line.get("lignePosteTauxTva")).strip()
    if given in VAT_CHOICE_CODES:
        return given
    manual = line.get("lignePosteTauxTvaManuel")
    try:
        rate = Decimal(given.replace(",", ".").rstrip("%")) if given else manual
    except InvalidOperation:
        return given
    if rate is None:
        return ""
    text = f"{Decimal(rate).normalize():f}"
    if Decimal(rate) == 0:
        return "E:0" if exempt else "Z:0"
    return f"S:{text}"


def entry_post(body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
    """The soumettre body as the entry form's POST data (strings, lines in a formset)."""
    references = body.get("references") or {}
    supplier = body.get("fournisseur") or {}
    recipient = body["destinataire"]
    exempt = bool(references.get("motifExonerationTva")) or references.get("typeTva") in (
        "EXONERATION",
        "SANS_TVA",
    )
    bank = ""
    if supplier.get("codeCoordonneesBancairesFournisseur") is not None:
        from suppliers.models import BankAccount

        account = BankAccount.objects.filter(
            pk=supplier["codeCoordonneesBancairesFournisseur"],
            structure_id=client.membership.structure_id,
        ).first()
        bank = str(account.public_id) if account else "?"
    post: dict[str, Any] = {
        "number": body["numeroFactureSaisi"],
        "issue_date": body["dateFacture"].isoformat(),
        "due_date": body["dateEcheancePaiement"].isoformat()
        if body.get("dateEcheancePaiement")
        else "",
        "type_code": INVOICE_TYPES[references.get("typeFacture") or "FACTURE"],
        "framework": FRAMEWORK_CODES[body["cadreDeFacturation"]["codeCadreFacturation"]],
        "recipient_siret": recipient["codeDestinataire"],
        "service_code": _text(recipient.get("codeServiceExecutant")),
        "commitment_number": _text(references.get("numeroBonCommande")),
        "payment_terms": _text(body.get("commentaire")),
        "bank_account": bank,
        "exemption_reason": _text(references.get("motifExonerationTva")),
        f"{LINE_PREFIX}-TOTAL_FORMS": str(len(body["lignePoste"])),
        f"{LINE_PREFIX}-INITIAL_FORMS": "0",
        f"{LINE_PREFIX}-MIN_NUM_FORMS": "1",
        f"{LINE_PREFIX}-MAX_NUM_FORMS": "1000",
    }
    for index, line in enumerate(body["lignePoste"]):
        prefix = f"{LINE_PREFIX}-{index}-"
        post[prefix + "description"] = line["lignePosteDenomination"]
        post[prefix + "quantity"] = str(line["lignePosteQuantite"])
        post[prefix + "unit"] = line.get("lignePosteUnite") or "C62"
        post[prefix + "unit_price"] = str(line["lignePosteMontantUnitaireHT"])
        post[prefix + "vat"] = _vat_code(line, exempt=exempt)
    return post


def _form_errors(form: EntryForm, formset: Any) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    for name, messages in form.errors.items():
        champ = FORM_FIELDS.get(name, "") if name != "__all__" else ""
        errors.extend({"champ": champ, "message": str(m)} for m in messages)
    for index, line_errors in enumerate(formset.errors or []):
        for name, messages in line_errors.items():
            champ = f"lignePoste[{index}].{LINE_FIELDS.get(name, name)}"
            errors.extend({"champ": champ, "message": str(m)} for m in messages)
    errors.extend({"champ": "lignePoste", "message": str(m)} for m in formset.non_form_errors())
    return errors


def _unsupported(body: dict[str, Any]) -> list[dict[str, str]]:
    """What soumettre accepts from Chorus Pro but the entry form cannot carry yet."""
    errors = []
    cadre = body["cadreDeFacturation"]
    if cadre.get("codeStructureValideur") or cadre.get("codeServiceValideur"):
        errors.append(
            {
                "champ": "cadreDeFacturation.codeStructureValideur",
                "message": _("Invoices with a validator are not accepted by soumettre yet."),
            }
        )
    for index, line in enumerate(body["lignePoste"]):
        if line.get("lignePosteMontantRemiseHT"):
            errors.append(
                {
                    "champ": f"lignePoste[{index}].lignePosteMontantRemiseHT",
                    "message": _("Line discounts are not accepted yet: give the net unit price."),
                }
            )
    totals = body.get("montantTotal") or {}
    if totals.get("montantRemiseGlobaleTTC"):
        errors.append(
            {
                "champ": "montantTotal.montantRemiseGlobaleTTC",
                "message": _("Document-level discounts are not accepted yet."),
            }
        )
    main = body.get("pieceJointePrincipale") or []
    if len(main) > 1:
        errors.append(
            {"champ": "pieceJointePrincipale", "message": _("One main attachment at most.")}
        )
    if body["modeDepot"] == DepositMode.API_PDF and not main:
        errors.append(
            {
                "champ": "pieceJointePrincipale",
                "message": _("DEPOT_PDF_API needs the invoice PDF (ajouter/fichier)."),
            }
        )
    if main and body["modeDepot"] != DepositMode.API_PDF:
        errors.append(
            {
                "champ": "modeDepot",
                "message": _("A main attachment (the invoice PDF) goes with DEPOT_PDF_API."),
            }
        )
    return errors


def _entry_files(
    body: dict[str, Any], client: ApiClient
) -> tuple[list[EntryFile], EntryFile | None]:
    """The files sent ahead that the invoice names: supporting documents and its PDF."""
    structure = client.membership.structure
    supporting_ids = [
        item["pieceJointeComplementaireId"] for item in body.get("pieceJointeComplementaire") or []
    ]
    main_ids = [item["pieceJointePrincipaleId"] for item in body.get("pieceJointePrincipale") or []]
    supporting = []
    for upload in uploaded_attachment_files(structure=structure, ids=supporting_ids):
        name = upload.name or ""
        mime = attachment_mime_type(name)
        if not mime:  # the types an EN 16931 invoice can carry (BT-125-1), as in the portal
            raise business_refusal(
                "ATTACHMENT_TYPE",
                _(
                    "%(name)s cannot travel in the invoice (accepted: PDF, PNG, JPEG, CSV, "
                    "XLSX, ODS)."
                )
                % {"name": name},
            )
        supporting.append(EntryFile(name, mime, upload.read()))
    main = None
    for upload in uploaded_attachment_files(structure=structure, ids=main_ids):
        content = upload.read()
        if not content.startswith(b"%PDF-"):
            raise business_refusal(
                "NOT_PDF", _("%(name)s is not a PDF file.") % {"name": upload.name}
            )
        main = EntryFile(upload.name or "facture.pdf", "application/pdf", content)
    return supporting, main


def _totals_errors(body: dict[str, Any], invoice: Invoice) -> list[dict[str, str]]:
    """The totals the caller sent, if any, must be the ones the portal computed."""
    totals = body.get("montantTotal") or {}
    pairs = (
        ("montantHtTotal", invoice.total_without_vat),
        ("montantTVA", invoice.total_vat),
        ("montantTtcTotal", invoice.total_with_vat),
        ("montantAPayer", invoice.amount_due),
    )
    return [
        {
            "champ": f"montantTotal.{name}",
            "message": _("%(sent)s sent, %(computed)s computed from the lines.")
            % {"sent": totals[name], "computed": computed},
        }
        for name, computed in pairs
        if totals.get(name) is not None and Decimal(totals[name]) != computed
    ]


class SoumettreView(CproView):
    """``POST factures/v1/soumettre`` (soumettreFacture): an invoice given as data."""

    scope = Scope.DEPOSIT
    input_serializer = SoumettreIn

    @extend_schema(operation_id="soumettreFacture", request=SoumettreIn, responses=SoumettreOut)
    def post(self, request: Request) -> Response:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        structure = client.membership.structure
        supplier_id = (body.get("fournisseur") or {}).get("idFournisseur")
        if supplier_id is not None and supplier_id != structure.pk:
            raise forbidden(
                "FORBIDDEN", _("idFournisseur is not the structure of this API connection.")
            )
        unsupported = _unsupported(body)
        if unsupported:
            raise InvoiceRefused("NOT_SUPPORTED", unsupported)
        post = entry_post(body, client)
        form = EntryForm(post, structure=structure)
        formset = LineFormSet(post, prefix=LINE_PREFIX)
        if form.is_valid() and formset.is_valid():
            check_together(form, formset)
        if form.errors or not formset.is_valid():
            raise InvoiceRefused("INVALID_INVOICE", _form_errors(form, formset))
        if form.recipient is None:  # a valid form always resolved it
            raise business_refusal("RECIPIENT", _("The recipient could not be resolved."))
        actor = Actor(user=client.account.user)
        supporting, main = _entry_files(body, client)
        try:
            with transaction.atomic():  # no draft is left behind by a refused submission
                draft = draft_save(
                    actor=actor,
                    structure=structure,
                    draft=None,
                    kind=InvoiceDraft.Kind.PDF if main else InvoiceDraft.Kind.ENTRY,
                    data=draft_data_from_post(post),
                    files=supporting,
                    invoice_pdf=main,
                )
                flow = draft_submit(
                    actor=actor,
                    draft=draft,
                    data=entry_data(form, formset),
                    buyer=form.recipient.structure,
                    through_api=True,
                )
        except EntryRefused as refused:
            raise InvoiceRefused(
                refused.code or "INVALID_INVOICE",
                [{"champ": "", "message": message} for message in refused.messages],
            ) from refused
        processed = flow_process(flow_id=flow.pk) or flow
        answer: dict[str, Any] = {
            "numeroFluxDepot": flow.number,
            "dateDepot": timezone.localdate(flow.received_at).isoformat(),
            "identifiantStructure": structure.identifier,
            "numeroFacture": body["numeroFactureSaisi"],
        }
        invoice = Invoice.objects.filter(flow_id=flow.pk).first()
        if invoice is not None:
            mismatch = _totals_errors(body, invoice)
            if mismatch:  # reported, not undone: the invoice is the portal's computation
                answer["erreurs"] = mismatch
            return {
                **answer,
                "identifiantFactureCPP": invoice.pk,
                "statutFacture": invoice.status,
            }
        if processed.status in (FlowStatus.REJECTED, FlowStatus.INCIDENT):
            findings = [
                {"champ": f["rule_id"], "message": f["message"]}
                for document in processed.report.get("documents") or []
                for f in report_findings(document.get("findings"))
                if f["severity"] == "fatal"
            ] + [
                {"champ": f["rule_id"], "message": f["message"]}
                for f in report_findings(processed.report.get("findings"))
            ]
            raise InvoiceRefused(
                "REJECTED",
                findings or [{"champ": "", "message": _("The deposit was rejected.")}],
            )
        return answer  # a worker is processing it: follow numeroFluxDepot


def invoice_for_supplier(*, client: ApiClient, identifier: int) -> Invoice:
    """The structure's issued invoice ``identifiantFactureCPP``; otherwise ``NOT_FOUND``."""
    invoice = invoice_list_for_supplier(membership=client.membership).filter(pk=identifier).first()
    if invoice is None:
        raise not_found(_("No invoice %(id)s issued by this structure.") % {"id": identifier})
    return invoice


class CompleterView(CproView):
    """``POST factures/v1/completer`` (completerFacture): answer a suspension (→ COMPLETEE)."""

    scope = Scope.DEPOSIT
    input_serializer = CompleterIn

    @extend_schema(operation_id="completerFacture", request=CompleterIn, responses=CompleterOut)
    def post(self, request: Request) -> Response:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        invoice = invoice_for_supplier(client=client, identifier=body["identifiantFactureCPP"])
        files = uploaded_attachment_files(
            structure=client.membership.structure,
            ids=[
                item["pieceJointeComplementaireId"]
                for item in body.get("pieceJointeComplementaire") or []
            ],
        )
        result = invoice_complete(
            actor=Actor(user=client.account.user),
            membership=client.membership,
            invoice=invoice,
            comment=body.get("commentaire") or "",
            files=list(files),
        )
        return {
            "identifiantFactureCPP": result.invoice.pk,
            "numeroFacture": result.invoice.number,
            "dateTraitement": timezone.localdate(result.event.created_at).isoformat(),
            "statutFacture": result.invoice.status,
        }


class RecyclerView(CproView):
    """``POST factures/v1/recycler`` (recyclerFacture): re-route an A_RECYCLER invoice."""

    scope = Scope.DEPOSIT
    input_serializer = RecyclerIn

    @extend_schema(operation_id="recyclerFacture", request=RecyclerIn, responses=RecyclerOut)
    def post(self, request: Request) -> Response:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        invoice = invoice_for_supplier(client=client, identifier=body["identifiantFactureCPP"])
        recipient = body["destinataire"]
        reference = body.get("reference") or {}
        rerouted = invoice_reroute(
            actor=Actor(user=client.account.user),
            membership=client.membership,
            invoice=invoice,
            recipient_siret=recipient["codeDestinataire"],
            service_code=_text(recipient.get("codeServiceExecutant")),
            commitment_number=_text(reference.get("numeroBonCommande")),
        )
        return {
            "identifiantFactureCPP": rerouted.pk,
            "numeroFacture": rerouted.number,
            "statutFacture": rerouted.status,
            "dateDepot": timezone.localdate(rerouted.deposited_at).isoformat(),
        }


class TraiterRejetView(CproView):
    """``POST factures/v1/traiterRejet`` (traiterFacturesRejetees): rejections handled.

    The portal's acknowledgement of rejections and suspensions (reference §4.3); an id that
    is not one of the structure's invoices refuses the whole call, nothing marked.
    """

    scope = Scope.DEPOSIT
    input_serializer = TraiterRejetIn

    @extend_schema(
        operation_id="traiterFacturesRejetees", request=TraiterRejetIn, responses=TraiterRejetOut
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        ids = {item["idDemandePaiement"] for item in body["listeDemandePaiement"]}
        if not ids:
            raise business_refusal("EMPTY", _("Give at least one invoice (idDemandePaiement)."))
        invoices = list(invoice_list_for_supplier(membership=client.membership).filter(pk__in=ids))
        missing = ids - {invoice.pk for invoice in invoices}
        if missing:
            raise not_found(_("No invoice %(id)s issued by this structure.") % {"id": min(missing)})
        count = invoice_acknowledge(
            actor=Actor(user=client.account.user), membership=client.membership, invoices=invoices
        )
        return {"nbFacturesTraitees": count}


class AjouterFichierView(CproView):
    """``POST transverses/v1/ajouter/fichier`` (ajouterFichierDansSysteme): a file sent ahead.

    Checked as the portal checks an attachment (name, size ≤ 10 MB, bytes matching the
    extension), kept for the structure; ``soumettre`` and ``completer`` name it by id.
    """

    scope = Scope.DEPOSIT
    input_serializer = AjouterFichierIn

    @extend_schema(
        operation_id="ajouterFichierDansSysteme",
        request=AjouterFichierIn,
        responses=AjouterFichierOut,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        name = body["pieceJointeNom"].strip()
        extension = (body.get("pieceJointeExtension") or "").strip().lstrip(".")
        if extension and not name.lower().endswith(f".{extension.lower()}"):
            name = f"{name}.{extension.lower()}"
        row = uploaded_attachment_create(
            actor=Actor(user=client.account.user),
            structure=client.membership.structure,
            name=name,
            content=body["pieceJointeFichier"],
            mime_type=body.get("pieceJointeTypeMime") or "",
        )
        return {"pieceJointeId": row.pk}
