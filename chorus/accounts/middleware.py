"""Mandatory second factor: an account that needs one and has none can only set it up.

A middleware rather than a login step, because an obligation can start in the middle of a
session (a membership of a public structure accepted, a structure's rule switched on, a
user made support agent) and because the admin, like every other page, must be covered
without a list of views to decorate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from chorus.accounts.mfa import second_factor_status
from chorus.core.middleware import request_actor

# Views an account without its required second factor may still open: allauth's MFA pages
# (set-up, recovery codes), the password confirmation they ask for, our explanation page,
# logging out and switching language. Everything else is sent to the explanation page.
ALLOWED_VIEW_PREFIXES = ("mfa_",)
ALLOWED_VIEWS = frozenset(
    {
        "second_factor_required",
        "account_reauthenticate",
        "account_logout",
        "set_language",
        "health",
    }
)


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        actor = request_actor(request)
        if actor is not None and actor.on_behalf_of is not None:
            # Under substitution the person at the keyboard is the agent, who could only
            # start it with their own second factor; the user's obligation is theirs alone.
            return None
        status = second_factor_status(user=user)
        request.second_factor = status  # type: ignore[attr-defined]
        if not status.missing:
            return None
        match = request.resolver_match
        view_name = match.view_name if match is not None else ""
        if view_name in ALLOWED_VIEWS or view_name.startswith(ALLOWED_VIEW_PREFIXES):
            return None
        target = reverse("second_factor_required")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        return redirect(target)
