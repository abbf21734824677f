"""Substitution guard: time limit, audit of every page, sensitive pages refused (H4, H5).

Runs after django-hijack's middleware. While ``hijack_history`` is in the session, the
request must belong to an open, unexpired :class:`SubstitutionSession` of that agent and
user; otherwise the agent is logged back in (fail closed) and sent to the support queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from support.choices import SubstitutionEndCause
from support.models import SubstitutionActMode, SubstitutionSession
from support.services.substitution import substitution_end, substitution_record_event
from support.substitution import (
    SESSION_ID_KEY,
    agent_id_of,
    change_needs_act_mode,
    hijack_release,
    view_forbidden_under_substitution,
)


class SubstitutionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        agent_id = agent_id_of(request)
        if agent_id is None or not request.user.is_authenticated:
            return self.get_response(request)
        session = self._current_session(request, agent_id)
        if session is None or session.ended_at is not None or session.ends_at <= timezone.now():
            return self._end_and_release(request, session)
        request.substitution = session  # type: ignore[attr-defined]
        request.substitution_acting = (  # type: ignore[attr-defined]
            SubstitutionActMode.objects.filter(session_id=session.pk).first()
        )
        response = self.get_response(request)
        substitution_record_event(
            session_id=session.pk,
            method=request.method or "GET",
            path=request.get_full_path(),
            status_code=response.status_code,
            refused=getattr(request, "substitution_refused", False),
        )
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if getattr(request, "substitution", None) is None or request.resolver_match is None:
            return None
        if view_forbidden_under_substitution(
            request.resolver_match.view_name, request.method or "GET"
        ):
            raise PermissionDenied(_("This page is not available while acting for a user."))
        method = request.method or "GET"
        acting = getattr(request, "substitution_acting", None)
        if acting is None and change_needs_act_mode(request.resolver_match.view_name, method):
            request.substitution_refused = True  # type: ignore[attr-defined]
            raise PermissionDenied(
                _(
                    "Support sees this account read-only: switch to « act for the user », "
                    "with a reason, before changing anything."
                )
            )
        return None

    @staticmethod
    def _current_session(request: HttpRequest, agent_id: int) -> SubstitutionSession | None:
        sessions = SubstitutionSession.objects.filter(
            agent_id=agent_id, user_id=int(request.user.pk or 0)
        )
        session_id = request.session.get(SESSION_ID_KEY)
        if session_id is not None:
            sessions = sessions.filter(pk=session_id)
        return sessions.order_by("-started_at").first()

    @staticmethod
    def _end_and_release(request: HttpRequest, session: SubstitutionSession | None) -> HttpResponse:
        if session is not None and session.ended_at is None:
            substitution_end(session_id=session.pk, cause=SubstitutionEndCause.EXPIRED)
        hijack_release(request)
        messages.info(request, _("The substitution has ended: its time limit passed."))
        if session is not None and session.support_request is not None:
            return redirect("support:agent_request_detail", number=session.support_request.number)
        return redirect("support:queue")
