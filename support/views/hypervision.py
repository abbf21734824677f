"""Hypervision pages: search, trace of a deposit or an invoice, downloads, supervision.

Agents only (404 for anyone else, like every page under /support/agents/), read-only on the
invoice side, and every search, trace and download writes one :class:`HypervisionAccess` row
before the response is built.
"""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from invoices.models import Flow, Invoice
from invoices.reports import flow_report_csv_response
from support.choices import HypervisionAction
from support.forms import HypervisionSearchForm
from support.hypervision import (
    failures_by_rule,
    flow_for_trace,
    flow_trace,
    flows_per_hour,
    hypervision_log,
    hypervision_search,
    parse_query,
    queue_depth,
    stuck_items,
)
from support.permissions import support_agent_required

PER_PAGE = 20


def _reason(request: HttpRequest) -> str:
    return (request.GET.get("reason") or "").strip()[:255]


def _safe_name(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return cleaned[:120] or "document"


def _flow_or_404(public_id: uuid.UUID) -> Flow:
    try:
        return flow_for_trace(public_id=public_id)
    except Flow.DoesNotExist as missing:
        raise Http404 from missing


@login_required
@support_agent_required
@require_GET
def hypervision_search_view(request: HttpRequest) -> HttpResponse:
    form = HypervisionSearchForm(request.GET or None)
    context: dict[str, object] = {"form": form, "searched": False}
    if form.is_valid():
        query = form.cleaned_data["q"]
        reason = form.cleaned_data["reason"]
        key = parse_query(query)
        context["searched"] = True
        context["key"] = key
        if key is not None:
            hypervision_log(
                agent=request.user,  # type: ignore[arg-type]
                action=HypervisionAction.SEARCH,
                object_ref=query,
                reason=reason,
            )
            flows, invoices = hypervision_search(key)
            flow_page = paginate_param(request, flows, "fpage")
            invoice_page = paginate_param(request, invoices, "ipage")
            query_dict = request.GET.copy()
            for name in ("fpage", "ipage"):
                query_dict.pop(name, None)
            context.update(
                {
                    "flow_page": flow_page,
                    "invoice_page": invoice_page,
                    "querystring": query_dict.urlencode(),
                    "reason": reason,
                }
            )
    return render(request, "support/hypervision/search.html", context)


def paginate_param(request: HttpRequest, items: QuerySet[Any], param: str) -> Page[Any]:
    """A page of ``items`` read from its own parameter: the two result lists page separately."""
    return Paginator(items, PER_PAGE).get_page(request.GET.get(param))


def _render_trace(request: HttpRequest, flow: Flow, invoice: Invoice | None = None) -> HttpResponse:
    reason = _reason(request)
    hypervision_log(
        agent=request.user,  # type: ignore[arg-type]
        action=HypervisionAction.TRACE,
        flow=flow,
        invoice=invoice,
        reason=reason,
    )
    return render(
        request,
        "support/hypervision/trace.html",
        {
            "trace": flow_trace(flow),
            "focus": invoice,
            "reason": reason,
        },
    )


@login_required
@support_agent_required
@require_GET
def hypervision_flow_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _render_trace(request, _flow_or_404(public_id))


@login_required
@support_agent_required
@require_GET
def hypervision_invoice_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    invoice = Invoice.objects.filter(public_id=public_id).only("pk", "number", "flow_id").first()
    if invoice is None:
        raise Http404
    flow = flow_for_trace(pk=invoice.flow_id)
    return _render_trace(request, flow, invoice)


@login_required
@support_agent_required
@require_GET
def hypervision_original_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    flow = _flow_or_404(public_id)
    hypervision_log(
        agent=request.user,  # type: ignore[arg-type]
        action=HypervisionAction.ORIGINAL,
        flow=flow,
        reason=_reason(request),
    )
    return FileResponse(
        flow.file.open("rb"), as_attachment=True, filename=_safe_name(flow.original_name)
    )


@login_required
@support_agent_required
@require_GET
def hypervision_report_csv_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    flow = _flow_or_404(public_id)
    hypervision_log(
        agent=request.user,  # type: ignore[arg-type]
        action=HypervisionAction.REPORT_CSV,
        flow=flow,
        reason=_reason(request),
    )
    return flow_report_csv_response(flow)


@login_required
@support_agent_required
@require_GET
def hypervision_report_json_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    flow = _flow_or_404(public_id)
    hypervision_log(
        agent=request.user,  # type: ignore[arg-type]
        action=HypervisionAction.REPORT_JSON,
        flow=flow,
        reason=_reason(request),
    )
    response = HttpResponse(
        json.dumps(flow.report, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="compte-rendu_{flow.number}.json"'
    return response


@login_required
@support_agent_required
@require_GET
def supervision_view(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    hours = flows_per_hour(now=now)
    peak = max((row.total for row in hours), default=0)
    return render(
        request,
        "support/hypervision/supervision.html",
        {
            "now": now,
            "hours": hours,
            "peak": max(peak, 1),
            "flows_24h": sum(row.total for row in hours),
            "failures_day": failures_by_rule(since=now - datetime.timedelta(days=1), until=now),
            "failures_week": failures_by_rule(since=now - datetime.timedelta(days=7), until=now),
            "stuck": stuck_items(now=now),
            "queue_depth": queue_depth(),
        },
    )
