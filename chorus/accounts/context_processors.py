"""Template context for accounts: the active structure, the switcher, the 2FA invitation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chorus.accounts.active import active_membership_get
from chorus.accounts.mfa import second_factor_invite_shown
from chorus.accounts.selectors import membership_list_for_actor
from chorus.core.middleware import request_actor

if TYPE_CHECKING:
    from django.http import HttpRequest

    from chorus.accounts.models import Membership


def organisations(request: HttpRequest) -> dict[str, Any]:
    """Callables, so that pages that never show them cost no query."""

    def memberships() -> list[Membership]:
        cached: list[Membership] | None = getattr(request, "_chorus_memberships", None)
        if cached is None:
            cached = list(
                membership_list_for_actor(actor=request_actor(request)).filter(
                    structure__is_active=True
                )
            )
            request._chorus_memberships = cached  # type: ignore[attr-defined]
        return cached

    def active() -> Membership | None:
        return active_membership_get(request)

    return {
        "active_membership": active,
        "active_memberships": memberships,
        # No query: the second-factor middleware has read the account's status already.
        "second_factor_invite": second_factor_invite_shown(request),
    }
