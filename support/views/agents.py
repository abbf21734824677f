"""Agent pages: the queue, a request's thread and actions, the manager dashboard.

Every view here answers 404 to anyone but a support agent acting as themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chorus.core.exceptions import DomainError
from chorus.core.middleware import acting_actor
from support.forms import (
    AgentReplyForm,
    AssignForm,
    EscalateForm,
    PriorityForm,
    QueueFilterForm,
    StatusForm,
)
from support.hypervision import document_trace_target
from support.permissions import agent_level, support_agent_required, support_manager_required
from support.selectors import (
    QueueFilters,
    assistant_stats,
    support_message_list,
    support_request_deadlines,
    support_request_get_for_agent,
    support_request_queue,
    support_request_stats,
)
from support.services.requests import (
    support_request_assign,
    support_request_escalate,
    support_request_reply,
    support_request_set_priority,
    support_request_set_status,
)
from support.views._common import paginate


@login_required
@support_agent_required
def queue_view(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if "level" not in data:
        data["level"] = str(agent_level(request.user))  # type: ignore[arg-type]
    form = QueueFilterForm(data)
    cleaned: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    filters = QueueFilters(
        status=cleaned.get("status") or "open",
        level=cleaned.get("level"),
        assignee=cleaned.get("assignee") or "",
        priority=cleaned.get("priority"),
        category_id=cleaned["category"].pk if cleaned.get("category") else None,
        text=cleaned.get("q") or "",
    )
    page = paginate(request, support_request_queue(actor=acting_actor(request), filters=filters))
    query = data.copy()
    query.pop("page", None)
    return render(
        request,
        "support/agent/queue.html",
        {"form": form, "page": page, "querystring": query.urlencode()},
    )


@login_required
@support_agent_required
@require_http_methods(["GET", "POST"])
def agent_request_detail_view(request: HttpRequest, number: str) -> HttpResponse:
    actor = acting_actor(request)
    support_request = support_request_get_for_agent(actor=actor, number=number)
    form = AgentReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            support_request_reply(
                actor=actor,
                request_id=support_request.pk,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
                internal=form.cleaned_data["internal"],
                new_status=form.cleaned_data["new_status"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("support:agent_request_detail", number=support_request.number)
    return render(
        request,
        "support/agent/request_detail.html",
        {
            "support_request": support_request,
            "thread": support_message_list(support_request=support_request, include_internal=True),
            "events": support_request.events.select_related("user", "on_behalf_of"),
            "deadlines": support_request_deadlines(support_request=support_request),
            "form": form,
            "assign_form": AssignForm(initial={"assignee": support_request.assignee_id}),
            "status_form": StatusForm(initial={"status": support_request.status}),
            "priority_form": PriorityForm(initial={"priority": support_request.priority}),
            "escalate_form": EscalateForm() if support_request.level == 1 else None,
            "substitutions": support_request.substitutions.select_related("agent", "user"),
            "document_trace": document_trace_target(
                support_request.document_reference, structure_id=support_request.structure_id
            )
            if support_request.document_reference
            else None,
        },
    )


def _action(
    request: HttpRequest,
    number: str,
    form_class: type[Any] | None,
    run: Callable[[Any, int, dict[str, Any]], object],
) -> HttpResponse:
    actor = acting_actor(request)
    support_request = support_request_get_for_agent(actor=actor, number=number)
    data: dict[str, Any] = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect("support:agent_request_detail", number=support_request.number)
        data = form.cleaned_data
    try:
        run(actor, support_request.pk, data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("support:agent_request_detail", number=support_request.number)


@login_required
@support_agent_required
@require_POST
def agent_request_take_view(request: HttpRequest, number: str) -> HttpResponse:
    return _action(
        request,
        number,
        None,
        lambda actor, pk, _data: support_request_assign(
            actor=actor, request_id=pk, assignee_id=request.user.pk
        ),
    )


@login_required
@support_agent_required
@require_POST
def agent_request_assign_view(request: HttpRequest, number: str) -> HttpResponse:
    return _action(
        request,
        number,
        AssignForm,
        lambda actor, pk, data: support_request_assign(
            actor=actor,
            request_id=pk,
            assignee_id=data["assignee"].pk if data["assignee"] else None,
        ),
    )


@login_required
@support_agent_required
@require_POST
def agent_request_status_view(request: HttpRequest, number: str) -> HttpResponse:
    return _action(
        request,
        number,
        StatusForm,
        lambda actor, pk, data: support_request_set_status(
            actor=actor, request_id=pk, status=data["status"]
        ),
    )


@login_required
@support_agent_required
@require_POST
def agent_request_priority_view(request: HttpRequest, number: str) -> HttpResponse:
    return _action(
        request,
        number,
        PriorityForm,
        lambda actor, pk, data: support_request_set_priority(
            actor=actor, request_id=pk, priority=data["priority"]
        ),
    )


@login_required
@support_agent_required
@require_POST
def agent_request_escalate_view(request: HttpRequest, number: str) -> HttpResponse:
    return _action(
        request,
        number,
        EscalateForm,
        lambda actor, pk, data: support_request_escalate(
            actor=actor, request_id=pk, reason=data["reason"]
        ),
    )


@login_required
@support_manager_required
def manager_dashboard_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "support/agent/dashboard.html",
        {
            "assistant": [assistant_stats(days=7), assistant_stats(days=30)],
            "requests": [support_request_stats(days=7), support_request_stats(days=30)],
        },
    )
