"""Processing of deposits: the invoice channel's named steps on the kernel's pipeline frame.

:data:`DEPOSIT_PIPELINE` runs ``preflight → read → validate`` outside any transaction, then
``portal_rules → persist → route → report`` in one (claim, lease, attempts, quarantine, batches
and split on failure are the frame's: :mod:`chorus.circuits.pipeline`). Other file channels
(justice E3, works E4/E5) reuse the frame and these steps with their own added.

Deposits are processed in batches (a single deposit is a batch of one). The documents are
read and validated outside any transaction; then everything the batch writes (invoices,
lines, VAT breakdown, attachments, routing events, integration reports) is written in one
transaction with bulk statements, so the SQL round trips per invoice stay few whatever the
batch size, and a batch is integrated entirely or not at all.

Built to run more than once (at-least-once delivery): a worker claims the flows with a
conditional update and a lease; invoices are keyed by (flow, position), so a replay creates
nothing twice; a flow already in a final state is left alone. When a batch fails, each of
its flows is retried alone; any unexpected error ends in a final, explained state (fail
closed), never in "accepted, half parsed".
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from chorus.circuits.pipeline import Pipeline, Step
from chorus.circuits.roles import Role
from chorus.circuits.writer import Move, StaleTransition, transition_many
from chorus.core.actor import system_actor
from chorus.core.bulk import rows_insert, rows_update
from invoices.choices import FlowStatus, FlowSyntax, InvoiceStatus
from invoices.circuit import FLOW
from invoices.einvoice import Profile, Syntax
from invoices.einvoice.findings import Finding, Location
from invoices.einvoice.i18n import Message, gettext_noop
from invoices.einvoice.model import Invoice as SemanticInvoice
from invoices.einvoice.validation import RULE_SET_EN16931, RULE_SET_FR, validate_invoice
from invoices.einvoice.validation.profiles import validate_profile
from invoices.lifecycle import invoices_route
from invoices.models import Flow, Invoice, InvoiceAttachment, InvoiceLine, InvoiceVatBreakdown
from invoices.payment_delay import due_date, period_days
from invoices.services.archives import (
    ArchiveRefused,
    file_name_problem,
    is_archive,
    iter_archive,
)
from invoices.services.portal_rules import RuleLookups, check_invoice

logger = logging.getLogger(__name__)

# Short, renewed by the frame's heartbeat while the worker lives: a killed worker's deposits
# are claimable again 30 s later and the sweep (every 15 s) re-sends them (issue 11 point 7).
LEASE = datetime.timedelta(seconds=30)
MAX_ATTEMPTS = 3
# Deposit bytes one batch holds in memory at most (a single larger deposit is a batch alone).
BATCH_BYTES = 32 * 1024 * 1024
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


def _finding(rule_id: str, bt: str, message: Message) -> dict[str, Any]:
    """A platform finding (always fatal) in the report's shape: the core's finding, stored."""
    return Finding(rule_id, "fatal", Location(bt=bt or None), message).as_report()


def flow_claim(*, flow_id: int) -> bool:
    """Take the flow for processing; False when another worker holds it or it is done."""
    return flows_claim(flow_ids=[flow_id]) == [flow_id]


def flows_claim(*, flow_ids: Sequence[int]) -> list[int]:
    """Take these flows for processing (the frame's claim: lease, attempt counted first)."""
    return DEPOSIT_PIPELINE.claim(flow_ids)


def flow_process(*, flow_id: int) -> Flow | None:
    """Process one deposit end to end; idempotent and safe to call again."""
    done = flows_process(flow_ids=[flow_id])
    return done[0] if done else Flow.objects.filter(pk=flow_id).first()


def flows_process(*, flow_ids: Sequence[int]) -> list[Flow]:
    """Process deposits together; return the flows this call claimed, in a final state."""
    return DEPOSIT_PIPELINE.process(flow_ids)


def _flow_end_alone(flow: Flow, kind: str, error: BaseException | None) -> Flow:
    """The frame's fail-closed ending: quarantine after too many attempts, or incident."""
    if kind == "quarantine":
        return _flow_quarantine(flow)
    assert error is not None  # noqa: S101  (the frame passes the error of an incident)
    return _flow_incident(flow, error)


def _flow_quarantine(flow: Flow) -> Flow:
    return _flow_fail(
        flow,
        _finding(
            "CHORUS-QUARANTINE",
            "",
            Message(
                gettext_noop(
                    "This deposit could not be processed after several attempts: support has been "
                    "told; deposit it again or contact support."
                )
            ),
        ),
        error="too many attempts",
    )


def _flow_incident(flow: Flow, exc: BaseException) -> Flow:
    return _flow_fail(
        flow,
        _finding(
            "CHORUS-INTERNAL",
            "",
            Message(
                gettext_noop(
                    "An internal error stopped the processing of this deposit; the file is kept and"
                    " support has been told. Deposit it again later."
                )
            ),
        ),
        error=f"{type(exc).__name__}: {exc}",
    )


def _flow_fail(flow: Flow, finding: dict[str, Any], *, error: str) -> Flow:
    """End the flow in incident with one explained finding (fail closed); saved at once."""
    _flow_report(
        flow, status=FlowStatus.INCIDENT, outcomes=[], flow_findings=[finding], error=error
    )
    try:
        with transaction.atomic():
            _flows_finish([flow])
    except StaleTransition:  # another worker finished it meanwhile: its ending stands
        return Flow.objects.get(pk=flow.pk)
    return flow


@dataclass
class _Document:
    """One document of a deposit once read and validated (nothing written yet)."""

    position: int
    name: str
    data: bytes
    outcome: DocumentOutcome
    invoice: SemanticInvoice | None = None  # readable and without fatal finding
    replayed: Invoice | None = None  # integrated by an earlier run of this deposit


@dataclass
class _FlowWork:
    flow: Flow
    documents: list[_Document] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    status: FlowStatus | None = None  # decided before the documents (refused whole)


@dataclass
class _Accepted:
    work: _FlowWork
    document: _Document
    invoice: SemanticInvoice
    recipient: Any
    framework: str
    year: int
    row: Invoice = field(init=False)  # built by _persist


@dataclass
class _Batch:
    """The work state of one batch as the named steps fill it in."""

    flows: list[Flow]
    today: datetime.date = field(default_factory=timezone.localdate)
    earlier: dict[int, Flow] = field(default_factory=dict)
    replays: dict[tuple[int, int], Invoice] = field(default_factory=dict)
    works: list[_FlowWork] = field(default_factory=list)
    lookups: RuleLookups | None = None
    accepted: list[_Accepted] = field(default_factory=list)
    finished: list[Flow] = field(default_factory=list)


def _step_preflight(batch: _Batch) -> None:
    """What earlier deposits tell: same bytes already deposited, documents already integrated."""
    batch.earlier = _earlier_same_bytes(batch.flows)
    batch.replays = _replays(batch.flows)


def _step_read(batch: _Batch) -> None:
    """The stored bytes, checked against their digest, as documents (archives expanded)."""
    batch.works = [
        _read_flow(flow, batch.earlier.get(flow.pk), batch.replays) for flow in batch.flows
    ]


def _step_validate(batch: _Batch) -> None:
    """EN 16931 and French rules on every document read (outside any transaction)."""
    for work in batch.works:
        for document in work.documents:
            if document.replayed is None:
                _validate_document(document)


def _step_portal_rules(batch: _Batch) -> None:
    """The portal's own rules (recipient, framework, numbers), suppliers locked meanwhile."""
    _lock_suppliers({flow.structure_id for flow in batch.flows})
    batch.lookups = RuleLookups(on_date=batch.today)
    batch.lookups.prefetch_numbers(_number_keys(batch.works, batch.today))
    batch.accepted = _apply_portal_rules(batch.works, batch.lookups, batch.today)


def _step_persist(batch: _Batch) -> None:
    _persist(batch.accepted)


def _step_route(batch: _Batch) -> None:
    invoices_route(invoice_ids=[item.row.pk for item in batch.accepted])
    for item in batch.accepted:
        item.document.outcome.accepted = True
        item.document.outcome.invoice_public_id = str(item.row.public_id)


def _step_report(batch: _Batch) -> None:
    """Each flow's final status and integration report, written through the kernel."""
    batch.finished = [_flow_close(work) for work in batch.works]
    _flows_finish(batch.finished)


def _earlier_same_bytes(flows: list[Flow]) -> dict[int, Flow]:
    """For each flow, the earliest other deposit of the same bytes by the same structure."""
    candidates = (
        Flow.objects.filter(
            structure_id__in={f.structure_id for f in flows},
            sha256__in={f.sha256 for f in flows},
        )
        .exclude(status__in=[FlowStatus.REJECTED, FlowStatus.INCIDENT])
        .only("pk", "structure_id", "sha256")
        .order_by("pk")
    )
    first: dict[tuple[int, str], Flow] = {}
    for candidate in candidates:
        first.setdefault((candidate.structure_id, candidate.sha256), candidate)
    out = {}
    for flow in flows:
        found = first.get((flow.structure_id, flow.sha256))
        if found is not None and found.pk < flow.pk:
            out[flow.pk] = found
    return out


def _replays(flows: list[Flow]) -> dict[tuple[int, int], Invoice]:
    return {
        (invoice.flow_id, invoice.position): invoice
        for invoice in Invoice.objects.filter(flow_id__in=[f.pk for f in flows]).only(
            "pk", "flow_id", "position", "number", "fiscal_year", "public_id"
        )
    }


def _read_flow(
    flow: Flow, earlier: Flow | None, replays: dict[tuple[int, int], Invoice]
) -> _FlowWork:
    work = _FlowWork(flow=flow)
    with flow.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != flow.sha256:
        raise RuntimeError("stored file does not match its recorded SHA-256")
    if earlier is not None:
        work.findings.append(
            _finding(
                "CHORUS-DUPLICATE-FILE",
                "",
                Message.of(
                    gettext_noop(
                        "Your structure already deposited this file (deposit %(number)s): it is not"
                        " processed twice."
                    ),
                    number=earlier.number,
                ),
            )
        )
        work.status = FlowStatus.REJECTED
        return work

    documents: list[tuple[str, bytes]]
    if is_archive(flow.original_name, data):
        try:
            documents = [(e.name, e.data) for e in iter_archive(flow.original_name, data)]
        except ArchiveRefused as refused:
            work.findings.append(_finding(refused.code, "", refused.message))
            work.status = FlowStatus.REJECTED
            return work
        if not documents:
            work.findings.append(
                _finding(
                    "CHORUS-ARCHIVE-EMPTY",
                    "",
                    Message(gettext_noop("The archive holds no file.")),
                )
            )
            work.status = FlowStatus.REJECTED
            return work
    else:
        documents = [(flow.original_name, data)]
    for position, (name, content) in enumerate(documents):
        work.documents.append(
            _read_document(
                position=position,
                name=name,
                data=content,
                replayed=replays.get((flow.pk, position)),
            )
        )
    return work


def _read_document(*, position: int, name: str, data: bytes, replayed: Invoice | None) -> _Document:
    outcome = DocumentOutcome(name=name)
    document = _Document(position=position, name=name, data=data, outcome=outcome)
    if replayed is not None:  # a replay: this document was already integrated
        outcome.accepted = True
        outcome.number = replayed.number
        outcome.invoice_public_id = str(replayed.public_id)
        document.replayed = replayed
        return document
    name_problem = file_name_problem(name)
    if name_problem is not None:
        outcome.findings.append(_finding("CHORUS-FILE-NAME", "", name_problem))
    return document


def _validate_document(document: _Document) -> None:
    outcome = document.outcome
    data, name = document.data, document.name
    report = validate_invoice(data, filename=name, rule_sets=(RULE_SET_EN16931, RULE_SET_FR))
    outcome.syntax = SYNTAX_CODES.get(report.syntax, "")
    outcome.profile = str(report.profile) if report.profile else ""
    findings = report.findings
    if report.syntax == Syntax.FACTURX_PDF and report.profile in PDF_CARRIED_PROFILES:
        profile_report = validate_profile(data, filename=name)
        findings = profile_report.findings
        if report.invoice is None:
            report.invoice = profile_report.invoice
    outcome.findings.extend(finding.as_report() for finding in findings)
    invoice = report.invoice
    if invoice is not None and invoice.number:
        outcome.number = invoice.number
    if any(f["severity"] == "fatal" for f in outcome.findings) or invoice is None:
        if invoice is None and not outcome.findings:
            outcome.findings.append(
                _finding(
                    "CHORUS-UNREADABLE",
                    "",
                    Message(gettext_noop("The document could not be read as an invoice.")),
                )
            )
        return
    document.invoice = invoice


def _fiscal_year(invoice: SemanticInvoice, today: datetime.date) -> int:
    return invoice.issue_date.year if invoice.issue_date else today.year


def _number_keys(works: list[_FlowWork], today: datetime.date) -> list[tuple[int, str, int]]:
    return [
        (
            work.flow.structure_id,
            (document.invoice.number or "").strip(),
            _fiscal_year(document.invoice, today),
        )
        for work in works
        for document in work.documents
        if document.invoice is not None
    ]


def _lock_suppliers(supplier_ids: set[int]) -> None:
    """Serialise the number checks of one supplier across workers until this commit.

    With the lock held, every invoice another worker committed for these suppliers is
    visible to the number check below, so a number deposited twice at the same moment is
    refused with its rule rather than by the unique constraint.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, s) FROM unnest(%s::int[]) AS s ORDER BY s",
            [SUPPLIER_LOCK_SPACE, sorted(supplier_ids)],
        )


# First key of the advisory locks taken on suppliers while numbers are checked.
SUPPLIER_LOCK_SPACE = 7301


def _apply_portal_rules(
    works: list[_FlowWork], lookups: RuleLookups, today: datetime.date
) -> list[_Accepted]:
    accepted: list[_Accepted] = []
    for work in works:
        numbers_seen: set[tuple[str, int]] = {
            (d.replayed.number, d.replayed.fiscal_year) for d in work.documents if d.replayed
        }
        for document in work.documents:
            invoice = document.invoice
            if invoice is None:
                continue
            verdict = check_invoice(
                invoice=invoice,
                depositor=work.flow.structure,
                numbers_in_flow=numbers_seen,
                on_date=today,
                lookups=lookups,
            )
            number = (invoice.number or "").strip()
            year = _fiscal_year(invoice, today)
            numbers_seen.add((number, year))
            document.outcome.findings.extend(f.as_report() for f in verdict.findings)
            if verdict.findings or verdict.recipient is None:
                continue
            lookups.number_use(supplier_id=work.flow.structure_id, number=number, year=year)
            accepted.append(
                _Accepted(
                    work=work,
                    document=document,
                    invoice=invoice,
                    recipient=verdict.recipient,
                    framework=verdict.framework,
                    year=year,
                )
            )
    return accepted


def _amount(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal("0.00")


def _persist(accepted: list[_Accepted]) -> None:
    """Insert the accepted invoices with their lines, VAT breakdown and attachments."""
    if not accepted:
        return
    for item in accepted:
        item.row = _invoice_row(item)
    rows_insert([item.row for item in accepted])
    rows_insert([line for item in accepted for line in _line_rows(item)])
    rows_insert([vat for item in accepted for vat in _vat_rows(item)])
    rows_insert([attachment for item in accepted for attachment in _attachment_rows(item)])


def _invoice_row(item: _Accepted) -> Invoice:
    invoice = item.invoice
    flow = item.work.flow
    recipient = item.recipient
    totals = invoice.totals
    period = period_days(recipient.entity.category if recipient.entity else None)
    return Invoice(
        flow=flow,
        position=item.document.position,
        supplier=flow.structure,
        recipient=recipient.structure,
        service=recipient.service,
        number=(invoice.number or "").strip(),
        fiscal_year=item.year,
        issue_date=invoice.issue_date or timezone.localdate(),
        due_date=invoice.due_date,
        type_code=invoice.type_code or "380",
        framework=item.framework,
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


def _line_rows(item: _Accepted) -> list[InvoiceLine]:
    invoice = item.invoice
    return [
        InvoiceLine(
            invoice=item.row,
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
    ]


def _vat_rows(item: _Accepted) -> list[InvoiceVatBreakdown]:
    invoice = item.invoice
    return [
        InvoiceVatBreakdown(
            invoice=item.row,
            category=(vat.category_code or "")[:2],
            rate=vat.rate,
            taxable_amount=_amount(vat.taxable_amount),
            tax_amount=_amount(vat.tax_amount),
            exemption_reason=(vat.exemption_reason or vat.exemption_reason_code or "")[:255],
        )
        for vat in invoice.vat_breakdown
    ]


def _attachment_rows(item: _Accepted) -> list[InvoiceAttachment]:
    """The invoice document itself, then the attachments embedded in it (stored as files)."""
    invoice = item.invoice
    flow = item.work.flow
    data = item.document.data
    name = item.document.name
    digest = hashlib.sha256(data).hexdigest()
    main = InvoiceAttachment(
        invoice=item.row,
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
    rows = [main]
    for document in invoice.additional_documents:
        attachment = document.attachment
        if attachment is None or not attachment.content:
            continue
        extra = InvoiceAttachment(
            invoice=item.row,
            original_name=(attachment.filename or document.reference or "piece-jointe")[:255],
            mime_type=(attachment.mime_code or "")[:100],
            size=len(attachment.content),
            sha256=hashlib.sha256(attachment.content).hexdigest(),
            added_by=flow.depositor,
        )
        extra.file.save(extra.original_name, ContentFile(attachment.content), save=False)
        rows.append(extra)
    return rows


FINISH_FIELDS = ["finished_at", "lease_until", "last_error", "report", "syntax"]


def _flows_finish(flows: list[Flow]) -> None:
    """Write the end of claimed deposits: the status (decided by the report) through the
    kernel, in one statement per final status, then the report columns in one more."""
    transition_many(
        FLOW,
        moves=[Move(flow.pk, FlowStatus.PROCESSING, flow.status) for flow in flows],
        actor=system_actor("processing"),
        role=Role.PLATFORM,
    )
    rows_update(
        Flow,
        columns=FINISH_FIELDS,
        rows=[[flow.pk, *(getattr(flow, name) for name in FINISH_FIELDS)] for flow in flows],
    )


def _flow_close(work: _FlowWork) -> Flow:
    """Decide the flow's final status from its documents and write its report (not saved)."""
    outcomes = [document.outcome for document in work.documents]
    status = work.status
    if status is None:
        accepted = sum(1 for o in outcomes if o.accepted)
        if accepted == len(outcomes):
            status = FlowStatus.INTEGRATED
        elif accepted:
            status = FlowStatus.PARTIALLY_INTEGRATED
        else:
            status = FlowStatus.REJECTED
        syntaxes = {o.syntax for o in outcomes if o.syntax}
        if len(syntaxes) == 1:
            work.flow.syntax = syntaxes.pop()
    return _flow_report(work.flow, status=status, outcomes=outcomes, flow_findings=work.findings)


def _flow_report(
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
    return flow


_NOT_STORED = frozenset({"source", "locations", "unparsed"})
_STORED_FIELDS: dict[type, tuple[str, ...]] = {}


def model_to_json(value: Any) -> Any:
    """The semantic model as JSON (Decimal and dates as strings, binary content left out)."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    names = _STORED_FIELDS.get(kind)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = tuple(f.name for f in dataclasses.fields(value) if f.name not in _NOT_STORED)
        _STORED_FIELDS[kind] = names
    if names is not None:
        return {name: model_to_json(getattr(value, name)) for name in names}
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


DEPOSIT_PIPELINE: Pipeline[Flow, _Batch] = Pipeline(
    circuit=FLOW,
    received=FlowStatus.RECEIVED,
    processing=FlowStatus.PROCESSING,
    steps=(
        Step("preflight", _step_preflight),
        Step("read", _step_read),
        Step("validate", _step_validate),
        Step("portal_rules", _step_portal_rules, atomic=True),
        Step("persist", _step_persist, atomic=True),
        Step("route", _step_route, atomic=True),
        Step("report", _step_report, atomic=True),
    ),
    start=lambda flows: _Batch(flows=flows),
    finish=lambda batch: batch.finished,
    fail=_flow_end_alone,
    size=lambda flow: flow.size,
    related=("structure", "depositor", "on_behalf_of"),
    lease=LEASE,
    max_attempts=MAX_ATTEMPTS,
    batch_bytes=BATCH_BYTES,
)
