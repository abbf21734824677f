"""Who may do what in support: agents, managers, and the substitution permission check."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from support.choices import SupportLevel

if TYPE_CHECKING:
    from chorus.accounts.models import User
    from chorus.core.actor import Actor

# Set only while support's own start view hands over to hijack's login: a POST straight to
# hijack's acquire URL therefore has no reason, no audit row, and is refused.
_AUTHORISED_ACQUIRE: contextvars.ContextVar[tuple[int, int] | None] = contextvars.ContextVar(
    "support_authorised_acquire", default=None
)


def is_support_agent(user: Any) -> bool:
    """An active, authenticated support agent (the gate of every agent page)."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "is_support_agent", False)
    )


def actor_is_support(actor: Actor) -> bool:
    """An agent acting as themselves (under substitution the agent acts as the user)."""
    return actor.on_behalf_of is None and is_support_agent(actor.user)


def holds_support_role(document: object, actor: Actor) -> bool:
    """The support-request circuit's SUPPORT party: any agent acting as themselves."""
    return actor_is_support(actor)


def agent_level(user: User) -> int:
    profile = getattr(user, "support_profile", None)
    return int(profile.level) if profile is not None else int(SupportLevel.LEVEL_1)


def is_support_manager(user: Any) -> bool:
    if not is_support_agent(user):
        return False
    profile = getattr(user, "support_profile", None)
    return bool(profile is not None and profile.is_manager)


def may_substitute(*, agent: Any, target: Any) -> bool:
    """Agents may act as ordinary active users only: never staff, admins or other agents."""
    if not is_support_agent(agent) or target is None:
        return False
    if getattr(agent, "is_hijacked", False):
        return False
    return bool(
        target.pk != agent.pk
        and target.is_active
        and not target.is_staff
        and not target.is_superuser
        and not target.is_support_agent
    )


def hijack_permission_check(*, hijacker: Any, hijacked: Any) -> bool:
    """``HIJACK_PERMISSION_CHECK``: the rule above, and only from support's start view."""
    authorised = _AUTHORISED_ACQUIRE.get()
    if authorised is None or hijacked is None or authorised != (hijacker.pk, hijacked.pk):
        return False
    return may_substitute(agent=hijacker, target=hijacked)


@contextmanager
def acquire_authorised(*, agent_id: int, user_id: int) -> Iterator[None]:
    token = _AUTHORISED_ACQUIRE.set((agent_id, user_id))
    try:
        yield
    finally:
        _AUTHORISED_ACQUIRE.reset(token)


F = TypeVar("F", bound=Callable[..., HttpResponseBase])


def support_agent_required(view: F) -> F:
    """404 for anyone but an active support agent acting as themselves (not substituting)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_support_agent(request.user) or getattr(request.user, "is_hijacked", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def support_manager_required(view: F) -> F:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_support_manager(request.user) or getattr(request.user, "is_hijacked", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
