"""Substitution pages for agents: find a user, start (reason required), audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.core.exceptions import DomainError
from chorus.core.http import safe_next_url
from chorus.core.middleware import acting_actor
from support.choices import SubstitutionEndCause
from support.forms import SubstitutionStartForm, UserSearchForm
from support.permissions import support_agent_required
from support.selectors import (
    substitution_get_for_agents,
    substitution_list_for_agents,
    user_search_for_substitution,
)
from support.services.substitution import (
    substitution_act_for_user,
    substitution_end,
    substitution_start,
)
from support.substitution import SESSION_ID_KEY, agent_id_of, hijack_acquire
from support.views._common import paginate


@login_required
@support_agent_required
def substitution_search_view(request: HttpRequest) -> HttpResponse:
    search_form = UserSearchForm(request.GET or None)
    users = (
        user_search_for_substitution(
            actor=acting_actor(request), query=search_form.cleaned_data["q"]
        )
        if search_form.is_valid()
        else []
    )
    reason = request.GET.get("reason", "")[:255]
    return render(
        request,
        "support/agent/substitution_search.html",
        {
            "search_form": search_form,
            "results": [
                (user, SubstitutionStartForm(initial={"user_id": user.pk, "reason": reason}))
                for user in users
            ],
        },
    )


@login_required
@support_agent_required
@require_POST
def substitution_start_view(request: HttpRequest) -> HttpResponse:
    form = SubstitutionStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for acting on behalf of this user."))
        return redirect("support:substitution_search")
    try:
        session = substitution_start(
            actor=acting_actor(request),
            user_id=form.cleaned_data["user_id"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("support:substitution_search")
    agent_id = int(request.user.pk or 0)
    if not hijack_acquire(request, agent_id=agent_id, user_id=session.user_id, next_url="/"):
        substitution_end(session_id=session.pk, cause=SubstitutionEndCause.INVALID)
        messages.error(request, _("You may not act on behalf of this user."))
        return redirect("support:substitution_search")
    request.session[SESSION_ID_KEY] = session.pk
    return redirect("dashboard")


@login_required
@support_agent_required
def substitution_log_view(request: HttpRequest) -> HttpResponse:
    page = paginate(request, substitution_list_for_agents(actor=acting_actor(request)))
    return render(request, "support/agent/substitution_log.html", {"page": page})


@login_required
@support_agent_required
def substitution_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = substitution_get_for_agents(actor=acting_actor(request), session_id=pk)
    return render(
        request,
        "support/agent/substitution_detail.html",
        {"session": session, "events": session.events.all()},
    )


@login_required
@require_POST
def substitution_act_view(request: HttpRequest) -> HttpResponse:
    """From the substitution banner: switch to "act for the user", with a reason.

    Under substitution ``request.user`` is the user; the agent is the hijack history's.
    """
    session = getattr(request, "substitution", None)
    agent_id = agent_id_of(request)
    if session is None or agent_id is None:
        raise Http404
    back = safe_next_url(request, request.POST.get("next"), default="/")
    try:
        substitution_act_for_user(
            session=session, agent_id=agent_id, reason=request.POST.get("reason", "")
        )
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("You may now act for this user; every change is recorded."))
    return redirect(back)
