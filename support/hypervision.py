"""Hypervision (issue #6 part 3): support agents read any deposit or invoice, and every read is
logged (security §3.8 H6).

Read-only on the invoice side: nothing here writes to ``invoices``; the only write is the
append-only :class:`~support.models.HypervisionAccess` row, made before anything is shown.

Lookups are indexed: ``Flow.pk`` (deposit number), ``Flow.public_id`` / ``Invoice.public_id``
(unique), ``Structure.identifier`` (``accounts_structure_ident_like``) then ``Flow.structure``
and ``Invoice.supplier`` / ``Invoice.recipient`` (leading columns of their indexes),
``Flow.received_at`` / ``Invoice.deposited_at`` (``db_index``). ``Invoice.number`` alone has no
index of its own (the unique index leads with the supplier): see ``docs/support.md``.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncHour
from django.utils import timezone

from chorus.accounts.models import Structure
from invoices.choices import FlowStatus, InvoiceStatus
from invoices.models import Flow, Invoice, InvoiceEvent, Notification
from invoices.reports import report_findings
from support.choices import HypervisionAction, HypervisionObject
from support.models import HypervisionAccess, SupportRequest
from support.services.substitution import REQUEST_NUMBER_RE

if TYPE_CHECKING:
    from chorus.accounts.models import User

FLOW_NUMBER_RE = re.compile(r"^CHO(\d{1,22})$", re.IGNORECASE)
SIRET_RE = re.compile(r"^\d{14}$")
# A SIREN names the company: every establishment (SIRET) whose first nine digits it is.
SIREN_RE = re.compile(r"^\d{9}$")
FR_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MAX_INVOICE_NUMBER = 20

STUCK_FLOW_STATUSES = (FlowStatus.RECEIVED, FlowStatus.PROCESSING)
STUCK_INVOICE_STATUSES = (InvoiceStatus.DEPOSITED, InvoiceStatus.ROUTING)
STUCK_LIMIT = 50
ACCESS_LIMIT = 50


def stuck_minutes() -> int:
    return int(getattr(settings, "CHORUS_STUCK_MINUTES", 15))


# --- Access log ---------------------------------------------------------------------------------


def hypervision_log(
    *,
    agent: User,
    action: HypervisionAction,
    flow: Flow | None = None,
    invoice: Invoice | None = None,
    object_ref: str = "",
    reason: str = "",
) -> HypervisionAccess:
    """Write one access row (the view calls this before it reads anything to show)."""
    reason = (reason or "").strip()[:255]
    match = REQUEST_NUMBER_RE.search(reason)
    support_request_id = (
        SupportRequest.objects.filter(number=match.group(0).upper())
        .values_list("pk", flat=True)
        .first()
        if match
        else None
    )
    if invoice is not None:
        object_type = HypervisionObject.INVOICE
        object_ref = object_ref or invoice.number
    elif flow is not None:
        object_type = HypervisionObject.FLOW
        object_ref = object_ref or flow.number
    else:
        object_type = HypervisionObject.NONE
    return HypervisionAccess.objects.create(
        agent=agent,
        action=action,
        object_type=object_type,
        object_ref=object_ref[:120],
        flow=flow,
        invoice=invoice,
        reason=reason,
        support_request_id=support_request_id,
    )


# --- Search -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchKey:
    """What the query box was read as: ``flow_number``, ``uuid``, ``siret``, ``siren``,
    ``support_request``, ``date`` or ``invoice_number`` (the fallback), with the parsed value."""

    kind: str
    value: Any


def parse_query(text: str) -> SearchKey | None:
    query = (text or "").strip()
    if not query:
        return None
    compact = query.replace(" ", "")
    if match := FLOW_NUMBER_RE.match(compact):
        return SearchKey("flow_number", int(match.group(1)))
    try:
        return SearchKey("uuid", uuid.UUID(query))
    except ValueError:
        pass
    if SIRET_RE.match(compact):
        return SearchKey("siret", compact)
    if SIREN_RE.match(compact):
        return SearchKey("siren", compact)
    if REQUEST_NUMBER_RE.fullmatch(compact):
        return SearchKey("support_request", compact.upper())
    day = _parse_date(query)
    if day is not None:
        return SearchKey("date", day)
    if len(query) <= MAX_INVOICE_NUMBER:
        return SearchKey("invoice_number", query)
    return None


def _parse_date(text: str) -> datetime.date | None:
    try:
        if match := FR_DATE_RE.match(text):
            return datetime.date(int(match[3]), int(match[2]), int(match[1]))
        if match := ISO_DATE_RE.match(text):
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return None


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def hypervision_search(key: SearchKey) -> tuple[QuerySet[Flow], QuerySet[Invoice]]:
    """Flows and invoices matching ``key``, newest first, each by an indexed lookup."""
    flows = Flow.objects.select_related("structure")
    invoices = Invoice.objects.select_related("supplier", "recipient", "service", "flow")
    if key.kind == "flow_number":
        return flows.filter(pk=key.value), invoices.filter(flow_id=key.value)
    if key.kind == "uuid":
        flow_ids = list(Flow.objects.filter(public_id=key.value).values_list("pk", flat=True))
        return (
            flows.filter(public_id=key.value),
            invoices.filter(Q(public_id=key.value) | Q(flow_id__in=flow_ids)),
        )
    if key.kind in {"siret", "siren"}:
        lookup = "identifier" if key.kind == "siret" else "identifier__startswith"
        structure_ids = list(
            Structure.objects.filter(**{lookup: key.value}).values_list("pk", flat=True)
        )
        return (
            flows.filter(structure_id__in=structure_ids),
            invoices.filter(Q(supplier_id__in=structure_ids) | Q(recipient_id__in=structure_ids)),
        )
    if key.kind == "support_request":
        # A request names no document, only the structure it was filed for: its traffic.
        structure_ids = list(
            SupportRequest.objects.filter(number=key.value, structure__isnull=False).values_list(
                "structure_id", flat=True
            )
        )
        return (
            flows.filter(structure_id__in=structure_ids),
            invoices.filter(Q(supplier_id__in=structure_ids) | Q(recipient_id__in=structure_ids)),
        )
    if key.kind == "date":
        start, end = _day_bounds(key.value)
        return (
            flows.filter(received_at__gte=start, received_at__lt=end),
            invoices.filter(deposited_at__gte=start, deposited_at__lt=end),
        )
    # An invoice number: the invoice itself, and nothing on the deposit side.
    return flows.none(), invoices.filter(number=key.value)


def document_trace_target(reference: str, *, structure_id: int | None) -> tuple[str, str] | None:
    """For a request's ``document_reference``: ``("flow"|"invoice", public_id)`` or None.

    A deposit number or a UUID is looked up directly; an invoice number only within the
    requester's structure (supplier or recipient), through the unique index.
    """
    key = parse_query(reference)
    if key is None or key.kind in {"siret", "date"}:
        return None
    if key.kind == "flow_number":
        public_id = Flow.objects.filter(pk=key.value).values_list("public_id", flat=True).first()
        return ("flow", str(public_id)) if public_id else None
    if key.kind == "uuid":
        public_id = (
            Flow.objects.filter(public_id=key.value).values_list("public_id", flat=True).first()
        )
        if public_id:
            return "flow", str(public_id)
        public_id = (
            Invoice.objects.filter(public_id=key.value).values_list("public_id", flat=True).first()
        )
        return ("invoice", str(public_id)) if public_id else None
    if structure_id is None:
        return None
    public_id = (
        Invoice.objects.filter(
            Q(supplier_id=structure_id) | Q(recipient_id=structure_id), number=key.value
        )
        .order_by("-deposited_at")
        .values_list("public_id", flat=True)
        .first()
    )
    return ("invoice", str(public_id)) if public_id else None


# --- Trace --------------------------------------------------------------------------------------


@dataclass
class TimelineRow:
    event: InvoiceEvent
    spent: datetime.timedelta | None
    ongoing: bool


@dataclass
class InvoiceTrace:
    invoice: Invoice
    timeline: list[TimelineRow]
    notifications: list[Notification]


@dataclass
class DocumentReport:
    name: str
    syntax: str
    profile: str
    invoice_number: str
    result: str
    findings: list[dict[str, str]]


@dataclass
class FlowTrace:
    flow: Flow
    waited: datetime.timedelta | None
    processed: datetime.timedelta | None
    total: datetime.timedelta | None
    flow_findings: list[dict[str, str]]
    documents: list[DocumentReport]
    summary: dict[str, Any]
    invoices: list[InvoiceTrace]
    accesses: list[HypervisionAccess] = field(default_factory=list)


def _span(start: datetime.datetime | None, end: datetime.datetime | None) -> Any:
    if start is None or end is None:
        return None
    return max(end - start, datetime.timedelta(0))


def flow_for_trace(**lookup: Any) -> Flow:
    """The flow with everyone the trace page names; raises ``Flow.DoesNotExist``."""
    return Flow.objects.select_related("structure", "depositor", "on_behalf_of").get(**lookup)


def flow_trace(flow: Flow, *, now: datetime.datetime | None = None) -> FlowTrace:
    """Everything known about a deposit, in a fixed number of queries."""
    now = now or timezone.now()
    events = InvoiceEvent.objects.select_related("user", "on_behalf_of", "reason").order_by(
        "created_at", "pk"
    )
    notifications = Notification.objects.select_related("user", "event").order_by(
        "created_at", "pk"
    )
    invoices = (
        Invoice.objects.filter(flow=flow)
        .select_related("supplier", "recipient", "service")
        .prefetch_related(
            Prefetch("events", queryset=events, to_attr="trace_events"),
            Prefetch("notifications", queryset=notifications, to_attr="trace_notifications"),
        )
        .order_by("position")
    )
    invoice_traces = []
    for invoice in invoices:
        trace_events: list[InvoiceEvent] = invoice.trace_events
        rows = []
        for index, event in enumerate(trace_events):
            following = trace_events[index + 1] if index + 1 < len(trace_events) else None
            ongoing = following is None
            rows.append(
                TimelineRow(
                    event=event,
                    spent=_span(event.created_at, following.created_at if following else now),
                    ongoing=ongoing,
                )
            )
        invoice_traces.append(
            InvoiceTrace(
                invoice=invoice,
                timeline=rows,
                notifications=invoice.trace_notifications,
            )
        )
    report = flow.report if isinstance(flow.report, dict) else {}
    documents = [
        DocumentReport(
            name=str(doc.get("name", "")),
            syntax=str(doc.get("syntax", "")),
            profile=str(doc.get("profile", "")),
            invoice_number=str(doc.get("invoice_number", "")),
            result=str(doc.get("result", "")),
            findings=report_findings(doc.get("findings")),
        )
        for doc in report.get("documents") or []
        if isinstance(doc, dict)
    ]
    accesses = list(
        HypervisionAccess.objects.filter(flow=flow)
        .select_related("agent", "invoice")
        .order_by("-at", "-pk")[:ACCESS_LIMIT]
    )
    return FlowTrace(
        flow=flow,
        waited=_span(flow.received_at, flow.started_at),
        processed=_span(flow.started_at, flow.finished_at),
        total=_span(flow.received_at, flow.finished_at),
        flow_findings=report_findings(report.get("findings")),
        documents=documents,
        summary=report.get("summary") or {},
        invoices=invoice_traces,
        accesses=accesses,
    )


# --- Supervision --------------------------------------------------------------------------------


@dataclass
class HourRow:
    hour: datetime.datetime
    total: int
    integrated: int
    rejected: int
    other: int


def flows_per_hour(*, now: datetime.datetime, hours: int = 24) -> list[HourRow]:
    """Deposits received in each of the last ``hours`` hours (oldest first, empty hours kept)."""
    tz = timezone.get_current_timezone()
    current = timezone.localtime(now, tz).replace(minute=0, second=0, microsecond=0)
    first = current - datetime.timedelta(hours=hours - 1)
    counted = (
        Flow.objects.filter(received_at__gte=first, received_at__lte=now)
        .annotate(hour=TruncHour("received_at", tzinfo=tz))
        .values("hour")
        .annotate(
            total=Count("pk"),
            integrated=Count(
                "pk",
                filter=Q(status__in=[FlowStatus.INTEGRATED, FlowStatus.PARTIALLY_INTEGRATED]),
            ),
            rejected=Count("pk", filter=Q(status__in=[FlowStatus.REJECTED, FlowStatus.INCIDENT])),
        )
    )
    by_hour = {row["hour"]: row for row in counted}
    rows = []
    for step in range(hours):
        hour = first + datetime.timedelta(hours=step)
        row = by_hour.get(hour, {"total": 0, "integrated": 0, "rejected": 0})
        rows.append(
            HourRow(
                hour=hour,
                total=row["total"],
                integrated=row["integrated"],
                rejected=row["rejected"],
                other=row["total"] - row["integrated"] - row["rejected"],
            )
        )
    return rows


# Fatal findings of the flow itself (they reject all of it) and of each rejected document, in
# the reports of deposits received in the period (bounded by the received_at index).
FAILURES_SQL = """
WITH period AS (
    SELECT id, report FROM invoices_flow WHERE received_at >= %s AND received_at < %s
),
found AS (
    SELECT period.id AS flow_id, finding
    FROM period
    CROSS JOIN LATERAL jsonb_array_elements(
        CASE WHEN jsonb_typeof(period.report -> 'findings') = 'array'
             THEN period.report -> 'findings' ELSE '[]'::jsonb END
    ) AS finding
    UNION ALL
    SELECT period.id, finding
    FROM period
    CROSS JOIN LATERAL jsonb_array_elements(
        CASE WHEN jsonb_typeof(period.report -> 'documents') = 'array'
             THEN period.report -> 'documents' ELSE '[]'::jsonb END
    ) AS document
    CROSS JOIN LATERAL jsonb_array_elements(
        CASE WHEN jsonb_typeof(document -> 'findings') = 'array'
             THEN document -> 'findings' ELSE '[]'::jsonb END
    ) AS finding
    WHERE document ->> 'result' = 'rejected'
)
SELECT finding ->> 'rule_id' AS rule_id, COUNT(*) AS findings, COUNT(DISTINCT flow_id) AS flows
FROM found
WHERE jsonb_typeof(finding) = 'object'
  AND COALESCE(finding ->> 'severity', 'fatal') = 'fatal'
  AND COALESCE(finding ->> 'rule_id', '') <> ''
GROUP BY 1
ORDER BY 2 DESC, 1
LIMIT %s
"""


@dataclass(frozen=True)
class RuleFailures:
    rule_id: str
    findings: int
    flows: int


def failures_by_rule(
    *, since: datetime.datetime, until: datetime.datetime, limit: int = 30
) -> list[RuleFailures]:
    with connection.cursor() as cursor:
        cursor.execute(FAILURES_SQL, [since, until, limit])
        return [RuleFailures(str(r[0]), int(r[1]), int(r[2])) for r in cursor.fetchall()]


@dataclass
class StuckItems:
    flows: list[Flow]
    flow_count: int
    invoices: list[Invoice]
    invoice_count: int
    minutes: int


def stuck_items(*, now: datetime.datetime, minutes: int | None = None) -> StuckItems:
    """Deposits and invoices still in a non-final status longer than ``minutes``."""
    minutes = stuck_minutes() if minutes is None else minutes
    before = now - datetime.timedelta(minutes=minutes)
    flows = Flow.objects.filter(status__in=STUCK_FLOW_STATUSES, received_at__lt=before)
    invoices = Invoice.objects.filter(
        status__in=STUCK_INVOICE_STATUSES, status_changed_at__lt=before
    )
    return StuckItems(
        flows=list(flows.select_related("structure").order_by("received_at")[:STUCK_LIMIT]),
        flow_count=flows.count(),
        invoices=list(
            invoices.select_related("supplier", "flow").order_by("status_changed_at")[:STUCK_LIMIT]
        ),
        invoice_count=invoices.count(),
        minutes=minutes,
    )


def queue_depth() -> int | None:
    """Messages waiting in the Celery queue (every priority list), or None when Redis is down."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    # kombu's Redis transport keeps one list per priority step: "queue", "queue\x06\x163"…
    keys = [queue, *(f"{queue}\x06\x16{step}" for step in (3, 6, 9))]
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=1,
        socket_timeout=1,
        retry=Retry(NoBackoff(), 0),  # one try: the page must not wait on a dead broker
    )
    try:
        pipeline = client.pipeline(transaction=False)
        for key in keys:
            pipeline.llen(key)
        return int(sum(pipeline.execute()))
    except (redis.RedisError, OSError):
        return None
    finally:
        client.close()
