"""The active structure of a request: chosen in the header, kept in the session.

The session only remembers which structure the user last chose; every request re-checks it
against the memberships in the database (security.md Z4), so a forged session value, a
structure the user has left or a deactivated one never becomes active.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec

from django.contrib import messages
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from chorus.accounts.selectors import membership_get_active
from chorus.core.middleware import request_actor

if TYPE_CHECKING:
    from django.http import HttpRequest

    from chorus.accounts.models import Membership

SESSION_KEY = "chorus_active_structure"
_CACHE_ATTR = "_chorus_active_membership"


def active_membership_get(request: HttpRequest) -> Membership | None:
    """The membership of the request's active structure (computed once per request)."""
    if hasattr(request, _CACHE_ATTR):
        cached: Membership | None = getattr(request, _CACHE_ATTR)
        return cached
    membership: Membership | None = None
    if request.user.is_authenticated and hasattr(request, "session"):
        requested = request.session.get(SESSION_KEY)
        membership = membership_get_active(
            actor=request_actor(request), requested_public_id=requested
        )
        wanted = str(membership.structure.public_id) if membership is not None else None
        if requested != wanted:
            if wanted is None:
                request.session.pop(SESSION_KEY, None)
            else:
                request.session[SESSION_KEY] = wanted
    setattr(request, _CACHE_ATTR, membership)
    return membership


def active_structure_set(request: HttpRequest, membership: Membership) -> None:
    """Remember the structure of ``membership`` (already checked by a selector) as active."""
    request.session[SESSION_KEY] = str(membership.structure.public_id)
    setattr(request, _CACHE_ATTR, membership)


P = ParamSpec("P")


def active_structure_required(
    view: Callable[Concatenate[HttpRequest, Membership, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Call ``view(request, membership, …)`` with the active structure's membership.

    A user without one (no structure yet, or the last one left) is sent to onboarding with a
    message instead: documents always belong to a structure.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        membership = active_membership_get(request)
        if membership is None:
            messages.info(request, _("Join or create a structure first: invoices belong to one."))
            return redirect("accounts:onboarding")
        return view(request, membership, *args, **kwargs)

    return wrapper
