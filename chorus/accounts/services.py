"""Account services: the writes on users and their sessions."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.utils import timezone

from chorus.accounts.models import User
from chorus.core.actor import Actor
from chorus.core.audit import actor_context
from chorus.core.exceptions import PermissionDeniedError


def sessions_clear_expired() -> int:
    """Remove sessions past their expiry date and return how many were removed."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def user_update_profile(*, actor: Actor, first_name: str, last_name: str, phone: str) -> User:
    """Save the acting user's own identity fields, recorded in the audit trail."""
    user = actor.effective_user
    if user is None:
        raise PermissionDeniedError("An anonymous actor has no profile.")
    with actor_context(actor):
        user.first_name = first_name.strip()
        user.last_name = last_name.strip()
        user.phone = phone.strip()
        user.save(update_fields=["first_name", "last_name", "phone"])
    return user
