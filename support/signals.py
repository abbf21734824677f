"""Receivers that close a substitution's audit row however the browser session ends."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from support.choices import SubstitutionEndCause
from support.services.substitution import substitution_end_for_pair
from support.substitution import agent_id_of


def substitution_close_on_release(
    sender: Any, *, request: HttpRequest, hijacker: Any, hijacked: Any, **kwargs: Any
) -> None:
    """hijack's release (the banner's "end" button): the agent ended it."""
    substitution_end_for_pair(
        agent_id=hijacker.pk, user_id=hijacked.pk, cause=SubstitutionEndCause.RELEASED
    )


def substitution_close_on_logout(
    sender: Any, *, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """Logging out while acting for a user ends the substitution too."""
    if request is None or user is None:
        return
    agent_id = agent_id_of(request)
    if agent_id is not None:
        substitution_end_for_pair(
            agent_id=agent_id, user_id=user.pk, cause=SubstitutionEndCause.LOGOUT
        )
