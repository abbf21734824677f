"""Processing of a deposit: claim, preflight, read and validate, portal rules, persist, route.

Built to run more than once (at-least-once delivery): a worker claims the flow with a
conditional update and a lease; invoices are keyed by (flow, position), so a replay after a
crash creates nothing twice; a flow already in a final state is left alone. Any unexpected
error ends in a final, explained state (fail closed), never in "accepted, half parsed".
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from chorus.core.actor import Actor
from chorus.core.audit import actor_context
from invoices.choices import FlowStatus, FlowSyntax, InvoiceStatus
from invoices.einvoice import Profile, Syntax
from invoices.einvoice.model import Invoice as SemanticInvoice
from invoices.einvoice.validation import RULE_SET_EN16931, RULE_SET_FR, validate_invoice
from invoices.einvoice.validation.core import validate_profile
from invoices.lifecycle import invoice_route
from invoices.models import Flow, Invoice, InvoiceAttachment, InvoiceLine, InvoiceVatBreakdown
from invoices.payment_delay import due_date, period_days
from invoices.services.archives import (
    ArchiveRefused,
    file_name_finding_messages,
    is_archive,
    iter_archive,
)
from invoices.services.portal_rules import RuleFinding, check_invoice

logger = logging.getLogger(__name__)

LEASE = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 3
FINAL_FLOW_STATUSES = frozenset(
    {
        FlowStatus.INTEGRATED,
        FlowStatus.PARTIALLY_INTEGRATED,
        FlowStatus.REJECTED,
        FlowStatus.INCIDENT,
    }
)
# Factur-X profiles that carry less than a full EN 16931 invoice: accepted on deposit when
# they satisfy their own profile, the PDF being the invoice (Chorus Pro's E2 mixed flow).
PDF_CARRIED_PROFILES = frozenset({Profile.MINIMUM, Profile.BASIC_WL})

SYNTAX_CODES = {
    Syntax.UBL_INVOICE: FlowSyntax.UBL,
    Syntax.UBL_CREDIT_NOTE: FlowSyntax.UBL,
    Syntax.CII: FlowSyntax.CII,
    Syntax.FACTURX_PDF: FlowSyntax.FACTURX,
}


@dataclass
class DocumentOutcome:
    """One document of a deposit, as the integration report shows it."""

    name: str
    syntax: str = ""
    profile: str = ""
    number: str = ""
    accepted: bool = False
    invoice_public_id: str = ""
    findings: list[dict[str, Any]] = field(default_factory=list)

    def as_report(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "syntax": self.syntax,
            "profile": self.profile,
            "invoice_number": self.number,
            "result": "accepted" if self.accepted else "rejected",
            "invoice": self.invoice_public_id,
            "findings": self.findings,
        }


def _finding(rule_id: str, bt: str, fr: str, en: str, severity: str = "fatal") -> dict[str, Any]:
    return {
        "rule_id": rule_id,
        "severity": severity,
        "location": bt,
        "message_fr": fr,
        "message_en": en,
    }


def flow_claim(*, flow_id: int) -> bool:
    """Take the flow for processing; False when another worker holds it or it is done.

    The attempt is counted (and committed) before any heavy work, so a document that crashes
    workers ends in quarantine after :data:`MAX_ATTEMPTS` instead of looping forever.
    """
    now = timezone.now()
    claimable = Q(status=FlowStatus.RECEIVED) | Q(status=FlowStatus.PROCESSING, lease_until__lt=now)
    claimed = Flow.objects.filter(claimable, pk=flow_id).update(
        status=FlowStatus.PROCESSING,
        lease_until=now + LEASE,
        attempts=F("attempts") + 1,
        started_at=now,
    )
    return claimed == 1


def flow_process(*, flow_id: int) -> Flow | None:
    """Process one deposit end to end; idempotent and safe to call again."""
    if not flow_claim(flow_id=flow_id):
        return Flow.objects.filter(pk=flow_id).first()
    flow = Flow.objects.select_related("structure", "depositor", "on_behalf_of").get(pk=flow_id)
    if flow.attempts > MAX_ATTEMPTS:
        return _flow_finish(
            flow,
            status=FlowStatus.INCIDENT,
            outcomes=[],
            flow_findings=[
                _finding(
                    "CHORUS-QUARANTINE",
                    "",
                    "Ce dépôt n'a pas pu être traité après plusieurs tentatives : le support "
                    "en est informé ; déposez-le à nouveau ou contactez le support.",
                    "This deposit could not be processed after several attempts: support has "
                    "been told; deposit it again or contact support.",
                )
            ],
            error="too many attempts",
        )
    actor = Actor(user=flow.depositor, on_behalf_of=flow.on_behalf_of)
    try:
        with actor_context(actor, flow=flow.pk):
            return _process(flow)
    except Exception as exc:  # fail closed: never leave a deposit half processed
        logger.exception("flow %s failed", flow.pk)
        return _flow_finish(
            flow,
            status=FlowStatus.INCIDENT,
            outcomes=[],
            flow_findings=[
                _finding(
                    "CHORUS-INTERNAL",
                    "",
                    "Une erreur interne a empêché le traitement de ce dépôt ; le fichier est "
                    "conservé et le support est informé. Déposez-le à nouveau plus tard.",
                    "An internal error stopped the processing of this deposit; the file is kept "
                    "and support has been told. Deposit it again later.",
                )
            ],
            error=f"{type(exc).__name__}: {exc}",
        )


def _process(flow: Flow) -> Flow:
    with flow.file.open("rb") as handle:
        data = handle.read()
    flow_findings: list[dict[str, Any]] = []
    if hashlib.sha256(data).hexdigest() != flow.sha256:
        raise RuntimeError("stored file does not match its recorded SHA-256")

    earlier = (
        Flow.objects.filter(structure=flow.structure, sha256=flow.sha256, pk__lt=flow.pk)
        .exclude(status__in=[FlowStatus.REJECTED, FlowStatus.INCIDENT])
        .order_by("pk")
        .first()
    )
    if earlier is not None:
        flow_findings.append(
            _finding(
                "CHORUS-DUPLICATE-FILE",
                "",
                f"Ce fichier a déjà été déposé par votre structure (dépôt {earlier.number}) : "
                "il n'est pas traité une seconde fois.",
                f"Your structure already deposited this file (deposit {earlier.number}): it "
                "is not processed twice.",
            )
        )
        return _flow_finish(
            flow, status=FlowStatus.REJECTED, outcomes=[], flow_findings=flow_findings
        )

    documents: list[tuple[str, bytes]]
    if is_archive(flow.original_name, data):
        try:
            documents = [(e.name, e.data) for e in iter_archive(flow.original_name, data)]
        except ArchiveRefused as refused:
            flow_findings.append(_finding(refused.code, "", refused.message_fr, refused.message_en))
            return _flow_finish(
                flow, status=FlowStatus.REJECTED, outcomes=[], flow_findings=flow_findings
            )
        if not documents:
            flow_findings.append(
                _finding(
                    "CHORUS-ARCHIVE-EMPTY",
                    "",
                    "L'archive ne contient aucun fichier.",
                    "The archive holds no file.",
                )
            )
            return _flow_finish(
                flow, status=FlowStatus.REJECTED, outcomes=[], flow_findings=flow_findings
            )
    else:
        documents = [(flow.original_name, data)]

    outcomes: list[DocumentOutcome] = []
    numbers_seen: set[tuple[str, int]] = set()
    syntaxes: set[str] = set()
    for position, (name, content) in enumerate(documents):
        outcome = _process_document(
            flow=flow, position=position, name=name, data=content, numbers_seen=numbers_seen
        )
        if outcome.syntax:
            syntaxes.add(outcome.syntax)
        outcomes.append(outcome)

    accepted = sum(1 for o in outcomes if o.accepted)
    if accepted == len(outcomes):
        status = FlowStatus.INTEGRATED
    elif accepted:
        status = FlowStatus.PARTIALLY_INTEGRATED
    else:
        status = FlowStatus.REJECTED
    if len(syntaxes) == 1:
        flow.syntax = syntaxes.pop()
    return _flow_finish(flow, status=status, outcomes=outcomes, flow_findings=flow_findings)


def _process_document(
    *, flow: Flow, position: int, name: str, data: bytes, numbers_seen: set[tuple[str, int]]
) -> DocumentOutcome:
    outcome = DocumentOutcome(name=name)
    existing = Invoice.objects.filter(flow=flow, position=position).first()
    if existing is not None:  # a replay: this document was already integrated
        outcome.accepted = True
        outcome.number = existing.number
        outcome.invoice_public_id = str(existing.public_id)
        numbers_seen.add((existing.number, existing.fiscal_year))
        return outcome

    name_problem = file_name_finding_messages(name)
    if name_problem is not None:
        outcome.findings.append(_finding("CHORUS-FILE-NAME", "", *name_problem))

    report = validate_invoice(data, filename=name, rule_sets=(RULE_SET_EN16931, RULE_SET_FR))
    outcome.syntax = SYNTAX_CODES.get(report.syntax, "")
    outcome.profile = str(report.profile) if report.profile else ""
    findings = report.findings
    if report.syntax == Syntax.FACTURX_PDF and report.profile in PDF_CARRIED_PROFILES:
        profile_report = validate_profile(data, filename=name)
        findings = profile_report.findings
        if report.invoice is None:
            report.invoice = profile_report.invoice
    for finding in findings:
        outcome.findings.append(
            _finding(
                finding.rule_id,
                str(finding.location),
                finding.message_fr,
                finding.message_en,
                severity=finding.severity,
            )
        )
    invoice = report.invoice
    if invoice is not None and invoice.number:
        outcome.number = invoice.number
    if any(f["severity"] == "fatal" for f in outcome.findings) or invoice is None:
        if invoice is None and not outcome.findings:
            outcome.findings.append(
                _finding(
                    "CHORUS-UNREADABLE",
                    "",
                    "Le document n'a pas pu être lu comme une facture.",
                    "The document could not be read as an invoice.",
                )
            )
        return outcome

    today = timezone.localdate()
    verdict = check_invoice(
        invoice=invoice, depositor=flow.structure, numbers_in_flow=numbers_seen, on_date=today
    )
    number = (invoice.number or "").strip()
    year = invoice.issue_date.year if invoice.issue_date else today.year
    numbers_seen.add((number, year))
    outcome.findings.extend(f.as_report() for f in verdict.findings)
    if verdict.findings or verdict.recipient is None:
        return outcome

    try:
        created = _persist(
            flow=flow,
            position=position,
            invoice=invoice,
            data=data,
            name=name,
            recipient=verdict.recipient,
            framework=verdict.framework,
            year=year,
        )
    except IntegrityError:
        outcome.findings.append(
            RuleFinding(
                "CHORUS-DUPLICATE-NUMBER",
                "BT-1",
                f"Une facture numéro {number} de {year} a été déposée en même temps par votre "
                "structure : une nouvelle facture doit porter un nouveau numéro.",
                f"An invoice numbered {number} of {year} was deposited by your structure at the "
                "same time: a new invoice needs a new number.",
            ).as_report()
        )
        return outcome
    _route(created)
    outcome.accepted = True
    outcome.invoice_public_id = str(created.public_id)
    return outcome


def _amount(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal("0.00")


def _persist(
    *,
    flow: Flow,
    position: int,
    invoice: SemanticInvoice,
    data: bytes,
    name: str,
    recipient: Any,
    framework: str,
    year: int,
) -> Invoice:
    totals = invoice.totals
    digest = hashlib.sha256(data).hexdigest()
    period = period_days(recipient.entity.category if recipient.entity else None)
    with transaction.atomic():
        row = Invoice.objects.create(
            flow=flow,
            position=position,
            supplier=flow.structure,
            recipient=recipient.structure,
            service=recipient.service,
            number=(invoice.number or "").strip(),
            fiscal_year=year,
            issue_date=invoice.issue_date or timezone.localdate(),
            due_date=invoice.due_date,
            type_code=invoice.type_code or "380",
            framework=framework,
            currency=invoice.currency_code or "EUR",
            total_without_vat=_amount(totals.tax_exclusive_amount if totals else None),
            total_vat=_amount(totals.vat_total_amount if totals else None),
            total_with_vat=_amount(totals.tax_inclusive_amount if totals else None),
            amount_due=_amount(totals.payable_amount if totals else None),
            commitment_number=(invoice.purchase_order_reference or "")[:50],
            service_code=(invoice.buyer_reference or "")[:100],
            status=InvoiceStatus.DEPOSITED,
            deposited_at=flow.received_at,
            payment_period_days=period,
            payment_due_date=due_date(
                deposited_on=timezone.localdate(flow.received_at), period=period, suspended_days=0
            ),
            data=model_to_json(invoice),
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=row,
                line_id=(line.id or str(index + 1))[:50],
                description=((line.item.name if line.item else None) or "")[:1000],
                quantity=line.quantity or Decimal("0"),
                unit=(line.unit_code or "C62")[:3],
                unit_price=(line.price.net_price if line.price else None) or Decimal("0"),
                net_amount=_amount(line.net_amount),
                vat_category=((line.vat.category_code if line.vat else None) or "")[:2],
                vat_rate=line.vat.rate if line.vat else None,
            )
            for index, line in enumerate(invoice.lines)
        )
        InvoiceVatBreakdown.objects.bulk_create(
            InvoiceVatBreakdown(
                invoice=row,
                category=(vat.category_code or "")[:2],
                rate=vat.rate,
                taxable_amount=_amount(vat.taxable_amount),
                tax_amount=_amount(vat.tax_amount),
                exemption_reason=(vat.exemption_reason or vat.exemption_reason_code or "")[:255],
            )
            for vat in invoice.vat_breakdown
        )
        main = InvoiceAttachment(
            invoice=row,
            original_name=name[:255],
            mime_type="application/pdf" if data[:5] == b"%PDF-" else "application/xml",
            size=len(data),
            sha256=digest,
            is_main=True,
            added_by=flow.depositor,
        )
        if digest == flow.sha256:
            # The deposit itself is the invoice: point at the stored original, do not copy it.
            main.file.name = flow.file.name
        else:
            main.file.save(name, ContentFile(data), save=False)
        main.save()
        for document in invoice.additional_documents:
            attachment = document.attachment
            if attachment is None or not attachment.content:
                continue
            extra = InvoiceAttachment(
                invoice=row,
                original_name=(attachment.filename or document.reference or "piece-jointe")[:255],
                mime_type=(attachment.mime_code or "")[:100],
                size=len(attachment.content),
                sha256=hashlib.sha256(attachment.content).hexdigest(),
                added_by=flow.depositor,
            )
            extra.file.save(extra.original_name, ContentFile(attachment.content), save=False)
            extra.save()
    return row


def _route(invoice: Invoice) -> None:
    """DEPOSEE → EN_COURS_ACHEMINEMENT → MISE_A_DISPOSITION in the recipient service."""
    invoice_route(invoice_id=invoice.pk)


def _flow_finish(
    flow: Flow,
    *,
    status: FlowStatus,
    outcomes: list[DocumentOutcome],
    flow_findings: list[dict[str, Any]],
    error: str = "",
) -> Flow:
    now = timezone.now()
    flow.status = status
    flow.finished_at = now
    flow.lease_until = None
    flow.last_error = error
    flow.report = {
        "flow": flow.number,
        "status": status.value,
        "received_at": flow.received_at.isoformat(),
        "finished_at": now.isoformat(),
        "file": flow.original_name,
        "findings": flow_findings,
        "documents": [outcome.as_report() for outcome in outcomes],
        "summary": {
            "documents": len(outcomes),
            "accepted": sum(1 for o in outcomes if o.accepted),
            "rejected": sum(1 for o in outcomes if not o.accepted),
        },
    }
    flow.save(
        update_fields=["status", "finished_at", "lease_until", "last_error", "report", "syntax"]
    )
    return flow


def model_to_json(value: Any) -> Any:
    """The semantic model as JSON (Decimal and dates as strings, binary content left out)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: model_to_json(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in {"source", "locations", "unparsed"}
        }
    if isinstance(value, list | tuple):
        return [model_to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(k): model_to_json(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value
