"""Periodic account housekeeping."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="chorus.accounts.tasks.sessions_clear_expired_task")
def sessions_clear_expired_task() -> int:
    """Delete expired server-side sessions; safe to run twice (the second run finds none)."""
    from chorus.accounts.services import sessions_clear_expired

    return sessions_clear_expired()
