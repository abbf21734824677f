"""Request middleware that makes the acting person explicit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from pghistory.middleware import HistoryMiddleware

from chorus.core.actor import Actor

HIJACK_SESSION_KEY = "hijack_history"


def request_actor(request: HttpRequest) -> Actor | None:
    """The Actor set by :class:`ActorMiddleware` (None for an anonymous request)."""
    actor: Actor | None = getattr(request, "actor", None)
    return actor


def acting_actor(request: HttpRequest) -> Actor:
    """The Actor of a view behind ``login_required``; 404 as a safety net if there is none."""
    actor = request_actor(request)
    if actor is None:
        raise Http404
    return actor


def actor_for_request(request: HttpRequest) -> Actor | None:
    """Build the Actor of a request, seeing through a support substitution.

    django-hijack keeps the agent's id in the session while the request's user is the
    substituted user; the agent is the one acting, on behalf of that user.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    history = request.session.get(HIJACK_SESSION_KEY) if hasattr(request, "session") else None
    if history:
        agent = get_user_model().objects.filter(pk=history[-1]).first()
        if agent is not None:
            return Actor(user=agent, on_behalf_of=user)
    return Actor(user=user)


class ActorMiddleware(HistoryMiddleware):
    """Sets ``request.actor`` and records it as pghistory context for every write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        super().__init__(get_response)  # type: ignore[no-untyped-call]

    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        actor = actor_for_request(request)
        request.actor = actor  # type: ignore[attr-defined]
        context: dict[str, Any] = {"url": request.path}
        if actor is not None:
            context.update(actor.as_context())
        else:
            context["user"] = None
        return context

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not hasattr(request, "actor"):
            request.actor = actor_for_request(request)  # type: ignore[attr-defined]
        response: HttpResponse = super().__call__(request)  # type: ignore[no-untyped-call]
        return response
