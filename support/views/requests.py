"""Requester pages: open a request, follow my requests, reply, close, download files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chorus.accounts.active import active_membership_get
from chorus.core.exceptions import DomainError
from chorus.core.http import safe_next_url
from chorus.core.middleware import acting_actor
from support.choices import RequestStatus
from support.forms import ReplyForm, SupportRequestForm
from support.selectors import (
    assistant_conversation_get,
    substitution_list_for_user,
    support_attachment_get,
    support_message_list,
    support_request_deadlines,
    support_request_get_for_requester,
    support_request_list_for_requester,
)
from support.services.assistant import assistant_conversation_claim
from support.services.requests import (
    support_request_close,
    support_request_create,
    support_request_reply,
)
from support.views._common import paginate

CONVERSATIONS_SESSION_KEY = "support_conversations"


@login_required
def request_list_view(request: HttpRequest) -> HttpResponse:
    page = paginate(request, support_request_list_for_requester(actor=acting_actor(request)))
    return render(request, "support/request_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def request_create_view(request: HttpRequest) -> HttpResponse:
    actor = acting_actor(request)
    conversation = None
    conversation_id = request.POST.get("conversation") or request.GET.get("conversation")
    if conversation_id and str(conversation_id).isdigit():
        conversation = assistant_conversation_get(
            user=request.user,
            own_ids=request.session.get(CONVERSATIONS_SESSION_KEY, []),
            conversation_id=int(conversation_id),
        )
    if conversation is not None:
        conversation = assistant_conversation_claim(
            conversation=conversation,
            user=request.user,  # type: ignore[arg-type]
        )
    if request.method == "POST":
        form = SupportRequestForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            membership = active_membership_get(request)
            try:
                support_request = support_request_create(
                    actor=actor,
                    category_id=data["category"].pk,
                    subcategory_id=data["subcategory"].pk if data["subcategory"] else None,
                    subject=data["subject"],
                    body=data["body"],
                    structure_id=membership.structure_id if membership else None,
                    attachments=data["attachments"],
                    document_reference=data["document_reference"],
                    document_url=safe_next_url(request, data["document_url"]),
                    source_url=safe_next_url(request, data["source_url"]),
                    conversation_id=conversation.pk if conversation else None,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Your request %(number)s has been sent. You will be told by e-mail of "
                        "every answer."
                    )
                    % {"number": support_request.number},
                )
                return redirect("support:request_detail", number=support_request.number)
    else:
        initial: dict[str, object] = {
            "document_reference": request.GET.get("document", "")[:120],
            "document_url": safe_next_url(request, request.GET.get("document_url")),
            "source_url": safe_next_url(request, request.GET.get("from")),
        }
        if conversation is not None:
            initial["conversation"] = conversation.pk
            first = conversation.turns.first()
            if first is not None:
                initial["subject"] = first.question[:200]
        form = SupportRequestForm(initial=initial)
    return render(
        request,
        "support/request_create.html",
        {"form": form, "conversation": conversation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_detail_view(request: HttpRequest, number: str) -> HttpResponse:
    actor = acting_actor(request)
    support_request = support_request_get_for_requester(actor=actor, number=number)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            support_request_reply(
                actor=actor,
                request_id=support_request.pk,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your reply has been sent."))
            return redirect("support:request_detail", number=support_request.number)
    return render(
        request,
        "support/request_detail.html",
        {
            "support_request": support_request,
            "thread": support_message_list(support_request=support_request, include_internal=False),
            "form": form if support_request.status != RequestStatus.CLOSED else None,
            "deadlines": support_request_deadlines(support_request=support_request),
        },
    )


@login_required
@require_POST
def request_close_view(request: HttpRequest, number: str) -> HttpResponse:
    actor = acting_actor(request)
    support_request = support_request_get_for_requester(actor=actor, number=number)
    try:
        support_request_close(actor=actor, request_id=support_request.pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The request is closed."))
    return redirect("support:request_detail", number=support_request.number)


@login_required
def attachment_download_view(request: HttpRequest, pk: int) -> FileResponse:
    attachment = support_attachment_get(actor=acting_actor(request), attachment_id=pk)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
    )
    response["Content-Type"] = "application/octet-stream"
    return response


@login_required
def my_substitutions_view(request: HttpRequest) -> HttpResponse:
    page = paginate(request, substitution_list_for_user(actor=acting_actor(request)))
    return render(request, "support/my_substitutions.html", {"page": page})
